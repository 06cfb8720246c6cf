"""What receivables post to the ledger, with the rules of `orders.books` (docs/ledger.md), in
the transaction of the event that moved the money."""

from typing import Any

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


def credit_posted(order: Any, amount: int, *, key: str, source: Any, memo: str) -> None:
    """Credits move from the buyer to the seller (`amount` > 0) or back (< 0, a refund) and the
    buyer's debt to the seller shrinks or grows by as much, in one entry (credit.services checks
    both limits first and refuses the whole entry otherwise)."""
    seller, buyer, currency = order.seller, order.buyer, order.currency
    payer, payee = (buyer, seller) if amount > 0 else (seller, buyer)
    credit_transfer(
        currency=currency,
        payer=payer,
        payee=payee,
        amount=abs(amount),
        key=key,
        source=source,
        memo=memo,
        extra_lines=[
            LineSpec(account_for(buyer, currency, AccountKind.PAYABLE), amount, seller),
            LineSpec(account_for(seller, currency, AccountKind.RECEIVABLE), -amount, buyer),
        ],
    )


def credit_payment_posted(payment: InvoicePayment) -> None:
    """A payment of an invoice in mutual credit (key `invoice_payment:{id}`)."""
    invoice = payment.invoice
    credit_posted(
        invoice.order,
        payment.amount,
        key=f"invoice_payment:{payment.pk}",
        source=payment,
        memo=f"{invoice.number}",
    )
