"""What receivables post to the ledger, with the rules of `orders.books` (docs/ledger.md), in
the transaction of the event that moved the money."""

from orders import books
from orders.receivables.models import InvoicePayment


def payment_posting(payment: InvoicePayment) -> books.Posting:
    """A payment against an invoice: the buyer's money reached the seller and pays that much of
    its debt (`orders.books.payment_recorded`, keyed by the payment row)."""
    invoice = payment.invoice
    return books.payment_recorded(
        invoice.order,
        amount=payment.amount,
        key=f"invoice_payment:{payment.pk}",
        memo=f"{invoice.number} {payment.reference}".strip(),
        source=payment,
        occurred_at=payment.created_at,
    )


def payment_recorded(payment: InvoicePayment) -> None:
    books.post(payment_posting(payment))


def marked_paid_without_invoice(order: object) -> None:
    """An order accepted before invoices existed, marked paid: its whole total."""
    books.post(books.marked_paid(order))  # type: ignore[arg-type]
