"""Reconciliation: Minga's payments, transfers and refunds beside Stripe's, for a date range.

Every difference is reported; nothing changes unless `repair=True`, and then only one thing: a
PaymentIntent that succeeded at Stripe while Minga still waits for it (a webhook never delivered)
is applied through the same code as the webhook (`payment_apply_intent`), transfers included.
Everything else needs a person, or `retry_transfers`, which the report names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from orders.payments import gateway
from orders.payments.errors import PaymentProviderError
from orders.payments.execution import is_ours
from orders.payments.models import (
    Payment,
    Refund,
    RefundStatus,
    Transfer,
    TransferReversal,
    TransferStatus,
)
from orders.payments.services import (
    PAID_STATUSES,
    EventNotReady,
    checkout_for_intent,
    payment_apply_intent,
)
from orders.payments.values import (
    PaymentIntentInfo,
    RefundInfo,
    StripeRefundStatus,
    TransferInfo,
)


@dataclass(frozen=True)
class Difference:
    kind: str  # payment_intent, transfer, refund, reversal
    stripe_id: str
    detail: str
    is_repaired: bool = False

    def __str__(self) -> str:
        repaired = " [repaired]" if self.is_repaired else ""
        return f"{self.kind} {self.stripe_id or '-'}: {self.detail}{repaired}"


@dataclass
class Report:
    since: datetime
    until: datetime
    differences: list[Difference] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, stripe_id: str, detail: str, *, is_repaired: bool = False) -> None:
        self.differences.append(Difference(kind, stripe_id, detail, is_repaired))


def reconcile(*, since: datetime, until: datetime, repair: bool = False) -> Report:
    """Compare, for objects created between `since` and `until` (inclusive, aware datetimes)."""
    report = Report(since, until)
    _payment_intents(report, repair)
    transfers = _transfers(report)
    _reversals(report, transfers)
    _refunds(report)
    return report


# -- PaymentIntents


def _payment_intents(report: Report, repair: bool) -> None:
    intents = {
        intent.id: intent
        for intent in gateway.list_payment_intents(
            created_gte=report.since, created_lte=report.until
        )
    }
    local = list(
        Payment.objects.filter(created_at__range=(report.since, report.until)).select_related(
            "checkout"
        )
    )
    by_intent = {p.stripe_payment_intent_id: p for p in local if p.stripe_payment_intent_id}
    known = Payment.objects.filter(stripe_payment_intent_id__in=list(intents)).select_related(
        "checkout"
    )
    by_intent.update({p.stripe_payment_intent_id: p for p in known})
    report.checked["payment_intents"] = len(intents)

    for intent in intents.values():
        try:
            checkout_id = checkout_for_intent(intent)
        except EventNotReady:
            report.add(
                "payment_intent",
                intent.id,
                f"names checkout {intent.metadata.get('checkout_id')}, which does not exist here",
            )
            continue
        if checkout_id is None:
            continue  # not a payment of this exchange (another app or database on the account)
        payment = (
            by_intent.get(intent.id)
            or Payment.objects.select_related("checkout").filter(checkout_id=checkout_id).first()
        )
        if payment is None:
            report.add("payment_intent", intent.id, f"checkout {checkout_id} is not paid by card")
            continue
        _compare_intent(report, intent, payment, repair)

    for payment in local:
        if not payment.stripe_payment_intent_id:
            if payment.checkout.payment_status not in PAID_STATUSES:
                report.add(
                    "payment_intent",
                    "",
                    f"checkout {payment.checkout_id} has no PaymentIntent yet "
                    f"({payment.checkout.get_status_display()})",
                )
            continue
        if payment.stripe_payment_intent_id in intents:
            continue
        try:
            intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
        except PaymentProviderError:
            report.add(
                "payment_intent",
                payment.stripe_payment_intent_id,
                f"checkout {payment.checkout_id}'s PaymentIntent is not at Stripe",
            )
            continue
        _compare_intent(report, intent, payment, repair)


def _compare_intent(
    report: Report, intent: PaymentIntentInfo, payment: Payment, repair: bool
) -> None:
    checkout = payment.checkout
    where = f"checkout {checkout.pk}"
    if (intent.amount, intent.currency) != (payment.amount, payment.currency):
        report.add(
            "payment_intent",
            intent.id,
            f"{where}: Stripe has {intent.amount} {intent.currency}, "
            f"Minga {payment.amount} {payment.currency}",
        )
        return
    if payment.stripe_payment_intent_id and payment.stripe_payment_intent_id != intent.id:
        report.add(
            "payment_intent", intent.id, f"{where} is paid by {payment.stripe_payment_intent_id}"
        )
        return
    is_paid_here = checkout.payment_status in PAID_STATUSES
    if intent.is_succeeded and not is_paid_here:
        detail = f"{where}: succeeded at Stripe, {checkout.payment_status} here (missed webhook)"
        if repair:
            with transaction.atomic():
                outcome, work = payment_apply_intent(intent=intent)
                work.enqueue()
            report.add("payment_intent", intent.id, f"{detail}; {outcome}", is_repaired=True)
        else:
            report.add("payment_intent", intent.id, detail + "; --repair applies it")
    elif is_paid_here and not intent.is_succeeded:
        report.add(
            "payment_intent",
            intent.id,
            f"{where}: {checkout.payment_status} here, {intent.status} at Stripe",
        )
    elif not payment.stripe_payment_intent_id:
        report.add("payment_intent", intent.id, f"{where} never stored its PaymentIntent")


# -- transfers and their reversals


def _transfers(report: Report) -> dict[str, TransferInfo]:
    remote = {
        info.id: info
        for info in gateway.list_transfers(created_gte=report.since, created_lte=report.until)
    }
    report.checked["transfers"] = len(remote)
    local = list(
        Transfer.objects.filter(created_at__range=(report.since, report.until)).order_by("pk")
    )
    by_order = {t.order_id: t for t in local}
    by_id = {t.stripe_transfer_id: t for t in local if t.stripe_transfer_id}
    for t in Transfer.objects.filter(stripe_transfer_id__in=list(remote)):
        by_id[t.stripe_transfer_id] = t
        by_order[t.order_id] = t

    for info in remote.values():
        raw = info.metadata.get("order_id", "")
        if info.id not in by_id and not is_ours(info.metadata):
            continue  # another database's (or app's) transfer on the same account
        if not raw.isdigit():
            report.add("transfer", info.id, f"to {info.destination} was not made by Minga")
            continue
        transfer = by_id.get(info.id) or by_order.get(int(raw))
        if transfer is None:
            transfer = Transfer.objects.filter(order_id=int(raw)).first()
        if transfer is None:
            report.add("transfer", info.id, f"for order {raw} has no transfer row here")
        elif transfer.stripe_transfer_id != info.id:
            report.add(
                "transfer",
                info.id,
                f"for order {raw} is {transfer.status} here: sent, but the answer was lost "
                "(manage.py retry_transfers records it)",
            )
        elif (info.amount, info.currency, info.destination) != (
            transfer.amount,
            transfer.currency,
            transfer.destination,
        ):
            report.add(
                "transfer",
                info.id,
                f"order {raw}: Stripe sent {info.amount} {info.currency} to {info.destination}, "
                f"Minga recorded {transfer.amount} {transfer.currency} to {transfer.destination}",
            )

    for transfer in local:
        if transfer.status in (TransferStatus.PENDING, TransferStatus.FAILED):
            report.add(
                "transfer",
                "",
                f"order {transfer.order_id}: {transfer.status}, the seller is not paid yet"
                + (f" ({transfer.failure_message})" if transfer.failure_message else "")
                + " (manage.py retry_transfers)",
            )
        elif transfer.status == TransferStatus.PAID and transfer.stripe_transfer_id not in remote:
            try:
                remote[transfer.stripe_transfer_id] = gateway.retrieve_transfer(
                    transfer.stripe_transfer_id
                )
            except PaymentProviderError:
                report.add(
                    "transfer",
                    transfer.stripe_transfer_id,
                    f"order {transfer.order_id}: paid here, not at Stripe",
                )
    return remote


def _reversals(report: Report, remote: dict[str, TransferInfo]) -> None:
    """What Stripe says was reversed on each transfer against the reversals Minga made."""
    transfers = Transfer.objects.filter(stripe_transfer_id__in=list(remote)).prefetch_related(
        "reversal"
    )
    for transfer in transfers:
        info = remote[transfer.stripe_transfer_id]
        reversal: TransferReversal | None = getattr(transfer, "reversal", None)
        ours = reversal.amount if reversal and reversal.status == RefundStatus.SUCCEEDED else 0
        if info.amount_reversed != ours:
            report.add(
                "reversal",
                info.id,
                f"order {transfer.order_id}: {info.amount_reversed} reversed at Stripe, "
                f"{ours} here",
            )
        elif reversal is not None and reversal.status != RefundStatus.SUCCEEDED:
            report.add(
                "reversal",
                info.id,
                f"order {transfer.order_id}: reversal {reversal.status} here "
                "(manage.py retry_transfers)",
            )


# -- refunds

STRIPE_REFUND_ON_ITS_WAY = (StripeRefundStatus.SUCCEEDED, StripeRefundStatus.PENDING)


def _refunds(report: Report) -> None:
    remote = {
        info.id: info
        for info in gateway.list_refunds(created_gte=report.since, created_lte=report.until)
    }
    report.checked["refunds"] = len(remote)
    ours_by_intent = set(
        Payment.objects.exclude(stripe_payment_intent_id="")
        .filter(
            stripe_payment_intent_id__in=[
                i.payment_intent for i in remote.values() if i.payment_intent
            ]
        )
        .values_list("stripe_payment_intent_id", flat=True)
    )
    local = list(Refund.objects.filter(created_at__range=(report.since, report.until)))
    # A Stripe refund is one row (Minga's) or one row per order it covers (made outside Minga).
    by_id: dict[str, list[Refund]] = {}
    for r in {*local, *Refund.objects.filter(stripe_id__in=list(remote))}:
        if r.stripe_id:
            by_id.setdefault(r.stripe_id, []).append(r)

    for info in remote.values():
        raw = info.metadata.get("refund_id", "")
        rows = by_id.get(info.id, [])
        if not rows and raw.isdigit() and is_ours(info.metadata):
            refund = Refund.objects.filter(pk=int(raw)).first()
            if refund is not None and info.is_failed and info.attempt < refund.key_attempt:
                continue  # an earlier attempt, recorded failed; the row was sent again since
            if refund is not None and refund.stripe_id != info.id:
                report.add(
                    "refund",
                    info.id,
                    f"order {refund.order_id}: refund {refund.status} here, made at Stripe "
                    "(the answer was lost: manage.py retry_transfers records it)",
                )
                continue
            rows = [refund] if refund is not None else []
        if not rows:
            if info.payment_intent in ours_by_intent:
                report.add(
                    "refund",
                    info.id,
                    f"{info.amount} {info.currency} refunded on {info.payment_intent} outside "
                    "Minga, not recorded here",
                )
            continue
        orders = ", ".join(str(r.order_id) for r in rows)
        here = sum(r.amount for r in rows)
        # A refund a person paid to the buyer another way is settled, whatever Stripe says.
        is_paid_outside = all(r.status == RefundStatus.PAID_OUTSIDE for r in rows)
        if (info.amount, info.currency) != (here, rows[0].currency):
            report.add("refund", info.id, f"order {orders}: {info.amount} at Stripe, {here} here")
        elif info.status not in STRIPE_REFUND_ON_ITS_WAY and not is_paid_outside:
            report.add("refund", info.id, f"order {orders}: {info.status} at Stripe")

    for refund in local:
        if refund.status not in (RefundStatus.SUCCEEDED, RefundStatus.PAID_OUTSIDE):
            report.add(
                "refund",
                "",
                f"order {refund.order_id}: {refund.status} here, the buyer is not refunded yet "
                "(manage.py retry_transfers)",
            )
    for stripe_id, rows in by_id.items():
        if stripe_id in remote or not any(r in local for r in rows):
            continue
        here = sum(r.amount for r in rows if r.status == RefundStatus.SUCCEEDED)
        orders = ", ".join(str(r.order_id) for r in rows)
        try:
            found: RefundInfo = gateway.retrieve_refund(stripe_id)
        except PaymentProviderError:
            report.add("refund", stripe_id, f"order {orders}: succeeded here, not at Stripe")
            continue
        if found.amount != here:
            report.add("refund", found.id, f"order {orders}: {found.amount} at Stripe, {here} here")
