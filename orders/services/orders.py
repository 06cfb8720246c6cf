"""Every change to an order after checkout: the lifecycle table's transitions, payment by
invoice, flags, automatic completion, messages.

Lock order: the order row, then its listings in primary-key order, then the seller's invoice
counter. Checkout never holds an order lock, so the two cannot wait on each other.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.permissions import ensure_active, is_moderator
from core.errors import DomainError, NotPermitted, TransitionNotAllowed
from core.text import MAX_REASON_LENGTH
from marketplace import catalogue_version
from marketplace.models import Listing
from orders import notifications, payments, permissions
from orders.events import EventKind
from orders.models import InvoiceKind, Message, Order, OrderEvent
from orders.payments.execution import add_order_event
from orders.receivables.credit import order_credit_refund
from orders.receivables.services import clean_text, invoice_credit, invoice_pay_remaining
from orders.services.invoices import invoice_issue
from orders.state import (
    OPEN_STATUSES,
    OrderStatus,
    Side,
    action_label,
    ensure_transition,
    status_label,
)

MAX_MESSAGE_LENGTH = 5000


def _lock(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("buyer", "seller")
        .get(pk=order.pk)
    )


def _restore_stock(order: Order) -> None:
    """Put back what the order took from listings that still count stock."""
    quantities: dict[int, int] = {}
    for line in order.lines.filter(is_stock_tracked=True, listing__isnull=False):
        assert line.listing_id is not None
        quantities[line.listing_id] = quantities.get(line.listing_id, 0) + line.quantity
    listings = Listing.objects.select_for_update().filter(pk__in=sorted(quantities)).order_by("pk")
    for listing in listings:
        if listing.stock is not None:
            Listing.objects.filter(pk=listing.pk).update(
                stock=listing.stock + quantities[listing.pk]
            )
            catalogue_version.changed()


def _clean_reason(reason: str) -> str:
    return clean_text(reason, "reason", MAX_REASON_LENGTH)


@transaction.atomic
def order_transition(*, order: Order, action: str, actor: Any, reason: str = "") -> Order:
    """Move the order along the lifecycle table, on behalf of the side the table allows."""
    reason = _clean_reason(reason)
    order = _lock(order)
    transition = ensure_transition(action, order.status)
    side = permissions.acting_side(actor, order, transition)
    if side is None:
        words = {"action": action_label(action), "status": status_label(order.status)}
        if transition.sides == {Side.BUYER}:
            message = _(
                "Only the buyer's owners and admins can %(action)s an order whose status is "
                "“%(status)s”."
            )
        elif transition.sides == {Side.SELLER}:
            message = _(
                "Only the seller's owners and admins can %(action)s an order whose status is "
                "“%(status)s”."
            )
        else:
            message = _(
                "Only the owners and admins of the buyer or the seller can %(action)s an order "
                "whose status is “%(status)s”."
            )
        raise NotPermitted(message % words)
    ensure_active(
        permissions.acting_cooperative(order, side), permissions.SUSPENDED_ACTIONS[action]
    )
    if transition.is_reason_required and not reason:
        if action == "decline":
            missing = _("Say why you decline the order: the buyer reads it.")
        else:
            missing = _("Say why you %(action)s an order already accepted.") % {
                "action": action_label(action)
            }
        raise ValidationError({"reason": [missing]})
    payments.check_order_transition(order, action)
    return _apply(order, transition, actor=actor, side=side, reason=reason)


def _apply(order: Order, transition: Any, *, actor: Any, side: str, reason: str) -> Order:
    now = timezone.now()
    previous = order.status
    order.status = transition.target
    if transition.target == OrderStatus.ACCEPTED:
        order.accepted_at = now
    elif transition.target == OrderStatus.FULFILLED:
        order.fulfilled_at = now
    elif transition.target in (OrderStatus.COMPLETED, OrderStatus.DECLINED, OrderStatus.CANCELLED):
        order.closed_at = now
    order.save(update_fields=["status", "accepted_at", "fulfilled_at", "closed_at", "updated_at"])
    _status_event(order, transition.action, previous, actor=actor, side=side, note=reason)
    if transition.restores_stock:
        _restore_stock(order)
    # Every accepted order is invoiced by its seller, whatever settles it (a card order is
    # accepted once paid, so its invoice says so); cancelling an invoiced order credits it.
    if transition.target == OrderStatus.ACCEPTED:
        invoice = invoice_issue(order=order, kind=InvoiceKind.INVOICE)
        _event(order, EventKind.INVOICE_ISSUED, actor, side, "", reference=invoice.number)
    elif (
        transition.target == OrderStatus.CANCELLED
        and order.invoices.filter(kind=InvoiceKind.INVOICE).exists()
    ):
        note = invoice_issue(order=order, kind=InvoiceKind.CREDIT_NOTE)
        _event(order, EventKind.CREDIT_NOTE_ISSUED, actor, side, "", reference=note.number)
        invoice_credit(order=order, actor=actor)
    if transition.target in (OrderStatus.CANCELLED, OrderStatus.DECLINED):
        # The rail settles what was paid (a card order: refunded, its transfer reversed).
        payments.order_closed(order)
        order_credit_refund(order)
    notifications.notify_order_transition(order, transition.action, side, reason)
    return order


def order_cancel_unpaid(*, order: Order, reason: str) -> Order:
    """The system cancels a card order whose payment never succeeded (the caller holds the
    checkout's lock and this order's): stock goes back, only the buyer is told (the seller never
    heard of it)."""
    transition = ensure_transition("cancel", order.status)
    previous = order.status
    order.status = transition.target
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at", "updated_at"])
    _status_event(order, transition.action, previous, actor=None, side="", note=reason)
    _restore_stock(order)
    return order


def _status_event(
    order: Order, action: str, previous: str, *, actor: Any, side: str, note: str
) -> OrderEvent:
    """The timeline line of a status change: from `previous` to the order's status now."""
    return add_order_event(
        order, EventKind(action), note, actor=actor, side=side, previous=previous
    )


