"""The Stripe calls of settlement: sending a transfer, a refund or a transfer reversal whose row
was committed `pending`, and recording the answer. Never inside a transaction.

Each call carries the idempotency key of its row (`order:{id}:transfer[:{attempt}]`,
`refund:{id}`, `reversal:{id}`), so two workers sending the same row at once, or a retry after a
lost answer, get Stripe's first answer back instead of moving money twice. A transfer Stripe
refused moves on to its next key (Stripe replays a refusal under its key); before a new key, or
past Stripe's 24 hours of keys, it is first looked up in its transfer group.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.money import Money
from orders import books, notifications
from orders.events import EventKind
from orders.models import Order, OrderEvent
from orders.payments import gateway
from orders.payments.errors import PaymentProviderError, PaymentProviderUnavailable
from orders.payments.models import (
    MoneyMovement,
    Refund,
    RefundSource,
    RefundStatus,
    Settlement,
    Transfer,
    TransferReversal,
    TransferStatus,
)
from orders.payments.state import ensure_refund_transition
from orders.payments.values import RefundInfo, TransferInfo, TransferReversalInfo
from orders.state import OrderStatus

logger = logging.getLogger(__name__)

TRANSFER_FLAG_PREFIX = "The card transfer to the seller failed"
# Stripe keeps idempotency keys for at least 24 hours; past this, look before sending again.
KEY_MEMORY = timedelta(hours=23)


def namespace_metadata() -> dict[str, str]:
    """Databases sharing one Stripe account (staging, test mode) tell their objects apart by this
    metadata, as their ids repeat (see STRIPE_IDEMPOTENCY_NAMESPACE)."""
    namespace = settings.STRIPE_IDEMPOTENCY_NAMESPACE
    return {"minga_namespace": namespace} if namespace else {}


def is_ours(metadata: Mapping[str, str]) -> bool:
    """Whether a Stripe object's metadata says this database made it."""
    return metadata.get("minga_namespace", "") == settings.STRIPE_IDEMPOTENCY_NAMESPACE


def transfer_group(checkout_id: int) -> str:
    """Stripe's `transfer_group` of a checkout: its charge and every transfer it funds."""
    return f"checkout_{checkout_id}"


@dataclass
class Work:
    """Stripe calls to make once the transaction that wrote their rows has committed."""

    transfers: list[int] = field(default_factory=list)
    refunds: list[int] = field(default_factory=list)
    reversals: list[int] = field(default_factory=list)
    expire_checkouts: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.transfers or self.refunds or self.reversals or self.expire_checkouts)

    def enqueue(self) -> None:
        """Hand the work to the task queue once the surrounding transaction commits (the
        `orders.tasks.settle` task; in-process when no broker is configured)."""
        from orders import tasks

        work = asdict(self)
        transaction.on_commit(lambda: tasks.settle.delay(**work), robust=True)

    def run(self) -> None:
        """Send each row (the `orders.tasks.settle` task); when Stripe is unreachable, stop,
        leave the rest `pending` and raise, so the task is retried (and the periodic
        retry_transfers sweeps whatever is still left)."""
        from orders.payments.services import checkout_payment_expire

        try:
            for pk in self.transfers:
                transfer_send(transfer_id=pk)
            # The seller's share comes back before the buyer's money goes out, so the refund
            # is funded by it rather than by the platform's own balance.
            for pk in self.reversals:
                settlement_send(TransferReversal, pk)
            for pk in self.refunds:
                settlement_send(Refund, pk)
            for pk in self.expire_checkouts:
                checkout_payment_expire(checkout_id=pk)
        except PaymentProviderUnavailable:
            logger.warning("Stripe unavailable: settlement work left for a retry")
            raise


def flag_order(order: Order, reason: str) -> None:
    """Put the order aside for a person (the system's flag, through the orders service)."""
    from orders.services.orders import order_flag

    order_flag(order=order, reason=reason[:2000], actor=None)


def add_order_event(
    order: Order,
    kind: EventKind,
    note: str,
    *,
    reference: str = "",
    actor: Any = None,
    side: str = "",
    previous: str | None = None,
) -> OrderEvent:
    """A line in the order's timeline: a status change from `previous` to the order's status
    now, or (no `previous`) a line that changes no status; without an actor, written by Minga
    itself."""
    return OrderEvent.objects.create(
        order=order,
        action=kind,
        reference=reference,
        from_status=order.status if previous is None else previous,
        to_status=order.status,
        actor=actor,
        actor_side=side,
        note=note,
    )


# -- transfers to sellers


