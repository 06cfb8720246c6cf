"""The checkout's statements compiled once per connection (core.statements) give what the
ORM's querysets give, for each request's own values, and are compiled only the first time."""

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cooperatives.models import Membership
from cooperatives.selectors import cooperative_get_for_member
from core import statements
from marketplace.models import Listing
from orders import agreed
from orders.api.views.common import member_cooperative
from orders.events import EventKind
from orders.models import OrderEvent
from orders.services.checkout import LOCKED_COLUMNS, lock_listings_by_id, take_stock
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import place_order

pytestmark = pytest.mark.django_db


def as_read(instance: Any) -> dict[str, Any]:
    """What an instance holds: its loaded fields and annotations (not Django's bookkeeping)."""
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def orm_lock(ids: list[int], actor: Any, buyer: Any) -> dict[int, Listing]:
    """The listings' lock as the ORM built it before it was compiled once."""
    listings = agreed.with_agreement_flag(
        Listing.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .only(*LOCKED_COLUMNS)
        .filter(pk__in=ids)
        .order_by("pk"),
        buyer,
    )
    roles = Membership.objects.filter(user=actor, cooperative=OuterRef("cooperative_id"))
    listings = listings.annotate(actor_role=Subquery(roles.values("role")[:1]))
    return {listing.pk: listing for listing in listings}


def test_the_compiled_lock_gives_the_orm_s_listings_for_each_call(
    buyer_coop, buyer_owner, compilations
):
    seller, other = CooperativeFactory(), CooperativeFactory(name="Otra")
    MembershipFactory(cooperative=seller, user=buyer_owner, role="admin")
    first = [ListingFactory(cooperative=seller, stock=3), ListingFactory(cooperative=other)]
    second = [ListingFactory(cooperative=other, stock=None), ListingFactory(cooperative=seller)]

    with transaction.atomic():
        locked = [lock_listings_by_id([listing.pk for listing in first], buyer_owner, buyer_coop)]
        compiled = len(compilations)
        locked += [
            lock_listings_by_id([listing.pk for listing in listings], buyer_owner, buyer_coop)
            for listings in (second, first)
        ]
        compiled_again = len(compilations) - compiled
        expected = [
            orm_lock([listing.pk for listing in listings], buyer_owner, buyer_coop)
            for listings in (first, second, first)
        ]

    assert compiled_again == 0  # compiled once: the other calls ran it with their own values
    for got, wanted in zip(locked, expected, strict=True):
        assert list(got) == list(wanted)
        for pk, listing in got.items():
            assert as_read(listing) == as_read(wanted[pk])
            assert listing.get_deferred_fields() == wanted[pk].get_deferred_fields()
            assert as_read(listing.cooperative) == as_read(wanted[pk].cooperative)
    assert [listing.actor_role for listing in locked[1].values()] == [None, "admin"]


def test_the_compiled_lock_takes_no_statement_for_no_listings(buyer_coop, buyer_owner):
    assert lock_listings_by_id([], buyer_owner, buyer_coop) == {}


@pytest.mark.postgres
def test_the_compiled_lock_locks_only_the_listings(buyer_coop, buyer_owner):
    listing = ListingFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock_listings_by_id([listing.pk], buyer_owner, buyer_coop)
    assert queries.captured_queries[-1]["sql"].endswith('FOR UPDATE OF "marketplace_listing"')


def test_the_stock_taken_is_each_listing_s_own(buyer_coop, buyer_owner):
    listings = [ListingFactory(stock=stock) for stock in (5, 7, 9)]
    for taken in ([2, 0, 1], [1, 3, 0]):
        lines = [
            type("Line", (), {"listing_id": listing.pk, "quantity": quantity})()
            for listing, quantity in zip(listings, taken, strict=True)
            if quantity
        ]
        with transaction.atomic():
            locked = lock_listings_by_id([line.listing_id for line in lines])
            take_stock(lines, locked)  # type: ignore[arg-type]

    assert [Listing.objects.get(pk=listing.pk).stock for listing in listings] == [2, 4, 8]


def test_the_buyer_s_row_is_the_selector_s(buyer_coop, buyer_owner, outsider, compilations):
    other = CooperativeFactory()
    MembershipFactory(cooperative=other, user=buyer_owner, role="member")

    found = [member_cooperative(buyer_owner, buyer_coop.slug)]
    compiled = len(compilations)
    found.append(member_cooperative(buyer_owner, other.slug))

    assert len(compilations) == compiled  # compiled once, run with the second slug
    for cooperative in found:
        assert as_read(cooperative) == as_read(
            cooperative_get_for_member(user=buyer_owner, slug=cooperative.slug)
        )
    assert [coop.viewer_role for coop in found] == ["owner", "member"]
    with pytest.raises(Http404):
        member_cooperative(outsider, buyer_coop.slug)
    with pytest.raises(Http404):
        member_cooperative(buyer_owner, "no-such-cooperative")


@pytest.mark.parametrize("rows", [1, 3])
def test_compiled_inserts_store_and_return_what_bulk_create_does(
    buyer_coop, buyer_owner, seller_coop, rows
):
    """Twice (the second run reuses the compiled INSERT), the rows `statements.create` stores
    are those `bulk_create` stores from the same values, and the objects come back saved."""
    order = place_order(buyer_owner, buyer_coop, ListingFactory(cooperative=seller_coop))

    def events(note: str) -> list[OrderEvent]:
        return [
            OrderEvent(
                order_id=order["id"],
                action=EventKind.MARKED_PAID,
                from_status="placed",
                to_status="placed",
                actor=buyer_owner if index % 2 else None,
                note=f"{note} {index}",
            )
            for index in range(rows)
        ]

    for run in ("first", "second"):
        created = statements.create(events(run))
        expected = OrderEvent.objects.bulk_create(events(run))
        assert all(not event._state.adding and event._state.db for event in created)
        stored = OrderEvent.objects.in_bulk([event.pk for event in created + expected])
        for mine, django_s in zip(created, expected, strict=True):
            assert mine.pk != django_s.pk
            assert as_read(stored[mine.pk]) | {"id": 0, "created_at": 0} == as_read(
                stored[django_s.pk]
            ) | {"id": 0, "created_at": 0}
            assert stored[mine.pk].created_at == mine.created_at
