"""What receivables post to the ledger, in the transaction of the event that moved the money."""

from orders.receivables.models import InvoicePayment


def payment_recorded(payment: InvoicePayment) -> None:
    """A payment against an invoice: the seller's receivable from the buyer shrinks and its cash
    in transit on the rail grows (posted once the ledger app is merged; see docs/receivables.md)."""
