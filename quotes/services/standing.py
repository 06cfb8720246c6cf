"""Standing orders: one draft per period under an agreement; the buyer confirms or skips it.

A draft is unique per (standing order, period start) in the database, so running the job again,
or twice at once, never drafts a period twice. A line whose listing ran out of stock is flagged
in the draft, never dropped.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, forget_roles, is_member
from core.errors import NotFound, NotPermitted
from marketplace.models import Listing
from marketplace.state import ListingStatus
from quotes.models import (
    Agreement,
    Schedule,
    StandingOrder,
    StandingOrderDraft,
    StandingOrderLine,
)
from quotes.services.agreements import agreement_lock_for_buyer, agreement_unit_price
from quotes.state import AgreementStatus, DraftStatus, ensure_draft_transition


@transaction.atomic
def standing_order_create(
    *,
    buyer: Cooperative,
    actor: Any,
    agreement: Agreement,
    schedule: str,
    starts_on: date,
    lines: list[tuple[int, int]],
    ends_on: date | None = None,
) -> StandingOrder:
    """The buyer sets up a repeated order of the agreement's seller's listings; the job drafts
    one order per period from `starts_on`."""
    agreement = agreement_lock_for_buyer(
        agreement, buyer, actor, _("Only owners and admins can set up a standing order.")
    )
    errors: dict[str, list[str]] = {}
    if agreement.status != AgreementStatus.ACTIVE:
        errors["agreement"] = [_("A standing order needs an agreement both sides accepted.")]
    if schedule not in Schedule.values:
        errors["schedule"] = [_("Choose weekly or monthly.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The standing order must end after it starts.")]
    wanted = dict(lines)
    listings = Listing.objects.filter(
        pk__in=wanted, cooperative_id=agreement.seller_id, status=ListingStatus.PUBLISHED
    ).values_list("pk", flat=True)
    if not wanted or len(wanted) != len(lines) or set(listings) != set(wanted):
        errors["lines"] = [_("Order published listings of the agreement's seller, each once.")]
    if errors:
        raise ValidationError(errors)
    standing = StandingOrder.objects.create(
        agreement=agreement,
        buyer=buyer,
        schedule=schedule,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    StandingOrderLine.objects.bulk_create(
        StandingOrderLine(standing_order=standing, listing_id=listing, quantity=quantity)
        for listing, quantity in sorted(wanted.items())
    )
    return standing


def periods(standing: StandingOrder, until: date) -> list[date]:
    """The start of every period from the first up to `until` (inclusive)."""
    starts, current, month = [], standing.starts_on, 0
    last = min(until, standing.ends_on) if standing.ends_on else until
    while current <= last:
        starts.append(current)
        if standing.schedule == Schedule.WEEKLY:
            current = current + timedelta(weeks=1)
        else:
            month += 1
            year, index = divmod(standing.starts_on.month - 1 + month, 12)
            day = min(standing.starts_on.day, 28)
            current = date(standing.starts_on.year + year, index + 1, day)
    return starts


def _draft_lines(standing: StandingOrder) -> tuple[list[dict[str, Any]], bool]:
    lines, short = [], False
    for line in standing.lines.select_related("listing__category", "listing__cooperative"):
        listing = line.listing
        priced, agreement = agreement_unit_price(
            listing=listing, buyer=standing.buyer, quantity=line.quantity
        )
        is_out = listing.stock is not None and listing.stock < line.quantity
        short = short or is_out
        lines.append(
            {
                "listing": listing.pk,
                "title": listing.title,
                "unit": listing.unit,
                "quantity": line.quantity,
                "unit_price_amount": priced.unit_price.amount,
                "currency": priced.unit_price.currency,
                "agreement": agreement.pk if agreement else None,
                "is_out_of_stock": is_out,
            }
        )
    return lines, short


def standing_orders_draft(*, today: date | None = None) -> int:
    """Draft every period that has begun and has no draft yet; returns how many were drafted."""
    today = today or timezone.localdate()
    drafted = 0
    standing_orders = StandingOrder.objects.filter(
        is_active=True, agreement__status=AgreementStatus.ACTIVE, starts_on__lte=today
    ).order_by("pk")
    for standing in standing_orders:
        done = set(standing.drafts.values_list("period_start", flat=True))
        for start in periods(standing, today):
            if start in done:
                continue
            lines, short = _draft_lines(standing)
            try:
                with transaction.atomic():
                    StandingOrderDraft.objects.create(
                        standing_order=standing,
                        period_start=start,
                        lines=lines,
                        has_out_of_stock=short,
                    )
            except IntegrityError:  # another run drafted this period first
                continue
            drafted += 1
    return drafted


@transaction.atomic
def draft_decide(*, draft: StandingOrderDraft, actor: Any, action: str) -> StandingOrderDraft:
    """The buyer confirms (`confirm`) or skips (`skip`) one period's draft."""
    draft = (
        StandingOrderDraft.objects.select_for_update(of=("self",))
        .select_related("standing_order__buyer", "standing_order__agreement__seller")
        .get(pk=draft.pk)
    )
    buyer = draft.standing_order.buyer
    forget_roles(actor)
    if not is_member(actor, buyer):
        raise NotFound(_("No such draft order."))
    if not can_manage_cooperative(actor, buyer):
        raise NotPermitted(_("Only owners and admins can confirm or skip a draft order."))
    draft.status = ensure_draft_transition(action, draft.status)
    draft.decided_at = timezone.now()
    draft.save(update_fields=["status", "decided_at"])
    return draft


__all__ = [
    "DraftStatus",
    "draft_decide",
    "periods",
    "standing_order_create",
    "standing_orders_draft",
]
