"""Real threads against PostgreSQL: checkouts never oversell or deadlock, invoice numbers never
skip or repeat."""

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from accounts.models import User
from marketplace.models import Listing
from orders import services
from orders.models import Invoice, Order, OrderLine
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call together (a barrier), each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # a 500 in the view raises here: record it, fail below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


def buyers(count: int) -> list[tuple[Any, int]]:
    result = []
    for index in range(count):
        cooperative = CooperativeFactory(name=f"Compradora concurrente {index}")
        owner = MembershipFactory(cooperative=cooperative, role="owner").user
        result.append((cooperative, owner.pk))
    return result


def checkout_call(cooperative: Any, user_id: int) -> Callable[[], Any]:
    def call() -> Any:
        user = User.objects.get(pk=user_id)
        return client_for(user).post(
            "/api/v1/checkout/",
            {"cooperative": cooperative.slug, "payment_method": "invoice"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"race-{cooperative.pk}",
        )

    return call


def fill_cart(cooperative, user_id: int, listings, quantity: int) -> None:  # type: ignore[no-untyped-def]
    """A racer's cart: `quantity` of each listing, added in the order given."""
    actor = User.objects.get(pk=user_id)
    for listing in listings:
        services.cart_add_item(
            cooperative=cooperative, listing_id=listing.pk, quantity=quantity, actor=actor
        )


def test_forty_buyers_race_for_ten_in_stock():
    listing = ListingFactory(cooperative=CooperativeFactory(name="Vendedora escasa"), stock=10)
    racers = buyers(40)
    for cooperative, user_id in racers:
        fill_cart(cooperative, user_id, [listing], quantity=1)

    responses = run_at_once([checkout_call(c, u) for c, u in racers])

    errors = [r for r in responses if isinstance(r, Exception)]
    assert errors == []
    assert Counter(r.status_code for r in responses) == {201: 10, 409: 30}
    refused = [r.json() for r in responses if r.status_code == 409]
    assert {body["code"] for body in refused} == {"insufficient_stock"}
    assert Order.objects.count() == 10
    assert Listing.objects.get(pk=listing.pk).stock == 0
    assert OrderLine.objects.aggregate(total=Sum("quantity"))["total"] == 10


def test_carts_holding_two_listings_in_opposite_orders_do_not_deadlock():
    seller_a = CooperativeFactory(name="Vendedora A")
    seller_b = CooperativeFactory(name="Vendedora B")
    first = ListingFactory(cooperative=seller_a, stock=100)
    second = ListingFactory(cooperative=seller_b, stock=100)
    racers = buyers(20)
    for index, (cooperative, user_id) in enumerate(racers):
        order = (first, second) if index % 2 == 0 else (second, first)
        fill_cart(cooperative, user_id, order, quantity=2)

    responses = run_at_once([checkout_call(c, u) for c, u in racers])

    assert [r for r in responses if isinstance(r, Exception)] == []
    assert Counter(r.status_code for r in responses) == {201: 20}
    assert Listing.objects.get(pk=first.pk).stock == 60
    assert Listing.objects.get(pk=second.pk).stock == 60
    assert Order.objects.count() == 40


def test_twenty_acceptances_at_once_take_twenty_consecutive_invoice_numbers():
    seller = CooperativeFactory(name="Cooperativa Textil La Huella")
    seller_owner = MembershipFactory(cooperative=seller, role="owner").user
    listing = ListingFactory(cooperative=seller, stock=None)
    order_ids = []
    for cooperative, user_id in buyers(20):
        owner = User.objects.get(pk=user_id)
        services.cart_add_item(
            cooperative=cooperative, listing_id=listing.pk, quantity=1, actor=owner
        )
        result = services.checkout_place(
            buyer=cooperative, actor=owner, idempotency_key="k", payment_method="invoice"
        )
        order_ids.append(result.checkout.orders.get().pk)

    def accept(order_id: int) -> Callable[[], Any]:
        def call() -> Any:
            user = User.objects.get(pk=seller_owner.pk)
            return client_for(user).post(f"/api/v1/orders/{order_id}/accept/")

        return call

    responses = run_at_once([accept(pk) for pk in order_ids])

    assert [r for r in responses if isinstance(r, Exception)] == []
    assert Counter(r.status_code for r in responses) == {200: 20}
    sequences = sorted(Invoice.objects.filter(seller=seller).values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
    numbers = set(Invoice.objects.values_list("number", flat=True))
    assert len(numbers) == 20
    assert all(n.startswith("TEXTILLAHUELLA-") for n in numbers)


def test_the_same_key_sent_twice_at_once_orders_once():
    listing = ListingFactory(cooperative=CooperativeFactory(name="Vendedora única"), stock=10)
    [(cooperative, user_id)] = buyers(1)
    services.cart_add_item(
        cooperative=cooperative,
        listing_id=listing.pk,
        quantity=2,
        actor=User.objects.get(pk=user_id),
    )

    responses = run_at_once([checkout_call(cooperative, user_id) for _ in range(5)])

    assert [r for r in responses if isinstance(r, Exception)] == []
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Order.objects.count() == 1
    assert Listing.objects.get(pk=listing.pk).stock == 8