def _find_sent_transfer(transfer: Transfer) -> TransferInfo | None:
    """A transfer for this order that Stripe already has (its key may be forgotten by now)."""
    found = gateway.list_transfers(
        created_gte=transfer.created_at - timedelta(minutes=5),
        created_lte=timezone.now(),
        transfer_group=transfer_group(transfer.payment.checkout_id),
    )
    for info in found:
        if info.metadata.get("order_id") == str(transfer.order_id) and is_ours(info.metadata):
            return info
    return None


def transfer_send(*, transfer_id: int) -> Transfer:
    """Pay the seller its share of a paid order, from the checkout's charge. Refused by Stripe
    (account restricted...): `failed`, the order flagged, the money stays on the platform, and
    the next attempt gets a new idempotency key (Stripe replays a refusal under its key).

    Never two transfers for one order: one row per order (unique), its lock while it is read, one
    key per attempt that only a definitive refusal moves on (a lost answer or an outage retries
    the same key, so Stripe replays a success it already made), and before a new key is used,
    or past Stripe's memory of keys, a look for a transfer Stripe already has for the order."""
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("payment", "order__seller")
            .get(pk=transfer_id)
        )
        if transfer.status in (TransferStatus.PAID, TransferStatus.CANCELLED):
            return transfer
        if not transfer.destination:
            transfer.destination = transfer.order.seller.stripe_account_id
        transfer.attempts += 1
        transfer.save(update_fields=["destination", "attempts", "updated_at"])
    attempt = transfer.key_attempt
    try:
        info = None
        if attempt > 1 or (
            transfer.attempts > 1 and timezone.now() - transfer.created_at > KEY_MEMORY
        ):
            info = _find_sent_transfer(transfer)
        if info is None:
            if not transfer.destination:
                raise PaymentProviderError(
                    "The seller has no Stripe account.", stripe_code="no_account"
                )
            info = gateway.create_transfer(
                order_id=transfer.order_id,
                amount=transfer.amount,
                currency=transfer.currency,
                destination=transfer.destination,
                transfer_group=transfer_group(transfer.payment.checkout_id),
                source_transaction=transfer.payment.stripe_charge_id or None,
                metadata={
                    "transfer_id": transfer.pk,
                    "checkout_id": transfer.payment.checkout_id,
                    # From the second attempt on (a first attempt in flight keeps its parameters).
                    **({"attempt": attempt} if attempt > 1 else {}),
                    **namespace_metadata(),
                },
                attempt=attempt,
            )
    except PaymentProviderUnavailable as exc:
        Transfer.objects.filter(pk=transfer.pk, status=TransferStatus.PENDING).update(
            failure_message=str(exc.detail), updated_at=timezone.now()
        )
        raise
    except PaymentProviderError as exc:
        return _transfer_refused(transfer, exc, attempt)
    return _transfer_sent(transfer, info)


# A refusal that does not say Stripe made no transfer under the key: the same key with other
# parameters (what the key first carried may have succeeded), or no call made at all.
NOT_DEFINITIVE = frozenset({"idempotency_error", "no_account"})


def _transfer_refused(transfer: Transfer, exc: PaymentProviderError, attempt: int) -> Transfer:
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status not in (TransferStatus.PENDING, TransferStatus.FAILED):
            return transfer
        is_first_failure = transfer.status == TransferStatus.PENDING
        transfer.status = TransferStatus.FAILED
        transfer.failure_message = str(exc.detail)
        # Only the worker whose key was refused moves it on, once (a second worker may bring
        # back the same replayed refusal).
        if exc.stripe_code not in NOT_DEFINITIVE and transfer.key_attempt == attempt:
            transfer.key_attempt = attempt + 1
        transfer.save(update_fields=["status", "failure_message", "key_attempt", "updated_at"])
    if not is_first_failure:  # already flagged; the next retry tries again
        return transfer
    amount = Money(transfer.amount, transfer.currency).format()
    order = Order.objects.get(pk=transfer.order_id)
    flag_order(
        order,
        f"{TRANSFER_FLAG_PREFIX} ({exc.detail}): {amount} stays on the platform until it is "
        "retried (manage.py retry_transfers, or automatically when the seller's account is fixed).",
    )
    return transfer


