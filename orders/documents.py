"""Invoices and credit notes as a printable HTML page and as a PDF, in the reader's language
(the active translation; amounts and country names in `locale`).

PDFs are drawn with fpdf2 (pure Python, maintained, no system libraries or browser needed) using
its built-in Helvetica in the Windows-1252 encoding, which covers the Latin scripts and the euro
sign of the exchange's languages; a character outside it prints as "?".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import to_locale
from fpdf import FPDF

from cooperatives.payout_validation import display_rows
from cooperatives.selectors import payout_details_of
from core.money import Money
from core.reference import country_name
from core.timezones import format_when
from marketplace.models import unit_name
from orders import labels
from orders.models import Invoice, Order
from orders.payments.rails import rail_for
from orders.selectors import issuer_zone


@dataclass(frozen=True)
class Party:
    name: str
    tax_id: str
    address: str
    city: str
    country: str


@dataclass(frozen=True)
class DocumentLine:
    title: str
    quantity: int
    unit: str
    unit_price: str
    amount: str


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything a printed invoice shows, formatted for one locale."""

    title: str
    number: str
    issued_on: str
    order_id: int
    credits_number: str
    seller: Party
    buyer: Party
    delivery_address: str
    lines: list[DocumentLine]
    total: str
    fee_label: str
    fee: str
    seller_amount: str
    settlement_note: str
    is_paid: bool
    paid_by_card: bool = False
    # Where to pay (invoices settled by transfer): the seller's payout details as (label, value)
    # rows, or `payout_missing` when the seller has not entered them yet.
    payout_rows: tuple[tuple[str, str], ...] = ()
    payout_missing: str = ""


def _party(invoice: Invoice, side: str, locale: str) -> Party:
    def get(field: str) -> str:
        return str(getattr(invoice, f"{side}_{field}"))

    return Party(
        name=get("name"),
        tax_id=get("tax_id"),
        address=get("address"),
        city=get("city"),
        country=country_name(get("country"), locale) if get("country") else "",
    )


def _issued_on(invoice: Invoice, order: Order) -> str:
    """When the invoice was issued, in its issuer's zone and named: the same for everyone who
    opens it, whatever their own zone."""
    with timezone.override(issuer_zone(order)):
        return format_when(invoice.issued_at)


def invoice_document(invoice: Invoice, *, locale: str = "en") -> InvoiceDocument:
    order: Order = invoice.order
    sign = -1 if invoice.is_credit_note else 1

    def money(amount: int) -> str:
        return Money(sign * amount, invoice.currency).format(locale)

    lines = [
        DocumentLine(
            title=line.title,
            quantity=line.quantity,
            unit=unit_name(line.unit),
            unit_price=Money(line.unit_price_amount, invoice.currency).format(locale),
            amount=money(line.line_total_amount),
        )
        for line in order.lines.all()
    ]
    percent = f"{format_decimal(Decimal(invoice.fee_bps) / 100, locale=to_locale(locale))} %"
    paid_by_card = rail_for(order.payment_method).paid_up_front
    credits_number = invoice.credits.number if invoice.credits else ""
    if invoice.is_credit_note:
        settlement_note = _("Cancels invoice %(number)s.") % {"number": credits_number}
    elif paid_by_card:
        settlement_note = _(
            "Paid by card through Minga, which transfers the seller's amount to the seller."
        )
    else:
        settlement_note = _("Settled by bank transfer from the buyer to the seller.")
    if paid_by_card:
        fee_label = _(
            "Solidarity fee (%(percent)s), included, kept by Minga from the card payment"
        ) % {"percent": percent}
    else:
        fee_label = _("Solidarity fee (%(percent)s), included, owed by the seller to Minga") % {
            "percent": percent
        }
    payout_rows: tuple[tuple[str, str], ...] = ()
    payout_missing = ""
    if not paid_by_card and not invoice.is_credit_note:
        # The details as they are now, not as at issue: an invoice says where to pay today.
        details = payout_details_of(order.seller)
        if details is not None:
            payout_rows = tuple(display_rows(details))
        else:
            payout_missing = _(
                "The seller has not entered its bank details on Minga yet: ask it where to pay."
            )
    return InvoiceDocument(
        title=_("Credit note") if invoice.is_credit_note else _("Invoice"),
        number=invoice.number,
        issued_on=_issued_on(invoice, order),
        order_id=order.pk,
        credits_number=credits_number,
        seller=_party(invoice, "seller", locale),
        buyer=_party(invoice, "buyer", locale),
        delivery_address=invoice.delivery_address,
        lines=lines,
        total=money(invoice.total_amount),
        fee_label=fee_label,
        fee=money(invoice.fee_amount),
        seller_amount=money(invoice.seller_amount),
        settlement_note=settlement_note,
        paid_by_card=paid_by_card,
        # the one rule of labels: a refunded order's invoice no longer says "Paid."
        is_paid=not invoice.is_credit_note
        and labels.order_payment_state(order) in labels.PAID_STATES,
        payout_rows=payout_rows,
        payout_missing=payout_missing,
    )


