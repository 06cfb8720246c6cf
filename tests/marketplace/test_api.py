"""The listings API: the contract's paths and fields, status codes and who sees what."""

import pytest

from marketplace.models import Listing, ListingEvent
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory

pytestmark = pytest.mark.django_db

STATUSES = ["draft", "pending_review", "published", "rejected", "suspended", "archived"]


def _payload(cooperative, cat, **overrides):  # type: ignore[no-untyped-def]
    return {
        "cooperative": cooperative.slug,
        "kind": "product",
        "title": "Dulce de leche artesanal",
        "description": "Sin conservantes",
        "category": cat.slug,
        "price_amount": 450_000,
        "currency": "ARS",
        "unit": "kg",
        "stock": None,
        "min_order_quantity": 2,
        "lead_time_days": 3,
        "delivery_modes": ["pickup", "remote"],
        "countries_served": ["ar", "UY"],
    } | overrides


class TestCreate:
    def test_admin_creates_a_draft(self, seller_admin, seller_coop, coffee):
        response = client_for(seller_admin).post(
            "/api/v1/listings/", _payload(seller_coop, coffee), format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft"
        assert body["delivery_modes"] == ["pickup", "remote"]
        assert body["countries_served"] == ["AR", "UY"]
        assert body["is_made_to_order"] is True
        assert body["seller"] == {
            "slug": seller_coop.slug,
            "name": seller_coop.name,
            "country": "AR",
            "is_verified": False,
            "is_recuperated": False,
        }
        listing = Listing.objects.get(pk=body["id"])
        assert (listing.delivers_pickup, listing.delivers_remote, listing.delivers_shipping) == (
            True,
            True,
            False,
        )

    def test_anonymous_is_told_to_sign_in(self, api, seller_coop, coffee):
        response = api.post("/api/v1/listings/", _payload(seller_coop, coffee), format="json")
        assert response.status_code in (401, 403)
        assert not Listing.objects.exists()

    @pytest.mark.parametrize("persona", ["seller_member", "buyer_owner"])
    def test_non_managers_get_403(self, request, seller_coop, coffee, persona):
        client = client_for(request.getfixturevalue(persona))
        response = client.post("/api/v1/listings/", _payload(seller_coop, coffee), format="json")
        assert response.status_code == 403

    def test_unknown_cooperative_is_404(self, seller_owner, coffee):
        ghost = CooperativeFactory.build(slug="ghost")
        response = client_for(seller_owner).post(
            "/api/v1/listings/", _payload(ghost, coffee), format="json"
        )
        assert response.status_code == 404

    @pytest.mark.parametrize(
        ("override", "field"),
        [
            ({"title": "t" * 10_000}, "title"),
            ({"currency": "ABC"}, "currency"),
            ({"category": "nope"}, "category"),
            ({"price_amount": -1}, "price_amount"),
            ({"price_amount": 10**13}, "price_amount"),
            ({"stock": -3}, "stock"),
            ({"stock": 10**10}, "stock"),
            ({"unit": "parsec"}, "unit"),
            ({"delivery_modes": ["drone"]}, "delivery_modes"),
            ({"countries_served": ["XX"]}, "countries_served"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(
        self, seller_owner, seller_coop, coffee, override, field
    ):
        response = client_for(seller_owner).post(
            "/api/v1/listings/", _payload(seller_coop, coffee, **override), format="json"
        )
        assert response.status_code == 400
        assert field in response.json()
        assert not Listing.objects.exists()


class TestVisibility:
    @pytest.fixture
    def listings(self, seller_coop, coffee):  # type: ignore[no-untyped-def]
        return {
            status: ListingFactory(cooperative=seller_coop, category=coffee, status=status)
            for status in STATUSES
        }

    @pytest.mark.parametrize(
        ("persona", "visible"),
        [
            (None, {"published"}),
            ("outsider", {"published"}),
            ("buyer_owner", {"published"}),
            ("seller_member", set(STATUSES)),
            ("seller_owner", set(STATUSES)),
            ("moderator", set(STATUSES)),
        ],
    )
    def test_detail_matrix(self, request, api, listings, persona, visible):
        client = client_for(request.getfixturevalue(persona)) if persona else api
        for status, listing in listings.items():
            response = client.get(f"/api/v1/listings/{listing.pk}/")
            assert response.status_code == (200 if status in visible else 404), (persona, status)

    def test_suspended_cooperatives_disappear(self, api, seller_coop, seller_member, listings):
        seller_coop.verification_status = "suspended"
        seller_coop.save()
        published = listings["published"]
        assert api.get(f"/api/v1/listings/{published.pk}/").status_code == 404
        assert api.get("/api/v1/listings/").json()["count"] == 0
        assert client_for(seller_member).get(f"/api/v1/listings/{published.pk}/").status_code == 200

    def test_the_list_shows_only_published_by_default(self, seller_owner, listings):
        body = client_for(seller_owner).get("/api/v1/listings/").json()
        assert [item["id"] for item in body["results"]] == [listings["published"].pk]

    def test_members_list_their_drafts_with_status(self, seller_owner, buyer_owner, listings):
        url = "/api/v1/listings/?status=draft&status=rejected"
        mine = client_for(seller_owner).get(url).json()
        assert {item["status"] for item in mine["results"]} == {"draft", "rejected"}
        assert client_for(buyer_owner).get(url).json()["count"] == 0

    def test_status_reason_is_for_the_seller_only(self, seller_owner, buyer_owner, listings):
        rejected = listings["rejected"]
        rejected.status_reason = "Missing photos"
        rejected.save()
        mine = client_for(seller_owner).get(f"/api/v1/listings/{rejected.pk}/").json()
        assert mine["status_reason"] == "Missing photos"


class TestDetailAndEdit:
    def test_price_is_formatted_in_the_readers_language(self, api, published):
        published.price_amount, published.currency = 125050, "BRL"
        published.save()
        url = f"/api/v1/listings/{published.pk}/"
        assert (
            api.get(url, HTTP_ACCEPT_LANGUAGE="pt-br").json()["price_display"] == "BRL\xa01.250,50"
        )
        assert api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["price_display"] == "BRL\xa01,250.50"

    def test_zero_decimal_currencies_are_formatted_as_such(self, api, published):
        published.price_amount, published.currency = 1500, "CLP"
        published.save()
        body = api.get(f"/api/v1/listings/{published.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
        assert body["price_display"] == "CLP\xa01,500"

    def test_patch_edits(self, seller_admin, published):
        response = client_for(seller_admin).patch(
            f"/api/v1/listings/{published.pk}/",
            {"price_amount": 99_000, "delivery_modes": ["shipping"], "stock": None},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["price_amount"], body["delivery_modes"], body["stock"]) == (
            99_000,
            ["shipping"],
            None,
        )

    def test_patch_of_the_title_may_send_back_to_review(self, seller_admin, published):
        response = client_for(seller_admin).patch(
            f"/api/v1/listings/{published.pk}/", {"title": "Café de especialidad"}, format="json"
        )
        assert response.json()["status"] == "pending_review"

    def test_patch_by_a_member_is_403_and_by_a_stranger_404(
        self, seller_member, buyer_owner, draft
    ):
        url = f"/api/v1/listings/{draft.pk}/"
        assert (
            client_for(seller_member).patch(url, {"title": "x"}, format="json").status_code == 403
        )
        assert client_for(buyer_owner).patch(url, {"title": "x"}, format="json").status_code == 404

    def test_patch_with_a_bad_value_is_400(self, seller_owner, published):
        response = client_for(seller_owner).patch(
            f"/api/v1/listings/{published.pk}/", {"currency": "ZZZ"}, format="json"
        )
        assert response.status_code == 400
        assert "currency" in response.json()

    def test_delete_archives(self, api, seller_owner, published):
        response = client_for(seller_owner).delete(f"/api/v1/listings/{published.pk}/")
        assert response.status_code == 204
        published.refresh_from_db()
        assert published.status == "archived"
        assert api.get(f"/api/v1/listings/{published.pk}/").status_code == 404
        again = client_for(seller_owner).delete(f"/api/v1/listings/{published.pk}/")
        assert again.status_code == 409
        assert again.json()["code"] == "transition_not_allowed"

    def test_submit_goes_to_review(self, seller_owner, draft):
        response = client_for(seller_owner).post(f"/api/v1/listings/{draft.pk}/submit/")
        assert response.status_code == 200
        assert response.json()["status"] == "pending_review"
        twice = client_for(seller_owner).post(f"/api/v1/listings/{draft.pk}/submit/")
        assert twice.status_code == 409

    def test_events_are_for_members(self, seller_member, buyer_owner, seller_owner, draft):
        client_for(seller_owner).post(f"/api/v1/listings/{draft.pk}/submit/")
        url = f"/api/v1/listings/{draft.pk}/events/"
        events = client_for(seller_member).get(url).json()
        assert [e["to_status"] for e in events] == ["pending_review"]
        assert events[0]["actor"] == seller_owner.name
        assert client_for(buyer_owner).get(url).status_code == 404
        assert ListingEvent.objects.count() == 1


class TestCategories:
    def test_the_tree_has_the_default_taxonomy_in_three_languages(self, api):
        tree = api.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="es").json()
        by_slug = {node["slug"]: node for node in tree}
        for slug in ("food", "textiles", "printing", "metalwork", "construction", "furniture"):
            assert slug in by_slug
        food = by_slug["food"]
        assert food["label"] == "Alimentos y agricultura"
        assert food["name_pt_br"] == "Alimentos e agricultura"
        children = {child["slug"] for child in food["children"]}
        assert "coffee-tea-yerba" in children
        assert all(child["path"].startswith("/food/") for child in food["children"])
        assert all(node["name_es"] and node["name_pt_br"] for node in tree)