def _record_done(row: MoneyMovement, **fields: Any) -> None:
    """Inside the row's lock: what Stripe made (its id, status, time), and no error any more."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.failure_message = ""
    row.save(update_fields=[*fields, "failure_message", "updated_at"])


def _transfer_sent(transfer: Transfer, info: TransferInfo) -> Transfer:
    reversal_id = None
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status == TransferStatus.PAID:
            return transfer
        _record_done(
            transfer, stripe_transfer_id=info.id, status=TransferStatus.PAID, paid_at=timezone.now()
        )
        amount = Money(transfer.amount, transfer.currency).format()
        order = Order.objects.get(pk=transfer.order_id)
        add_order_event(
            order, EventKind.TRANSFER_SENT, f"{amount} sent to the seller.", reference=info.id
        )
        books.post(books.transfer_sent(transfer))
        if order.status in (OrderStatus.CANCELLED, OrderStatus.DECLINED):
            # The order closed while this transfer was on its way: take it back.
            reversal, created = TransferReversal.objects.get_or_create(
                transfer=transfer,
                defaults={"amount": transfer.amount, "currency": transfer.currency},
            )
            reversal_id = reversal.pk if created else None
    _clear_transfer_flag(transfer.order_id)
    if reversal_id is not None:
        settlement_send(TransferReversal, reversal_id)
    return transfer


@transaction.atomic
def _clear_transfer_flag(order_id: int) -> None:
    """A flag this module raised for a failed transfer goes once the transfer went through."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.is_flagged and order.flag_reason.startswith(TRANSFER_FLAG_PREFIX):
        order.is_flagged = False
        order.save(update_fields=["is_flagged", "updated_at"])
        add_order_event(
            order, EventKind.UNFLAGGED, "The transfer to the seller went through on a retry."
        )


# -- settlements: refunds to buyers and reversals from sellers, one path


@dataclass(frozen=True)
class SettlementKind:
    """What differs between kinds of settlement: the Stripe call, and the words of the order's
    event (on success) and flag (on a refusal)."""

    call: Callable[[Any], RefundInfo | TransferReversalInfo]
    related: str
    event_kind: EventKind
    done_note: str
    refused_flag: str
    posting: Callable[[Any], books.Posting]


def _create_refund(refund: Refund) -> RefundInfo:
    attempt = refund.key_attempt
    return gateway.create_refund(
        refund_id=refund.pk,
        amount=refund.amount,
        currency=refund.currency,
        payment_intent_id=refund.payment.stripe_payment_intent_id,
        reason="requested_by_customer",
        metadata={
            "order_id": refund.order_id,
            "checkout_id": refund.payment.checkout_id,
            # From the second attempt on (after Stripe reported the first one failed).
            **({"attempt": attempt} if attempt > 1 else {}),
            **namespace_metadata(),
        },
        attempt=attempt,
    )


def _create_reversal(reversal: TransferReversal) -> TransferReversalInfo:
    return gateway.create_transfer_reversal(
        reversal_id=reversal.pk,
        transfer_id=reversal.transfer.stripe_transfer_id,
        amount=reversal.amount,
        currency=reversal.currency,
        metadata={"order_id": reversal.transfer.order_id, **namespace_metadata()},
    )


SETTLEMENT_KINDS: dict[type[Settlement], SettlementKind] = {
    Refund: SettlementKind(
        call=_create_refund,
        related="payment",
        event_kind=EventKind.REFUND_SUCCEEDED,
        done_note="{amount} refunded to the buyer's card.",
        refused_flag="The refund to the buyer failed ({error}): the next retry run sends it "
        "again; do not refund by hand meanwhile, or the buyer is paid twice.",
        posting=books.refund,
    ),
    TransferReversal: SettlementKind(
        call=_create_reversal,
        related="transfer",
        event_kind=EventKind.TRANSFER_REVERSED,
        done_note="{amount} taken back from the seller.",
        refused_flag=(
            "Taking the seller's share back failed ({error}): the platform refunded the buyer; "
            "settle with the seller by hand."
        ),
        posting=books.transfer_reversal,
    ),
}


def _key_attempt(row: Settlement) -> int:
    """The attempt a settlement row is at (a refund Stripe reported failed moves on; a transfer
    reversal has one)."""
    return getattr(row, "key_attempt", 1)


