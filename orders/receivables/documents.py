"""A cooperative's statement as CSV and PDF: what it hands its accountant."""

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

from core.money import Money
from ledger.selectors import StatementRow
from orders.documents import new_pdf, pdf_table, pdf_text


def _major(amount: int, currency: str) -> str:
    return str(Money(amount, currency).as_decimal())


def _day(row: StatementRow) -> str:
    """The entry's day in the reader's zone (the active one: the statement page's and its date
    filter's), not UTC's: an entry at 22:30 in Montevideo is that day's, not the next."""
    return timezone.localtime(row.entry.occurred_at).date().isoformat()


def statement_csv(rows: Sequence[StatementRow]) -> str:
    """The statement as CSV, amounts in major units (1500.00)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "kind", "memo", "currency", "amount", "balance"])
    for row in rows:
        writer.writerow(
            [
                _day(row),
                row.entry.kind,
                row.entry.memo,
                row.currency,
                _major(row.amount, row.currency),
                _major(row.balance, row.currency),
            ]
        )
    return out.getvalue()


def statement_pdf(rows: Sequence[StatementRow], *, title: str, locale: str = "en") -> bytes:
    pdf = new_pdf(title, heading=16)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        pdf.epw,
        5,
        pdf_text(_("Positive amounts are owed to the cooperative; negative, owed by it.")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf_table(
        pdf,
        (
            (
                _day(row),
                row.entry.get_kind_display(),
                row.entry.memo,
                Money(row.amount, row.currency).format(locale),
                Money(row.balance, row.currency).format(locale),
            )
            for row in rows
        ),
        headings=(_("Date"), _("Entry"), _("Reference"), _("Amount"), _("Balance")),
        widths=(20, 30, 40, 25, 25),
        align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
    )
    return bytes(pdf.output())


def statement_title(cooperative: object, counterparty: object | None) -> str:
    name = getattr(cooperative, "name", "")
    if counterparty is None:
        return _("Statement of %(cooperative)s") % {"cooperative": name}
    return _("Statement of %(cooperative)s with %(counterparty)s") % {
        "cooperative": name,
        "counterparty": getattr(counterparty, "name", ""),
    }


def proof_response(notice: object) -> "HttpResponseBase":
    """The notice's proof as an attachment, for the API and the page alike (after their
    permission check), like every private file (`core.storage.private_file_response`)."""
    from core.storage import private_file_response

    return private_file_response(
        notice.proof,  # type: ignore[attr-defined]
        content_type=notice.proof_content_type,  # type: ignore[attr-defined]
        download_name=notice.proof_name,  # type: ignore[attr-defined]
    )


def fee_statement_csv(rows: Sequence[Any]) -> str:
    """The seller's fee statement (orders.receivables.fees.FeeRow) as CSV, in major units."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "kind", "memo", "currency", "due", "paid", "owed"])
    for row in rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.kind,
                row.memo,
                row.currency,
                _major(row.due, row.currency),
                _major(row.paid, row.currency),
                _major(row.owed, row.currency),
            ]
        )
    return out.getvalue()
