"""Awarding a request for quotes: the accepted quote versions become orders at the quoted prices
and terms, through the same order creation as checkout (one order per version, `place` events,
the sellers and the buyer told after commit).

Lock order: the request row, its quotes in primary-key order (`quotes.services.rfq_lock_for_award`),
then the checkout row written here. Two concurrent awards wait on the request row: the second sees
it awarded and answers 409 `rfq_already_awarded` (or, for the very same award, the same orders).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import ensure_email_confirmed
from cooperatives.permissions import ensure_active
from core.errors import DomainError
from core.money import Money
from marketplace.models import Listing
from orders import notifications, payments, permissions, selectors
from orders.models import MAX_AMOUNT, Checkout, Order
from orders.payments.rails.invoice import InvoiceRail
from orders.pricing import line_total, order_totals
from orders.rules import listing_unavailable, quantity_problem
from orders.services.checkout import (
    CheckoutConflict,
    check_idempotency_key,
    create_orders,
    lock_listings_by_id,
    replayed_checkout,
    take_stock,
)
from quotes.models import Rfq, StandingOrderDraft, Visibility
from quotes.services import draft_decide as standing_draft_decide
from quotes.services import rfq_lock_for_award, rfq_publish


@dataclass(frozen=True)
class AwardLine:
    """A quote or draft line in the shape an order line is made from. A quote line is free text
    (no listing: no stock to take); a standing draft's line names its listing."""

    title: str
    unit: str
    unit_price_amount: int
    quantity: int
    listing_id: int | None = None


class AwardedOrders(list[Order]):
    """The orders of an award; `is_replay` says an earlier, identical award made them."""

    is_replay = False


@transaction.atomic
def rfq_award(
    *,
    rfq: Rfq,
    actor: Any,
    awards: list[tuple[int, int | None]],
    idempotency_key: str | None = None,
) -> AwardedOrders:
    """Award one quote version (or split across several): one order per version at its quoted
    unit prices, payment terms and credit share, paid by invoice. Idempotent: the same award
    again returns the same orders (`is_replay`). With an `idempotency_key` (the API's header), a
    key the buyer already used for a different request is a 422, as at checkout."""
    ensure_email_confirmed(actor)
    key = check_idempotency_key(idempotency_key) if idempotency_key is not None else ""
    body = sorted([version_id, quantity or 0] for version_id, quantity in awards)
    rfq, chosen, is_replay = rfq_lock_for_award(rfq=rfq, actor=actor, awards=awards)
    if is_replay:
        made = Order.objects.filter(quote_version__in=[v for v, _q in chosen]).order_by("pk")
        replayed = AwardedOrders(made)
        replayed.is_replay = True
        return replayed
    if key:
        replayed_checkout(
            rfq.buyer, key, _fingerprint(body)
        )  # the key, used for another request: 422
    ensure_active(rfq.buyer, "checkout")
    plans = [
        (
            version.quote.seller,
            version.currency,
            [
                AwardLine(
                    title=line.description,
                    unit=line.unit,
                    unit_price_amount=line.unit_price_amount,
                    quantity=quantity if quantity is not None else line.quantity,
                )
                for line in version.lines.all()
            ],
        )
        for version, quantity in chosen
    ]
    orders = place_agreed(
        buyer=rfq.buyer,
        actor=actor,
        key=key or f"rfq-{rfq.pk}-award",
        fingerprint=body,
        plans=plans,
        delivery_address=rfq.delivery_place,
        note=_("Awarded request for quotes: %(title)s") % {"title": rfq.title},
    )
    for order, (version, _quantity) in zip(orders, chosen, strict=True):
        order.quote_version = version
        order.payment_terms_days = version.payment_terms_days
        order.credit_share_bps = version.credit_share_bps
        order.save(update_fields=["quote_version", "payment_terms_days", "credit_share_bps"])
    return AwardedOrders(orders)


def _refuse_short(lines: list[AwardLine], listings: dict[int, Listing], buyer: Any) -> None:
    """A draft's line whose listing is gone or short of stock now refuses the confirmation (409,
    naming the lines, as checkout does): nothing is ordered silently short. Skip the period, or
    wait for the seller's stock."""
    problems: list[dict[str, Any]] = []
    for line in lines:
        if line.listing_id is None:
            continue
        listing = listings.get(line.listing_id)
        problem = listing_unavailable(listing, buyer) or quantity_problem(
            listing,  # type: ignore[arg-type]
            line.quantity,
        )
        if problem is not None:
            problems.append(
                {
                    "id": None,
                    "listing": line.listing_id,
                    "title": line.title,
                    "code": problem.code,
                    "detail": f"“{line.title}”: {problem.detail}",
                }
            )
    if problems:
        detail = " ".join(problem["detail"] for problem in problems)
        raise CheckoutConflict(detail, code=problems[0]["code"], lines=problems)


