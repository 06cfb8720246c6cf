"""A card checkout's payment: its PaymentIntent, and what Stripe says about it (succeeded,
failed, refunded, disputed) does to the checkout and its orders."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import Money
from orders import books, notifications
from orders.events import EventKind
from orders.labels import payment_expires_at
from orders.models import Checkout, Order
from orders.payments import gateway, stripe_currencies
from orders.payments.errors import (
    PaymentProviderError,
    PaymentProviderUnavailable,
)
from orders.payments.execution import (
    MAX_REFUND_SENDS,
    Work,
    add_order_event,
    flag_order,
    is_ours,
    namespace_metadata,
    refund_fail,
    settlement_done,
    transfer_group,
)
from orders.payments.models import (
    Payment,
    Refund,
    RefundSource,
    RefundStatus,
    Transfer,
)
from orders.payments.values import PaymentIntentInfo, RefundInfo
from orders.state import (
    OPEN_STATUSES,
    CheckoutStatus,
    PaymentStatus,
    ensure_payment_transition,
    status_label,
)

logger = logging.getLogger(__name__)

PAID_STATUSES = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED})


# -- checkout: the Payment row inside the checkout transaction, the PaymentIntent after it


def checkout_payment_record(*, checkout: Checkout) -> Payment:
    """Inside the checkout transaction: the row the PaymentIntent will be stored on (no network).
    An amount Stripe cannot take exactly in the currency (the charge, or an order's refund or
    transfer) is refused here (409 `amount_not_representable`), so the checkout is not written."""
    amounts = [checkout.total_amount]
    if stripe_currencies.smallest_step(checkout.currency) > 1:
        # Each order is refunded (its total) or paid out (its seller's share) on its own.
        for total, share in checkout.orders.values_list("total_amount", "seller_amount"):
            amounts += [total, *([share] if share else [])]
    for amount in amounts:
        gateway.check_amount(amount, checkout.currency)
    return Payment.objects.create(
        checkout=checkout, amount=checkout.total_amount, currency=checkout.currency
    )


def _intent_metadata(checkout: Checkout) -> dict[str, Any]:
    return {"buyer_cooperative_id": checkout.buyer_id, **namespace_metadata()}


@transaction.atomic
def _store_intent(checkout_id: int, intent_id: str) -> bool:
    """Remember the checkout's PaymentIntent; False when the checkout expired meanwhile."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
    payment = Payment.objects.select_for_update().get(checkout=checkout)
    if checkout.status == CheckoutStatus.CANCELLED:
        return False
    if not payment.stripe_payment_intent_id:
        payment.stripe_payment_intent_id = intent_id
        payment.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    elif payment.stripe_payment_intent_id != intent_id:  # the key is derived from the checkout
        logger.error("checkout %s: a second PaymentIntent %s", checkout_id, intent_id)
    return True


def payment_refusal(checkout: Checkout, *, now: datetime | None = None) -> str | None:
    """Why an unpaid card checkout can no longer be paid (None when it can): it expired or was
    released, or one of its orders was cancelled or declined. One PaymentIntent pays the whole
    checkout, so paying then would charge for an order that will not happen."""
    if checkout.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        return None
    expires_at = _expires_at(checkout)
    closed = next(
        (
            order
            for order in checkout.orders.all()
            if order.status not in OPEN_STATUSES and (order.closed_at or expires_at) < expires_at
        ),
        None,
    )
    if closed is not None:  # closed by a person, not by the expiry run
        return _(
            "Order #%(id)s is “%(status)s”, so this checkout can no longer be paid. "
            "Nothing was charged; order again from the catalogue."
        ) % {"id": closed.pk, "status": status_label(closed.status)}
    if checkout.status == CheckoutStatus.CANCELLED or expires_at <= (now or timezone.now()):
        return _(
            "This checkout can no longer be paid: the time to pay it ran out. "
            "Nothing was charged; order again from the catalogue."
        )
    return None


