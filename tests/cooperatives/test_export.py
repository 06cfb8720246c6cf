"""Owners download everything Minga holds about their cooperative; nobody else does."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import ListingFactory
from tests.orders.conftest import act, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def url(cooperative) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/cooperatives/{cooperative.slug}/export/"


@pytest.fixture
def sold(seller_coop, seller_owner, buyer_coop, buyer_owner):
    listing = ListingFactory(cooperative=seller_coop, price_amount=9_900, currency="EUR", stock=50)
    draft = ListingFactory(cooperative=seller_coop, status="draft", title="Borrador")
    order = place_order(buyer_owner, buyer_coop, listing, quantity=3)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    return {"listing": listing, "draft": draft, "order_id": order["id"]}


def test_the_owner_gets_profile_members_listings_orders_and_invoices(
    sold, seller_coop, seller_owner, seller_member
):
    response = client_for(seller_owner).get(url(seller_coop))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="minga-{seller_coop.slug}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["cooperative"]["slug"] == seller_coop.slug
    assert body["cooperative"]["name"] == seller_coop.name
    members = {member["email"]: member["role"] for member in body["members"]}
    assert members == {seller_owner.email: "owner", seller_member.email: "member"}
    titles = {listing["title"] for listing in body["listings"]}
    assert {sold["listing"].title, "Borrador"} <= titles  # drafts too: it is their catalogue
    [order] = body["orders"]
    assert (order["id"], order["role"], order["status"]) == (sold["order_id"], "seller", "accepted")
    assert order["total_amount"] == 29_700
    assert order["lines"][0]["quantity"] == 3
    assert [event["action"] for event in order["events"]][:2] == ["place", "accept"]
    [invoice] = body["invoices"]
    assert invoice["order_id"] == sold["order_id"]
    assert invoice["seller_name"] == seller_coop.name
    assert invoice["total_amount"] == 29_700


def test_the_buyer_sees_the_same_order_as_buyer(sold, buyer_coop, buyer_owner):
    body = client_for(buyer_owner).get(url(buyer_coop)).json()
    assert [(o["id"], o["role"]) for o in body["orders"]] == [(sold["order_id"], "buyer")]
    assert len(body["invoices"]) == 1
    assert body["listings"] == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("seller_admin", 403), ("seller_member", 403), ("outsider", 404), ("moderator", 404)],
)
def test_only_owners_export(request, seller_coop, persona, status):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(url(seller_coop))
    assert response.status_code == status
    assert "members" not in response.json()


def test_anonymous_is_asked_to_sign_in(api, seller_coop):
    assert api.get(url(seller_coop)).status_code == 401


def test_the_query_count_does_not_grow_with_the_orders(
    seller_coop, seller_owner, buyer_coop, buyer_owner
):
    listing = ListingFactory(cooperative=seller_coop, price_amount=100, currency="EUR", stock=None)
    client = client_for(seller_owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(seller_coop)).status_code == 200
        return len(captured)

    place_order(buyer_owner, buyer_coop, listing)
    queries()  # warm: the first request of a test also loads what every request caches
    one = queries()
    for _ in range(4):
        place_order(buyer_owner, buyer_coop, listing)
    cache.clear()
    assert queries() == one
