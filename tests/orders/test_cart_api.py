import pytest

from cooperatives.state import VerificationStatus
from orders.models import CartLine
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import add_to_cart

pytestmark = pytest.mark.django_db


def get_cart(user, cooperative):
    return client_for(user).get(f"/api/v1/cart/?cooperative={cooperative.slug}")


def test_cart_groups_lines_by_seller_with_totals_per_currency(buyer_coop, buyer_member, listing):
    other_seller = CooperativeFactory(name="Imprenta Chilavert")
    booklet = ListingFactory(
        cooperative=other_seller, price_amount=900, currency="EUR", unit="piece"
    )
    assert add_to_cart(buyer_member, buyer_coop, listing, 3).status_code == 201
    assert add_to_cart(buyer_member, buyer_coop, booklet, 5).status_code == 201

    body = get_cart(buyer_member, buyer_coop).json()

    assert body["line_count"] == 2
    assert body["totals"] == [
        {"currency": "ARS", "amount": 375_000},
        {"currency": "EUR", "amount": 4_500},
    ]
    sellers = {group["seller"]["slug"]: group for group in body["groups"]}
    assert sellers[listing.cooperative.slug]["totals"] == [{"currency": "ARS", "amount": 375_000}]
    line = sellers[other_seller.slug]["lines"][0]
    assert line["quantity"] == 5
    assert line["line_total_amount"] == 4_500
    assert line["is_price_changed"] is False and line["is_unavailable"] is False


def test_adding_the_same_listing_again_adds_to_the_quantity(buyer_coop, buyer_member, listing):
    assert add_to_cart(buyer_member, buyer_coop, listing, 2).status_code == 201
    response = add_to_cart(buyer_member, buyer_coop, listing, 3)
    assert response.status_code == 200
    assert response.json()["quantity"] == 5
    assert CartLine.objects.count() == 1


def test_the_stock_limits_the_total_quantity_of_a_line(buyer_coop, buyer_member, listing):
    assert add_to_cart(buyer_member, buyer_coop, listing, 8).status_code == 201
    response = add_to_cart(buyer_member, buyer_coop, listing, 3)
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert CartLine.objects.get().quantity == 8


@pytest.mark.parametrize(
    ("quantity", "field"),
    [(0, "quantity"), (-1, "quantity"), (10**12, "quantity"), ("many", "quantity")],
)
def test_a_quantity_out_of_range_is_refused(buyer_coop, buyer_member, listing, quantity, field):
    response = add_to_cart(buyer_member, buyer_coop, listing, quantity)
    assert response.status_code == 400
    assert field in response.json()
    assert not CartLine.objects.exists()


def test_the_minimum_order_quantity_holds(buyer_coop, buyer_member, seller_coop):
    sacks = ListingFactory(cooperative=seller_coop, min_order_quantity=5)
    response = add_to_cart(buyer_member, buyer_coop, sacks, 4)
    assert response.status_code == 400
    assert "minimum" in response.json()["quantity"][0]
    assert add_to_cart(buyer_member, buyer_coop, sacks, 5).status_code == 201


def test_made_to_order_listings_take_any_quantity_up_to_the_cap(
    buyer_coop, buyer_member, seller_coop
):
    chairs = ListingFactory(cooperative=seller_coop, stock=None, price_amount=100)
    assert add_to_cart(buyer_member, buyer_coop, chairs, 1_000_000).status_code == 201
    assert add_to_cart(buyer_member, buyer_coop, chairs, 1).status_code == 400


@pytest.mark.parametrize("status", ["draft", "pending_review", "archived", "suspended"])
def test_only_published_listings_go_in_a_cart(buyer_coop, buyer_member, seller_coop, status):
    hidden = ListingFactory(cooperative=seller_coop, status=status)
    response = add_to_cart(buyer_member, buyer_coop, hidden)
    assert response.status_code == 400
    assert "listing" in response.json()


def test_a_suspended_seller_cannot_be_ordered_from(buyer_coop, buyer_member, seller_coop, listing):
    seller_coop.verification_status = VerificationStatus.SUSPENDED
    seller_coop.save()
    response = add_to_cart(buyer_member, buyer_coop, listing)
    assert response.status_code == 409
    assert response.json()["code"] == "seller_suspended"


def test_a_cooperative_cannot_buy_from_itself(seller_coop, seller_member, listing):
    response = add_to_cart(seller_member, seller_coop, listing)
    assert response.status_code == 400
    assert "itself" in response.json()["listing"][0]


