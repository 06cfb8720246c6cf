"""The catalogue in the Django admin: pages load, status cannot be edited, categories keep paths."""

import pytest

from marketplace.models import Category, ListingEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["category", "listing", "listingimage", "listingevent"])
def test_changelists_load_with_search_and_filters(admin_client, published, model):
    response = admin_client.get(f"/admin/marketplace/{model}/?q=caf")
    assert response.status_code == 200


def test_listing_status_is_read_only(admin_client, published):
    page = admin_client.get(f"/admin/marketplace/listing/{published.pk}/change/").content.decode()
    assert 'name="title"' in page
    assert 'name="status"' not in page


def test_events_cannot_be_added_or_changed(admin_client, published):
    event = ListingEvent.objects.create(listing=published, action="create", to_status="draft")
    assert admin_client.get("/admin/marketplace/listingevent/add/").status_code == 403
    page = admin_client.get(f"/admin/marketplace/listingevent/{event.pk}/change/")
    assert page.status_code == 200
    assert "Save" not in page.content.decode()


def test_moving_a_category_rewrites_the_subtree_paths(admin_client, food, coffee, textiles):
    response = admin_client.post(
        f"/admin/marketplace/category/{food.pk}/change/",
        {
            "name": food.name,
            "name_es": "",
            "name_pt_br": "",
            "slug": "groceries",
            "parent": textiles.pk,
            "position": 0,
        },
    )
    assert response.status_code == 302
    coffee.refresh_from_db()
    assert coffee.path == "/test-textiles/groceries/test-coffee/"
    assert Category.objects.get(pk=food.pk).path == "/test-textiles/groceries/"


def test_a_category_cannot_move_inside_itself(admin_client, food, coffee):
    response = admin_client.post(
        f"/admin/marketplace/category/{food.pk}/change/",
        {"name": food.name, "slug": food.slug, "parent": coffee.pk, "position": 0},
    )
    assert response.status_code == 200
    assert "inside itself" in response.content.decode()
    food.refresh_from_db()
    assert food.parent is None
