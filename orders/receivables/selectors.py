"""Reads of receivables: invoices of a cooperative as seller or buyer, aging, statements."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cooperatives.models import Cooperative
from cooperatives.permissions import is_member, is_moderator
from ledger import selectors as ledger_selectors
from orders.models import Invoice, InvoiceKind, Order
from orders.permissions import can_view_order
from orders.receivables.models import PaymentNotice
from orders.receivables.state import AGING_BUCKETS, UNPAID
from orders.state import Side


def _ensure_reader(user: Any, cooperative: Cooperative) -> None:
    if not (is_member(user, cooperative) or is_moderator(user)):
        raise Http404("No cooperative with this slug.")


def invoice_list(
    *, user: Any, cooperative: Cooperative, role: str = "", status: str = "", currency: str = ""
) -> QuerySet[Invoice]:
    """A cooperative's invoices (not credit notes) as seller (receivables), as buyer (payables),
    or both; oldest due first. For its members and moderators."""
    _ensure_reader(user, cooperative)
    invoices = Invoice.objects.filter(kind=InvoiceKind.INVOICE)
    if role == Side.SELLER:
        invoices = invoices.filter(seller=cooperative)
    elif role == Side.BUYER:
        invoices = invoices.filter(order__buyer=cooperative)
    else:
        invoices = invoices.filter(Q(seller=cooperative) | Q(order__buyer=cooperative))
    if status:
        invoices = invoices.filter(status=status)
    if currency:
        invoices = invoices.filter(currency=currency.upper())
    return invoices.select_related("order__buyer", "order__seller").order_by("due_date", "id")


def invoice_get_visible(*, user: Any, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(pk=invoice_id, kind=InvoiceKind.INVOICE)
        .select_related("order__buyer", "order__seller")
        .first()
    )
    if invoice is None or not can_view_order(user, invoice.order):
        raise Http404("No invoice with this id.")
    return invoice


def invoice_of(order: Order) -> Invoice | None:
    """The order's invoice (not its credit note), or None before the seller accepts."""
    return order.invoices.filter(kind=InvoiceKind.INVOICE).first()


def notice_get_visible(*, user: Any, notice_id: int) -> PaymentNotice:
    notice = (
        PaymentNotice.objects.filter(pk=notice_id)
        .select_related("invoice__order__buyer", "invoice__order__seller")
        .first()
    )
    if notice is None or not can_view_order(user, notice.invoice.order):
        raise Http404("No payment notice with this id.")
    return notice


def notices_for(invoice: Invoice) -> QuerySet[PaymentNotice]:
    return invoice.payment_notices.order_by("-sent_at", "-id")


@dataclass
class AgingRow:
    currency: str
    buckets: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.buckets.values())


def bucket_of(due_date: date | None, today: date) -> str:
    late = (today - due_date).days if due_date else 0
    for key, first, last in AGING_BUCKETS:
        if (first is None or late >= first) and (last is None or late <= last):
            return key
    return AGING_BUCKETS[-1][0]


def aging(
    *, user: Any, cooperative: Cooperative, role: str, today: date | None = None
) -> list[AgingRow]:
    """What is left to pay on unpaid invoices, per currency, by how late it is: as seller what
    buyers owe the cooperative, as buyer what it owes."""
    today = today or timezone.localdate()
    invoices = invoice_list(user=user, cooperative=cooperative, role=role).filter(status__in=UNPAID)
    rows: dict[str, AgingRow] = {}
    for invoice in invoices:
        row = rows.setdefault(
            invoice.currency,
            AgingRow(invoice.currency, {key: 0 for key, _first, _last in AGING_BUCKETS}),
        )
        row.buckets[bucket_of(invoice.due_date, today)] += invoice.amount_left
    return [rows[currency] for currency in sorted(rows)]


def statement(
    *,
    user: Any,
    cooperative: Cooperative,
    counterparty: Cooperative | None = None,
    currency: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[ledger_selectors.StatementRow]:
    """The cooperative's statement from the ledger: each entry on its claims (+ it is owed,
    − it owes), with the running balance per currency."""
    _ensure_reader(user, cooperative)
    return ledger_selectors.entries_for(
        cooperative,
        counterparty=counterparty,
        currency=currency.upper() or None,
        date_from=date_from,
        date_to=date_to,
    )
