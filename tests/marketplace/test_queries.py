"""The catalogue runs a constant number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from marketplace import cards
from marketplace.models import Listing, ListingImage
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory

pytestmark = pytest.mark.django_db

# count, page ids, the page's stored cards with their seller and category (marketplace/cards.py;
# no images query: the cover is on the card); the category of a category filter and its subtree's ids (a
# literal list gives the planner the right estimate: the filtered page at 1,000,000 listings
# went from sorting 36,000 matches to reading 24 index entries, docs/catalogue.md) or, for a
# search, its candidates' ids; the catalogue version (every answer carries an ETag, and a
# signed-in reader's is shared too: marketplace/http_cache.py).
LIST_BUDGET = 8
# Signed in: the reader's memberships and groups, one query (what they may see, whether they
# see the public answer, whether they moderate; was two).
SIGNED_IN = 1
# A page with cards not rebuilt yet reads those listings in full: their rows and images.
STALE_CARDS_BUDGET = LIST_BUDGET + 2
DETAIL_BUDGET = 6 + SIGNED_IN


@pytest.fixture
def many_listings(coffee):  # type: ignore[no-untyped-def]
    listings = []
    for index in range(60):
        seller = CooperativeFactory(name=f"Vendedora {index % 7}", country="AR")
        listing = ListingFactory(cooperative=seller, category=coffee)
        for position in range(2):
            ListingImage.objects.create(
                listing=listing,
                image=f"listings/{listing.pk}/{position}.webp",
                thumbnail_small=f"listings/{listing.pk}/{position}-400.webp",
                position=position,
                width=400,
                height=300,
            )
        listings.append(listing)
    cards.rebuild_all()  # as after the commits (tests never commit)
    return listings


def fresh_client(user):  # type: ignore[no-untyped-def]
    """A client for a freshly loaded user, so nothing is cached from an earlier request."""
    return client_for(User.objects.get(pk=user.pk)) if user else APIClient()


def page_queries(client, url):  # type: ignore[no-untyped-def]
    """The queries of a page and the number of listing cards it shows."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode().count(
        'class="card listing-card"'
    )


