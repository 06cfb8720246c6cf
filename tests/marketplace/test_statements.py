"""The unfiltered catalogue read through statements compiled once per kind of reader
(`selectors.listing_catalogue_visible_to`, `statements.Prepared`): the same SQL and the same
count cache key as its ORM queryset, and the ids the reader's visible catalogue holds, for each
reader with their own ids."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperatives.models import Membership
from marketplace import selectors
from marketplace.pagination import CappedPaginator, count_cache_key
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(coffee):  # type: ignore[no-untyped-def]
    """Two suspended sellers and one in good standing, each with published listings and a
    draft."""
    sellers = {
        "suspended_a": CooperativeFactory(name="Suspendida A", verification_status="suspended"),
        "suspended_b": CooperativeFactory(name="Suspendida B", verification_status="suspended"),
        "good": CooperativeFactory(name="En regla"),
    }
    listings = {}
    for name, seller in sellers.items():
        listings[name] = [
            ListingFactory(cooperative=seller, category=coffee, title=f"{name} {index}")
            for index in range(3)
        ]
        ListingFactory(cooperative=seller, category=coffee, status="draft", published_at=None)
    return sellers, listings


def _member_of(*cooperatives):  # type: ignore[no-untyped-def]
    user = UserFactory()
    for cooperative in cooperatives:
        MembershipFactory(user=user, cooperative=cooperative)
    return user


def _readers(request, sellers):  # type: ignore[no-untyped-def]
    return {
        "anonymous": None,
        "member of a seller in good standing": _member_of(sellers["good"]),
        "member of suspended A": _member_of(sellers["suspended_a"]),
        "member of suspended B": _member_of(sellers["suspended_b"]),
        "member of both suspended": _member_of(sellers["suspended_a"], sellers["suspended_b"]),
        "moderator": request.getfixturevalue("moderator"),
    }


def test_each_reader_gets_the_querysets_ids_and_sql(request, catalogue):  # type: ignore[no-untyped-def]
    sellers, listings = catalogue
    readers = _readers(request, sellers)
    seen = {}
    for name, user in readers.items():
        queryset = selectors.listing_published_newest(selectors.listing_list_visible_to(user))
        prepared = selectors.listing_catalogue_visible_to(user)
        for bottom, top in [(0, 4), (4, 8), (2, 50), (0, 100)]:
            expected = list(queryset.values_list("pk", flat=True)[bottom:top])
            with CaptureQueriesContext(connection) as orm:
                list(prepared.queryset.values_list("pk", flat=True)[bottom:top])
            with CaptureQueriesContext(connection) as compiled:
                assert prepared.ids(bottom, top) == expected, (name, bottom, top)
            assert [q["sql"] for q in compiled] == [q["sql"] for q in orm]
        with CaptureQueriesContext(connection) as none:
            assert prepared.ids(3, 3) == []
        assert len(none) == 0
        seen[name] = set(prepared.ids(0, 100))
    # Statements compiled for one reader answer for another with their own ids: each member
    # of a suspended seller sees that seller's published listings, not the other's.
    own_a = {listing.pk for listing in listings["suspended_a"]}
    own_b = {listing.pk for listing in listings["suspended_b"]}
    public = {listing.pk for listing in listings["good"]}
    assert seen["anonymous"] == seen["member of a seller in good standing"] == public
    assert seen["member of suspended A"] == public | own_a
    assert seen["member of suspended B"] == public | own_b
    assert seen["member of both suspended"] == seen["moderator"] == public | own_a | own_b


def test_the_count_is_cached_under_the_querysets_own_key(request, catalogue, settings):  # type: ignore[no-untyped-def]
    """The count's cache key is the one its ORM queryset's SQL gives, so the list and the page
    share it; the count itself is the reader's visible catalogue's."""
    from django.core.cache import cache

    from marketplace import catalogue_version

    settings.CATALOGUE_RESPONSE_CACHE_SECONDS = 60
    sellers, _listings = catalogue
    cache.clear()
    version = catalogue_version.current()
    token = catalogue_version.READ_BY_REQUEST.set(version)
    try:
        for name, user in _readers(request, sellers).items():
            prepared = selectors.listing_catalogue_visible_to(user)
            queryset = selectors.listing_published_newest(selectors.listing_list_visible_to(user))
            paginator = CappedPaginator(prepared, 2)
            key = count_cache_key(prepared, paginator.limit, version)
            assert key == count_cache_key(prepared.queryset, paginator.limit, version), name
            expected = queryset.count()
            assert paginator.count == expected, name
            # Asked again (another request): from the cache, no query.
            with CaptureQueriesContext(connection) as queries:
                assert CappedPaginator(prepared, 2).count == expected
            assert len(queries) == 0
    finally:
        catalogue_version.READ_BY_REQUEST.reset(token)
        cache.clear()


def test_a_new_membership_is_seen_at_once(catalogue):  # type: ignore[no-untyped-def]
    """The reader's own cooperatives are read per request; only the SQL is kept."""
    sellers, listings = catalogue
    user = _member_of(sellers["good"])
    before = set(selectors.listing_catalogue_visible_to(user).ids(0, 100))
    Membership.objects.create(user=user, cooperative=sellers["suspended_a"], role="member")
    user = type(user).objects.get(pk=user.pk)  # the next request's user
    after = set(selectors.listing_catalogue_visible_to(user).ids(0, 100))
    assert after - before == {listing.pk for listing in listings["suspended_a"]}


def test_compiled_rows_are_converted_as_the_orm_converts_them(catalogue):  # type: ignore[no-untyped-def]
    """The card rows (dates, booleans, decimals of the seller and category) and the version,
    read through statements compiled once, equal the ORM's values: on the first read and on
    later ones, whose converters were found once."""
    from marketplace import cards, catalogue_version
    from marketplace.models import CatalogueVersion, Listing

    catalogue_version.bump()
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True)[:5])
    orm = sorted(Listing.objects.filter(pk__in=ids).values_list(*cards.ROW_FIELDS))
    version = CatalogueVersion.objects.values_list("number", "changed_at").get()
    for _ in range(2):
        assert sorted(cards._row_values(ids)) == orm
        assert (catalogue_version.current().number, catalogue_version.current().changed_at) == (
            version
        )


def test_the_version_s_bump_is_the_orm_s_update_compiled_once(db):  # type: ignore[no-untyped-def]
    """`catalogue_version.bump` runs the ORM's `UPDATE` (number + 1, changed_at = now),
    compiled once per connection: the same SQL, each bump with its own time; and with no row
    yet, the first bump makes it."""
    from django.db.models import F
    from django.utils import timezone

    from marketplace import catalogue_version
    from marketplace.models import CatalogueVersion

    CatalogueVersion.objects.all().delete()
    catalogue_version.bump()
    assert CatalogueVersion.objects.values_list("number", flat=True).get() == 1

    with CaptureQueriesContext(connection) as orm:
        CatalogueVersion.objects.filter(pk=catalogue_version.ROW_ID).update(
            number=F("number") + 1, changed_at=timezone.now()
        )
    for expected in (3, 4):
        before = timezone.now()
        with CaptureQueriesContext(connection) as compiled:
            catalogue_version.bump()
        version = catalogue_version.current()
        assert version.number == expected
        assert before <= version.changed_at <= timezone.now()
        assert [_no_times(q["sql"]) for q in compiled.captured_queries] == [
            _no_times(orm.captured_queries[0]["sql"])
        ]


def _no_times(sql: str) -> str:
    return re.sub(r"'[^']*'", "'…'", sql)  # the SQL with each time written in it left out
