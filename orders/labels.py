"""What an order's status and its payment are called, for people: one place that pages, e-mails,
PDFs, the API's display fields and the admin read, so no two of them can contradict each other.

The order's status (`OrderStatus`) and its checkout's payment (`PaymentStatus`) are codes; people
read one combined label, "Cancelled · Refunded", built here from the facts of one order
(`PaymentFacts`): a card order is "Awaiting payment" until Stripe's webhook says it succeeded, never
"Paid by card" before; an unpaid card order past its grace period reads "Payment expired"; a closed
card order that had been paid reads "Refund under way" / "Refunded", never "Paid".
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Checkout, Order, Refund, RefundSource
from orders.payments.rails import rail_for
from orders.state import OPEN_STATUSES, CheckoutStatus, OrderStatus, PaymentStatus


class PaymentState(models.TextChoices):
    """An order's payment as people read it (derived, never stored)."""

    NONE = "none", ""
    INVOICE_UNPAID = "invoice_unpaid", _("Not paid yet")
    PAID = "paid", _("Paid")
    AWAITING = "awaiting_payment", _("Awaiting payment")
    EXPIRED = "expired", _("Payment expired")
    NOT_CHARGED = "not_charged", _("Not charged")
    PAID_BY_CARD = "paid_by_card", _("Paid by card")
    REFUNDING = "refund_pending", _("Refund under way")
    REFUNDED = "refunded", _("Refunded")


# A state the pay page can still change: the page keeps polling while the order is in it.
PAYABLE_STATES = frozenset({PaymentState.AWAITING})
# The states in which the order's money is with the seller (or on its way): documents say "Paid."
PAID_STATES = frozenset({PaymentState.PAID, PaymentState.PAID_BY_CARD})
SEPARATOR = " · "


@dataclass(frozen=True)
class PaymentFacts:
    """What decides an order's payment label, read from the order and its checkout."""

    method: str
    payment_status: str
    is_paid: bool = False
    is_expired: bool = False
    refund_status: str = (
        ""  # the order's own refund row: "", pending, succeeded, failed, paid_outside
    )


def payment_expires_at(created_at: datetime) -> datetime:
    """An unpaid card checkout may be paid until this moment; then its stock is released."""
    return created_at + timedelta(minutes=settings.PAYMENT_GRACE_MINUTES)


def payment_state(order_status: str, facts: PaymentFacts) -> PaymentState:
    """The one rule of what an order's payment is called."""
    is_open = order_status in OPEN_STATUSES or order_status == OrderStatus.COMPLETED
    if not rail_for(facts.method).paid_up_front:
        if facts.is_paid:
            return PaymentState.PAID
        return PaymentState.INVOICE_UNPAID if is_open else PaymentState.NONE
    if facts.payment_status == PaymentStatus.REFUNDED or facts.refund_status in (
        "succeeded",
        "paid_outside",
    ):
        return PaymentState.REFUNDED
    if facts.payment_status == PaymentStatus.SUCCEEDED:
        return PaymentState.PAID_BY_CARD if is_open else PaymentState.REFUNDING
    # pending or failed: nothing was charged (a declined card is only a failed attempt)
    if facts.is_expired:
        return PaymentState.EXPIRED
    return PaymentState.AWAITING if is_open else PaymentState.NOT_CHARGED


def combined_label(order_status: str, state: str) -> str:
    """ "Cancelled · Refunded": the order's status, then its payment when there is one to say."""
    status = str(OrderStatus(order_status).label)
    payment = str(PaymentState(state).label)
    return f"{status}{SEPARATOR}{payment}" if payment else status


def with_refund_status(queryset: models.QuerySet[Order]) -> models.QuerySet[Order]:
    """Orders with the status of Minga's refund of each (`minga_refund_status`, None without one)
    read in the same query, for the labels of a list of orders."""
    mingas = Refund.objects.filter(order=models.OuterRef("pk"), source=RefundSource.MINGA)
    return queryset.annotate(minga_refund_status=models.Subquery(mingas.values("status")[:1]))


def _refund_status(order: Order) -> str:
    """The status of Minga's refund of the order ('' without one): annotated by
    `with_refund_status`, or read now."""
    if hasattr(order, "minga_refund_status"):
        return order.minga_refund_status or ""
    found = order.refunds.filter(source=RefundSource.MINGA).values_list("status", flat=True)
    return str(found.first() or "")


def facts_of(order: Order, *, now: datetime | None = None) -> PaymentFacts:
    """The facts of a stored order (its checkout and refund come with it: `select_related`)."""
    checkout = order.checkout
    is_card_unpaid = rail_for(checkout.payment_method).paid_up_front and (
        checkout.payment_status in (PaymentStatus.PENDING, PaymentStatus.FAILED)
    )
    is_expired = is_card_unpaid and (
        checkout.status == CheckoutStatus.CANCELLED
        or payment_expires_at(checkout.created_at) <= (now or timezone.now())
    )
    if is_expired and order.closed_at is not None:
        # closed by a person before the grace period ended: it did not expire, it was not charged
        is_expired = order.closed_at >= payment_expires_at(checkout.created_at)
    return PaymentFacts(
        method=checkout.payment_method,
        payment_status=checkout.payment_status,
        is_paid=order.paid_at is not None,
        is_expired=is_expired,
        # only a paid order that closed has a refund (and reading it costs a query otherwise)
        refund_status=_refund_status(order)
        if checkout.payment_status == PaymentStatus.SUCCEEDED and order.status not in OPEN_STATUSES
        else "",
    )


def order_payment_state(order: Order, *, now: datetime | None = None) -> PaymentState:
    return payment_state(order.status, facts_of(order, now=now))


def order_label(order: Order, *, now: datetime | None = None) -> str:
    """The order as every page, e-mail, PDF and API display field names it."""
    return combined_label(order.status, order_payment_state(order, now=now))


def checkout_payment_label(checkout: Checkout) -> str:
    """A card checkout's payment in one word for the pay page (the orders may differ later)."""
    status = checkout.payment_status
    if status == PaymentStatus.SUCCEEDED:
        return str(PaymentState.PAID_BY_CARD.label)
    if status == PaymentStatus.REFUNDED:
        return str(PaymentState.REFUNDED.label)
    if status == PaymentStatus.BY_INVOICE:
        return str(PaymentStatus.BY_INVOICE.label)
    if (
        checkout.status == CheckoutStatus.CANCELLED
        or payment_expires_at(checkout.created_at) <= timezone.now()
    ):
        return str(PaymentState.EXPIRED.label)
    return str(PaymentState.AWAITING.label)