def queries_for(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()


@pytest.mark.parametrize("persona", [None, "buyer_member"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "search=yerba",
        "category=test-food&country=AR&in_stock=true&currency=ARS&min_price=1&ordering=price_amount",
    ],
)
def test_list_queries_do_not_grow_with_the_page(
    request, many_listings, django_assert_max_num_queries, persona, query
):
    user = request.getfixturevalue(persona) if persona else None
    small, body = queries_for(fresh_client(user), f"/api/v1/listings/?page_size=5&{query}")
    assert len(body["results"]) == 5
    with django_assert_max_num_queries(LIST_BUDGET + (SIGNED_IN if user else 0)):
        large, body = queries_for(fresh_client(user), f"/api/v1/listings/?page_size=50&{query}")
    assert len(body["results"]) == 50
    assert all(item["thumbnail_url"] for item in body["results"])
    assert large == small


def test_a_page_of_stale_cards_still_answers_in_constant_queries(
    many_listings, django_assert_max_num_queries
):
    Listing.objects.update(card=None)
    small, _body = queries_for(fresh_client(None), "/api/v1/listings/?page_size=5")
    with django_assert_max_num_queries(STALE_CARDS_BUDGET):
        large, stale = queries_for(fresh_client(None), "/api/v1/listings/?page_size=50")
    assert large == small
    assert all(item["thumbnail_url"] for item in stale["results"])
    cards.rebuild_all()
    assert queries_for(fresh_client(None), "/api/v1/listings/?page_size=50")[1] == stale


def test_detail_queries_do_not_grow_with_images(
    seller_member, coffee, seller_coop, django_assert_max_num_queries
):
    one = ListingFactory(cooperative=seller_coop, category=coffee)
    many = ListingFactory(cooperative=seller_coop, category=coffee)
    ListingImage.objects.create(listing=one, image="a.webp", width=4, height=3)
    for position in range(10):
        ListingImage.objects.create(
            listing=many, image=f"{position}.webp", position=position, width=4, height=3
        )
    few_queries, _ = queries_for(fresh_client(seller_member), f"/api/v1/listings/{one.pk}/")
    with django_assert_max_num_queries(DETAIL_BUDGET):
        many_queries, body = queries_for(
            fresh_client(seller_member), f"/api/v1/listings/{many.pk}/"
        )
    assert len(body["images"]) == 10
    assert many_queries == few_queries


# The catalogue page, built (the response cache is off in tests): the API's list queries (the
# page's stored cards, written as HTML by frontend/listing_cards.py; they were the rows and their
# images read as models), the category tree of the filter form, the version; signed in, the
# session, the user, the reader's memberships and groups (one query, was two) and the cart count,
# less the version (a signed-in page reads it only with the response cache on).
PAGE_BUDGET = 9
PAGE_SIGNED_IN = 3


@pytest.mark.parametrize("persona", [None, "buyer_member"])
def test_catalogue_page_queries_do_not_grow_with_the_page(
    request, client, many_listings, django_assert_max_num_queries, persona
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    short, cards_on_short = page_queries(client, "/catalogue/?page=3")  # 60 listings: 12 on page 3
    with django_assert_max_num_queries(PAGE_BUDGET + (PAGE_SIGNED_IN if persona else 0)):
        full, cards_on_full = page_queries(client, "/catalogue/")
    assert (cards_on_short, cards_on_full) == (12, 24)
    assert full == short


def test_keyset_pages_walk_the_catalogue_without_a_count(
    many_listings, django_assert_max_num_queries
):
    """`cursor=` pages follow `next` to the end, each listing once, in the page-number order,
    with no count query (one query fewer than a numbered page) however deep."""
    client = APIClient()
    numbered = client.get("/api/v1/listings/?page_size=100").json()["results"]
    for ordering in ("", "&ordering=price_amount", "&ordering=-price_amount"):
        expected = [
            item["id"]
            for item in client.get(f"/api/v1/listings/?page_size=100{ordering}").json()["results"]
        ]
        url, seen = f"/api/v1/listings/?cursor=&page_size=25{ordering}", []
        while url:
            with django_assert_max_num_queries(LIST_BUDGET - 1):
                body = client.get(url).json()
            assert body["count"] is None and body["previous"] is None
            seen += [item["id"] for item in body["results"]]
            url = body["next"]
        assert seen == expected
    assert len(numbered) == 60
    refused = client.get("/api/v1/listings/?cursor=&search=yerba")
    assert refused.status_code == 400 and "cursor" in refused.json()
    assert client.get("/api/v1/listings/?cursor=bm90LWpzb24").status_code == 400


def test_a_signed_in_reader_costs_one_query_more_than_an_anonymous_one(many_listings, buyer_member):
    """Their memberships and groups together; and a query that names no filter builds no
    FilterSet, whose category and search lookups it does not need (marketplace/filters.py)."""
    url = "/api/v1/listings/?page_size=50&fresh=1"
    anonymous, body = queries_for(fresh_client(None), url)
    signed_in, signed_body = queries_for(fresh_client(buyer_member), url)
    assert signed_in == anonymous + SIGNED_IN
    assert signed_body == body


# A cooperative's page with its catalogue, built (the response cache is off in tests): the
# cooperative, the catalogue version (every anonymous page carries an ETag), the seller's count,
# the page's ids and its stored cards. Signed in: the session, the user, their memberships (every
# role on the page and the "propose an agreement as" links, one query), their groups (the menu,
# whether they moderate) and the cart count; a moderator also reads the members' box. No
# catalogue visibility is read: a seller's published listings are the same for everyone who may
# see the seller (was 11 queries signed in: the role, the groups and the visibility apart).
PROFILE_BUDGET = 5
PROFILE_SIGNED_IN = 5


@pytest.fixture
def seller_with_30(coffee):  # type: ignore[no-untyped-def]
    seller = CooperativeFactory(name="Vendedora grande", country="AR")
    for _index in range(30):
        ListingFactory(cooperative=seller, category=coffee)
    cards.rebuild_all()  # as after the commits (tests never commit)
    return seller


@pytest.mark.parametrize("persona", [None, "buyer_member", "moderator"])
def test_cooperative_page_queries_do_not_grow_with_the_listings_shown(
    request, client, seller_with_30, django_assert_max_num_queries, persona
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    url = f"/cooperatives/{seller_with_30.slug}/"
    short, cards_on_short = page_queries(client, f"{url}?page=2")  # 30 listings: 6 on page 2
    with django_assert_max_num_queries(PROFILE_BUDGET + (PROFILE_SIGNED_IN if persona else 0)):
        full, cards_on_full = page_queries(client, url)
    assert (cards_on_short, cards_on_full) == (6, 24)
    assert full == short