def invoice_html(invoice: Invoice, *, locale: str = "en") -> str:
    return render_to_string(
        "orders/invoice.html", {"doc": invoice_document(invoice, locale=locale)}
    )


def pdf_text(text: Any) -> str:
    """Babel puts (narrow) no-break spaces in amounts; the core font wants Windows-1252."""
    value = str(text).replace("\u202f", " ").replace("\u00a0", " ")
    return value.encode("cp1252", "replace").decode("cp1252")


def new_pdf(title: str, *, author: str = "", heading: int = 18) -> FPDF:
    """An A4 document of Minga's (invoices, statements, set-off statements) with its first page,
    in the core fonts (Windows-1252), opening with `title` in bold at size `heading`."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(pdf_text(title))
    if author:
        pdf.set_author(pdf_text(author))
    pdf.set_creator("Minga")
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font("Helvetica", "B", heading)
    pdf.cell(pdf.epw, 10, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    return pdf


def pdf_table(
    pdf: FPDF,
    rows: Iterable[Sequence[Any]],
    *,
    headings: Sequence[str],
    widths: Sequence[int],
    align: Sequence[str],
) -> None:
    """A table of `rows` under `headings`, its columns `widths` wide, each "LEFT" or "RIGHT"."""
    with pdf.table(col_widths=tuple(widths), text_align=tuple(align), line_height=6) as table:
        for values in (headings, *rows):
            row = table.row()
            for value in values:
                row.cell(pdf_text(value))


def invoice_pdf(invoice: Invoice, *, locale: str = "en") -> bytes:
    doc = invoice_document(invoice, locale=locale)
    pdf = new_pdf(f"{doc.title} {doc.number}", author=doc.seller.name)
    width = pdf.epw
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(
        width,
        6,
        pdf_text(
            _("Issued on %(date)s · Order #%(id)s") % {"date": doc.issued_on, "id": doc.order_id}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if doc.credits_number:
        pdf.cell(
            width,
            6,
            pdf_text(_("Cancels invoice %(number)s") % {"number": doc.credits_number}),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(4)

    top = pdf.get_y()
    half = width / 2
    for index, (heading, party) in enumerate(((_("Seller"), doc.seller), (_("Buyer"), doc.buyer))):
        pdf.set_xy(pdf.l_margin + index * half, top)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(half, 6, pdf_text(heading), new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        details = [party.name]
        if party.tax_id:
            details.append(_("Tax id: %(tax_id)s") % {"tax_id": party.tax_id})
        details += [v for v in (party.address, party.city, party.country) if v]
        for value in details:
            pdf.cell(half, 5, pdf_text(value), new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + 40))
    if doc.delivery_address:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(width, 6, pdf_text(_("Delivery:")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, pdf_text(doc.delivery_address), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("Helvetica", "", 10)
    pdf_table(
        pdf,
        (
            (line.title, line.quantity, line.unit, line.unit_price, line.amount)
            for line in doc.lines
        ),
        headings=(_("Description"), _("Quantity"), _("Unit"), _("Unit price"), _("Amount")),
        widths=(50, 12, 12, 23, 23),
        align=("LEFT", "RIGHT", "LEFT", "RIGHT", "RIGHT"),
    )
    pdf.ln(4)

    for label, value, style in (
        (_("Total"), doc.total, "B"),
        (doc.fee_label, doc.fee, ""),
        (_("Seller receives"), doc.seller_amount, ""),
    ):
        pdf.set_font("Helvetica", style, 10)
        pdf.cell(width * 0.75, 6, pdf_text(label), align="R")
        pdf.cell(width * 0.25, 6, pdf_text(value), align="R", new_x="LMARGIN", new_y="NEXT")
    if doc.payout_rows or doc.payout_missing:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 6, pdf_text(_("How to pay")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for label, value in doc.payout_rows:
            pdf.multi_cell(width, 5, pdf_text(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
        if doc.payout_missing:
            pdf.multi_cell(width, 5, pdf_text(doc.payout_missing), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    note = " ".join(
        part
        for part in (
            doc.settlement_note,
            _("Paid.") if doc.is_paid else "",
            _("Issued through Minga."),
        )
        if part
    )
    pdf.multi_cell(width, 5, pdf_text(note))
    return bytes(pdf.output())