def test_an_unknown_listing_is_a_field_error(buyer_coop, buyer_member):
    response = client_for(buyer_member).post(
        "/api/v1/cart/items/",
        {"cooperative": buyer_coop.slug, "listing": 999_999, "quantity": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "listing" in response.json()


def test_a_foreign_cooperatives_cart_is_not_there(buyer_coop, buyer_member, outsider, listing):
    add_to_cart(buyer_member, buyer_coop, listing)
    line = CartLine.objects.get()
    assert get_cart(outsider, buyer_coop).status_code == 404
    assert add_to_cart(outsider, buyer_coop, listing).status_code == 404
    client = client_for(outsider)
    assert (
        client.patch(f"/api/v1/cart/items/{line.pk}/", {"quantity": 2}, format="json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/cart/items/{line.pk}/").status_code == 404
    assert CartLine.objects.get().quantity == 1


def test_the_cart_needs_a_signed_in_member(api, buyer_coop):
    assert api.get(f"/api/v1/cart/?cooperative={buyer_coop.slug}").status_code in (401, 403)


def test_the_cart_needs_a_cooperative(buyer_member):
    assert client_for(buyer_member).get("/api/v1/cart/").status_code == 400


def test_patch_changes_the_quantity_and_delete_removes_the_line(buyer_coop, buyer_member, listing):
    line_id = add_to_cart(buyer_member, buyer_coop, listing, 2).json()["id"]
    client = client_for(buyer_member)
    response = client.patch(f"/api/v1/cart/items/{line_id}/", {"quantity": 4}, format="json")
    assert response.status_code == 200
    assert response.json()["line_total_amount"] == 500_000
    assert (
        client.patch(f"/api/v1/cart/items/{line_id}/", {"quantity": 11}, format="json").status_code
        == 409
    )
    assert client.patch(f"/api/v1/cart/items/{line_id}/", {}, format="json").status_code == 400
    assert client.delete(f"/api/v1/cart/items/{line_id}/").status_code == 204
    assert get_cart(buyer_member, buyer_coop).json()["line_count"] == 0


def test_a_price_change_is_flagged_until_the_buyer_confirms_it(buyer_coop, buyer_member, listing):
    line_id = add_to_cart(buyer_member, buyer_coop, listing, 2).json()["id"]
    listing.price_amount = 130_000
    listing.save()

    line = get_cart(buyer_member, buyer_coop).json()["groups"][0]["lines"][0]
    assert line["is_price_changed"] is True
    assert line["unit_price_amount"] == 125_000
    assert line["current_price_amount"] == 130_000
    assert line["problem_code"] == "price_changed"

    # Adding more does not silently accept the new price.
    add_to_cart(buyer_member, buyer_coop, listing, 1)
    assert get_cart(buyer_member, buyer_coop).json()["groups"][0]["lines"][0]["is_price_changed"]

    response = client_for(buyer_member).patch(
        f"/api/v1/cart/items/{line_id}/", {"confirm_price": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["unit_price_amount"] == 130_000
    assert response.json()["is_price_changed"] is False


def test_a_listing_that_went_away_is_flagged_unavailable(buyer_coop, buyer_member, listing):
    add_to_cart(buyer_member, buyer_coop, listing, 2)
    listing.status = "archived"
    listing.save()
    line = get_cart(buyer_member, buyer_coop).json()["groups"][0]["lines"][0]
    assert line["is_unavailable"] is True
    assert line["current_price_amount"] is None
    assert get_cart(buyer_member, buyer_coop).json()["has_problems"] is True


def test_cart_queries_do_not_grow_with_lines(
    buyer_coop, buyer_member, django_assert_max_num_queries
):
    for _ in range(8):
        add_to_cart(buyer_member, buyer_coop, ListingFactory(cooperative=CooperativeFactory()))
    client = client_for(buyer_member)
    with django_assert_max_num_queries(6):
        assert client.get(f"/api/v1/cart/?cooperative={buyer_coop.slug}").json()["line_count"] == 8


def test_members_of_any_role_fill_the_cart(buyer_coop, listing):
    for role in ("owner", "admin", "member"):
        user = MembershipFactory(cooperative=buyer_coop, role=role).user
        assert add_to_cart(user, buyer_coop, listing).status_code in (200, 201)
    assert CartLine.objects.get().quantity == 3
