"""Checkout with the lines in the body: one request per order for API clients, no cart round
trip, the cart left as it is, and every rule of a cart checkout (stock, prices, sellers, the
Idempotency-Key) kept."""

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import Listing
from orders.models import CartLine, Checkout, Order
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import add_to_cart, checkout
from tests.orders.test_checkout_cost import CHECKOUT_QUERIES
from tests.quotes import helpers

pytestmark = pytest.mark.django_db


def seller_listing(**fields: Any) -> Listing:
    seller = CooperativeFactory()
    MembershipFactory(cooperative=seller, role="owner")
    values = {"price_amount": 2_500, "currency": "EUR", "stock": 5, **fields}
    return ListingFactory(cooperative=seller, **values)


def lines(*pairs: tuple[Listing, int]) -> list[dict[str, int]]:
    return [{"listing": listing.pk, "quantity": quantity} for listing, quantity in pairs]


def test_lines_in_the_body_are_ordered_and_the_cart_is_left_alone(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks
):
    in_cart = seller_listing()
    assert add_to_cart(buyer_owner, buyer_coop, in_cart, 1).status_code == 201
    first, second = seller_listing(), seller_listing(price_amount=1_000)

    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(buyer_owner, buyer_coop, lines=lines((first, 2), (second, 3)))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_amount"] == 2 * 2_500 + 3 * 1_000
    assert [order["seller"]["slug"] for order in body["orders"]] == sorted(
        [first.cooperative.slug, second.cooperative.slug],
        key=lambda slug: CooperativeFactory._meta.model.objects.get(slug=slug).pk,
    )
    assert {order["lines"][0]["title"] for order in body["orders"]} == {first.title, second.title}
    assert Listing.objects.get(pk=first.pk).stock == 3
    assert Listing.objects.get(pk=second.pk).stock == 2
    # The cart still holds its line; both sellers and the buyer heard of the orders.
    assert list(CartLine.objects.values_list("listing_id", flat=True)) == [in_cart.pk]
    assert len(mail.outbox) == 4


def test_a_retry_answers_the_first_result_and_other_lines_under_the_same_key_are_refused(
    buyer_coop, buyer_owner
):
    listing = seller_listing()
    first = checkout(buyer_owner, buyer_coop, key="lines-1", lines=lines((listing, 1)))
    again = checkout(buyer_owner, buyer_coop, key="lines-1", lines=lines((listing, 1)))
    other = checkout(buyer_owner, buyer_coop, key="lines-1", lines=lines((listing, 2)))

    assert first.status_code == 201
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 422
    assert Checkout.objects.count() == 1
    assert Listing.objects.get(pk=listing.pk).stock == 4


def test_more_than_the_stock_is_refused_and_nothing_is_ordered(buyer_coop, buyer_owner):
    scarce, ample = seller_listing(stock=2), seller_listing(stock=50)

    response = checkout(buyer_owner, buyer_coop, lines=lines((ample, 1), (scarce, 3)))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert [(line["id"], line["listing"]) for line in body["lines"]] == [(None, scarce.pk)]
    assert not Order.objects.exists()
    assert Listing.objects.get(pk=ample.pk).stock == 50


def test_an_agreed_price_that_changed_is_a_conflict(buyer_coop, buyer_owner):
    listing = seller_listing(price_amount=3_000)
    body = [{"listing": listing.pk, "quantity": 1, "unit_price_amount": 2_500}]

    response = checkout(buyer_owner, buyer_coop, lines=body)

    assert response.status_code == 409
    assert response.json()["lines"][0]["code"] == "price_changed"
    body[0]["unit_price_amount"] = 3_000
    assert checkout(buyer_owner, buyer_coop, lines=body).status_code == 201


def test_a_listing_outside_the_catalogue_is_refused_without_telling_its_title(
    buyer_coop, buyer_owner
):
    draft = seller_listing(status="draft", title="Secreto de la casa")

    response = checkout(buyer_owner, buyer_coop, lines=lines((draft, 1)))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "listing_unavailable"
    assert body["lines"] == [
        {
            "id": None,
            "listing": draft.pk,
            "title": "",
            "code": "listing_unavailable",
            "detail": f"Listing {draft.pk} is not in the catalogue.",
        }
    ]
    assert "Secreto" not in response.content.decode()


@pytest.mark.parametrize(
    ("make_body", "field"),
    [
        (lambda a, b: [], "lines"),
        (lambda a, b: lines((a, 1), (a, 2)), "lines"),
        (lambda a, b: lines((a, 1), (b, 1)), "lines"),
        (lambda a, b: [{"listing": a.pk, "quantity": 0}], "lines"),
    ],
    ids=["empty", "a listing twice", "two currencies", "no quantity"],
)
def test_bad_lines_are_a_400_naming_the_field(buyer_coop, buyer_owner, make_body, field):
    euros, pesos = seller_listing(), seller_listing(currency="ARS")

    response = checkout(buyer_owner, buyer_coop, lines=make_body(euros, pesos))

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Order.objects.exists()
    assert Listing.objects.get(pk=euros.pk).stock == 5


def test_a_checkout_with_lines_costs_fewer_queries_whatever_its_size(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks, order_emails_queued
):
    counts = {}
    for size in (1, 4):
        body = lines(*[(seller_listing(stock=50), 2) for _ in range(size)])
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = checkout(buyer_owner, buyer_coop, lines=body)
        assert response.status_code == 201, response.content
        counts[size] = len(queries)

    assert counts[1] == counts[4], counts
    # No cart lock, no cart lines read or deleted, and the buyer read once (by the view).
    assert counts[1] <= CHECKOUT_QUERIES - 3, counts


def test_only_a_buyer_with_an_agreement_has_the_agreements_read_and_pays_their_price(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks, order_emails_queued
):
    """The listings' lock says whether the buyer has an agreement with each seller: without
    one, the agreements are not read (two queries fewer); with one, its price applies as before."""
    public, agreed = seller_listing(stock=50), seller_listing(stock=50)
    seller_owner = agreed.cooperative.memberships.get().user
    helpers.agreement(
        agreed.cooperative,
        seller_owner,
        agreed,
        accept=(buyer_coop, buyer_owner),
        buyer=buyer_coop,
        prices=[{"listing": agreed, "fixed_price_amount": 2_000}],
    )

    counts, prices = [], []
    for listing in (public, agreed):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = checkout(buyer_owner, buyer_coop, lines=lines((listing, 1)))
        assert response.status_code == 201, response.content
        counts.append(len(queries))
        prices.append(response.json()["orders"][0]["lines"][0]["unit_price_amount"])

    assert prices == [2_500, 2_000]
    assert counts[1] == counts[0] + 2, counts  # the agreements, and their prices