def _refuse_if_not_payable(checkout: Checkout) -> None:
    refusal = payment_refusal(checkout)
    if refusal is not None:
        raise DomainError(refusal, code="checkout_not_payable")


def checkout_payment_start(*, checkout: Checkout) -> dict[str, str] | None:
    """After the checkout committed: its PaymentIntent for the total (created once, key
    `checkout:{id}:pi`), as what Stripe.js needs to confirm it. None when there is nothing to pay
    any more (paid, cancelled, or being processed).

    Stripe unreachable → `PaymentProviderUnavailable` (503): the checkout stays pending and the
    same request with the same Idempotency-Key comes back here and finishes the job."""
    payment = Payment.objects.select_related("checkout").get(checkout=checkout)
    checkout = payment.checkout
    _refuse_if_not_payable(checkout)
    if checkout.status != CheckoutStatus.AWAITING_PAYMENT or checkout.payment_status not in (
        PaymentStatus.PENDING,
        PaymentStatus.FAILED,
    ):
        return None
    if payment.stripe_payment_intent_id:
        intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    else:
        intent = gateway.create_payment_intent(
            checkout_id=checkout.pk,
            amount=payment.amount,
            currency=payment.currency,
            transfer_group=transfer_group(checkout.pk),
            metadata=_intent_metadata(checkout),
            description=f"Minga checkout {checkout.pk}",
        )
        if not _store_intent(checkout.pk, intent.id):
            _cancel_intent_quietly(checkout.pk, intent.id)
            return None
    if intent.status in ("succeeded", "processing", "canceled") or not intent.client_secret:
        return None
    return {
        "client_secret": intent.client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }


def _cancel_intent_quietly(checkout_id: int, intent_id: str) -> None:
    try:
        gateway.cancel_payment_intent(checkout_id=checkout_id, payment_intent_id=intent_id)
    except (PaymentProviderError, PaymentProviderUnavailable) as exc:
        logger.warning(
            "could not cancel %s of expired checkout %s: %s", intent_id, checkout_id, exc
        )


# -- a payment's outcome, as Stripe tells it (webhooks, reconciliation, expiry)


class EventNotReady(DomainError):
    """The event names a checkout this database does not have yet (its transaction has not
    committed): answered 503 so Stripe delivers it again later."""

    status_code = 503
    code = "event_not_ready"


def checkout_for_intent(intent: PaymentIntentInfo) -> int | None:
    """The checkout a PaymentIntent pays: by its stored id, else by the metadata we set on it
    (read back from Stripe). None when it is not a payment of this exchange."""
    known = (
        Payment.objects.filter(stripe_payment_intent_id=intent.id)
        .values_list("checkout_id", flat=True)
        .first()
    )
    if known is not None:
        return known
    if not is_ours(intent.metadata):
        return None
    raw = intent.metadata.get("checkout_id", "")
    if not raw.isdigit() or intent.transfer_group != transfer_group(int(raw)):
        return None
    if not Checkout.objects.filter(pk=int(raw)).exists():
        raise EventNotReady(f"Checkout {raw} is not known yet: deliver the event again later.")
    return int(raw)


