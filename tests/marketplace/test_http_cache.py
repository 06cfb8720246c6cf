"""Anonymous catalogue responses are cached and validated against the catalogue's version: a
client gets 304 while nothing changed, and never an old copy after a change."""

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from rest_framework.test import APIClient

from accounts.services import user_token
from marketplace import catalogue_version, services
from marketplace.models import Category
from tests.conftest import client_for
from tests.factories import ListingFactory
from tests.orders.conftest import place_order

pytestmark = pytest.mark.django_db

LIST = "/api/v1/listings/"


@pytest.fixture(autouse=True)
def response_cache(settings):  # type: ignore[no-untyped-def]
    settings.CATALOGUE_RESPONSE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def commits(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run what a change does after its commit (the version bump), as in production."""

    def run(change):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def listing(seller_coop, coffee):  # type: ignore[no-untyped-def]
    return ListingFactory(cooperative=seller_coop, category=coffee, title="Yerba de la huerta")


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["title"] for item in response.json()["results"]]


def test_an_anonymous_list_can_be_revalidated_with_its_etag(listing):  # type: ignore[no-untyped-def]
    first = APIClient().get(LIST)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "must-revalidate" in first["Cache-Control"]
    assert "Cookie" in first["Vary"] and "Accept-Language" in first["Vary"]

    again = APIClient().get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]

    other_page = APIClient().get(f"{LIST}?kind=service", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_page.status_code == 200


def test_an_edit_changes_the_etag_and_nothing_stale_is_served(  # type: ignore[no-untyped-def]
    listing, seller_owner, commits
):
    before = APIClient().get(LIST)
    assert titles(before) == ["Yerba de la huerta"]
    detail_before = APIClient().get(f"{LIST}{listing.pk}/")

    commits(lambda: services.listing_update(listing=listing, actor=seller_owner, stock=0))
    commits(lambda: services.listing_update(listing=listing, actor=None, price_amount=99_000))

    after = APIClient().get(LIST, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["results"][0]["price_amount"] == 99_000
    detail_after = APIClient().get(f"{LIST}{listing.pk}/", HTTP_IF_NONE_MATCH=detail_before["ETag"])
    assert detail_after.status_code == 200
    assert detail_after.json()["stock"] == 0


def test_publishing_a_listing_shows_it_at_once(  # type: ignore[no-untyped-def]
    listing, seller_coop, coffee, commits
):
    assert titles(APIClient().get(LIST)) == ["Yerba de la huerta"]
    draft = ListingFactory(
        cooperative=seller_coop, category=coffee, title="Mate cocido", status="draft"
    )
    assert titles(APIClient().get(LIST)) == ["Yerba de la huerta"]  # a draft: nothing changed

    commits(
        lambda: services.listing_transition(listing=draft, action="publish_directly", actor=None)
    )

    assert set(titles(APIClient().get(LIST))) == {"Yerba de la huerta", "Mate cocido"}


def test_a_checkout_changes_the_stock_readers_see(  # type: ignore[no-untyped-def]
    listing, buyer_owner, buyer_coop, commits
):
    before = APIClient().get(f"{LIST}{listing.pk}/")
    assert before.json()["stock"] == 100

    commits(lambda: place_order(buyer_owner, buyer_coop, listing, quantity=3))

    after = APIClient().get(f"{LIST}{listing.pk}/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["stock"] == 97


def test_links_in_a_cached_list_name_the_host_that_was_asked(seller_coop, coffee):  # type: ignore[no-untyped-def]
    for _ in range(3):
        ListingFactory(cooperative=seller_coop, category=coffee)
    for host in ("localhost", "127.0.0.1", "localhost"):
        body = APIClient().get(f"{LIST}?page_size=2", HTTP_HOST=host).json()
        assert body["next"].startswith(f"http://{host}/api/v1/listings/")


def test_signed_in_readers_get_private_uncached_responses(listing, buyer_owner, commits):  # type: ignore[no-untyped-def]
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {user_token(user=buyer_owner)}")
    response = token_client.get(LIST)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")

    forced = client_for(buyer_owner).get(LIST)
    assert "private" in forced["Cache-Control"] and not forced.has_header("ETag")


def test_last_modified_answers_if_modified_since(listing):  # type: ignore[no-untyped-def]
    catalogue_version.bump()
    version = catalogue_version.current()
    from marketplace.models import CatalogueVersion

    # A change more than a second ago: its second has passed, so responses carry the date.
    CatalogueVersion.objects.filter(pk=1).update(
        changed_at=version.changed_at.replace(year=version.changed_at.year - 1)
    )
    first = APIClient().get(LIST)
    assert first.has_header("Last-Modified")
    assert APIClient().get(LIST, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    catalogue_version.bump()
    assert APIClient().get(LIST, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_one_bump_per_transaction_however_many_changes(seller_coop, coffee, commits):  # type: ignore[no-untyped-def]
    before = catalogue_version.current().number
    commits(lambda: [ListingFactory(cooperative=seller_coop, category=coffee) for _ in range(5)])
    assert catalogue_version.current().number == before + 1


def test_a_deploy_makes_cached_copies_stale(listing):  # type: ignore[no-untyped-def]
    """The entrypoint runs migrate on every start: new code must not serve the old code's copies."""
    from django.core.management import call_command

    first = APIClient().get(LIST)
    call_command("migrate", verbosity=0)
    assert APIClient().get(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_category_tree_follows_a_renamed_category(coffee, commits):  # type: ignore[no-untyped-def]
    def labels(response) -> list[str]:  # type: ignore[no-untyped-def]
        found = []
        stack = list(response.json())
        while stack:
            node = stack.pop()
            found.append(node["label"])
            stack.extend(node.get("children", []))
        return found

    first = APIClient().get("/api/v1/categories/")
    assert "Test coffee" in labels(first)
    coffee = Category.objects.get(pk=coffee.pk)
    coffee.name = "Test coffee and tea"
    commits(lambda: services.category_save(category=coffee))
    after = APIClient().get("/api/v1/categories/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "Test coffee and tea" in labels(after)


def test_the_catalogue_page_is_cached_but_each_reader_gets_their_own_csrf_token(listing, commits):  # type: ignore[no-untyped-def]
    first_reader, second_reader = Client(), Client()
    pages = [first_reader.get("/catalogue/"), second_reader.get("/catalogue/")]
    for reader, page in zip((first_reader, second_reader), pages, strict=True):
        assert page.status_code == 200
        assert "private" in page["Cache-Control"]
        body = page.content.decode()
        assert "Yerba de la huerta" in body
        assert "csrf-token-placeholder" not in body
        secret = reader.cookies["csrftoken"].value
        token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert _unmask_cipher_token(token) == secret
    # Now that each has a CSRF cookie: the ETag includes it (a 304 never revives another token).
    pages = [first_reader.get("/catalogue/"), second_reader.get("/catalogue/")]
    assert pages[0]["ETag"] != pages[1]["ETag"]

    assert first_reader.get("/catalogue/", HTTP_IF_NONE_MATCH=pages[0]["ETag"]).status_code == 304
    assert second_reader.get("/catalogue/", HTTP_IF_NONE_MATCH=pages[0]["ETag"]).status_code == 200

    # A new title goes back to review: the listing leaves the catalogue at once.
    commits(lambda: services.listing_update(listing=listing, actor=None, title="Yerba nueva"))
    changed = first_reader.get("/catalogue/", HTTP_IF_NONE_MATCH=pages[0]["ETag"])
    assert changed.status_code == 200
    assert "Yerba" not in changed.content.decode()


def test_a_signed_in_reader_of_the_page_is_not_served_the_anonymous_copy(listing, buyer_owner):  # type: ignore[no-untyped-def]
    anonymous = Client().get(f"/listings/{listing.pk}/")
    assert anonymous.status_code == 200
    signed_in = Client()
    signed_in.force_login(buyer_owner)
    page = signed_in.get(f"/listings/{listing.pk}/")
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and not page.has_header("ETag")
    assert buyer_owner.name in page.content.decode()  # "Signed in as …": built for this reader
