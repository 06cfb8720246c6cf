"""Stripe's webhook events, handled once each.

For every verified event:
1. an event already recorded does nothing (Stripe delivers at least once, and retries);
2. its object is re-read from Stripe (network, before any transaction): events arrive late, twice
   and out of order, so the payload says only *which* object changed, never its state;
3. one transaction writes the `StripeEvent` row (unique event id) and the effect together: two
   deliveries racing each other cannot both apply it, and a rolled-back effect leaves no row, so
   Stripe's next delivery tries again;
4. the Stripe calls the effect needs (transfers, refunds) run after that commit.

An event naming a checkout that is not committed yet, or an object Stripe cannot be asked about
right now, raises: the view answers 503 and Stripe delivers it again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.payments import gateway
from orders.payments.errors import PaymentProviderError
from orders.payments.execution import Work
from orders.payments.models import StripeEvent
from orders.payments.services import (
    payment_apply_charge,
    payment_apply_dispute,
    payment_apply_intent,
    payment_apply_refund,
    seller_account_apply,
)
from orders.payments.values import ChargeInfo, RefundInfo, WebhookEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    read: Callable[[WebhookEvent], Any]  # re-read the object from Stripe (outside transactions)
    apply: Callable[[WebhookEvent, Any], tuple[str, Work]]  # inside the event's transaction


def _account_id(event: WebhookEvent) -> str:
    return event.account or event.object_id or ""


def _charge_and_refunds(event: WebhookEvent) -> tuple[ChargeInfo, list[RefundInfo]]:
    """The refunded charge, and every refund of its payment (some may be made outside Minga)."""
    charge = gateway.retrieve_charge(event.object_id or "")
    if not charge.payment_intent:
        return charge, []
    refunds = gateway.list_refunds(
        created_gte=charge.created,
        created_lte=timezone.now(),
        payment_intent_id=charge.payment_intent,
    )
    return charge, refunds


_refund_handler = Handler(
    read=lambda event: gateway.retrieve_refund(event.object_id or ""),
    apply=lambda event, refund: payment_apply_refund(refund=refund),
)


HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": Handler(
        read=lambda event: gateway.retrieve_payment_intent(event.object_id or ""),
        apply=lambda event, intent: payment_apply_intent(intent=intent),
    ),
    "payment_intent.payment_failed": Handler(
        read=lambda event: gateway.retrieve_payment_intent(event.object_id or ""),
        apply=lambda event, intent: payment_apply_intent(intent=intent, is_failure_event=True),
    ),
    "charge.refunded": Handler(
        read=_charge_and_refunds,
        apply=lambda event, found: payment_apply_charge(charge=found[0], refunds=found[1]),
    ),
    "refund.created": _refund_handler,
    "refund.updated": _refund_handler,
    # A refund that failed after it succeeded (newer API versions send these two as well).
    "charge.refund.updated": _refund_handler,
    "refund.failed": _refund_handler,
    "charge.dispute.created": Handler(
        read=lambda event: gateway.retrieve_dispute(event.object_id or ""),
        apply=lambda event, dispute: payment_apply_dispute(dispute=dispute),
    ),
    "account.updated": Handler(
        read=lambda event: gateway.retrieve_account(_account_id(event)),
        apply=lambda event, account: seller_account_apply(account=account),
    ),
}


@dataclass(frozen=True)
class Outcome:
    event_id: str
    outcome: str
    is_duplicate: bool = False


def _record(event: WebhookEvent) -> StripeEvent | None:
    """The event's row, or None when another delivery recorded it first."""
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(
                stripe_event_id=event.id,
                type=event.type[:100],
                object_id=(event.object_id or "")[:255],
                account=(event.account or "")[:255],
                livemode=event.livemode,
                event_created_at=event.created,
            )
    except IntegrityError:
        return None


def handle_event(event: WebhookEvent) -> Outcome:
    """Apply a verified event once; raises `PaymentProviderUnavailable` or `EventNotReady` when
    Stripe should deliver it again later (nothing is written then)."""
    if StripeEvent.objects.filter(stripe_event_id=event.id).exists():
        return Outcome(event.id, "duplicate", is_duplicate=True)
    handler = HANDLERS.get(event.type)
    obj: Any = None
    refusal = ""
    if handler is not None:
        try:
            obj = handler.read(event)
        except PaymentProviderError as exc:  # e.g. an object of another account or mode
            refusal = f"ignored: Stripe would not show {event.object_id} ({exc.detail})"
    with transaction.atomic():
        row = _record(event)
        if row is None:
            return Outcome(event.id, "duplicate", is_duplicate=True)
        if handler is None:
            outcome, work = "ignored: not an event Minga handles", Work()
        elif refusal:
            outcome, work = refusal, Work()
        else:
            outcome, work = handler.apply(event, obj)
        row.outcome = outcome[:300]
        row.save(update_fields=["outcome"])
        if work:
            work.enqueue()
    logger.info("stripe event %s %s: %s", event.type, event.id, outcome)
    return Outcome(event.id, outcome)
