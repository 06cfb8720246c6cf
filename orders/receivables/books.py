"""What receivables post to the ledger, with the rules of `orders.books` (docs/ledger.md), in
the transaction of the event that moved the money."""

from credit.services import credit_transfer
from ledger.models import AccountKind
from ledger.services import LineSpec, account_for
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


def credit_payment_posted(payment: InvoicePayment) -> None:
    """A payment in mutual credit: the buyer's credits go to the seller and the buyer's debt to
    the seller shrinks, in one entry (credit.services checks both limits first)."""
    invoice = payment.invoice
    order = invoice.order
    seller, buyer, currency, amount = order.seller, order.buyer, invoice.currency, payment.amount
    credit_transfer(
        currency=currency,
        payer=buyer,
        payee=seller,
        amount=amount,
        key=f"invoice_payment:{payment.pk}",
        source=payment,
        memo=f"{invoice.number}",
        extra_lines=[
            LineSpec(account_for(buyer, currency, AccountKind.PAYABLE), amount, seller),
            LineSpec(account_for(seller, currency, AccountKind.RECEIVABLE), -amount, buyer),
        ],
    )
