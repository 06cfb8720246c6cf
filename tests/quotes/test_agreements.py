"""Agreement prices: tiers, the best applying agreement, validity to the seller's local midnight,
and the checkout ordering at the agreed price."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import TransitionNotAllowed
from core.money import Money
from orders.models import Order
from orders.services import cart_add_item, checkout_place
from quotes import services
from quotes.models import BuyerGroup
from quotes.pricing import Tier, best_price
from quotes.services.agreements import price_reason
from quotes.state import AgreementStatus
from tests.factories import ListingFactory
from tests.quotes import helpers

tiers = st.lists(
    st.builds(
        Tier,
        min_quantity=st.integers(1, 2000),
        fixed_price_amount=st.one_of(st.none(), st.integers(0, 10**7)),
        discount_bps=st.integers(0, 10_000),
    ),
    max_size=6,
)


# No deadline: the shared machine's load must not fail a pure function's test.
@settings(max_examples=200, deadline=None)
@given(
    public=st.integers(0, 10**7),
    rules=tiers,
    quantities=st.lists(st.integers(1, 5000), min_size=2, max_size=5),
)
def test_unit_price_never_rises_with_quantity_and_totals_add_up(public, rules, quantities):
    rules = [
        Tier(t.min_quantity, t.fixed_price_amount, None if t.fixed_price_amount else t.discount_bps)
        for t in rules
    ]
    previous = None
    for quantity in sorted(quantities):
        priced = best_price(Money(public, "UYU"), quantity, rules)
        assert 0 <= priced.unit_price.amount <= public
        if previous is not None:
            assert priced.unit_price.amount <= previous
        previous = priced.unit_price.amount
        assert priced.unit_price.times(quantity).amount == priced.unit_price.amount * quantity


@pytest.fixture
def agreement(db, seller_coop, seller_owner, buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    seller_coop.time_zone = "America/Argentina/Buenos_Aires"
    seller_coop.save()
    listing = ListingFactory(
        cooperative=seller_coop, price_amount=100_00, currency="ARS", stock=None
    )
    group = BuyerGroup.objects.create(seller=seller_coop, name="FACTA")
    group.members.add(buyer_coop)
    made = helpers.agreement(
        seller_coop,
        seller_owner,
        listing,
        accept=(buyer_coop, buyer_owner),
        valid_until=date(2027, 12, 31),
        buyer_group=group,
        prices=[
            {"listing": listing, "discount_bps": 1000},
            {"listing": listing, "min_quantity": 500, "fixed_price_amount": 80_00},
        ],
    )
    return made, listing


def test_best_tier_applies_and_says_why(agreement, buyer_coop):
    _made, listing = agreement
    now = datetime(2027, 6, 1, 12, tzinfo=ZoneInfo("UTC"))
    small = services.agreement_unit_price(listing=listing, buyer=buyer_coop, quantity=10, now=now)
    large = services.agreement_unit_price(listing=listing, buyer=buyer_coop, quantity=500, now=now)
    assert small[0].unit_price.amount == 90_00
    assert large[0].unit_price.amount == 80_00
    assert price_reason(*large) == "Agreement FACTA 2027, ≥ 500 units"


def test_a_buyer_without_the_agreement_sees_the_public_price(agreement, outsider):
    from tests.factories import CooperativeFactory

    _made, listing = agreement
    other = CooperativeFactory(name="Otra cooperativa")
    priced, found = services.agreement_unit_price(listing=listing, buyer=other, quantity=900)
    assert (priced.unit_price.amount, found) == (100_00, None)


def test_expired_agreement_stops_at_the_sellers_local_midnight(agreement, buyer_coop):
    _made, listing = agreement
    # 23:59 on the last day in Buenos Aires is already 02:59 UTC of the next day.
    last_minute = datetime(2027, 12, 31, 23, 59, tzinfo=ZoneInfo("America/Argentina/Buenos_Aires"))
    after = last_minute + timedelta(minutes=1)

    def price(now: datetime) -> int:
        priced, _agreement = services.agreement_unit_price(
            listing=listing, buyer=buyer_coop, quantity=1, now=now
        )
        return priced.unit_price.amount

    assert price(last_minute) == 90_00
    assert price(after) == 100_00


def test_accepting_twice_and_ending(agreement, buyer_coop, buyer_owner):
    made, _listing = agreement
    with pytest.raises(TransitionNotAllowed):
        services.agreement_accept(agreement=made, buyer=buyer_coop, actor=buyer_owner)
    assert services.agreement_end(agreement=made, actor=buyer_owner).status == AgreementStatus.ENDED


def test_checkout_orders_at_the_agreed_price(agreement, buyer_coop, buyer_owner):
    from accounts.services import ensure_email_confirmed  # noqa: F401

    _made, listing = agreement
    buyer_owner.email_confirmed_at = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    buyer_owner.save()
    cart_add_item(cooperative=buyer_coop, listing_id=listing.pk, quantity=600, actor=buyer_owner)
    checkout_place(
        buyer=buyer_coop, actor=buyer_owner, idempotency_key="k1", payment_method="invoice"
    )
    order = Order.objects.get()
    assert order.lines.get().unit_price_amount == 80_00
    assert order.total_amount == 600 * 80_00


def test_the_cart_shows_the_agreed_price_and_why(agreement, buyer_coop, buyer_owner):
    from tests.conftest import client_for

    _made, listing = agreement
    cart_add_item(cooperative=buyer_coop, listing_id=listing.pk, quantity=500, actor=buyer_owner)
    body = client_for(buyer_owner).get(f"/api/v1/cart/?cooperative={buyer_coop.slug}").json()
    line = body["groups"][0]["lines"][0]
    assert (line["unit_price_amount"], line["agreed_price_amount"]) == (100_00, 80_00)
    assert line["price_reason"] == "Agreement FACTA 2027, ≥ 500 units"
    assert line["line_total_amount"] == 500 * 80_00
