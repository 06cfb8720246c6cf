"""A cooperative's statement as CSV and PDF: what it hands its accountant."""

import csv
import io
from collections.abc import Sequence
from typing import cast

from django.utils.translation import gettext as _
from fpdf import FPDF

from core.money import Money
from ledger.selectors import StatementRow
from orders.documents import _pdf_text


def statement_table(rows: Sequence[StatementRow]) -> list[dict[str, object]]:
    """One dict per row: the fields every format shows."""
    return [
        {
            "date": row.entry.occurred_at.date().isoformat(),
            "kind": str(row.entry.get_kind_display()),
            "memo": row.entry.memo,
            "currency": row.currency,
            "amount": row.amount,
            "balance": row.balance,
        }
        for row in rows
    ]


def statement_csv(rows: Sequence[StatementRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "kind", "memo", "currency", "amount", "balance"])
    for item in statement_table(rows):
        writer.writerow(
            [
                item["date"],
                item["kind"],
                item["memo"],
                item["currency"],
                str(Money(cast(int, item["amount"]), str(item["currency"])).as_decimal()),
                str(Money(cast(int, item["balance"]), str(item["currency"])).as_decimal()),
            ]
        )
    return out.getvalue()


def statement_pdf(rows: Sequence[StatementRow], *, title: str, locale: str = "en") -> bytes:
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(_pdf_text(title))
    pdf.set_creator("Minga")
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(pdf.epw, 10, _pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        pdf.epw,
        5,
        _pdf_text(_("Positive amounts are owed to the cooperative; negative, owed by it.")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    with pdf.table(
        col_widths=(20, 30, 40, 25, 25),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        line_height=6,
    ) as table:
        header = table.row()
        for heading in (_("Date"), _("Entry"), _("Reference"), _("Amount"), _("Balance")):
            header.cell(_pdf_text(heading))
        for row in rows:
            cells = table.row()
            for value in (
                row.entry.occurred_at.date().isoformat(),
                row.entry.get_kind_display(),
                row.entry.memo,
                Money(row.amount, row.currency).format(locale),
                Money(row.balance, row.currency).format(locale),
            ):
                cells.cell(_pdf_text(value))
    return bytes(pdf.output())


def statement_title(cooperative: object, counterparty: object | None) -> str:
    name = getattr(cooperative, "name", "")
    if counterparty is None:
        return _("Statement of %(cooperative)s") % {"cooperative": name}
    return _("Statement of %(cooperative)s with %(counterparty)s") % {
        "cooperative": name,
        "counterparty": getattr(counterparty, "name", ""),
    }
