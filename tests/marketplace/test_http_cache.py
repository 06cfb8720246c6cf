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
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    ListingFactory,
    MembershipFactory,
)
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


def _token_client(user):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {user_token(user=user)}")
    return client


def _quietly_retitle(listing, title):  # type: ignore[no-untyped-def]
    """Change the row without bumping the version: whoever still reads the old title was served
    the cached copy."""
    from marketplace.models import Listing

    Listing.objects.filter(pk=listing.pk).update(title=title)


def test_signed_in_readers_are_served_the_public_answer(listing, buyer_owner, seller_member):  # type: ignore[no-untyped-def]
    anonymous = APIClient().get(LIST)
    _quietly_retitle(listing, "Changed quietly")
    for client in (_token_client(buyer_owner), client_for(seller_member)):
        response = client.get(LIST)
        assert response.status_code == 200
        assert response.content == anonymous.content  # from the cache
        assert response["ETag"] == anonymous["ETag"]
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert client.get(LIST, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 304
    detail = f"/api/v1/listings/{listing.pk}/"
    cache.clear()
    first = _token_client(buyer_owner).get(detail)  # built for a signed-in reader, then shared
    _quietly_retitle(listing, "Changed again")
    assert APIClient().get(detail).content == first.content


def test_a_bad_token_is_refused_even_when_the_answer_is_cached(listing):  # type: ignore[no-untyped-def]
    APIClient().get(LIST)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(LIST).status_code == 401


def test_readers_who_see_more_get_their_own_answers(  # type: ignore[no-untyped-def]
    listing, seller_coop, coffee, seller_member, moderator, buyer_owner
):
    """A moderator and the members of a suspended seller see listings the public does not; a
    seller's members read its listing's status_reason; `status=` lists are each member's own.
    None of these is served the public copy, and none is stored for others."""
    from cooperatives.models import Cooperative
    from cooperatives.state import VerificationStatus
    from marketplace.models import Listing

    hidden = ListingFactory(
        cooperative=CooperativeFactory(verification_status=VerificationStatus.SUSPENDED),
        category=coffee,
        title="Of a suspended seller",
    )
    suspended_member = MembershipFactory(cooperative=hidden.cooperative).user
    assert titles(APIClient().get(LIST)) == ["Yerba de la huerta"]
    assert "Of a suspended seller" in titles(client_for(moderator).get(LIST))
    assert "Of a suspended seller" in titles(_token_client(suspended_member).get(LIST))
    assert titles(_token_client(buyer_owner).get(LIST)) == ["Yerba de la huerta"]
    assert titles(APIClient().get(LIST)) == ["Yerba de la huerta"]

    Listing.objects.filter(pk=listing.pk).update(status_reason="Reinstated after an appeal")
    detail = f"/api/v1/listings/{listing.pk}/"
    cache.clear()
    assert APIClient().get(detail).json()["status_reason"] == ""
    assert client_for(seller_member).get(detail).json()["status_reason"] == (
        "Reinstated after an appeal"
    )
    assert client_for(moderator).get(detail).json()["status_reason"]
    assert APIClient().get(detail).json()["status_reason"] == ""
    assert _token_client(buyer_owner).get(detail).json()["status_reason"] == ""

    draft = ListingFactory(cooperative=seller_coop, category=coffee, status="draft", title="Draft")
    mine = client_for(seller_member).get(f"{LIST}?status=draft")
    assert titles(mine) == ["Draft"] and "no-cache" in mine["Cache-Control"]
    assert titles(_token_client(buyer_owner).get(f"{LIST}?status=draft")) == []
    assert Cooperative.objects.filter(pk=draft.cooperative_id).exists()


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


def test_the_catalogue_page_shares_its_results_not_its_header(  # type: ignore[no-untyped-def]
    listing, buyer_owner, seller_member
):
    """Two signed-in readers and an anonymous one: the filters and results come from one cached
    copy, each header (name, cart, sign-out form with its token, language) is the reader's own."""
    from orders.services.cart import cart_add_item

    buyer_owner.name, seller_member.name = "Ana Compradora", "Beto Vendedor"
    buyer_owner.language = "es"
    buyer_owner.save()
    seller_member.save()
    cart_add_item(
        cooperative=buyer_owner.memberships.get().cooperative,
        listing_id=listing.pk,
        quantity=2,
        actor=buyer_owner,
    )
    first = Client()
    first.force_login(seller_member)
    page = first.get("/catalogue/")
    assert "Yerba de la huerta" in page.content.decode()
    _quietly_retitle(listing, "Changed quietly")

    second = Client()
    second.force_login(buyer_owner)
    theirs = second.get("/catalogue/").content.decode()
    anonymous = Client().get("/catalogue/").content.decode()
    mine = first.get("/catalogue/").content.decode()
    assert "Yerba de la huerta" in mine and "Changed quietly" not in mine  # the cached part
    assert "Beto Vendedor" in mine and "Ana Compradora" not in mine
    assert 'class="count"' not in mine  # Beto's cooperative's cart is empty
    assert "Ana Compradora" in theirs and "Beto Vendedor" not in theirs
    assert '<span class="count" aria-hidden="true">1</span>' in theirs
    assert 'lang="es"' in theirs  # Ana reads the site in Spanish: her own cached copy
    assert "Changed quietly" in theirs  # built for Spanish: no Spanish copy was cached
    assert "Ana Compradora" not in anonymous and "Beto Vendedor" not in anonymous
    assert "Sign in" in anonymous and "Sign out" not in anonymous
    tokens = {
        _unmask_cipher_token(text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
        for text in (mine, theirs)
    }
    assert len(tokens) == 2  # each sign-out form carries its reader's own token


def test_counts_are_kept_per_version(listing, seller_coop, coffee, buyer_owner):  # type: ignore[no-untyped-def]
    """A built page (a new URL each time here) counts its filters once per catalogue version."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _token_client(buyer_owner)

    def count_queries(url):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        queries = [query["sql"] for query in captured.captured_queries]
        return sum("COUNT(" in sql.upper() for sql in queries), body

    assert count_queries(f"{LIST}?fresh=1")[0] == 1
    counted, body = count_queries(f"{LIST}?fresh=2")
    assert counted == 0
    assert body["count"] == 1
    ListingFactory(cooperative=seller_coop, category=coffee)
    catalogue_version.bump()  # what its commit does
    counted, body = count_queries(f"{LIST}?fresh=3")
    assert body["count"] == 2
    assert counted == 1


def test_a_page_of_refused_filters_answers_with_the_response_cache_on(listing, buyer_owner):  # type: ignore[no-untyped-def]
    """Its list is empty (`.none()`): counted 0, not a 500 while making the count's cache key."""
    client = Client()
    client.force_login(buyer_owner)
    for reader in (Client(), client):
        response = reader.get("/catalogue/?country=BR&min_price=abc")
        assert response.status_code == 200
        assert "Yerba de la huerta" not in response.content.decode()


def test_the_unfiltered_form_reads_the_categories_once_per_version(listing, buyer_owner, food):  # type: ignore[no-untyped-def]
    """A built page (a new URL each time) takes the filter form's categories from the version
    it read; a category added and its bump show it at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(buyer_owner)

    def page(url):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        tables = [query["sql"] for query in captured.captured_queries]
        return sum('FROM "marketplace_category"' in sql for sql in tables), html

    page("/catalogue/?fresh=1")
    read, html = page("/catalogue/?fresh=2")
    assert read == 0
    assert "Test coffee" in html
    CategoryFactory(
        name="Hierbas nuevas", slug="hierbas-nuevas", parent=food, path="/test-food/hierbas-nuevas/"
    )
    catalogue_version.bump()  # what its commit does
    read, html = page("/catalogue/?fresh=3")
    assert read == 1
    assert "Hierbas nuevas" in html


def test_the_version_read_compiled_once_answers_as_the_orm(listing):  # type: ignore[no-untyped-def]
    """`current()` runs `.first()`'s statement compiled once per connection: after later bumps
    and with no row at all it still answers what the ORM reads, converted the same way."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.models import CatalogueVersion

    def orm() -> tuple:
        return CatalogueVersion.objects.filter(pk=1).values_list("number", "changed_at").first()

    catalogue_version.bump()
    assert tuple(vars(catalogue_version.current()).values()) == orm()
    catalogue_version.bump()
    with CaptureQueriesContext(connection) as queries:
        version = catalogue_version.current()
    assert (version.number, version.changed_at) == orm()
    assert version.changed_at.tzinfo is not None
    assert len(queries) == 1 and "LIMIT 1" in queries[0]["sql"]
    CatalogueVersion.objects.all().delete()
    assert catalogue_version.current().number == 0


def test_a_signed_in_list_reads_the_cache_once_before_it_is_built(
    listing, buyer_owner, cache_reads
):  # type: ignore[no-untyped-def]
    """Its token, its stored answer and the catalogue's count come in one round trip (they were
    three, one after the other); what it builds is then shared as before."""
    client = _token_client(buyer_owner)
    assert titles(client.get(f"{LIST}?fresh=1")) == ["Yerba de la huerta"]
    first = len(cache_reads)
    assert titles(client.get(f"{LIST}?fresh=2")) == ["Yerba de la huerta"]
    assert len(cache_reads) == first + 1  # token, answer and count, fetched together
    assert len(cache_reads[-1]) == 3
    _quietly_retitle(listing, "Changed quietly")
    assert titles(APIClient().get(f"{LIST}?fresh=2")) == ["Yerba de la huerta"]  # shared


def test_a_revoked_token_is_refused_at_once(listing, buyer_owner):  # type: ignore[no-untyped-def]
    from accounts.models import ApiToken

    client = _token_client(buyer_owner)
    assert client.get(LIST).status_code == 200
    ApiToken.objects.filter(user=buyer_owner).delete()
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}?fresh=1").status_code == 401


def test_a_reader_with_a_saved_language_is_answered_in_it(listing, buyer_owner):  # type: ignore[no-untyped-def]
    """The answer fetched ahead is the one in the language asked before authenticating; the
    reader's own language is read apart, and neither copy is given to the other reader."""
    buyer_owner.language = "es"
    buyer_owner.save()
    english = APIClient().get(f"{LIST}?fresh=1", HTTP_ACCEPT_LANGUAGE="en")
    spanish = _token_client(buyer_owner).get(f"{LIST}?fresh=1", HTTP_ACCEPT_LANGUAGE="en")
    assert (english["Content-Language"], spanish["Content-Language"]) == ("en", "es")
    assert english.json()["results"][0]["category"]["label"] == "Test coffee"
    assert spanish.content != english.content
    again = APIClient().get(f"{LIST}?fresh=1", HTTP_ACCEPT_LANGUAGE="en")
    assert again.content == english.content


def test_a_cooperatives_page_shares_its_catalogue_with_every_reader(  # type: ignore[no-untyped-def]
    listing, seller_coop, coffee, buyer_owner, seller_member, moderator, commits
):
    """The seller's published listings on its page come from one cached copy for every reader
    (anonymous, a buyer, a member of the seller, a moderator), each page keeping its reader's
    own parts; a change a reader could see shows at once to all of them."""
    url = f"/cooperatives/{seller_coop.slug}/"
    readers = {"anonymous": Client()}
    for name, user in (("buyer", buyer_owner), ("member", seller_member), ("moderator", moderator)):
        readers[name] = Client()
        readers[name].force_login(user)

    def pages() -> dict[str, str]:
        return {name: client.get(url).content.decode() for name, client in readers.items()}

    first = pages()
    assert all("Yerba de la huerta" in page for page in first.values())
    _quietly_retitle(listing, "Changed quietly")
    from marketplace.models import Listing

    Listing.objects.filter(pk=listing.pk).update(card=None)  # its card would be written again
    again = pages()
    for page in again.values():  # every reader is served the cached copy
        assert "Yerba de la huerta" in page and "Changed quietly" not in page
    # What is each reader's own is not shared.
    assert "For members" in again["member"] and "For members" in again["moderator"]
    assert "For members" not in again["buyer"] and "For members" not in again["anonymous"]
    assert "Propose an agreement as" in again["buyer"]
    assert "Propose an agreement as" not in again["member"] + again["anonymous"]
    assert buyer_owner.name in again["buyer"] and buyer_owner.name not in again["member"]

    draft = ListingFactory(
        cooperative=seller_coop, category=coffee, title="Mate cocido", status="draft"
    )
    commits(
        lambda: services.listing_transition(listing=draft, action="publish_directly", actor=None)
    )
    for page in pages().values():
        assert "Mate cocido" in page and "Changed quietly" in page


def test_a_token_reader_in_its_own_zone_is_not_given_the_utc_copy(listing, buyer_owner):  # type: ignore[no-untyped-def]
    """The shared answer carries times: a reader in Montevideo reads them at -03:00, and the
    anonymous copy (UTC) is neither given to them nor replaced by theirs."""
    buyer_owner.time_zone = "America/Montevideo"
    buyer_owner.save()
    anonymous = APIClient().get(LIST).json()["results"][0]["created_at"]
    own = _token_client(buyer_owner).get(LIST).json()["results"][0]["created_at"]
    assert anonymous.endswith("Z") and own.endswith("-03:00")
    assert APIClient().get(LIST).json()["results"][0]["created_at"] == anonymous
