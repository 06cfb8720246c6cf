"""A participant's set-off statement as a PDF, drawn by the invoices' own FPDF helpers
(orders.documents): the legal record that its invoices were compensated in a clearing run."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from clearing.selectors import SetoffStatement
from core.money import Money
from core.timezones import format_when, zone_named
from orders.documents import new_pdf, pdf_table, pdf_text


def setoff_statement_title(statement: SetoffStatement) -> str:
    return _("Set-off statement of %(cooperative)s, clearing run #%(run)s") % {
        "cooperative": statement.cooperative.name,
        "run": statement.run.pk,
    }


def setoff_statement_pdf(statement: SetoffStatement, *, locale: str = "en") -> bytes:
    run, position = statement.run, statement.position

    def money(amount: int) -> str:
        return Money(amount, run.currency).format(locale)

    pdf = new_pdf(setoff_statement_title(statement), heading=14)
    pdf.set_font("Helvetica", "", 10)
    # In the cooperative's zone, named: the statement reads the same for all its members.
    cooperative = position.cooperative
    with timezone.override(zone_named(cooperative.zone_name)):
        executed = format_when(run.executed_at) or "-"
    for text in (
        _(
            "Executed on %(date)s. The invoices below were compensated against each other by "
            "multilateral set-off, without any payment; each amount set off is a payment of "
            "the invoice by compensation."
        )
        % {"date": executed},
        _("Owed to the cooperative: %(before)s before, %(after)s after.")
        % {"before": money(position.owed_before), "after": money(position.owed_after)},
        _("Owed by the cooperative: %(before)s before, %(after)s after.")
        % {"before": money(position.owing_before), "after": money(position.owing_after)},
    ):
        pdf.multi_cell(pdf.epw, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf_table(
        pdf,
        (
            (
                line.invoice.number,
                line.counterparty.name,
                _("Owed to us") if line.is_owed_to_us else _("Owed by us"),
                money(line.amount_before),
                money(line.setoff_amount),
                money(line.amount_after),
            )
            for line in statement.lines
        ),
        headings=(
            _("Invoice"),
            _("Counterparty"),
            _("Side"),
            _("Before"),
            _("Set off"),
            _("After"),
        ),
        widths=(22, 38, 20, 22, 22, 22),
        align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )
    pdf.ln(4)
    pdf.multi_cell(
        pdf.epw,
        5,
        pdf_text(
            _("Total set off: %(owed)s owed to the cooperative, %(owing)s owed by it.")
            % {"owed": money(statement.owed_setoff), "owing": money(statement.owing_setoff)}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(pdf.epw, 5, pdf_text(_("Issued through Minga.")))
    return bytes(pdf.output())


def setoff_statement_response(statement: SetoffStatement, *, locale: str) -> HttpResponse:
    """The PDF as a download, for the API and the page alike (after their permission check)."""
    pdf = setoff_statement_pdf(statement, locale=locale)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"setoff-{statement.run.pk}-{statement.cooperative.slug}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