def payment_apply_intent(
    *, intent: PaymentIntentInfo, is_failure_event: bool = False
) -> tuple[str, Work]:
    """Bring the checkout in line with its PaymentIntent as Stripe reports it, moving forward only:
    succeeded → paid, a transfer row per open order and a refund row per closed one; a failed
    attempt → `failed` (only from `pending`; a late failure never un-pays). Inside a transaction;
    the returned work (Stripe calls) runs after commit."""
    checkout_id = checkout_for_intent(intent)
    if checkout_id is None:
        return "ignored: not a payment of this exchange", Work()
    checkout = (
        Checkout.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=checkout_id)
    )
    payment = Payment.objects.select_for_update().filter(checkout=checkout).first()
    if payment is None:
        return "ignored: the checkout is not paid by card", Work()
    if (intent.amount, intent.currency) != (payment.amount, payment.currency):
        logger.error("checkout %s: %s does not match its payment", checkout.pk, intent.id)
        return f"ignored: {intent.id} does not match the checkout's amount", Work()
    if not payment.stripe_payment_intent_id:
        payment.stripe_payment_intent_id = intent.id
        payment.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    elif payment.stripe_payment_intent_id != intent.id:
        return f"ignored: the checkout is paid by {payment.stripe_payment_intent_id}", Work()
    if intent.is_succeeded:
        return _payment_succeed(checkout, payment, intent)
    if (
        is_failure_event
        and checkout.payment_status == PaymentStatus.PENDING
        and intent.status in ("requires_payment_method", "canceled")
    ):
        return _payment_fail(checkout, payment, intent)
    return f"no change: payment {checkout.payment_status}, Stripe says {intent.status}", Work()


def checkout_orders_locked(checkout: Checkout) -> QuerySet[Order]:
    """The checkout's orders with their parties, locked in primary-key order (the order every
    service locks several orders in), their parties not locked."""
    return (
        Order.objects.select_for_update(of=("self",))
        .filter(checkout=checkout)
        .select_related("buyer", "seller")
        .order_by("pk")
    )


def _payment_succeed(
    checkout: Checkout, payment: Payment, intent: PaymentIntentInfo
) -> tuple[str, Work]:
    if checkout.payment_status in PAID_STATUSES:
        return "no change: already paid", Work()
    now = timezone.now()
    checkout.payment_status = ensure_payment_transition("succeed", checkout.payment_status)
    if checkout.status == CheckoutStatus.AWAITING_PAYMENT:
        checkout.status = CheckoutStatus.PLACED
    checkout.save(update_fields=["payment_status", "status", "updated_at"])
    payment.stripe_charge_id = intent.latest_charge or ""
    payment.succeeded_at = now
    payment.failure_message = ""
    payment.save(
        update_fields=["stripe_charge_id", "succeeded_at", "failure_message", "updated_at"]
    )
    work = Work()
    placed: list[Order] = []  # still open: their sellers hear of them now, paid
    for order in checkout_orders_locked(checkout):
        order.paid_at = now
        order.save(update_fields=["paid_at", "updated_at"])
        add_order_event(order, EventKind.PAYMENT_SUCCEEDED, "Paid by card.", reference=intent.id)
        books.post(books.card_payment(order, occurred_at=now))
        if order.status in OPEN_STATUSES:
            if order.seller_amount > 0:
                transfer = Transfer.objects.create(
                    order=order,
                    payment=payment,
                    amount=order.seller_amount,
                    currency=order.currency,
                    destination=order.seller.stripe_account_id,
                )
                work.transfers.append(transfer.pk)
            placed.append(order)
        else:
            # Cancelled or declined while the payment was pending: the buyer gets it back.
            refund = Refund.objects.create(
                order=order, payment=payment, amount=order.total_amount, currency=order.currency
            )
            work.refunds.append(refund.pk)
    notifications.notify_orders_placed(placed, tell_buyer=False, is_paid=True)
    notifications.notify_payment_received(checkout)
    return f"paid: {len(work.transfers)} transfers, {len(work.refunds)} refunds", work


def _payment_fail(
    checkout: Checkout, payment: Payment, intent: PaymentIntentInfo
) -> tuple[str, Work]:
    now = timezone.now()
    checkout.payment_status = ensure_payment_transition("fail", checkout.payment_status)
    checkout.save(update_fields=["payment_status", "updated_at"])
    payment.failed_at = now
    payment.failure_message = intent.last_payment_error or "The card payment failed."
    payment.save(update_fields=["failed_at", "failure_message", "updated_at"])
    notifications.notify_payment_failed(checkout, payment.failure_message, _expires_at(checkout))
    work = Work()
    if is_payment_overdue(checkout, now=now):
        work.expire_checkouts.append(checkout.pk)
    return "payment failed", work


