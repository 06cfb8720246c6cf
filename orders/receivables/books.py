"""What receivables post to the ledger, with the rules of `orders.books` (docs/ledger.md), in
the transaction of the event that moved the money. `orders.books_check` re-derives the books
with the same `*_posting` functions."""

from typing import Any

from credit.services import credit_transfer_check
from ledger.models import AccountKind
from orders import books
from orders.receivables.models import InvoicePayment, OrderCreditPayment
from orders.receivables.state import PaymentRail

# The idempotency key of an invoice's credit payment that only counts a payment made in credit
# before the invoice (orders.receivables.credit.invoice_count_order_credit).
ORDER_CREDIT_KEY = "order_credit:"


def payment_posting(payment: InvoicePayment) -> books.Posting | None:
    """A payment against an invoice (key `invoice_payment:{id}`): in mutual credit, the credits
    moved and the debt shrank (`orders.books.credit_payment`); by any other rail, the buyer's
    money reached the seller (`orders.books.payment_recorded`). None for the payments that post
    nothing themselves: a set-off (its clearing run posts) and the count of an order's earlier
    credit payment (posted under `order_credit:{id}` when it was paid)."""
    invoice = payment.invoice
    key = f"invoice_payment:{payment.pk}"
    if payment.rail == PaymentRail.SET_OFF:
        return None
    if payment.rail == PaymentRail.CREDIT:
        if payment.idempotency_key.startswith(ORDER_CREDIT_KEY):
            return None
        return books.credit_payment(
            invoice.order,
            payment.amount,
            key=key,
            memo=invoice.number,
            source=payment,
            occurred_at=payment.created_at,
        )
    return books.payment_recorded(
        invoice.order,
        amount=payment.amount,
        key=key,
        memo=f"{invoice.number} {payment.reference}".strip(),
        source=payment,
        occurred_at=payment.created_at,
    )


def order_credit_posting(payment: OrderCreditPayment) -> books.Posting:
    """Part of an order paid in credit before its invoice (key `order_credit:{id}`)."""
    order = payment.order
    return books.credit_payment(
        order,
        payment.amount,
        key=f"{ORDER_CREDIT_KEY}{payment.pk}",
        memo=f"#{order.pk}",
        source=payment,
        occurred_at=payment.created_at,
    )


def credit_refund_posting(order: Any, paid: int) -> books.Posting:
    """A declined or cancelled order gives back the `paid` credits (key `credit_refund:{id}`)."""
    return books.credit_payment(
        order, -paid, key=f"credit_refund:{order.pk}", memo=f"#{order.pk}", source=order
    )


def payment_recorded(payment: InvoicePayment) -> None:
    posting = payment_posting(payment)
    if posting is not None:
        books.post(posting)


def marked_paid_without_invoice(order: object) -> None:
    """An order accepted before invoices existed, marked paid: its whole total."""
    books.post(books.marked_paid(order))  # type: ignore[arg-type]


def credit_posted(posting: books.Posting) -> None:
    """Post a movement of credits (a rule of `orders.books.credit_payment`) once
    credit.services has checked both limits on the rule's credit lines: it refuses (409) the
    whole entry when the payer would go below its line or the payee above its upper limit."""
    credits = [line for line in posting.lines if line.kind == AccountKind.CREDIT]
    paying = next(line for line in credits if line.amount < 0)
    paid = next(line for line in credits if line.amount > 0)
    credit_transfer_check(
        currency=posting.currency, payer=paying.owner, payee=paid.owner, amount=paid.amount
    )
    books.post(posting)


def credit_payment_posted(payment: InvoicePayment) -> None:
    """A payment of an invoice in mutual credit (key `invoice_payment:{id}`)."""
    posting = payment_posting(payment)
    assert posting is not None  # a credit payment of its own
    credit_posted(posting)
