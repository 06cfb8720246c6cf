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
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import ensure_email_confirmed
from cooperatives.permissions import ensure_active
from core.errors import DomainError
from core.money import Money
from orders import notifications, payments
from orders.models import MAX_AMOUNT, Checkout, Order
from orders.payments.rails.invoice import InvoiceRail
from orders.pricing import line_total, order_totals
from orders.services.checkout import _create_orders
from quotes.models import Rfq, StandingOrderDraft
from quotes.services import draft_decide as standing_draft_decide
from quotes.services import rfq_lock_for_award


@dataclass(frozen=True)
class AwardLine:
    """A quote line in the shape an order line is made from (no listing: no stock to take)."""

    title: str
    unit: str
    unit_price_amount: int
    quantity: int
    listing_id: None = None


@transaction.atomic
def rfq_award(*, rfq: Rfq, actor: Any, awards: list[tuple[int, int | None]]) -> list[Order]:
    """Award one quote version (or split across several): one order per version at its quoted
    unit prices, payment terms and credit share, paid by invoice. Idempotent: the same award
    again returns the same orders."""
    ensure_email_confirmed(actor)
    rfq, chosen, is_replay = rfq_lock_for_award(rfq=rfq, actor=actor, awards=awards)
    if is_replay:
        return list(Order.objects.filter(quote_version__in=[v for v, _q in chosen]).order_by("pk"))
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
    body = sorted([version.pk, quantity or 0] for version, quantity in chosen)
    orders = place_agreed(
        buyer=rfq.buyer,
        actor=actor,
        key=f"rfq-{rfq.pk}-award",
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
    return orders


def place_agreed(
    *,
    buyer: Any,
    actor: Any,
    key: str,
    fingerprint: Any,
    plans: list[tuple[Any, str, list[AwardLine]]],
    delivery_address: str,
    note: str,
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
        request_fingerprint=hashlib.sha256(json.dumps(fingerprint).encode()).hexdigest(),
        status=status,
        payment_method=InvoiceRail.code,
        payment_status=payment_status,
        currency=currency,
        total_amount=total,
        fee_amount=sum(t.fee.amount for t in totals),
        delivery_address=delivery_address,
        note=note,
    )
    orders = _create_orders(
        checkout,
        [(seller, lines, t) for (seller, _c, lines), t in zip(plans, totals, strict=True)],  # type: ignore[misc]
        {},
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
        )
        for line in draft.lines
    ]
    orders = place_agreed(
        buyer=standing.buyer,
        actor=actor,
        key=f"standing-{standing.pk}-{draft.period_start.isoformat()}",
        fingerprint=[draft.pk],
        plans=[(agreement.seller, agreement.currency, lines)],
        delivery_address="",
        note=_("Standing order under %(agreement)s") % {"agreement": agreement.name},
    )
    for order in orders:
        order.payment_terms_days = agreement.payment_terms_days
        order.credit_share_bps = agreement.credit_share_bps
        order.save(update_fields=["payment_terms_days", "credit_share_bps"])
    return orders
