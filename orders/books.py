"""What each money event of an order posts to the ledger (docs/ledger.md, "What each money event
posts"): one balanced entry, in the transaction of the event, under a key derived from our ids
so that posting again (a retried job, the data migration, a replayed webhook) writes nothing.

Each rule is a pure function from the source rows to a `Posting` (no database write), so that
`ledger_check` re-derives the books from the source records with the same rules and compares.
T = the order's total, F = its solidarity fee, S = T − F, the seller's share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import models

from credit.services import CREDIT_RAIL
from ledger.models import AccountKind, EntryKind, JournalEntry
from ledger.services import LineSpec, account_for, entry_post, entry_reverse
from orders.models import Invoice, Order, RefundStatus

STRIPE = "stripe"
INVOICE = "invoice"
PLATFORM = None


@dataclass(frozen=True)
class Line:
    """One line of a posting: the owner (a cooperative, None: the platform), the account's kind
    and rail, the signed amount and the counterparty (a cooperative or None)."""

    owner: Any
    kind: str
    amount: int
    counterparty: Any = None
    rail: str = ""

    def negated(self) -> Line:
        return replace(self, amount=-self.amount)


@dataclass(frozen=True)
class Posting:
    """The entry an event posts. `reverses`: the posting whose opposite this one is."""

    kind: str
    currency: str
    key: str
    lines: tuple[Line, ...]
    occurred_at: datetime | None = None
    memo: str = ""
    source: models.Model | None = None
    reverses: Posting | None = field(default=None, repr=False)


def _claim(order: Order, amount: int, rail: str = "") -> list[Line]:
    """The seller is owed `amount` more by the buyer (negative: less), and the buyer owes it."""
    return [
        Line(order.seller, AccountKind.RECEIVABLE, amount, order.buyer, rail),
        Line(order.buyer, AccountKind.PAYABLE, -amount, order.seller, rail),
    ]


def _fee(seller: Any, amount: int) -> list[Line]:
    """The seller owes the platform `amount` more of fee (negative: less, it paid)."""
    return [
        Line(seller, AccountKind.FEE_PAYABLE, -amount),
        Line(PLATFORM, AccountKind.FEE_RECEIVABLE, amount, seller),
    ]


def _cash(payer: Any, payee: Any, amount: int, rail: str) -> list[Line]:
    """`amount` leaves the payer's money (None: the platform's balance on the rail) for the
    payee's."""

    def kind(owner: Any) -> str:
        return AccountKind.CASH_IN_TRANSIT if owner is None else AccountKind.BANK

    return [
        Line(payer, kind(payer), -amount, rail=rail),
        Line(payee, kind(payee), amount, rail=rail),
    ]


def _reversal(original: Posting, *, kind: str, key: str, **fields: Any) -> Posting:
    return Posting(
        kind=kind,
        currency=original.currency,
        key=key,
        lines=tuple(line.negated() for line in original.lines),
        reverses=original,
        **fields,
    )


def _undone_by(row: Any, original: Posting, *, kind: str, key_prefix: str) -> Posting:
    """A Stripe movement (a refund, a transfer reversal) that undoes `original` once it
    succeeded: the original reversed, with its memo, keyed by the movement's id."""
    return _reversal(
        original,
        kind=kind,
        key=f"{key_prefix}:{row.pk}",
        occurred_at=row.succeeded_at,
        memo=original.memo,
        source=row,
    )


# -- the rules


def invoice_issued(invoice: Invoice) -> Posting:
    """Invoice issued: the seller is owed the total by the buyer and owes the fee."""
    order = invoice.order
    return Posting(
        kind=EntryKind.INVOICE_ISSUED,
        currency=invoice.currency,
        key=f"invoice:{invoice.order_id}",
        lines=(*_claim(order, invoice.total_amount), *_fee(order.seller, invoice.fee_amount)),
        occurred_at=invoice.issued_at,
        memo=invoice.number,
        source=invoice,
    )


def credit_note(note: Invoice) -> Posting:
    """Credit note: the invoice's entry reversed, claim and fee."""
    invoice = note.credits or note.order.invoices.get(kind="invoice")
    return _reversal(
        invoice_issued(invoice),
        kind=EntryKind.CREDIT_NOTE,
        key=f"credit_note:{note.order_id}",
        occurred_at=note.issued_at,
        memo=note.number,
        source=note,
    )


def _card_paid(order: Order, amount: int) -> tuple[Line, ...]:
    """`amount` of the order paid by card: the buyer's money reaches the platform's Stripe
    balance, its debt to the seller shrinks by as much, and the platform holds it for the seller."""
    return (
        *_cash(order.buyer, PLATFORM, amount, STRIPE),
        *_claim(order, -amount),
        Line(order.seller, AccountKind.RECEIVABLE, amount, rail=STRIPE),
        Line(PLATFORM, AccountKind.PAYABLE, -amount, order.seller, STRIPE),
    )