def _expires_at(checkout: Checkout) -> datetime:
    return payment_expires_at(checkout.created_at)


def is_payment_overdue(checkout: Checkout, *, now: datetime | None = None) -> bool:
    """An unpaid card checkout releases its stock after the grace period, or at once when one
    of its orders was cancelled or declined (it can no longer be paid: `payment_refusal`)."""
    now = now or timezone.now()
    if _expires_at(checkout) <= now:
        return True
    return checkout.orders.exclude(status__in=OPEN_STATUSES).exists()


# -- disputes and refunds made elsewhere


def payment_for_charge(charge_id: str, payment_intent_id: str | None) -> Payment | None:
    payment = Payment.objects.filter(stripe_charge_id=charge_id).first()
    if payment is None and payment_intent_id:
        payment = Payment.objects.filter(stripe_payment_intent_id=payment_intent_id).first()
    return payment


def payment_apply_charge(*, charge: Any, refunds: Sequence[RefundInfo] = ()) -> tuple[str, Work]:
    """`charge.refunded`: record what Stripe refunded, and each of the charge's `refunds` Minga did
    not make (`_record_outside_refund`); the payment is `refunded` once all of it is."""
    payment = payment_for_charge(charge.id, charge.payment_intent)
    if payment is None:
        return "ignored: not a payment of this exchange", Work()
    checkout, payment = _lock_paid(payment)
    failed = [_record_refund_failure(checkout, payment, r) for r in refunds if r.is_failed]
    outside = _record_outside_refunds(checkout, payment, refunds)
    outcome = _refunded(checkout, payment, charge.amount_refunded, outside)
    return "; ".join([outcome, *filter(None, failed)]), Work()


def payment_apply_refund(*, refund: RefundInfo) -> tuple[str, Work]:
    """`refund.created` / `refund.updated` / `charge.refund.updated` / `refund.failed`: a refund
    of the checkout's charge. Minga's own are recorded by their rows (`execution.settlement_send`);
    one made elsewhere (the dashboard) is recorded here once it succeeded; either one Stripe
    reports failed after it succeeded is undone (`_record_refund_failure`)."""
    payment = payment_for_charge(refund.charge or "", refund.payment_intent)
    if payment is None:
        return "ignored: not a payment of this exchange", Work()
    checkout, payment = _lock_paid(payment)
    if refund.is_failed:
        return _record_refund_failure(checkout, payment, refund) or "no change", Work()
    outside = _record_outside_refunds(checkout, payment, [refund])
    return _refunded(checkout, payment, 0, outside), Work()


def _record_refund_failure(checkout: Checkout, payment: Payment, refund: RefundInfo) -> str:
    """Stripe reports `refund` failed (it may have succeeded first): each row it was recorded on
    (Minga's row at the refund's attempt, or the rows of a refund made outside Minga) goes
    `failed` through `execution.refund_fail`, and the payment's refunded amount and status come
    back in line. A Minga row whose success is not recorded yet (the answer was lost, or this
    event came first) is recorded succeeded, then failed. The same failure again, or one of an
    earlier attempt, changes nothing. Returns what changed ('' when nothing did)."""
    orders = {order.pk: order for order in checkout_orders_locked(checkout)}
    rows = Refund.objects.select_for_update().filter(payment=payment).order_by("pk")
    if is_mingas_refund(refund):
        # Its row at that attempt: recorded succeeded with this refund, or its success not
        # recorded yet (pending, or failed and sent again when the answer was lost).
        rows = rows.filter(
            Q(status=RefundStatus.SUCCEEDED, stripe_id=refund.id)
            | ~Q(status__in=(RefundStatus.SUCCEEDED, RefundStatus.PAID_OUTSIDE)),
            pk=int(refund.metadata["refund_id"]),
            source=RefundSource.MINGA,
            key_attempt=refund.attempt,
        )
    else:
        rows = rows.filter(
            source=RefundSource.OUTSIDE, stripe_id=refund.id, status=RefundStatus.SUCCEEDED
        )
    failed = []
    for row in rows:
        if (row.amount, row.currency) != (refund.amount, refund.currency) and not row.is_outside:
            logger.error("refund %s does not match refund row %s: left alone", refund.id, row.pk)
            continue
        row.order = orders[row.order_id]
        if row.status != RefundStatus.SUCCEEDED:
            settlement_done(row, refund.id, succeeded_at=refund.created, tell_buyer=False)
        refund_fail(row, refund)
        failed.append(row)
    if not failed:
        return ""
    given_back = sum(row.amount for row in failed)
    recorded = _succeeded_refunds(payment)
    payment.amount_refunded = max(recorded, payment.amount_refunded - given_back)
    payment.save(update_fields=["amount_refunded", "updated_at"])
    if checkout.payment_status == PaymentStatus.REFUNDED and payment.amount_refunded < (
        payment.amount
    ):
        checkout.payment_status = ensure_payment_transition("refund_fail", checkout.payment_status)
        checkout.save(update_fields=["payment_status", "updated_at"])
    return f"refund {refund.id} failed at Stripe: {given_back} owed to the buyer again"