def _event(
    order: Order, kind: EventKind, actor: Any, side: str, note: str, *, reference: str = ""
) -> OrderEvent:
    return add_order_event(order, kind, note, reference=reference, actor=actor, side=side)


def order_accept(*, order: Order, actor: Any, reason: str = "") -> Order:
    return order_transition(order=order, action="accept", actor=actor, reason=reason)


def order_decline(*, order: Order, actor: Any, reason: str = "") -> Order:
    return order_transition(order=order, action="decline", actor=actor, reason=reason)


def order_fulfil(*, order: Order, actor: Any, reason: str = "") -> Order:
    return order_transition(order=order, action="fulfil", actor=actor, reason=reason)


def order_complete(*, order: Order, actor: Any, reason: str = "") -> Order:
    return order_transition(order=order, action="complete", actor=actor, reason=reason)


def order_cancel(*, order: Order, actor: Any, reason: str = "") -> Order:
    return order_transition(order=order, action="cancel", actor=actor, reason=reason)


def order_mark_paid_refusal(*, order: Order, actor: Any) -> DomainError | None:
    """Why `actor` may not mark `order` paid now, or None when they may: the one rule, asked by
    `order_mark_paid` and by the order page before it offers the button."""
    if not permissions.manages_seller(actor, order):
        return NotPermitted(_("Only the seller's owners and admins can mark an order paid."))
    try:
        ensure_active(order.seller, "mark_paid")
    except DomainError as refusal:
        return refusal
    if not payments.rail_for(order.payment_method).seller_marks_paid:
        return DomainError(
            _("Card payments are marked paid by the payment provider."), code="not_invoiced"
        )
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.FULFILLED, OrderStatus.COMPLETED):
        return TransitionNotAllowed(
            _(
                "Cannot mark paid an order whose status is “%(status)s”: it is invoiced when "
                "accepted."
            )
            % {"status": status_label(order.status)}
        )
    if order.paid_at is not None:
        return DomainError(_("This order is already marked paid."), code="already_paid")
    return None


