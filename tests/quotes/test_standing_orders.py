"""Standing orders: one draft per period, confirmed or skipped; re-runs never draft twice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import TransitionNotAllowed
from marketplace.models import Listing
from orders.models import Order
from orders.services import standing_draft_confirm
from orders.services.checkout import CheckoutConflict
from quotes import services
from quotes.models import StandingOrder, StandingOrderLine
from tests.factories import ListingFactory
from tests.quotes import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def standing(seller_coop, seller_owner, buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, price_amount=50_00, currency="ARS", stock=5)
    agreement = helpers.agreement(
        seller_coop,
        seller_owner,
        listing,
        accept=(buyer_coop, buyer_owner),
        name="Yerba 2027",
        valid_until=date(2027, 12, 31),
        payment_terms_days=30,
        credit_share_bps=2500,
        buyer=buyer_coop,
    )
    order = StandingOrder.objects.create(
        agreement=agreement,
        buyer=buyer_coop,
        schedule="weekly",
        starts_on=timezone.localdate() - timedelta(weeks=7),
    )
    StandingOrderLine.objects.create(standing_order=order, listing=listing, quantity=10)
    return order


def test_eight_weeks_with_one_skip_make_seven_orders(standing, buyer_owner):
    assert services.standing_orders_draft() == 8
    assert services.standing_orders_draft() == 0  # a re-run drafts nothing
    drafts = list(standing.drafts.all())
    assert len(drafts) == 8
    # Stock 5 < 10 wanted: the line is flagged, not dropped.
    assert all(d.has_out_of_stock and d.lines[0]["is_out_of_stock"] for d in drafts)
    listing = standing.lines.get().listing
    Listing.objects.filter(pk=listing.pk).update(stock=100)  # the seller restocked
    services.draft_decide(draft=drafts[3], actor=buyer_owner, action="skip")
    for draft in drafts[:3] + drafts[4:]:
        standing_draft_confirm(draft=draft, actor=buyer_owner)
    assert services.standing_orders_draft() == 0
    orders = Order.objects.filter(buyer=standing.buyer)
    assert orders.count() == 7
    order = orders.first()
    assert order.lines.get().unit_price_amount == 40_00
    assert (order.payment_terms_days, order.credit_share_bps) == (30, 2500)
    with pytest.raises(TransitionNotAllowed):
        standing_draft_confirm(draft=drafts[0], actor=buyer_owner)
    assert Order.objects.count() == 7
    listing.refresh_from_db()
    assert listing.stock == 100 - 7 * 10  # each confirmation took its stock


def test_a_draft_short_of_stock_is_refused_and_stays_to_decide(standing, buyer_owner):
    services.standing_orders_draft()
    draft = standing.drafts.order_by("period_start").first()
    assert draft.has_out_of_stock  # flagged when drafted: 10 wanted, 5 in stock
    with pytest.raises(CheckoutConflict) as refused:
        standing_draft_confirm(draft=draft, actor=buyer_owner)
    assert refused.value.code == "insufficient_stock"
    assert refused.value.lines[0]["listing"] == standing.lines.get().listing_id
    draft.refresh_from_db()
    assert draft.status == "drafted" and not Order.objects.exists()
    assert standing.lines.get().listing.stock == 5