def _lock_paid(payment: Payment) -> tuple[Checkout, Payment]:
    """The payment's checkout and the payment, locked (the lock order of this package). A refund
    of a payment whose success is not recorded yet (Stripe's events arrive out of order) waits:
    Stripe delivers it again once the payment is recorded paid."""
    checkout = Checkout.objects.select_for_update().get(pk=payment.checkout_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if checkout.payment_status not in PAID_STATUSES:
        raise EventNotReady(
            f"Checkout {checkout.pk} is not recorded as paid yet: deliver the refund again later."
        )
    return checkout, payment


def is_mingas_refund(refund: RefundInfo) -> bool:
    """Minga's refunds carry their row's id (`gateway.create_refund`) from the first call on, so a
    webhook that arrives before Stripe's answer is recorded still knows them as Minga's."""
    return refund.metadata.get("refund_id", "").isdigit() and is_ours(refund.metadata)


def _record_outside_refunds(
    checkout: Checkout, payment: Payment, refunds: Sequence[RefundInfo]
) -> int:
    """Each succeeded refund Minga did not make, not recorded yet: split over the checkout's
    orders (primary-key order, each up to what is unrefunded of its total), each share a `Refund`
    row (`source` outside) with its ledger entry, a line in the order's timeline, and the order
    flagged for a person (the seller's transfer is not taken back). Returns the amount recorded
    now (0: nothing new). What is unrefunded of every order is read once, in one query."""
    new = [
        refund
        for refund in refunds
        if refund.is_succeeded
        and not is_mingas_refund(refund)
        and refund.currency == payment.currency
    ]
    if new:
        known = set(
            Refund.objects.filter(
                source=RefundSource.OUTSIDE, stripe_id__in=[refund.id for refund in new]
            ).values_list("stripe_id", flat=True)
        )
        new = [refund for refund in new if refund.id not in known]
    if not new:
        return 0
    orders = list(checkout_orders_locked(checkout))
    left_of = unrefunded_by_order(orders)
    return sum(_record_outside_refund(payment, orders, left_of, refund) for refund in new)


def _record_outside_refund(
    payment: Payment, orders: list[Order], left_of: dict[int, int], refund: RefundInfo
) -> int:
    left = refund.amount
    done = {
        "status": RefundStatus.SUCCEEDED,
        "stripe_id": refund.id,
        "succeeded_at": refund.created,
    }
    for order in orders:
        share = min(left, left_of[order.pk])
        if share <= 0:
            continue
        row = Refund.objects.create(
            order=order,
            payment=payment,
            amount=share,
            currency=payment.currency,
            source=RefundSource.OUTSIDE,
            **done,
        )
        left_of[order.pk] -= share
        books.post(books.refund(row))
        amount = Money(share, payment.currency).format()
        add_order_event(
            order,
            EventKind.REFUND_SUCCEEDED,
            f"{amount} refunded to the buyer's card outside Minga (Stripe dashboard).",
            reference=refund.id,
        )
        flag_order(
            order,
            f"{amount} of this order was refunded outside Minga (Stripe dashboard): settle it "
            "with the seller, whose transfer was not taken back.",
        )
        left -= share
        if not left:
            break
    if left:
        logger.error("refund %s: %s more than the checkout's orders", refund.id, left)
    return refund.amount - left


def unrefunded_by_order(orders: Sequence[Order]) -> dict[int, int]:
    """What of each order's total no refund gives back, by order id, in one query. Minga's refund
    counts whatever its status (pending or failed, the retry sends it again; paid outside
    Stripe by a person), except once Minga gave up sending it (`MAX_REFUND_SENDS`): until a
    person records it paid another way, that money is still the buyer's to get. One made
    outside Minga counts unless it failed (nobody sends it again but a person, in Stripe's
    dashboard)."""
    given_back = dict(
        Refund.objects.filter(order__in=[order.pk for order in orders])
        .exclude(source=RefundSource.OUTSIDE, status=RefundStatus.FAILED)
        .exclude(
            source=RefundSource.MINGA,
            status=RefundStatus.FAILED,
            key_attempt__gt=MAX_REFUND_SENDS,
        )
        .values("order_id")
        .annotate(total=Sum("amount"))
        .values_list("order_id", "total")
    )
    return {order.pk: order.total_amount - given_back.get(order.pk, 0) for order in orders}


def unrefunded(order: Order) -> int:
    """What of the order's total no refund gives back (`unrefunded_by_order`)."""
    return unrefunded_by_order([order])[order.pk]


def _succeeded_refunds(payment: Payment) -> int:
    """What the payment's refunds recorded succeeded add up to."""
    return (
        Refund.objects.filter(payment=payment, status=RefundStatus.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def _refunded(checkout: Checkout, payment: Payment, at_stripe: int, outside: int) -> str:
    """The payment's refunded amount: what Stripe says (`at_stripe`, from a charge), or at least
    the refunds recorded here; the payment is `refunded` once all of it is."""
    recorded = _succeeded_refunds(payment)
    payment.amount_refunded = min(max(at_stripe, recorded, payment.amount_refunded), payment.amount)
    payment.save(update_fields=["amount_refunded", "updated_at"])
    if payment.amount_refunded >= payment.amount and checkout.payment_status == (
        PaymentStatus.SUCCEEDED
    ):
        checkout.payment_status = ensure_payment_transition("refund", checkout.payment_status)
        checkout.save(update_fields=["payment_status", "updated_at"])
    outcome = f"refunded {payment.amount_refunded} of {payment.amount}"
    return outcome + (f", {outside} outside Minga" if outside else "")


def payment_apply_dispute(*, dispute: Any) -> tuple[str, Work]:
    """`charge.dispute.created`: the buyer's bank contests the charge; every order of the checkout
    is flagged for a person (evidence goes through the Stripe dashboard)."""
    payment = payment_for_charge(dispute.charge, dispute.payment_intent)
    if payment is None:
        return "ignored: not a payment of this exchange", Work()
    Checkout.objects.select_for_update().get(pk=payment.checkout_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.disputed_at is None:
        payment.disputed_at = timezone.now()
        payment.save(update_fields=["disputed_at", "updated_at"])
    amount = Money(dispute.amount, dispute.currency).format()
    for order in Order.objects.filter(checkout_id=payment.checkout_id).order_by("pk"):
        flag_order(
            order,
            f"The buyer's bank disputes the card payment ({amount}, reason: {dispute.reason}): "
            "answer the dispute in the Stripe dashboard before settling this order.",
        )
    return f"dispute {dispute.id} flagged", Work()