def settlement_send(model: type[Settlement], pk: int) -> Settlement:
    """Send a refund or a transfer reversal whose row was committed, and record Stripe's answer:
    `succeeded` with its id and an order event; refused: `failed` (`_settlement_refused`);
    unreachable: still `pending` (raises `PaymentProviderUnavailable`). An answer for an attempt
    whose fate a webhook recorded meanwhile (Stripe reported it failed) changes nothing.

    The row is `pending` while it is sent (a failed one goes back to `pending`, in its lock,
    before the call), so a person cannot record it paid another way while Stripe may pay it; a
    row already paid another way is never sent."""
    kind = SETTLEMENT_KINDS[model]
    rows = model._default_manager.select_related(kind.related)
    with transaction.atomic():
        row = rows.select_for_update(of=("self",)).get(pk=pk)
        if row.status in (RefundStatus.SUCCEEDED, RefundStatus.PAID_OUTSIDE):
            return row
        was_failed = row.status == RefundStatus.FAILED
        row.status = ensure_refund_transition("send", row.status)
        row.attempts += 1
        row.save(update_fields=["status", "attempts", "updated_at"])
    order_id = row.settled_order_id
    attempt = _key_attempt(row)
    try:
        info = kind.call(row)
    except PaymentProviderUnavailable as exc:
        model._default_manager.filter(pk=pk, status=RefundStatus.PENDING).update(
            failure_message=str(exc.detail), updated_at=timezone.now()
        )
        raise
    except PaymentProviderError as exc:
        return _settlement_refused(model, pk, order_id, exc, attempt, was_failed=was_failed)
    with transaction.atomic():
        row = rows.select_for_update(of=("self",)).get(pk=pk)
        if row.status == RefundStatus.SUCCEEDED or _key_attempt(row) != attempt:
            return row
        # A refund whose answer already says `failed` is recorded made; its webhooks (which
        # Stripe sends for every refund) then apply the failure in the lock order of the package.
        settlement_done(row, info.id, succeeded_at=timezone.now())
    return row


def _settlement_refused(
    model: type[Settlement],
    pk: int,
    order_id: int,
    exc: PaymentProviderError,
    attempt: int,
    *,
    was_failed: bool,
) -> Settlement:
    """Stripe refused a send: the row `failed` with Stripe's words (on every refusal, retries
    included). A refund moves on to its next attempt's key, as Stripe replays a refusal under
    its key for 24 hours: the retry is a new request, not the saved refusal; after
    `MAX_REFUND_SENDS` sends a person pays the buyer another way. The order is flagged on the
    first refusal, and when Minga gives up."""
    kind = SETTLEMENT_KINDS[model]
    with transaction.atomic():
        row = model._default_manager.select_for_update().get(pk=pk)
        if row.status != RefundStatus.PENDING or _key_attempt(row) != attempt:
            return row  # this attempt's fate was recorded meanwhile
        row.status = ensure_refund_transition("refuse", row.status)
        fields = ["status", "failure_message", "updated_at"]
        if isinstance(row, Refund):
            row.failure_message = f"Send {attempt} refused by Stripe: {exc.detail}"
            if exc.stripe_code not in NOT_DEFINITIVE:
                row.refused_attempts = [*row.refused_attempts, attempt]
                row.key_attempt = attempt + 1
                fields += ["refused_attempts", "key_attempt"]
        else:
            row.failure_message = str(exc.detail)
        row.save(update_fields=fields)
    if isinstance(row, Refund) and row.key_attempt > MAX_REFUND_SENDS:
        amount = Money(row.amount, row.currency).format()
        reason = REFUND_GIVEN_UP_FLAG.format(amount=amount, reason=exc.detail, sends=attempt)
        flag_order(Order.objects.get(pk=order_id), reason)
    elif not was_failed:
        flag_order(Order.objects.get(pk=order_id), kind.refused_flag.format(error=exc.detail))
    return row


def settlement_done(
    row: Settlement, stripe_id: str, *, succeeded_at: datetime, tell_buyer: bool = True
) -> None:
    """Inside the row's lock: Stripe made the refund or reversal `stripe_id`; the row
    `succeeded`, its entry posted and a line in the order's timeline (a refund: the buyer told,
    unless `tell_buyer` is False)."""
    kind = SETTLEMENT_KINDS[type(row)]
    _record_done(row, stripe_id=stripe_id, status=RefundStatus.SUCCEEDED, succeeded_at=succeeded_at)
    books.post(kind.posting(row))
    amount = Money(row.amount, row.currency)
    order = Order.objects.get(pk=row.settled_order_id)
    add_order_event(
        order, kind.event_kind, kind.done_note.format(amount=amount.format()), reference=stripe_id
    )
    if isinstance(row, Refund) and tell_buyer:
        notifications.notify_order_refunded(order, amount)


