"""The pricing hook of the cart and checkout: a line costs the best price of an agreement in
force between its seller and the buyer (`quotes`), else the public price the cart remembers."""

from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef

from cooperatives.models import Cooperative
from marketplace.models import Listing
from quotes.services.agreements import (
    agreement_prices,
    agreement_unit_price,
    agreements_active_for,
    price_reason,
)


class AgreedTerms(NamedTuple):
    """What an agreement sets on the order it priced (the invoice's due date follows them)."""

    payment_terms_days: int
    credit_share_bps: int


def agreed_price(listing: Listing, buyer: Cooperative, quantity: int) -> tuple[int, str, Any]:
    """(unit price in minor units, why in words, the agreement or None) for this quantity."""
    priced, agreement = agreement_unit_price(listing=listing, buyer=buyer, quantity=quantity)
    return priced.unit_price.amount, price_reason(priced, agreement), agreement


def apply_agreements(
    lines: list[Any], listings: dict[int, Listing], buyer: Cooperative
) -> dict[int, AgreedTerms]:
    """Give each cart line being ordered its agreed unit price (in memory: the lines are about
    to become order lines). A price only ever goes down from the remembered public one. Returns,
    per seller whose lines an agreement priced, that agreement's payment terms for the order
    (the agreement that priced the most of it, when two did). The same number of queries for
    one line or a hundred."""
    priced_lines = [
        line
        for line in lines
        if line.listing_id in listings
        and getattr(listings[line.listing_id], "may_have_agreement", True)
    ]
    if not priced_lines:
        return {}  # no agreement with these sellers (`with_agreement_flag`): no query
    prices = agreement_prices(
        buyer=buyer, lines=[(listings[line.listing_id], line.quantity) for line in priced_lines]
    )
    weight: dict[int, dict[Any, int]] = {}
    for line, (priced, agreement) in zip(priced_lines, prices, strict=True):
        if agreement is not None and priced.unit_price.amount < line.unit_price_amount:
            line.unit_price_amount = priced.unit_price.amount
            by_agreement = weight.setdefault(line.seller_id, {})
            by_agreement[agreement] = by_agreement.get(agreement, 0) + (
                priced.unit_price.amount * line.quantity
            )
    terms = {}
    for seller_id, by_agreement in weight.items():
        agreement = max(by_agreement, key=lambda a: (by_agreement[a], -a.pk))
        terms[seller_id] = AgreedTerms(agreement.payment_terms_days, agreement.credit_share_bps)
    return terms


def with_agreement_flag(listings: Any, buyer: Cooperative) -> Any:
    """The listings' query, each listing annotated `may_have_agreement`: whether an active
    agreement between its seller and the buyer exists, so that `apply_agreements` skips the
    agreements' own query for the many buyers who have none (in the same statement)."""
    return listings.annotate(
        may_have_agreement=Exists(
            agreements_active_for(buyer).filter(seller_id=OuterRef("cooperative_id"))
        )
    )


def price_views(views: list[Any], buyer: Cooperative) -> None:
    """Set the agreed price and its reason on the cart's line views whose listing can be ordered
    at its remembered price (a changed price is confirmed first, at the public price)."""
    priceable = [
        view
        for view in views
        if view.line.listing is not None and not view.is_unavailable and not view.is_price_changed
    ]
    if not priceable:
        return
    prices = agreement_prices(
        buyer=buyer, lines=[(view.line.listing, view.line.quantity) for view in priceable]
    )
    for view, (priced, agreement) in zip(priceable, prices, strict=True):
        if agreement is not None and priced.unit_price.amount < view.line.unit_price_amount:
            view.agreed_price_amount = priced.unit_price.amount
            view.price_reason = price_reason(priced, agreement)
