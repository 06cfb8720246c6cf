"""A card order's refund that Stripe could not make (refused, or failed after it succeeded,
`MAX_REFUND_SENDS` times at most), paid to the buyer another way by a person and recorded here:
the refund row closed `paid_outside`, its entry posted, the order's timeline and flag, the
buyer told (docs/payments.md, "A refund paid outside Stripe")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.permissions import is_moderator
from core.errors import DomainError, NotPermitted
from core.money import Money
from core.text import MAX_REASON_LENGTH, clean_one_line
from orders import books, notifications
from orders.events import EventKind
from orders.models import Order
from orders.payments.execution import REFUND_FLAG_PREFIXES, add_order_event
from orders.payments.models import Refund, RefundSource, RefundStatus
from orders.payments.state import ensure_refund_transition

MAX_REFERENCE_LENGTH = 200


def can_record_refund_paid_outside(user: Any) -> bool:
    """Who may record a refund paid outside Stripe: those who settle a flagged order."""
    return is_moderator(user)


def _clean(reason: str, reference: str) -> tuple[str, str]:
    reason = (reason or "").strip()
    reference = clean_one_line("reference", reference)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say how the buyer was paid (a bank transfer, cash...).")]
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = [_("At most %(limit)s characters.") % {"limit": MAX_REASON_LENGTH}]
    if not reference:
        errors["reference"] = [
            _("Give the payment's reference (the bank transfer's, or a receipt's number).")
        ]
    elif len(reference) > MAX_REFERENCE_LENGTH:
        errors["reference"] = [_("At most %(limit)s characters.") % {"limit": MAX_REFERENCE_LENGTH}]
    if errors:
        raise ValidationError(errors)
    return reason, reference


def _refuse_unless_closable(order: Order, refund: Refund | None) -> None:
    """A 409 naming why the order's refund cannot be recorded paid another way."""
    if refund is None:
        raise DomainError(
            _("Order #%(id)s has no card refund by Minga to record.") % {"id": order.pk},
            code="no_refund_to_close",
        )
    amount = Money(refund.amount, refund.currency).format()
    words = {"id": order.pk, "amount": amount, "reference": refund.paid_outside_reference}
    if refund.status == RefundStatus.PAID_OUTSIDE:
        raise DomainError(
            _(
                "The refund of %(amount)s for order #%(id)s is already recorded as paid "
                "outside Stripe (reference %(reference)s)."
            )
            % words,
            code="refund_already_paid_outside",
        )
    if refund.status == RefundStatus.SUCCEEDED:
        raise DomainError(
            _("The refund of %(amount)s for order #%(id)s reached the buyer's card.") % words,
            code="refund_not_failed",
        )
    if refund.status != RefundStatus.FAILED:
        raise DomainError(
            _(
                "The refund of %(amount)s for order #%(id)s is still being sent to the buyer's "
                "card: record it as paid another way only once it failed, or the buyer is paid "
                "twice."
            )
            % words,
            code="refund_not_failed",
        )
    given_back = (
        Refund.objects.filter(order=order)
        .exclude(pk=refund.pk)
        .exclude(source=RefundSource.OUTSIDE, status=RefundStatus.FAILED)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    if given_back + refund.amount > order.total_amount:
        raise DomainError(
            _(
                "Other refunds of order #%(id)s (made in Stripe's dashboard) already gave back "
                "part of its total: %(amount)s paid another way would be more than the buyer "
                "paid. Settle it by hand and clear the flag."
            )
            % words,
            code="refund_already_given_back",
        )


@transaction.atomic
def refund_close_paid_outside(*, order: Order, actor: Any, reason: str, reference: str) -> Refund:
    """Record that the order's failed refund was paid to the buyer another way: only a
    moderator, only a `failed` refund (one being sent may still reach the card), once. The row
    goes `paid_outside` (REFUND_LIFECYCLE), its entry is posted (as a refund's), the order's
    timeline says it, a refund flag is cleared, and the buyer is e-mailed; the retry never
    sends it again."""
    if not can_record_refund_paid_outside(actor):
        raise NotPermitted(_("Only moderators can record a refund paid outside Stripe."))
    reason, reference = _clean(reason, reference)
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("buyer", "seller")
        .get(pk=order.pk)
    )
    refund = (
        Refund.objects.select_for_update().filter(order=order, source=RefundSource.MINGA).first()
    )
    _refuse_unless_closable(order, refund)
    assert refund is not None  # _refuse_unless_closable refuses a missing refund
    refund.status = ensure_refund_transition("pay_outside", refund.status)
    refund.paid_outside_at = timezone.now()
    refund.paid_outside_reason = reason
    refund.paid_outside_reference = reference
    refund.save(
        update_fields=[
            "status",
            "paid_outside_at",
            "paid_outside_reason",
            "paid_outside_reference",
            "updated_at",
        ]
    )
    refund.order = order
    books.post(books.refund_paid_outside(refund))
    add_order_event(order, EventKind.REFUND_PAID_OUTSIDE, reason, reference=reference, actor=actor)
    if order.is_flagged and order.flag_reason.startswith(REFUND_FLAG_PREFIXES):
        order.is_flagged = False
        order.save(update_fields=["is_flagged", "updated_at"])
        add_order_event(
            order,
            EventKind.UNFLAGGED,
            f"The refund was paid outside Stripe ({reference}).",
            actor=actor,
        )
    notifications.notify_refund_paid_outside(
        order, Money(refund.amount, refund.currency), reference
    )
    return refund
