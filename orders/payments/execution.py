"""The Stripe calls of settlement: sending a transfer, a refund or a transfer reversal whose row
was committed `pending`, and recording the answer. Never inside a transaction.

Each call carries the idempotency key of its row (`order:{id}:transfer`, `refund:{id}`,
`reversal:{id}`), so two workers sending the same row at once, or a retry after a lost answer,
get Stripe's first answer back instead of moving money twice. Stripe forgets keys after 24 hours:
a transfer retried later is first looked up in its transfer group.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.money import Money
from orders import notifications
from orders.events import EventKind
from orders.models import Order, OrderEvent
from orders.payments import gateway
from orders.payments.errors import PaymentProviderError, PaymentProviderUnavailable
from orders.payments.models import (
    Refund,
    RefundStatus,
    Transfer,
    TransferReversal,
    TransferStatus,
)
from orders.payments.values import TransferInfo
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

    def run(self) -> None:
        """Send each row; when Stripe is unreachable, stop and leave the rest `pending` for
        `manage.py retry_transfers`."""
        from orders.payments.services import checkout_payment_expire

        try:
            for pk in self.transfers:
                transfer_send(transfer_id=pk)
            # The seller's share comes back before the buyer's money goes out, so the refund
            # is funded by it rather than by the platform's own balance.
            for pk in self.reversals:
                reversal_send(reversal_id=pk)
            for pk in self.refunds:
                refund_send(refund_id=pk)
            for pk in self.expire_checkouts:
                checkout_payment_expire(checkout_id=pk)
        except PaymentProviderUnavailable:
            logger.warning("Stripe unavailable: settlement work left for retry_transfers")


def flag_order(order: Order, reason: str) -> None:
    """Put the order aside for a person (the system's flag, through the orders service)."""
    from orders.services.orders import order_flag

    order_flag(order=order, reason=reason[:2000], actor=None)


def add_order_event(order: Order, kind: EventKind, note: str, *, reference: str = "") -> None:
    """A line in the order's timeline written by Minga itself (no actor, no status change)."""
    OrderEvent.objects.create(
        order=order,
        action=kind,
        reference=reference,
        from_status=order.status,
        to_status=order.status,
        actor=None,
        actor_side="",
        note=note,
    )


def _event(order_id: int, kind: EventKind, note: str, *, reference: str = "") -> None:
    add_order_event(Order.objects.get(pk=order_id), kind, note, reference=reference)


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
    (account restricted...): `failed`, the order flagged, the money stays on the platform."""
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update()
            .select_related("payment", "order__seller")
            .get(pk=transfer_id)
        )
        if transfer.status in (TransferStatus.PAID, TransferStatus.CANCELLED):
            return transfer
        if not transfer.destination:
            transfer.destination = transfer.order.seller.stripe_account_id
        transfer.attempts += 1
        transfer.save(update_fields=["destination", "attempts", "updated_at"])
    try:
        info = None
        if transfer.attempts > 1 and timezone.now() - transfer.created_at > KEY_MEMORY:
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
                    **namespace_metadata(),
                },
            )
    except PaymentProviderUnavailable as exc:
        Transfer.objects.filter(pk=transfer.pk, status=TransferStatus.PENDING).update(
            failure_message=str(exc.detail), updated_at=timezone.now()
        )
        raise
    except PaymentProviderError as exc:
        return _transfer_refused(transfer, exc)
    return _transfer_sent(transfer, info)


def _transfer_refused(transfer: Transfer, exc: PaymentProviderError) -> Transfer:
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status not in (TransferStatus.PENDING, TransferStatus.FAILED):
            return transfer
        is_first_failure = transfer.status == TransferStatus.PENDING
        transfer.status = TransferStatus.FAILED
        transfer.failure_message = str(exc.detail)
        transfer.save(update_fields=["status", "failure_message", "updated_at"])
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


def _transfer_sent(transfer: Transfer, info: TransferInfo) -> Transfer:
    reversal_id = None
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status == TransferStatus.PAID:
            return transfer
        transfer.stripe_transfer_id = info.id
        transfer.status = TransferStatus.PAID
        transfer.paid_at = timezone.now()
        transfer.failure_message = ""
        transfer.save(
            update_fields=[
                "stripe_transfer_id",
                "status",
                "paid_at",
                "failure_message",
                "updated_at",
            ]
        )
        amount = Money(transfer.amount, transfer.currency).format()
        _event(
            transfer.order_id,
            EventKind.TRANSFER_SENT,
            f"{amount} sent to the seller.",
            reference=info.id,
        )
        status = Order.objects.filter(pk=transfer.order_id).values_list("status", flat=True).get()
        if status in (OrderStatus.CANCELLED, OrderStatus.DECLINED):
            # The order closed while this transfer was on its way: take it back.
            reversal, created = TransferReversal.objects.get_or_create(
                transfer=transfer,
                defaults={"amount": transfer.amount, "currency": transfer.currency},
            )
            reversal_id = reversal.pk if created else None
    _clear_transfer_flag(transfer.order_id)
    if reversal_id is not None:
        reversal_send(reversal_id=reversal_id)
    return transfer


@transaction.atomic
def _clear_transfer_flag(order_id: int) -> None:
    """A flag this module raised for a failed transfer goes once the transfer went through."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.is_flagged and order.flag_reason.startswith(TRANSFER_FLAG_PREFIX):
        order.is_flagged = False
        order.save(update_fields=["is_flagged", "updated_at"])
        OrderEvent.objects.create(
            order=order,
            action="unflag",
            from_status=order.status,
            to_status=order.status,
            actor=None,
            actor_side="",
            note="The transfer to the seller went through on a retry.",
        )


# -- refunds to buyers and reversals from sellers


def refund_send(*, refund_id: int) -> Refund:
    """Give a cancelled paid order's total back to the buyer's card."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
        if refund.status == RefundStatus.SUCCEEDED:
            return refund
        refund.attempts += 1
        refund.save(update_fields=["attempts", "updated_at"])
    try:
        info = gateway.create_refund(
            refund_id=refund.pk,
            amount=refund.amount,
            payment_intent_id=refund.payment.stripe_payment_intent_id,
            reason="requested_by_customer",
            metadata={
                "order_id": refund.order_id,
                "checkout_id": refund.payment.checkout_id,
                **namespace_metadata(),
            },
        )
    except PaymentProviderUnavailable as exc:
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            failure_message=str(exc.detail), updated_at=timezone.now()
        )
        raise
    except PaymentProviderError as exc:
        first = Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, failure_message=str(exc.detail), updated_at=timezone.now()
        )
        if first:
            flag_order(
                Order.objects.get(pk=refund.order_id),
                f"The refund to the buyer failed ({exc.detail}): refund by hand or retry.",
            )
        return Refund.objects.get(pk=refund.pk)
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == RefundStatus.SUCCEEDED:
            return refund
        refund.status = RefundStatus.SUCCEEDED
        refund.stripe_refund_id = info.id
        refund.succeeded_at = timezone.now()
        refund.failure_message = ""
        refund.save(
            update_fields=[
                "status",
                "stripe_refund_id",
                "succeeded_at",
                "failure_message",
                "updated_at",
            ]
        )
        amount = Money(refund.amount, refund.currency)
        _event(
            refund.order_id,
            EventKind.REFUND_SUCCEEDED,
            f"{amount.format()} refunded to the buyer's card.",
            reference=info.id,
        )
        notifications.notify_order_refunded(Order.objects.get(pk=refund.order_id), amount)
    return refund


def reversal_send(*, reversal_id: int) -> TransferReversal:
    """Take a refunded order's share back from the seller's account."""
    with transaction.atomic():
        reversal = (
            TransferReversal.objects.select_for_update()
            .select_related("transfer")
            .get(pk=reversal_id)
        )
        if reversal.status == RefundStatus.SUCCEEDED:
            return reversal
        reversal.attempts += 1
        reversal.save(update_fields=["attempts", "updated_at"])
    order_id = reversal.transfer.order_id
    try:
        info = gateway.create_transfer_reversal(
            reversal_id=reversal.pk,
            transfer_id=reversal.transfer.stripe_transfer_id,
            amount=reversal.amount,
            metadata={"order_id": order_id, **namespace_metadata()},
        )
    except PaymentProviderUnavailable as exc:
        TransferReversal.objects.filter(pk=reversal.pk, status=RefundStatus.PENDING).update(
            failure_message=str(exc.detail), updated_at=timezone.now()
        )
        raise
    except PaymentProviderError as exc:
        first = TransferReversal.objects.filter(pk=reversal.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, failure_message=str(exc.detail), updated_at=timezone.now()
        )
        if first:
            flag_order(
                Order.objects.get(pk=order_id),
                f"Taking the seller's share back failed ({exc.detail}): the platform refunded "
                "the buyer; settle with the seller by hand.",
            )
        return TransferReversal.objects.get(pk=reversal.pk)
    with transaction.atomic():
        reversal = TransferReversal.objects.select_for_update().get(pk=reversal.pk)
        if reversal.status == RefundStatus.SUCCEEDED:
            return reversal
        reversal.status = RefundStatus.SUCCEEDED
        reversal.stripe_reversal_id = info.id
        reversal.succeeded_at = timezone.now()
        reversal.failure_message = ""
        reversal.save(
            update_fields=[
                "status",
                "stripe_reversal_id",
                "succeeded_at",
                "failure_message",
                "updated_at",
            ]
        )
        amount = Money(reversal.amount, reversal.currency).format()
        _event(
            order_id,
            EventKind.TRANSFER_REVERSED,
            f"{amount} taken back from the seller.",
            reference=info.id,
        )
    return reversal


def settlement_retry(*, include_failed: bool = True) -> dict[str, list[tuple[int, str]]]:
    """Send again every transfer, refund and reversal not done yet (cron). Stripe unreachable:
    stop, the next run continues."""
    results: dict[str, list[tuple[int, str]]] = {"transfers": [], "refunds": [], "reversals": []}
    retryable = [TransferStatus.PENDING, *([TransferStatus.FAILED] if include_failed else [])]
    again = [RefundStatus.PENDING, *([RefundStatus.FAILED] if include_failed else [])]
    try:
        for pk in (
            Transfer.objects.filter(status__in=retryable)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            results["transfers"].append((pk, transfer_send(transfer_id=pk).status))
        for pk in (
            Refund.objects.filter(status__in=again).order_by("pk").values_list("pk", flat=True)
        ):
            results["refunds"].append((pk, refund_send(refund_id=pk).status))
        for pk in (
            TransferReversal.objects.filter(status__in=again, transfer__status=TransferStatus.PAID)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            results["reversals"].append((pk, reversal_send(reversal_id=pk).status))
    except PaymentProviderUnavailable:
        results.setdefault("stopped", []).append((0, "Stripe unavailable: next run"))
    return results