@transaction.atomic
def order_mark_paid(*, order: Order, actor: Any, note: str = "") -> Order:
    """The seller confirms the bank transfer for an invoiced order: what is left of its invoice
    is recorded as paid (orders.receivables)."""
    note = _clean_reason(note)
    order = _lock(order)
    refusal = order_mark_paid_refusal(order=order, actor=actor)
    if refusal is not None:
        raise refusal
    invoice_pay_remaining(order=order, actor=actor, note=note)
    return order


@transaction.atomic
def order_flag(*, order: Order, reason: str, actor: Any = None) -> Order:
    """Put an order aside for a person to settle (a suspended cooperative, a payment dispute).
    `actor=None` is the system; a person doing it must be a moderator."""
    if actor is not None and not permissions.can_flag_order(actor):
        raise NotPermitted(_("Only moderators can flag orders."))
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the order needs attention.")]})
    order = _lock(order)
    order.is_flagged = True
    order.flag_reason = reason
    order.save(update_fields=["is_flagged", "flag_reason", "updated_at"])
    _event(order, EventKind.FLAGGED, actor, "", reason)
    return order


@transaction.atomic
def orders_flag_for_suspended_cooperative(*, cooperative: Any, actor: Any) -> list[int]:
    """A suspended cooperative's open orders, as buyer or seller, are put aside for a person to
    settle: flagged, never cancelled silently. Locked in primary-key order."""
    open_orders = (
        Order.objects.select_for_update()
        .filter(Q(buyer=cooperative) | Q(seller=cooperative), status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    reason = f"{cooperative.name} was suspended by a moderator: settle this order by hand."
    flagged = []
    for order in open_orders:
        order.is_flagged = True
        order.flag_reason = reason
        order.save(update_fields=["is_flagged", "flag_reason", "updated_at"])
        _event(order, EventKind.FLAGGED, actor, "", reason)
        flagged.append(order.pk)
    return flagged


@transaction.atomic
def order_unflag(*, order: Order, actor: Any, note: str = "") -> Order:
    if not is_moderator(actor):
        raise NotPermitted(_("Only moderators can clear a flag."))
    order = _lock(order)
    if not order.is_flagged:
        return order
    order.is_flagged = False
    order.save(update_fields=["is_flagged", "updated_at"])
    _event(order, EventKind.UNFLAGGED, actor, "", _clean_reason(note))
    return order


def order_complete_stale(*, now: Any = None) -> list[int]:
    """Complete orders fulfilled `ORDER_AUTO_COMPLETE_DAYS` ago or more (flagged ones wait for a
    person). Each order in its own transaction, so one failure does not hold back the rest."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS)
    candidates = list(
        Order.objects.filter(
            status=OrderStatus.FULFILLED, fulfilled_at__lte=cutoff, is_flagged=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    completed = []
    for pk in candidates:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(of=("self",))
                .select_related("buyer", "seller")
                .get(pk=pk)
            )
            if order.status != OrderStatus.FULFILLED or order.is_flagged:
                continue
            days = settings.ORDER_AUTO_COMPLETE_DAYS
            transition = ensure_transition("complete", order.status)
            _apply(
                order,
                transition,
                actor=None,
                side="",
                reason=f"Completed automatically {days} days after fulfilment.",
            )
            completed.append(pk)
    return completed


@transaction.atomic
def message_post(*, order: Order, actor: Any, body: str) -> Message:
    """Members of either cooperative write in the order's thread; the other side is told."""
    sides = permissions.sides_of(actor, order)
    if not sides:
        raise NotPermitted(_("Only members of the two cooperatives write in this thread."))
    body = clean_text(body, "body", MAX_MESSAGE_LENGTH)
    if not body:
        raise ValidationError({"body": [_("Write something.")]})
    side = Side.BUYER.value if Side.BUYER.value in sides else Side.SELLER.value
    message = Message.objects.create(order=order, author=actor, author_side=side, body=body)
    notifications.notify_message(order, actor, side, body)
    return message
