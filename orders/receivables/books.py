"""What receivables post to the ledger (docs/ledger.md, "What each money event posts"), in the
transaction of the event that moved the money."""

from credit.services import credit_transfer
from ledger.models import AccountKind, EntryKind
from ledger.services import LineSpec, account_for, entry_post
from orders.receivables.models import InvoicePayment

INVOICE_RAIL = "invoice"


def payment_recorded(payment: InvoicePayment) -> None:
    """A payment against an invoice: the buyer's money left its bank for the seller's, and the
    buyer's debt to the seller (the seller's receivable from it) shrinks by the amount."""
    invoice = payment.invoice
    order = invoice.order
    seller, buyer, currency, amount = order.seller, order.buyer, invoice.currency, payment.amount
    entry_post(
        kind=EntryKind.PAYMENT_RECORDED,
        currency=currency,
        key=f"invoice_payment:{payment.pk}",
        source=payment,
        memo=f"{invoice.number} {payment.reference}".strip(),
        lines=[
            LineSpec(account_for(buyer, currency, AccountKind.BANK, INVOICE_RAIL), -amount),
            LineSpec(account_for(seller, currency, AccountKind.BANK, INVOICE_RAIL), amount),
            LineSpec(account_for(buyer, currency, AccountKind.PAYABLE), amount, seller),
            LineSpec(account_for(seller, currency, AccountKind.RECEIVABLE), -amount, buyer),
        ],
    )


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
