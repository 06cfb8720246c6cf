"""Images of listings that are not public (draft, pending, rejected, suspended, archived, or of a
suspended cooperative) answer only to the seller's members and to moderators; logos of suspended
cooperatives likewise. Public images stay cacheable."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from cooperatives.models import Role
from cooperatives.state import VerificationStatus
from marketplace.services.images import encode_listing_image, store_listing_image
from moderation import services as moderation_services
from tests.conftest import client_for
from tests.factories import CategoryFactory, ListingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _image(listing: Any) -> Any:
    return store_listing_image(listing, encode_listing_image(Image.new("RGB", (64, 48))))


def _urls(image: Any) -> list[str]:
    return [f"/media/{f.name}" for f in (image.image, image.thumbnail_large, image.thumbnail_small)]


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(seller_coop: Any, seller_member: Any, outsider: Any, moderator: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "outsider": outsider,
        "member": seller_member,
        "moderator": moderator,
    }


def test_a_published_listing_s_images_are_public_and_cacheable(
    seller_coop: Any, people: dict[str, Any]
) -> None:
    image = _image(ListingFactory(cooperative=seller_coop, category=CategoryFactory()))
    for user in people.values():
        for url in _urls(image):
            response = _client(user).get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "image/webp"
            assert response["Cache-Control"] == "public, max-age=300"
            assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("status", ["draft", "pending_review", "rejected", "suspended", "archived"])
def test_a_hidden_listing_s_images_are_for_its_members_and_moderators(
    seller_coop: Any, people: dict[str, Any], status: str
) -> None:
    image = _image(
        ListingFactory(cooperative=seller_coop, category=CategoryFactory(), status=status)
    )
    for persona, user in people.items():
        for url in _urls(image):
            response = _client(user).get(url)
            if persona in ("member", "moderator"):
                assert response.status_code == 200, (persona, url)
                assert response["Cache-Control"] == "private, no-store"
            else:
                assert response.status_code == 404, (persona, url)


def test_the_old_url_of_an_image_stops_working_once_the_listing_is_suspended(
    seller_coop: Any, seller_owner: Any, moderator: Any
) -> None:
    """The finding: a public URL copied while the listing was published kept working."""
    listing = ListingFactory(cooperative=seller_coop, category=CategoryFactory())
    _image(listing)
    detail = client_for(seller_owner).get(f"/api/v1/listings/{listing.pk}/").json()
    url = detail["images"][0]["url"].removeprefix("http://testserver")
    assert Client().get(url).status_code == 200
    moderation_services.listing_suspend(listing=listing, actor=moderator, reason="Counterfeit.")
    assert Client().get(url).status_code == 404
    assert _client(seller_owner).get(url).status_code == 200


def test_a_suspended_cooperative_s_images_and_logo_are_hidden(
    seller_coop: Any, people: dict[str, Any]
) -> None:
    image = _image(ListingFactory(cooperative=seller_coop, category=CategoryFactory()))
    seller_coop.logo.save("logo.webp", ContentFile(image.thumbnail_small.read()))
    logo = f"/media/{seller_coop.logo.name}"
    assert Client().get(logo).status_code == 200
    seller_coop.verification_status = VerificationStatus.SUSPENDED
    seller_coop.save()
    for persona, user in people.items():
        for url in [*_urls(image), logo]:
            expected = 200 if persona in ("member", "moderator") else 404
            assert _client(user).get(url).status_code == expected, (persona, url)


def test_a_path_outside_the_listing_s_folder_is_not_served(seller_coop: Any) -> None:
    listing = ListingFactory(cooperative=seller_coop, category=CategoryFactory())
    _image(listing)
    assert Client().get(f"/media/listings/{listing.pk}/..%2F..%2Fsettings.py").status_code == 404
    assert Client().get(f"/media/listings/{listing.pk}/missing.webp").status_code == 404
    assert Client().get("/media/listings/999999/x.webp").status_code == 404


def test_one_query_per_image_and_none_for_an_anonymous_person_s_roles(
    seller_coop: Any, django_assert_max_num_queries: Any
) -> None:
    image = _image(ListingFactory(cooperative=seller_coop, category=CategoryFactory()))
    with django_assert_max_num_queries(1):
        assert Client().get(_urls(image)[2]).status_code == 200


def test_the_web_server_sends_the_bytes_when_asked_to(seller_coop: Any, settings: Any) -> None:
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/internal-media/"
    image = _image(ListingFactory(cooperative=seller_coop, category=CategoryFactory()))
    response = Client().get(f"/media/{image.thumbnail_small.name}")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal-media/{image.thumbnail_small.name}"
    assert response["Content-Type"] == "image/webp"
    assert response.content == b""
    hidden = _image(
        ListingFactory(cooperative=seller_coop, category=CategoryFactory(), status="draft")
    )
    assert Client().get(f"/media/{hidden.image.name}").status_code == 404


def test_a_member_of_another_cooperative_does_not_see_a_draft_s_image(seller_coop: Any) -> None:
    other = MembershipFactory(role=Role.OWNER).user
    image = _image(
        ListingFactory(cooperative=seller_coop, category=CategoryFactory(), status="draft")
    )
    assert _client(other).get(f"/media/{image.image.name}").status_code == 404
    assert _client(UserFactory()).get(f"/media/{image.image.name}").status_code == 404
