"""Card orders that close: a paid one cancelled or declined is refunded (and its transfer
reversed); checkouts never paid are released."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import Money
from orders import notifications
from orders.events import EventKind
from orders.models import Checkout, Order
from orders.payments import gateway
from orders.payments.errors import (
    PaymentProviderError,
    PaymentProviderUnavailable,
)
from orders.payments.execution import RunReport, Work, add_order_event
from orders.payments.models import (
    Payment,
    Refund,
    RefundSource,
    Transfer,
    TransferReversal,
    TransferStatus,
)
from orders.payments.rails.stripe import StripeRail
from orders.payments.services.payments import (
    PAID_STATUSES,
    checkout_orders_locked,
    is_payment_overdue,
    payment_apply_intent,
    unrefunded,
)
from orders.state import (
    CheckoutStatus,
    OrderStatus,
    PaymentStatus,
    ensure_payment_transition,
)

logger = logging.getLogger(__name__)

# -- cancelling a paid order (called by order_transition inside its transaction)


def check_order_transition(order: Order, action: str) -> None:
    """A card order is accepted only once its payment succeeded."""
    if action == "accept" and not is_order_paid_or_invoiced(order):
        raise DomainError(
            _("The buyer's card payment has not succeeded yet: accept the order once it is paid."),
            code="payment_pending",
        )


def is_order_paid_or_invoiced(order: Order) -> bool:
    """A card order (the card rail asks): whether its checkout's payment went through."""
    return order.checkout.payment_status in PAID_STATUSES


def order_closed(order: Order) -> None:
    """A card order was cancelled or declined (the order row is locked by the caller). Once paid,
    the buyer gets back what is left of its total (a refund made outside Minga, in Stripe's
    dashboard, already gave back its share) and the seller's transfer is reversed (or never
    sent), each as a row written now and sent to Stripe after commit; closed a second time,
    nothing more. Unpaid: the checkout is released after commit; if its payment succeeded meanwhile, the payment's handler refunds this order. Only
    the card rail calls it (`StripeRail.order_closed`)."""
    payment_status = (
        Checkout.objects.filter(pk=order.checkout_id).values_list("payment_status", flat=True).get()
    )
    if payment_status not in PAID_STATUSES:
        # One PaymentIntent pays the whole checkout: it can no longer be paid, so it is released
        # now (its PaymentIntent cancelled at Stripe, its other orders cancelled, stock back).
        Work(expire_checkouts=[order.checkout_id]).enqueue()
        return
    if order.events.filter(action=EventKind.REFUND_REQUESTED).exists():
        return  # closed before: its refund and reversal are already asked for (or not needed)
    payment = Payment.objects.get(checkout_id=order.checkout_id)
    work = Work()
    # What a refund made outside Minga (the dashboard) already gave back is not refunded again.
    is_asked = order.refunds.filter(source=RefundSource.MINGA).exists()
    left = 0 if is_asked else unrefunded(order)
    if left > 0:
        refund = Refund.objects.create(
            order=order, payment=payment, amount=left, currency=order.currency
        )
        work.refunds.append(refund.pk)
    transfer = Transfer.objects.select_for_update().filter(order=order).first()
    if transfer is not None:
        if transfer.status == TransferStatus.PAID:
            reversal, created = TransferReversal.objects.get_or_create(
                transfer=transfer,
                defaults={"amount": transfer.amount, "currency": transfer.currency},
            )
            if created:
                work.reversals.append(reversal.pk)
        elif transfer.status == TransferStatus.FAILED or (
            transfer.status == TransferStatus.PENDING and transfer.attempts == 0
        ):
            # Stripe refused it, or it was never sent: it never will be.
            transfer.status = TransferStatus.CANCELLED
            transfer.save(update_fields=["status", "updated_at"])
        elif transfer.status == TransferStatus.PENDING:
            # An earlier attempt may have reached Stripe: finish it, then it is reversed.
            work.transfers.append(transfer.pk)
    add_order_event(
        order,
        EventKind.REFUND_REQUESTED,
        f"{Money(left, order.currency).format()} to be refunded to the buyer's card."
        if left > 0
        else "Nothing more to refund to the buyer's card: it was refunded already.",
    )
    work.enqueue()


# -- checkouts never paid


def checkout_payment_expire(*, checkout_id: int, now: datetime | None = None) -> str:
    """Release an unpaid card checkout: make sure Stripe can no longer charge it (cancel its
    PaymentIntent, or apply its success if the buyer paid after all), then cancel its open orders
    and put their stock back. Stripe unreachable → nothing changes (next run)."""
    now = now or timezone.now()
    checkout = Checkout.objects.select_related("payment").get(pk=checkout_id)
    if (
        checkout.status != CheckoutStatus.AWAITING_PAYMENT
        or checkout.payment_status in PAID_STATUSES
        or not is_payment_overdue(checkout, now=now)
    ):
        return "not due"
    intent_id = checkout.payment.stripe_payment_intent_id
    if intent_id:
        intent = gateway.retrieve_payment_intent(intent_id)
        if intent.status not in ("succeeded", "canceled", "processing"):
            try:
                gateway.cancel_payment_intent(checkout_id=checkout.pk, payment_intent_id=intent_id)
            except PaymentProviderError:
                intent = gateway.retrieve_payment_intent(intent_id)
            else:
                intent = gateway.retrieve_payment_intent(intent_id)
        if intent.is_succeeded:
            with transaction.atomic():
                outcome, work = payment_apply_intent(intent=intent)
                work.enqueue()
            return f"paid after all ({outcome})"
        if intent.status != "canceled":
            return f"left alone: Stripe says {intent.status}"
    return _checkout_cancel_unpaid(checkout.pk)


@transaction.atomic
def _checkout_cancel_unpaid(checkout_id: int) -> str:
    from orders.services.orders import order_cancel_unpaid

    checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
    Payment.objects.select_for_update().get(checkout=checkout)
    if checkout.status != CheckoutStatus.AWAITING_PAYMENT or checkout.payment_status in (
        PAID_STATUSES
    ):
        return "not due"
    if checkout.payment_status == PaymentStatus.PENDING:
        checkout.payment_status = ensure_payment_transition("fail", checkout.payment_status)
    checkout.status = CheckoutStatus.CANCELLED
    checkout.save(update_fields=["status", "payment_status", "updated_at"])
    minutes = settings.PAYMENT_GRACE_MINUTES
    cancelled = 0
    for order in checkout_orders_locked(checkout):
        if order.status == OrderStatus.PLACED:
            order_cancel_unpaid(
                order=order,
                reason=f"The card payment did not succeed within {minutes} minutes.",
            )
            cancelled += 1
    notifications.notify_checkout_expired(checkout)
    return f"cancelled {cancelled} unpaid orders"


def checkouts_expire_overdue(*, now: datetime | None = None) -> RunReport:
    """Every unpaid card checkout past its grace period (or with an order closed), each on its
    own; Stripe unreachable stops the run (the rest is left for the next one) and the report says
    why."""
    now = now or timezone.now()
    candidates = Checkout.objects.filter(
        payment_method=StripeRail.code,
        status=CheckoutStatus.AWAITING_PAYMENT,
        payment_status__in=(PaymentStatus.PENDING, PaymentStatus.FAILED),
    ).order_by("pk")
    report = RunReport()
    for checkout in candidates:
        if not is_payment_overdue(checkout, now=now):
            continue
        try:
            outcome = checkout_payment_expire(checkout_id=checkout.pk, now=now)
        except PaymentProviderUnavailable as exc:
            report.unavailable = exc
            break
        report.sent.append(("checkout", checkout.pk, outcome))
    return report