# A refund Stripe reports failed after it succeeded is sent again, but not for ever: a card
# closed for good fails every time. After this many sends in all, a person pays the buyer another
# way; until then a person must not, or the next retry pays the buyer a second time.
MAX_REFUND_SENDS = 3
REFUND_FAILED_FLAG = (
    "The refund of {amount} to the buyer failed at Stripe ({reason}): the next manage.py "
    "retry_transfers run sends it again. Do not pay it by hand meanwhile, or the buyer is paid "
    "twice."
)
REFUND_GIVEN_UP_FLAG = (
    "The refund of {amount} to the buyer failed at Stripe {sends} times ({reason}): Minga does "
    "not send it again. Pay the buyer another way (bank transfer) and write it in the order's "
    "thread."
)
OUTSIDE_REFUND_FAILED_FLAG = (
    "The refund of {amount} to the buyer made outside Minga (Stripe dashboard) failed at Stripe "
    "({reason}): refund again in the Stripe dashboard or pay by hand."
)
# The flags a refund that did not reach the buyer raises, known by their words before the first
# placeholder: recording it paid another way (`services.refunds`) clears them.
REFUND_FLAG_PREFIXES = tuple(
    flag.split("{", 1)[0]
    for flag in (
        SETTLEMENT_KINDS[Refund].refused_flag,
        REFUND_FAILED_FLAG,
        REFUND_GIVEN_UP_FLAG,
        OUTSIDE_REFUND_FAILED_FLAG,
    )
)


def refund_fail(refund: Refund, info: RefundInfo) -> None:
    """Inside the caller's transaction, the order and the row locked: Stripe reports the refund
    of the row's current attempt failed after it succeeded (the buyer's card was closed...). The
    row goes `failed` with Stripe's reason and moves on to its next attempt (a new idempotency
    key for the retry: Minga's rows only; a refund made outside Minga is made again there), the refund's entry is reversed (the money is back on the platform's
    balance, the buyer is owed it again), a line goes in the order's timeline and the order is
    flagged for a person."""
    attempt = refund.key_attempt
    reason = info.failure_reason or "no reason given"
    refund.status = ensure_refund_transition("fail_later", refund.status)
    refund.failure_message = f"Stripe reports refund {info.id} failed after it succeeded: {reason}"
    refund.key_attempt = attempt + 1
    refund.save(update_fields=["status", "failure_message", "key_attempt", "updated_at"])
    books.post(books.refund_failed(refund, attempt))
    amount = Money(refund.amount, refund.currency).format()
    add_order_event(
        refund.order,
        EventKind.REFUND_FAILED,
        f"The refund of {amount} to the buyer's card failed at Stripe ({reason}): the money is "
        "back on the platform's balance.",
        reference=info.id,
    )
    if refund.is_outside:
        flag = OUTSIDE_REFUND_FAILED_FLAG
    elif refund.key_attempt > MAX_REFUND_SENDS:
        flag = REFUND_GIVEN_UP_FLAG
    else:
        flag = REFUND_FAILED_FLAG
    flag_order(refund.order, flag.format(amount=amount, reason=reason, sends=attempt))
    notifications.notify_refund_failed(refund.order, Money(refund.amount, refund.currency))


@dataclass
class RunReport:
    """What a cron run did: `(kind, id, status)` per row sent, and the outage that
    stopped it, if one did (the rows left are for the next run)."""

    sent: list[tuple[str, int, str]] = field(default_factory=list)
    unavailable: PaymentProviderUnavailable | None = None

    def stopped_reason(self) -> str:
        """Why the run stopped ('' when it did not): the network error, for cron's mail."""
        if self.unavailable is None:
            return ""
        return (
            f"Stripe unreachable, the rest is left for the next run: {self.unavailable.describe()}"
        )


def settlement_retry(*, include_failed: bool = True) -> RunReport:
    """Send again every transfer, reversal and refund not done yet (cron), in the order of the
    normal path: a refunded order's share is taken back from the seller before the buyer is
    refunded, so the platform's own balance never funds the refund. Stripe unreachable: stop;
    the report says why and the next run continues."""
    report = RunReport()
    retryable = [TransferStatus.PENDING, *([TransferStatus.FAILED] if include_failed else [])]
    again = [RefundStatus.PENDING, *([RefundStatus.FAILED] if include_failed else [])]
    try:
        for pk in (
            Transfer.objects.filter(status__in=retryable)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            report.sent.append(("transfer", pk, transfer_send(transfer_id=pk).status))
        for model, rows in (
            (
                TransferReversal,
                TransferReversal.objects.filter(transfer__status=TransferStatus.PAID),
            ),
            # A refund made outside Minga that failed is made again there, by a person; one
            # that failed after succeeding MAX_REFUND_SENDS times, in another way.
            (
                Refund,
                Refund.objects.filter(source=RefundSource.MINGA, key_attempt__lte=MAX_REFUND_SENDS),
            ),
        ):
            for pk in rows.filter(status__in=again).order_by("pk").values_list("pk", flat=True):
                report.sent.append(
                    (model._meta.model_name or "", pk, settlement_send(model, pk).status)
                )
    except PaymentProviderUnavailable as exc:
        report.unavailable = exc
    return report