def _fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()


def place_agreed(
    *,
    buyer: Any,
    actor: Any,
    key: str,
    fingerprint: Any,
    plans: list[tuple[Any, str, list[AwardLine]]],
    delivery_address: str,
    note: str,
    listings: dict[int, Listing] | None = None,
) -> list[Order]:
    """Orders at agreed prices (one per plan: seller, currency, lines), paid by invoice, through
    checkout's own order creation; the sellers and the buyer are told after commit."""
    currencies = {currency for _seller, currency, _lines in plans}
    if len(currencies) != 1:
        raise DomainError(
            _("Award quotes in one currency at a time."), code="award_mixed_currencies"
        )
    currency = currencies.pop()
    fee_bps = settings.SOLIDARITY_FEE_BPS
    totals = [
        order_totals(
            [line_total(Money(x.unit_price_amount, currency), x.quantity) for x in lines],
            currency,
            fee_bps,
        )
        for _seller, _currency, lines in plans
    ]
    total = sum(t.total.amount for t in totals)
    if total > MAX_AMOUNT:
        raise DomainError(_("This award is too large for one payment."), code="conflict")
    status, payment_status = payments.initial_statuses(InvoiceRail.code)
    checkout = Checkout.objects.create(
        buyer=buyer,
        created_by=actor,
        idempotency_key=key,
        request_fingerprint=_fingerprint(fingerprint),
        status=status,
        payment_method=InvoiceRail.code,
        payment_status=payment_status,
        currency=currency,
        total_amount=total,
        fee_amount=sum(t.fee.amount for t in totals),
        delivery_address=delivery_address,
        note=note,
    )
    if listings:
        take_stock([line for _s, _c, lines in plans for line in lines], listings)  # type: ignore[misc]
    orders = create_orders(
        checkout,
        [(seller, lines, t) for (seller, _c, lines), t in zip(plans, totals, strict=True)],  # type: ignore[misc]
        listings or {},
        actor,
    )
    payments.checkout_placed(checkout)
    notifications.notify_orders_placed(orders, tell_seller=True)
    return orders


@transaction.atomic
def standing_draft_confirm(*, draft: StandingOrderDraft, actor: Any) -> list[Order]:
    """The buyer confirms one period's draft: it becomes an order at the drafted (agreed) prices
    and the agreement's payment terms. Lines flagged out of stock are ordered as drafted; the
    seller sees the flag on the draft. Confirming is once: a second call is a 409."""
    draft = standing_draft_decide(draft=draft, actor=actor, action="confirm")
    standing = draft.standing_order
    agreement = standing.agreement
    lines = [
        AwardLine(
            title=line["title"],
            unit=line["unit"],
            unit_price_amount=line["unit_price_amount"],
            quantity=line["quantity"],
            listing_id=line["listing"],
        )
        for line in draft.lines
    ]
    listings = lock_listings_by_id([line.listing_id for line in lines if line.listing_id])
    _refuse_short(lines, listings, standing.buyer)
    orders = place_agreed(
        buyer=standing.buyer,
        actor=actor,
        key=f"standing-{standing.pk}-{draft.period_start.isoformat()}",
        fingerprint=[draft.pk],
        plans=[(agreement.seller, agreement.currency, lines)],
        delivery_address="",
        note=_("Standing order under %(agreement)s") % {"agreement": agreement.name},
        listings=listings,
    )
    for order in orders:
        order.payment_terms_days = agreement.payment_terms_days
        order.credit_share_bps = agreement.credit_share_bps
        order.save(update_fields=["payment_terms_days", "credit_share_bps"])
    return orders


def order_ask_again(
    *, order: Order, actor: Any, delivery_date: date, answers_due_at: datetime, **changes: Any
) -> Rfq:
    """Ask the seller of an order from a quote again: a new request for quotes, privately to that
    seller, pre-filled from the order (`orders.selectors.order_request_again`) with `changes`
    (title, specification, quantity, unit, delivery place) over it; then the usual request,
    quoted and awarded as any other (`quotes.services.rfq_publish` judges it and tells the
    seller after commit). A catalogue order is ordered again instead (409)."""
    if not permissions.is_quote_only(order):  # who may ask: rfq_publish's rule (403)
        raise DomainError(
            _("Order #%(id)s is not from a quote: order it again instead.") % {"id": order.pk},
            code="not_from_a_quote",
        )
    asked = selectors.order_request_again(order)
    return rfq_publish(
        buyer=order.buyer,
        actor=actor,
        visibility=Visibility.PRIVATE,
        invited=[asked.seller],
        delivery_date=delivery_date,
        answers_due_at=answers_due_at,
        **(asked.values() | changes),
    )