def card_payment(order: Order, *, occurred_at: datetime | None = None) -> Posting:
    """Card payment succeeded (per order of the checkout): the order's total paid by card."""
    return Posting(
        kind=EntryKind.CARD_PAYMENT_SUCCEEDED,
        currency=order.currency,
        key=f"card_payment:{order.pk}",
        lines=_card_paid(order, order.total_amount),
        occurred_at=occurred_at or order.paid_at,
        memo=f"Order {order.pk}",
        source=order,
    )


def _attempt_key(prefix: str, row: Any, attempt: int) -> str:
    """`refund:7` for a refund row's first attempt, `refund:7:2` for the second."""
    return f"{prefix}:{row.pk}" + (f":{attempt}" if attempt > 1 else "")


def refund(row: Any, attempt: int | None = None) -> Posting:
    """Refund of a card order (a `Refund` that succeeded, Minga's or one made outside it): the
    whole total, its card payment reversed; part of it (a refund made in Stripe's dashboard, or
    Minga's refund of what such a refund left), that much of the card payment undone. `attempt`
    (default: the row's current one): a refund Stripe reported failed is sent again as a new
    attempt, with an entry of its own (the card payment's entry is reversed once at most, so a
    later attempt undoes it by its lines)."""
    order = row.order
    attempt = attempt or row.key_attempt
    if row.amount == order.total_amount and attempt == 1:
        return _undone_by(row, card_payment(order), kind=EntryKind.REFUND, key_prefix="refund")
    return Posting(
        kind=EntryKind.REFUND,
        currency=row.currency,
        key=_attempt_key("refund", row, attempt),
        lines=tuple(line.negated() for line in _card_paid(order, row.amount)),
        occurred_at=row.succeeded_at,
        memo=f"Order {order.pk}" + (f", {row.stripe_id} outside Minga" if row.is_outside else ""),
        source=row,
    )


def refund_failed(row: Any, attempt: int) -> Posting:
    """Stripe reported a refund that succeeded failed later: attempt `attempt`'s refund entry
    reversed (the money is back on the platform's Stripe balance and the buyer is owed the order
    again, as paid)."""
    original = refund(row, attempt)
    return _reversal(
        original,
        kind=EntryKind.REFUND_FAILED,
        key=_attempt_key("refund_failed", row, attempt),
        memo=f"{original.memo}: the refund failed at Stripe",
        source=row,
    )


def refund_paid_outside(row: Any) -> Posting:
    """A refund Stripe could not make, paid to the buyer another way (a bank transfer) and
    recorded by a person: the money moves as a refund's would (that much of the card payment
    undone: the platform's Stripe-held money goes back to the buyer, whose debt to the seller
    comes back as the seller's claim is undone), under its own kind and key, with the payment's
    reference in the memo."""
    order = row.order
    reference = f" ({row.paid_outside_reference})" if row.paid_outside_reference else ""
    return Posting(
        kind=EntryKind.REFUND_PAID_OUTSIDE,
        currency=row.currency,
        key=f"refund_paid_outside:{row.pk}",
        lines=tuple(line.negated() for line in _card_paid(order, row.amount)),
        occurred_at=row.paid_outside_at,
        memo=f"Order {order.pk}: refund paid outside Stripe{reference}"[:300],
        source=row,
    )


def refund_history(row: Any) -> Iterator[Posting]:
    """Every entry a `Refund` row stands for: each earlier attempt's refund and its failure (an
    attempt Stripe refused outright made no refund and posted nothing), and the current
    attempt's refund once it succeeded, or the payment made outside Stripe once a person
    recorded it (`books_check` re-derives them)."""
    for attempt in range(1, row.key_attempt):
        if attempt in row.refused_attempts:
            continue
        yield refund(row, attempt)
        yield refund_failed(row, attempt)
    if row.status == RefundStatus.SUCCEEDED:
        yield refund(row)
    elif row.status == RefundStatus.PAID_OUTSIDE:
        yield refund_paid_outside(row)


def transfer_sent(transfer: Any) -> Posting:
    """Transfer sent: the seller's share leaves the platform's Stripe balance for the seller,
    the platform owes the seller nothing more, and the fee it kept is the fee paid."""
    order = transfer.order
    total, share = order.total_amount, transfer.amount
    return Posting(
        kind=EntryKind.TRANSFER_SENT,
        currency=order.currency,
        key=f"transfer:{transfer.pk}",
        lines=(
            *_cash(PLATFORM, order.seller, share, STRIPE),
            Line(PLATFORM, AccountKind.PAYABLE, total, order.seller, STRIPE),
            Line(order.seller, AccountKind.RECEIVABLE, -total, rail=STRIPE),
            *_fee(order.seller, -(total - share)),
        ),
        occurred_at=transfer.paid_at,
        memo=f"Order {order.pk}",
        source=transfer,
    )


