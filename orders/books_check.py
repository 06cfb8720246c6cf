"""`ledger_check`: the books re-derived from the source records (invoices, card payments,
transfers, refunds, reversals, payments marked, payments in credit and their refunds, and the
clearing runs that `clearing.apps` adds) with the rules of `orders.books`, put beside the
books as posted, and the books checked on their own (every entry balanced, every currency summing
to zero). Every difference is one line of the report."""

from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db.models import Q

from ledger import selectors
from ledger.selectors import BalanceKey
from orders import books
from orders.models import Invoice, InvoiceKind, Order
from orders.payments.models import Refund, RefundStatus, Transfer, TransferReversal, TransferStatus
from orders.payments.rails import rail_for
from orders.receivables import books as receivable_books
from orders.receivables.models import InvoicePayment
from orders.receivables.state import PaymentRail
from orders.state import OrderStatus


def _invoices() -> Iterator[books.Posting]:
    documents = Invoice.objects.select_related("order__buyer", "order__seller", "credits")
    for document in documents.order_by("pk"):
        if document.kind == InvoiceKind.CREDIT_NOTE:
            yield books.credit_note(document)
        else:
            yield books.invoice_issued(document)


def _payments() -> Iterator[books.Posting]:
    """Card payments; invoice payments recorded against an invoice (orders.receivables); and an
    invoiced order marked paid with no payment row (before receivables) as one whole payment."""
    paid = Order.objects.filter(paid_at__isnull=False).select_related("buyer", "seller")
    recorded = set(InvoicePayment.objects.values_list("invoice__order_id", flat=True))
    for order in paid.order_by("pk"):
        rail = rail_for(order.payment_method)
        if not rail.seller_marks_paid or order.pk not in recorded:
            yield rail.paid_posting(order)
    payments = InvoicePayment.objects.select_related(
        "invoice__order__buyer", "invoice__order__seller"
    )
    for payment in payments.order_by("pk"):
        posting = receivable_books.payment_posting(payment)
        if posting is not None:
            yield posting


def _credit() -> Iterator[books.Posting]:
    """Orders paid in part in credit before their invoice (checkout, or later), and the credits
    given back when such an order, or one whose invoice was paid in credit, is declined or
    cancelled (orders.receivables.credit)."""
    from orders.receivables.credit import with_credit_paid
    from orders.receivables.models import OrderCreditPayment

    payments = OrderCreditPayment.objects.select_related("order__buyer", "order__seller")
    for payment in payments.order_by("pk"):
        yield receivable_books.order_credit_posting(payment)
    credited = set(OrderCreditPayment.objects.values_list("order_id", flat=True)) | set(
        InvoicePayment.objects.filter(rail=PaymentRail.CREDIT).values_list(
            "invoice__order_id", flat=True
        )
    )
    # What each closed order had paid in credit, read with the orders in one query.
    closed = with_credit_paid(
        Order.objects.filter(
            pk__in=credited, status__in=(OrderStatus.DECLINED, OrderStatus.CANCELLED)
        ).select_related("buyer", "seller")
    )
    for order in closed.order_by("pk"):
        paid = order.credit_paid  # type: ignore[attr-defined]
        if paid:
            yield receivable_books.credit_refund_posting(order, paid)


def _settlements() -> Iterator[books.Posting]:
    related = ("order__buyer", "order__seller")
    for transfer in Transfer.objects.filter(status=TransferStatus.PAID).select_related(*related):
        yield books.transfer_sent(transfer)
    refunds = Refund.objects.filter(
        Q(status__in=(RefundStatus.SUCCEEDED, RefundStatus.PAID_OUTSIDE)) | Q(key_attempt__gt=1)
    )
    for refund in refunds.select_related(*related):
        yield from books.refund_history(refund)
    reversals = TransferReversal.objects.filter(status=RefundStatus.SUCCEEDED).select_related(
        *(f"transfer__{name}" for name in related)
    )
    for reversal in reversals:
        yield books.transfer_reversal(reversal)


def _fees() -> Iterator[books.Posting]:
    """The solidarity fee paid by the sellers, recorded by a treasurer (orders.receivables.fees)."""
    from orders.receivables.fees import fee_posting
    from orders.receivables.models import FeePayment

    for payment in FeePayment.objects.select_related("seller").order_by("pk"):
        yield fee_posting(payment)


# Every kind of source record, in the order its entries depend on each other. A new money event
# (a rail's payments, the fee settled) adds its generator here.
SOURCES: list[Callable[[], Iterator[books.Posting]]] = [
    _invoices,
    _payments,
    _settlements,
    _fees,
    _credit,
]


def add_source(source: Callable[[], Iterator[books.Posting]]) -> None:
    """A higher layer's records (clearing runs, clearing.apps) join the check, once."""
    if source not in SOURCES:
        SOURCES.append(source)


def postings_from_records() -> Iterator[books.Posting]:
    for source in SOURCES:
        yield from source()


def _key(line: books.Line, currency: str) -> BalanceKey:
    return (
        getattr(line.owner, "pk", None),
        currency,
        str(line.kind),
        line.rail,
        getattr(line.counterparty, "pk", None),
    )


def books_check() -> list[str]:
    """Every difference between the books and the records, and within the books; [] when none."""
    problems = [
        f"entry {pk} ({key}) does not balance: its lines sum to {total}"
        if total
        else f"entry {pk} ({key}) has lines in another currency"
        for pk, key, total in selectors.unbalanced_entries()
    ]
    problems += [
        f"{currency}: the balances sum to {total}, not 0"
        for currency, total in sorted(selectors.totals_by_currency().items())
        if total
    ]
    expected: dict[BalanceKey, int] = defaultdict(int)
    keys = set()
    for posting in postings_from_records():
        keys.add(posting.key)
        for line in posting.lines:
            expected[_key(line, posting.currency)] += line.amount
    posted_keys = selectors.entry_keys()
    problems += [f"no entry for {key}" for key in sorted(keys - posted_keys)]
    problems += [f"entry {key} comes from no record" for key in sorted(posted_keys - keys)]
    actual = selectors.line_totals()
    for balance in sorted(set(expected) | set(actual), key=str):
        if expected.get(balance, 0) != actual.get(balance, 0):
            owner, currency, kind, rail, counterparty = balance
            problems.append(
                f"{'cooperative ' + str(owner) if owner else 'platform'} {kind}"
                f"{'/' + rail if rail else ''} {currency}"
                f"{' with cooperative ' + str(counterparty) if counterparty else ''}: "
                f"the books say {actual.get(balance, 0)}, the records {expected.get(balance, 0)}"
            )
    return problems
