"""The tables of the receivables pages (aging, invoices, statement, solidarity fee), as
`frontend.views.common.Table`s drawn by one include: each cell formatted for the reader."""

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.templatetags.minga import amounts, money
from frontend.views.common import Cell, Table, short_date
from ledger.selectors import StatementRow
from orders.models import Invoice
from orders.receivables.fees import FeeRow
from orders.receivables.selectors import AgingRow
from orders.receivables.state import AGING_BUCKETS
from orders.state import Side

AGING_LABELS = {
    "current": gettext_lazy("Not yet due"),
    "1_30": gettext_lazy("1–30 days late"),
    "31_60": gettext_lazy("31–60 days late"),
    "61_90": gettext_lazy("61–90 days late"),
    "90_plus": gettext_lazy("More than 90 days late"),
}


def aging_table(rows: Iterable[AgingRow]) -> Table:
    """What is left to pay per currency, by how late it is."""
    keys = [key for key, _first, _last in AGING_BUCKETS]
    return Table(
        labelled_by="aging-heading",
        headings=[_("Currency"), *(AGING_LABELS[key] for key in keys), _("Total")],
        numbers=len(keys) + 1,
        rows=[
            [
                row.currency,
                *amounts(row.currency, *(row.buckets[key] for key in keys), row.total),
            ]
            for row in rows
        ],
        empty=_("Nothing is left to pay."),
        region=True,
    )


def invoices_table(invoices: Iterable[Invoice], *, role: str) -> Table:
    """The cooperative's invoices as `role`, each with the other side and what is left."""
    return Table(
        labelled_by="invoices-heading",
        headings=[
            _("Invoice"),
            _("With"),
            _("Due"),
            _("Status"),
            _("Due amount"),
            _("Paid"),
            _("Left"),
        ],
        numbers=3,
        rows=[
            [
                Cell(invoice.number, reverse("frontend:invoice-detail", args=[invoice.pk])),
                invoice.order.seller.name if role == Side.BUYER else invoice.order.buyer.name,
                short_date(invoice.due_date),
                invoice.get_status_display(),
                *amounts(
                    invoice.currency, invoice.amount_due, invoice.amount_paid, invoice.amount_left
                ),
            ]
            for invoice in invoices
        ],
        empty=_("No invoices here."),
    )


def statement_table(rows: Sequence[StatementRow]) -> Table:
    """The cooperative's receivables statement, oldest first, with the balance after each entry."""
    return Table(
        labelled_by="",
        headings=[_("Date"), _("Entry"), _("Reference"), _("Amount"), _("Balance")],
        numbers=2,
        rows=[
            [
                short_date(row.entry.occurred_at),
                row.entry.get_kind_display(),
                row.entry.memo,
                *amounts(row.currency, row.amount, row.balance),
            ]
            for row in rows
        ],
        empty=_("No entries yet."),
    )


def fee_table(rows: Iterable[FeeRow]) -> Table:
    """A month of the solidarity fee: what fell due, what was paid, and what is owed after."""
    return Table(
        labelled_by="fee-statement-heading",
        headings=[_("Date"), _("Reference"), _("Fee due"), _("Fee paid"), _("Owed")],
        numbers=3,
        rows=[
            [
                short_date(row.day),
                row.memo,
                money(row.due, row.currency) if row.due else "",
                money(row.paid, row.currency) if row.paid else "",
                money(row.owed, row.currency),
            ]
            for row in rows
        ],
        empty=_("No fee this month."),
        region=True,
    )
