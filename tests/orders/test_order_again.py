"""Ordering an earlier order again: its lines go back in the buyer's cart, in the same
quantities at today's prices; what cannot be ordered now is left out and named."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from marketplace.state import ListingStatus
from orders.models import CartLine, Order
from orders.services import cart_order_again
from tests.conftest import client_for
from tests.factories import ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, messages_of, text
from tests.orders.conftest import add_to_cart, checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_order(buyer_coop, buyer_admin, seller_coop):  # type: ignore[no-untyped-def]
    """An order of two listings of the seller (3 kg of yerba, 2 bags of flour), placed and
    out of the cart, and the two listings."""
    yerba = ListingFactory(
        cooperative=seller_coop, title="Yerba mate", price_amount=1_000, currency="ARS", stock=50
    )
    flour = ListingFactory(
        cooperative=seller_coop, title="Harina", price_amount=500, currency="ARS", stock=50
    )
    assert add_to_cart(buyer_admin, buyer_coop, yerba, 3).status_code == 201
    assert add_to_cart(buyer_admin, buyer_coop, flour, 2).status_code == 201
    response = checkout(buyer_admin, buyer_coop)
    assert response.status_code == 201, response.content
    assert not CartLine.objects.filter(cart__cooperative=buyer_coop).exists()
    return response.json()["orders"][0], yerba, flour


def order_again(user, order_id):  # type: ignore[no-untyped-def]
    return client_for(user).post(f"/api/v1/orders/{order_id}/order-again/", format="json")


def cart_quantities(cooperative) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return dict(
        CartLine.objects.filter(cart__cooperative=cooperative).values_list("title", "quantity")
    )


def test_the_lines_go_back_in_the_cart_in_the_same_quantities(
    earlier_order, buyer_coop, buyer_member, buyer_admin
):
    order, yerba, flour = earlier_order

    response = order_again(buyer_member, order["id"])

    assert response.status_code == 200, response.content
    body = response.json()
    assert cart_quantities(buyer_coop) == {"Yerba mate": 3, "Harina": 2}
    assert [(line["listing"], line["quantity"]) for line in body["added"]] == [
        (yerba.pk, 3),
        (flour.pk, 2),
    ]
    assert {line["order_line"] for line in body["added"]} == {line["id"] for line in order["lines"]}
    assert body["skipped"] == []
    # The cart then checks out as any cart does: a second order of the same lines.
    again = checkout(buyer_admin, buyer_coop)
    assert again.status_code == 201, again.content
    assert again.json()["orders"][0]["total_amount"] == order["total_amount"]


def test_todays_price_goes_in_and_the_answer_shows_both(earlier_order, buyer_coop, buyer_member):
    order, yerba, _flour = earlier_order
    yerba.price_amount = 1_200
    yerba.save(update_fields=["price_amount"])

    body = order_again(buyer_member, order["id"]).json()

    line = next(line for line in body["added"] if line["listing"] == yerba.pk)
    assert (line["unit_price_amount"], line["ordered_unit_price_amount"]) == (1_200, 1_000)
    assert CartLine.objects.get(listing=yerba).unit_price_amount == 1_200


def test_a_line_that_cannot_be_ordered_now_is_left_out_with_why(
    earlier_order, buyer_coop, buyer_member
):
    order, yerba, flour = earlier_order
    flour.status = ListingStatus.ARCHIVED
    flour.save(update_fields=["status"])
    yerba.stock = 1
    yerba.save(update_fields=["stock"])

    response = order_again(buyer_member, order["id"])

    # Nothing could go in: a conflict naming each line, and the cart untouched.
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "nothing_to_order_again"
    assert {(line["title"], line["code"]) for line in body["lines"]} == {
        ("Yerba mate", "insufficient_stock"),
        ("Harina", "listing_unavailable"),
    }
    assert cart_quantities(buyer_coop) == {}

    yerba.stock = 10
    yerba.save(update_fields=["stock"])
    body = order_again(buyer_member, order["id"]).json()
    assert cart_quantities(buyer_coop) == {"Yerba mate": 3}
    assert [(line["title"], line["code"]) for line in body["skipped"]] == [
        ("Harina", "listing_unavailable")
    ]


def test_a_line_already_in_the_cart_gets_the_quantity_added(
    earlier_order, buyer_coop, buyer_member
):
    order, yerba, _flour = earlier_order
    assert add_to_cart(buyer_member, buyer_coop, yerba, 4).status_code == 201

    line = next(
        line
        for line in order_again(buyer_member, order["id"]).json()["added"]
        if line["listing"] == yerba.pk
    )

    assert (line["quantity"], line["cart_quantity"]) == (3, 7)
    assert cart_quantities(buyer_coop)["Yerba mate"] == 7


def test_only_the_buying_cooperatives_members_order_again(
    earlier_order, buyer_coop, seller_member, outsider, moderator
):
    order, _yerba, _flour = earlier_order

    assert order_again(seller_member, order["id"]).status_code == 403
    assert order_again(outsider, order["id"]).status_code == 404
    assert client_for(None).post(f"/api/v1/orders/{order['id']}/order-again/").status_code in (
        401,
        403,
    )
    assert cart_quantities(buyer_coop) == {}


def test_the_order_page_offers_it_to_the_buyer_and_says_what_happened_in_spanish(
    earlier_order, buyer_coop, buyer_member, seller_member
):
    order, _yerba, flour = earlier_order
    flour.status = ListingStatus.ARCHIVED
    flour.save(update_fields=["status"])
    browser = browser_for(buyer_member)
    page = text(browser.get(f"/orders/{order['id']}/", HTTP_ACCEPT_LANGUAGE="es"))
    assert f'action="/orders/{order["id"]}/order-again/"' in page
    assert f"/orders/{order['id']}/order-again/" not in text(
        browser_for(seller_member).get(f"/orders/{order['id']}/")
    )

    response = browser.post(f"/orders/{order['id']}/order-again/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 302
    assert response["Location"].startswith("/cart/")
    said = messages_of(response)
    assert any("está en el carrito" in message for message in said), said
    assert any("Harina" in message and "ya no está publicada" in message for message in said), said
    assert cart_quantities(buyer_coop) == {"Yerba mate": 3}


def test_a_member_of_both_sides_orders_again_for_the_buyer(earlier_order, buyer_coop, seller_coop):
    order, _yerba, _flour = earlier_order
    both = MembershipFactory(cooperative=seller_coop).user
    MembershipFactory(cooperative=buyer_coop, user=both)

    assert order_again(both, order["id"]).status_code == 200
    assert cart_quantities(buyer_coop) == {"Yerba mate": 3, "Harina": 2}


def _order_of(buyer_coop, buyer_admin, seller_coop, lines):  # type: ignore[no-untyped-def]
    for index in range(lines):
        listing = ListingFactory(
            cooperative=seller_coop, price_amount=100 + index, currency="ARS", stock=50
        )
        assert add_to_cart(buyer_admin, buyer_coop, listing, 2).status_code == 201
    response = checkout(buyer_admin, buyer_coop)
    assert response.status_code == 201, response.content
    return Order.objects.get(pk=response.json()["orders"][0]["id"])


def fresh(user):  # type: ignore[no-untyped-def]
    """The person as a new request loads them: nothing about their roles read yet."""
    return User.objects.get(pk=user.pk)


def test_ordering_again_costs_the_same_queries_for_one_line_or_ten(
    buyer_coop, buyer_admin, buyer_member, seller_coop
):
    """The locked cart's lines are read once, every line checked, then one insert: an order of
    ten lines goes back in the cart in the queries of an order of one."""
    one = _order_of(buyer_coop, buyer_admin, seller_coop, 1)
    ten = _order_of(buyer_coop, buyer_admin, seller_coop, 10)
    counts = []
    for order in (one, ten):
        CartLine.objects.filter(cart__cooperative=buyer_coop).delete()
        with CaptureQueriesContext(connection) as captured:
            again = cart_order_again(
                order=Order.objects.get(pk=order.pk), actor=fresh(buyer_member)
            )
        counts.append(len(captured.captured_queries))
        assert len(again.added) == order.lines.count()
        assert sorted(cart_quantities(buyer_coop).values()) == [2] * order.lines.count()
    assert counts[0] == counts[1]
    # The cart holds the ten lines now: each gets more (one update instead of the insert).
    with CaptureQueriesContext(connection) as captured:
        again = cart_order_again(order=Order.objects.get(pk=ten.pk), actor=fresh(buyer_member))
    assert [added.line.quantity for added in again.added] == [4] * 10
    assert len(captured.captured_queries) == counts[1]
    assert sorted(cart_quantities(buyer_coop).values()) == [4] * 10
    # One of them gone from the cart: it goes in again beside the others given more.
    CartLine.objects.filter(cart__cooperative=buyer_coop).order_by("pk").first().delete()
    with CaptureQueriesContext(connection) as mixed:
        again = cart_order_again(order=Order.objects.get(pk=ten.pk), actor=fresh(buyer_member))
    assert sorted(cart_quantities(buyer_coop).values()) == [2] + [6] * 9
    assert len(mixed.captured_queries) == counts[1] + 1  # an insert and an update
