"""Invoice numbers: a gap-free sequence per seller cooperative and year.

The counter row is locked (`select_for_update`) and incremented in the same transaction that
writes the invoice, so a rollback gives the number back and two acceptances never share one.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cooperatives.models import Cooperative
from orders import books
from orders.models import Invoice, InvoiceKind, InvoiceSequence, Order
from orders.receivables.credit import invoice_count_order_credit
from orders.receivables.services import receivable_fields
from orders.selectors import invoice_statement, issuer_zone

# Words that say "cooperative" in the languages of the exchange: they make poor prefixes.
_GENERIC_WORDS = frozenset(
    {"cooperativa", "cooperative", "cooperativo", "coop", "coope", "ltda", "limitada", "ltd"}
)
MAX_PREFIX_LENGTH = 16


def invoice_prefix(cooperative: Cooperative) -> str:
    """`Cooperativa Textil La Huella` → `TEXTILLAHUELLA`: the slug's words without the generic
    ones, upper-case letters and digits only."""
    words = [w for w in slugify(cooperative.slug or cooperative.name).split("-") if w]
    kept = [w for w in words if w not in _GENERIC_WORDS] or words
    prefix = re.sub(r"[^A-Z0-9]", "", "".join(kept).upper())[:MAX_PREFIX_LENGTH]
    return prefix or f"COOP{cooperative.pk}"


def next_invoice_number(seller: Cooperative, year: int) -> tuple[int, str]:
    """Take the next number of the seller's sequence for the year (inside the caller's
    transaction)."""
    InvoiceSequence.objects.bulk_create(
        [InvoiceSequence(cooperative=seller, year=year, prefix=invoice_prefix(seller))],
        ignore_conflicts=True,
    )
    sequence = InvoiceSequence.objects.select_for_update().get(cooperative=seller, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, f"{sequence.prefix}-{year}-{sequence.last_number:06d}"


def invoice_issue(*, order: Order, kind: str) -> Invoice:
    """Issue the order's invoice or credit note (the caller holds the order's lock)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Invoices are issued inside the transaction that changes the order")
    now = timezone.now()
    # Dated in the issuer's zone, whoever accepts the order and wherever the server runs.
    issued_on = timezone.localdate(now, issuer_zone(order))
    year = issued_on.year
    sequence, number = next_invoice_number(order.seller, year)
    credits = None
    if kind == InvoiceKind.CREDIT_NOTE:
        credits = order.invoices.filter(kind=InvoiceKind.INVOICE).first()
    invoice = Invoice.objects.create(
        order=order,
        kind=kind,
        seller=order.seller,
        year=year,
        sequence=sequence,
        number=number,
        credits=credits,
        issued_at=now,
        **invoice_statement(order),
        **receivable_fields(order, kind, issued_on),
    )
    # The books follow the document, in its transaction: a credit note reverses the invoice.
    if kind == InvoiceKind.CREDIT_NOTE:
        books.post(books.credit_note(invoice))
    else:
        books.post(books.invoice_issued(invoice))
        invoice_count_order_credit(invoice)
    return invoice
