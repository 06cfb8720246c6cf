import pytest
from django.core import mail
from django.test import override_settings

from cooperatives.state import VerificationStatus
from marketplace.models import Listing
from orders.models import CartLine, Checkout, Order, OrderEvent, OrderLine
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import add_to_cart, checkout

pytestmark = pytest.mark.django_db


def nothing_ordered() -> bool:
    return not (Checkout.objects.exists() or Order.objects.exists() or OrderLine.objects.exists())


@pytest.fixture
def three_sellers(buyer_coop, buyer_owner):
    """A cart with one listing from each of three sellers, all in EUR."""
    listings = []
    for index, price in enumerate((1_000, 2_333, 99_999)):
        seller = CooperativeFactory(name=f"Vendedora {index}")
        MembershipFactory(cooperative=seller, role="owner")
        listing = ListingFactory(cooperative=seller, price_amount=price, currency="EUR", stock=50)
        assert add_to_cart(buyer_owner, buyer_coop, listing, index + 1).status_code == 201
        listings.append(listing)
    return listings


def test_checkout_splits_the_cart_into_one_order_per_seller(
    buyer_coop, buyer_owner, three_sellers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(
            buyer_owner, buyer_coop, delivery_address="Av. 18 de Julio 1234", note="Mañanas"
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "placed"
    assert body["payment"] is None
    assert body["currency"] == "EUR"
    assert body["total_amount"] == 1_000 * 1 + 2_333 * 2 + 99_999 * 3
    assert len(body["orders"]) == 3
    for order, listing, quantity in zip(body["orders"], three_sellers, (1, 2, 3), strict=True):
        assert order["seller"]["slug"] == listing.cooperative.slug
        assert order["status"] == "placed"
        assert order["lines"][0]["title"] == listing.title
        assert order["lines"][0]["quantity"] == quantity
        assert order["total_amount"] == listing.price_amount * quantity
        assert order["fee_amount"] + order["seller_amount"] == order["total_amount"]
        assert order["fee_bps"] == 150
        assert order["delivery_address"] == "Av. 18 de Julio 1234"
        assert [e["action"] for e in order["events"]] == ["place"]
    # Stock was taken and the cart emptied.
    assert [Listing.objects.get(pk=x.pk).stock for x in three_sellers] == [49, 48, 47]
    assert not CartLine.objects.exists()
    # Each seller is told, and so is the buyer.
    subjects = [m.subject for m in mail.outbox]
    assert sum("New order" in s for s in subjects) == 3
    assert sum("is placed" in s for s in subjects) == 3


@override_settings(SOLIDARITY_FEE_BPS=150)
def test_the_fee_is_rounded_half_up_per_order(buyer_coop, buyer_owner, seller_coop):
    # 1.5 % of 2,333 is 34.995, which rounds to 35.
    odd = ListingFactory(cooperative=seller_coop, price_amount=2_333, currency="EUR")
    add_to_cart(buyer_owner, buyer_coop, odd, 1)
    order = checkout(buyer_owner, buyer_coop).json()["orders"][0]
    assert (order["total_amount"], order["fee_amount"], order["seller_amount"]) == (
        2_333,
        35,
        2_298,
    )


def test_a_retry_with_the_same_key_returns_the_first_result(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 2)
    first = checkout(buyer_owner, buyer_coop, key="same-key")
    add_to_cart(buyer_owner, buyer_coop, listing, 1)  # something new in the cart meanwhile
    again = checkout(buyer_owner, buyer_coop, key="same-key")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["orders"][0]["id"] == first.json()["orders"][0]["id"]
    assert Order.objects.count() == 1
    assert Listing.objects.get(pk=listing.pk).stock == 8
    assert CartLine.objects.get().quantity == 1  # the new line waits for its own checkout


def test_the_same_key_with_a_different_body_is_refused(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 2)
    assert checkout(buyer_owner, buyer_coop, key="k1", note="one").status_code == 201
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    response = checkout(buyer_owner, buyer_coop, key="k1", note="another")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_keys_are_scoped_to_the_buyer(buyer_coop, buyer_owner, listing):
    other = CooperativeFactory(name="Otra compradora")
    other_owner = MembershipFactory(cooperative=other, role="owner").user
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    add_to_cart(other_owner, other, listing, 1)
    assert checkout(buyer_owner, buyer_coop, key="shared").status_code == 201
    assert checkout(other_owner, other, key="shared").status_code == 201
    assert Order.objects.count() == 2


def test_a_missing_idempotency_key_is_refused(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    response = client_for(buyer_owner).post(
        "/api/v1/checkout/",
        {"cooperative": buyer_coop.slug, "payment_method": "invoice"},
        format="json",
    )
    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert nothing_ordered()
    assert CartLine.objects.count() == 1


def test_an_empty_cart_cannot_be_checked_out(buyer_coop, buyer_owner):
    response = checkout(buyer_owner, buyer_coop)
    assert response.status_code == 409
    assert response.json()["code"] == "cart_empty"
    assert nothing_ordered()


def test_mixed_currencies_need_a_choice(buyer_coop, buyer_owner, listing):
    euros = ListingFactory(cooperative=CooperativeFactory(), currency="EUR", price_amount=500)
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    add_to_cart(buyer_owner, buyer_coop, euros, 1)

    response = checkout(buyer_owner, buyer_coop)
    assert response.status_code == 400
    assert "ARS, EUR" in response.json()["currency"][0]
    assert nothing_ordered()

    response = checkout(buyer_owner, buyer_coop, currency="EUR")
    assert response.status_code == 201
    assert response.json()["total_amount"] == 500
    # The ARS line stays in the cart for another checkout.
    assert list(CartLine.objects.values_list("currency", flat=True)) == ["ARS"]


def test_a_currency_not_in_the_cart_is_refused(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    response = checkout(buyer_owner, buyer_coop, currency="BRL")
    assert response.status_code == 400
    assert nothing_ordered()


def test_a_stale_price_is_a_conflict_naming_the_line(buyer_coop, buyer_owner, listing):
    line_id = add_to_cart(buyer_owner, buyer_coop, listing, 2).json()["id"]
    Listing.objects.filter(pk=listing.pk).update(price_amount=140_000)

    response = checkout(buyer_owner, buyer_coop)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "price_changed"
    assert body["lines"][0]["id"] == line_id
    assert body["lines"][0]["current_price_amount"] == 140_000
    assert listing.title in body["detail"]
    assert nothing_ordered()
    assert Listing.objects.get(pk=listing.pk).stock == 10

    client_for(buyer_owner).patch(
        f"/api/v1/cart/items/{line_id}/", {"confirm_price": True}, format="json"
    )
    response = checkout(buyer_owner, buyer_coop)
    assert response.status_code == 201
    assert response.json()["total_amount"] == 280_000


def test_a_suspended_seller_stops_the_checkout(buyer_coop, buyer_owner, seller_coop, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    seller_coop.verification_status = VerificationStatus.SUSPENDED
    seller_coop.save()
    response = checkout(buyer_owner, buyer_coop)
    assert response.status_code == 409
    assert response.json()["code"] == "seller_suspended"
    assert nothing_ordered()


def test_a_listing_unpublished_since_it_was_added_stops_the_checkout(
    buyer_coop, buyer_owner, listing
):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    Listing.objects.filter(pk=listing.pk).update(status="archived")
    response = checkout(buyer_owner, buyer_coop)
    assert response.status_code == 409
    assert response.json()["code"] == "listing_unavailable"
    assert nothing_ordered()


def test_stock_sold_since_it_was_added_stops_the_checkout(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 5)
    Listing.objects.filter(pk=listing.pk).update(stock=3)
    response = checkout(buyer_owner, buyer_coop)
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert Listing.objects.get(pk=listing.pk).stock == 3
    assert nothing_ordered()


def test_a_suspended_buyer_cannot_check_out(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    buyer_coop.verification_status = VerificationStatus.SUSPENDED
    buyer_coop.save()
    assert checkout(buyer_owner, buyer_coop).status_code == 409
    assert nothing_ordered()


def test_card_payment_is_not_offered_yet(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    response = checkout(buyer_owner, buyer_coop, payment_method="stripe")
    assert response.status_code == 409
    assert response.json()["code"] == "payment_method_unavailable"
    assert nothing_ordered()


def test_members_fill_the_cart_but_only_owners_and_admins_check_out(
    buyer_coop, buyer_member, buyer_admin, listing
):
    add_to_cart(buyer_member, buyer_coop, listing, 1)
    assert checkout(buyer_member, buyer_coop).status_code == 403
    assert nothing_ordered()
    assert checkout(buyer_admin, buyer_coop).status_code == 201


def test_a_foreign_cooperatives_cart_cannot_be_checked_out(
    buyer_coop, buyer_owner, seller_owner, outsider, listing
):
    add_to_cart(buyer_owner, buyer_coop, listing, 1)
    assert checkout(outsider, buyer_coop).status_code == 404
    assert checkout(seller_owner, buyer_coop).status_code == 404
    assert nothing_ordered()
    assert CartLine.objects.count() == 1


def test_a_made_to_order_listing_keeps_no_stock(buyer_coop, buyer_owner, seller_coop):
    chairs = ListingFactory(cooperative=seller_coop, stock=None)
    add_to_cart(buyer_owner, buyer_coop, chairs, 30)
    assert checkout(buyer_owner, buyer_coop).status_code == 201
    assert Listing.objects.get(pk=chairs.pk).stock is None
    assert OrderLine.objects.get().is_stock_tracked is False


def test_the_order_copies_what_was_ordered(buyer_coop, buyer_owner, listing):
    add_to_cart(buyer_owner, buyer_coop, listing, 2)
    order_id = checkout(buyer_owner, buyer_coop).json()["orders"][0]["id"]
    Listing.objects.filter(pk=listing.pk).update(title="Renamed", price_amount=1)
    line = client_for(buyer_owner).get(f"/api/v1/orders/{order_id}/").json()["lines"][0]
    assert (line["title"], line["unit"], line["unit_price_amount"]) == (
        listing.title,
        "kg",
        125_000,
    )
    assert line["line_total_amount"] == 250_000
    assert OrderEvent.objects.get().actor == buyer_owner
