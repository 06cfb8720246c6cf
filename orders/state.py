"""The lifecycle of an order, of a checkout and of its payment. The tables are the documentation."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperatives.models import Side
from core import transitions
from core.errors import TransitionNotAllowed


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    ACCEPTED = "accepted", _("Accepted")
    FULFILLED = "fulfilled", _("Fulfilled")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


S = OrderStatus
BUYER, SELLER = Side.BUYER, Side.SELLER


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    sides: frozenset[str]  # whose owners and admins may take it
    is_reason_required: bool = False
    restores_stock: bool = False


# One row per allowed move. An (action, status) pair that is not here is refused with a 409.
TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", S.PLACED, S.ACCEPTED, frozenset({SELLER})),
    # The buyer is told why (the reason is the event's note, shown on the order and e-mailed).
    Transition(
        "decline",
        S.PLACED,
        S.DECLINED,
        frozenset({SELLER}),
        is_reason_required=True,
        restores_stock=True,
    ),
    Transition("fulfil", S.ACCEPTED, S.FULFILLED, frozenset({SELLER})),
    Transition("complete", S.FULFILLED, S.COMPLETED, frozenset({BUYER})),
    Transition("cancel", S.PLACED, S.CANCELLED, frozenset({BUYER}), restores_stock=True),
    Transition(
        "cancel",
        S.ACCEPTED,
        S.CANCELLED,
        frozenset({BUYER, SELLER}),
        is_reason_required=True,
        restores_stock=True,
    ),
)

ACTIONS: tuple[str, ...] = ("accept", "decline", "fulfil", "complete", "cancel")
# The actions as people say them, for messages ("Cannot %(action)s an order …").
ACTION_LABELS = {
    "accept": pgettext_lazy("order action", "accept"),
    "decline": pgettext_lazy("order action", "decline"),
    "fulfil": pgettext_lazy("order action", "mark as fulfilled"),
    "complete": pgettext_lazy("order action", "complete"),
    "cancel": pgettext_lazy("order action", "cancel"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def status_label(status: str) -> str:
    """The status as the pages show it (translated), never its code."""
    return str(dict(OrderStatus.choices).get(status, status))


_BY_KEY = {(t.action, t.source): t for t in TRANSITIONS}
OPEN_STATUSES = frozenset({S.PLACED, S.ACCEPTED, S.FULFILLED})
# Orders that count as trade in reports: everything but what never happened.
TRADED_STATUSES = frozenset({S.PLACED, S.ACCEPTED, S.FULFILLED, S.COMPLETED})


def find_transition(action: str, current: str) -> Transition | None:
    return _BY_KEY.get((action, current))


def ensure_transition(action: str, current: str) -> Transition:
    """Return the transition that `action` takes from `current`, or refuse it."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown order action {action!r}")
    transition = find_transition(action, current)
    if transition is None:
        raise TransitionNotAllowed(
            _("Cannot %(action)s an order whose status is “%(current)s”.")
            % {"action": action_label(action), "current": status_label(current)},
            code="transition_not_allowed",
        )
    return transition


class CheckoutStatus(models.TextChoices):
    """`placed`: the orders exist and sellers can act. Card payments start `awaiting_payment`."""

    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PLACED = "placed", _("Placed")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    """`by_invoice`: each order is settled by bank transfer against its invoice (Order.paid_at)."""

    BY_INVOICE = "by_invoice", _("Settled by invoice")
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")


# For the card gateway; invoice settlement never moves.
PAYMENT_LIFECYCLE = transitions.Lifecycle(
    PaymentStatus,
    refusal=_("Cannot %(action)s a payment whose status is “%(current)s”."),
    table={
        "succeed": ({PaymentStatus.PENDING, PaymentStatus.FAILED}, PaymentStatus.SUCCEEDED),
        "fail": ({PaymentStatus.PENDING}, PaymentStatus.FAILED),
        "refund": ({PaymentStatus.SUCCEEDED}, PaymentStatus.REFUNDED),
        # Stripe reported a refund failed after it succeeded: part of the payment is kept again.
        "refund_fail": ({PaymentStatus.REFUNDED}, PaymentStatus.SUCCEEDED),
    },
    labels={
        "succeed": pgettext_lazy("payment action", "confirm"),
        "fail": pgettext_lazy("payment action", "mark as failed"),
        "refund": pgettext_lazy("payment action", "refund"),
        "refund_fail": pgettext_lazy("payment action", "reopen after a failed refund"),
    },
)
ensure_payment_transition = PAYMENT_LIFECYCLE.ensure