def transfer_reversal(reversal: Any) -> Posting:
    """Transfer reversed: the transfer's entry reversed."""
    return _undone_by(
        reversal,
        transfer_sent(reversal.transfer),
        kind=EntryKind.TRANSFER_REVERSAL,
        key_prefix="reversal",
    )


def payment_recorded(
    order: Order,
    *,
    amount: int,
    key: str,
    rail: str = INVOICE,
    occurred_at: datetime | None = None,
    memo: str = "",
    source: Any = None,
) -> Posting:
    """A payment between the cooperatives (a bank transfer against the invoice): the buyer's
    money reaches the seller and pays that much of its debt."""
    return Posting(
        kind=EntryKind.PAYMENT_RECORDED,
        currency=order.currency,
        key=key,
        lines=(*_cash(order.buyer, order.seller, amount, rail), *_claim(order, -amount)),
        occurred_at=occurred_at,
        memo=memo or f"Order {order.pk}",
        source=source or order,
    )


def marked_paid(order: Order) -> Posting:
    """The seller marked an invoiced order paid: the whole total recorded as paid."""
    return payment_recorded(
        order, amount=order.total_amount, key=f"marked_paid:{order.pk}", occurred_at=order.paid_at
    )


def fee_paid(payment: Any) -> Posting:
    """A treasurer recorded the seller's payment of part of its solidarity fee (a
    `FeePayment`): its money reaches the platform by bank transfer and it owes that much less."""
    seller, amount = payment.seller, payment.amount
    return Posting(
        kind=EntryKind.FEE_PAID,
        currency=payment.currency,
        key=f"fee_payment:{payment.pk}",
        lines=(*_cash(seller, PLATFORM, amount, INVOICE), *_fee(seller, -amount)),
        occurred_at=payment.created_at,
        memo=f"Solidarity fee {payment.reference}".strip(),
        source=payment,
    )


def credit_payment(order: Order, amount: int, *, key: str, **fields: Any) -> Posting:
    """Credits move from the buyer's credit account to the seller's (`amount` > 0) or back (< 0,
    given back on decline or cancel), and the buyer's debt to the seller shrinks or grows by as
    much (docs/credit.md). credit.services checks both limits before it is posted. `fields`:
    occurred_at, memo, source."""
    payer, payee = (order.buyer, order.seller) if amount > 0 else (order.seller, order.buyer)
    moved = abs(amount)
    return Posting(
        kind=EntryKind.CREDIT_TRANSFER,
        currency=order.currency,
        key=key,
        lines=(
            Line(payer, AccountKind.CREDIT, -moved, payee, CREDIT_RAIL),
            Line(payee, AccountKind.CREDIT, moved, payer, CREDIT_RAIL),
            *_claim(order, -amount),
        ),
        **fields,
    )


def set_off(
    *, currency: str, key: str, setoffs: Iterable[tuple[Order, int]], memo: str, source: Any
) -> Posting | None:
    """A clearing run executed: per order of its invoices, with A its set-off, the buyer's debt
    and the seller's claim shrink by A; no money moves. None when nothing is set off."""
    lines = [line for order, amount in setoffs for line in _claim(order, -amount)]
    if not lines:
        return None
    return Posting(
        kind=EntryKind.SET_OFF,
        currency=currency,
        key=key,
        lines=tuple(lines),
        memo=memo,
        source=source,
    )


# -- posting


def post(posting: Posting) -> JournalEntry:
    """Post the entry (inside the caller's transaction); a reversal reverses the entry of its
    original, posted first if it is missing (rows older than the ledger)."""
    if posting.reverses is not None:
        return entry_reverse(
            entry=post(posting.reverses),
            key=posting.key,
            kind=posting.kind,
            memo=posting.memo,
            occurred_at=posting.occurred_at,
            source=posting.source,
        )
    return entry_post(
        kind=posting.kind,
        currency=posting.currency,
        key=posting.key,
        lines=[
            LineSpec(
                account_for(line.owner, posting.currency, line.kind, line.rail),
                line.amount,
                line.counterparty,
            )
            for line in posting.lines
        ],
        occurred_at=posting.occurred_at,
        memo=posting.memo,
        source=posting.source,
    )


def post_all(postings: Iterable[Posting]) -> Iterator[JournalEntry]:
    for posting in postings:
        yield post(posting)
