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
from orders.pricing import line_total, order_totals
from orders.services.checkout import _create_orders
from orders.state import PaymentMethod
from quotes.models import Rfq
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
        return list(
            Order.objects.filter(quote_version__in=[v for v, _q in chosen]).order_by("pk")
        )
    ensure_active(rfq.buyer, "checkout")
    fee_bps = settings.SOLIDARITY_FEE_BPS
    plans = []
    for version, quantity in chosen:
        lines = [
            AwardLine(
                title=line.description,
                unit=line.unit,
                unit_price_amount=line.unit_price_amount,
                quantity=quantity if quantity is not None else line.quantity,
            )
            for line in version.lines.all()
        ]
        totals = order_totals(
            [line_total(Money(x.unit_price_amount, version.currency), x.quantity) for x in lines],
            version.currency,
            fee_bps,
        )
        plans.append((version, lines, totals))
    currencies = {version.currency for version, _q in chosen}
    if len(currencies) != 1:
        raise DomainError(
            _("Award quotes in one currency at a time."), code="award_mixed_currencies"
        )
    total = sum(totals.total.amount for _v, _l, totals in plans)
    if total > MAX_AMOUNT:
        raise DomainError(_("This award is too large for one payment."), code="conflict")
    status, payment_status = payments.initial_statuses(PaymentMethod.INVOICE)
    body = sorted([version.pk, quantity or 0] for version, quantity in chosen)
    checkout = Checkout.objects.create(
        buyer=rfq.buyer,
        created_by=actor,
        idempotency_key=f"rfq-{rfq.pk}-award",
        request_fingerprint=hashlib.sha256(json.dumps(body).encode()).hexdigest(),
        status=status,
        payment_method=PaymentMethod.INVOICE,
        payment_status=payment_status,
        currency=currencies.pop(),
        total_amount=total,
        fee_amount=sum(totals.fee.amount for _v, _l, totals in plans),
        delivery_address=rfq.delivery_place,
        note=_("Awarded request for quotes: %(title)s") % {"title": rfq.title},
    )
    orders = _create_orders(
        checkout,
        [(version.quote.seller, lines, totals) for version, lines, totals in plans],
        {},
        actor,
    )
    for order, (version, _lines, _totals) in zip(orders, plans, strict=True):
        order.quote_version = version
        order.payment_terms_days = version.payment_terms_days
        order.credit_share_bps = version.credit_share_bps
        order.save(update_fields=["quote_version", "payment_terms_days", "credit_share_bps"])
    payments.checkout_placed(checkout)
    notifications.notify_orders_placed(orders, tell_seller=True)
    return orders
