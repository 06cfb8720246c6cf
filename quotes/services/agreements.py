"""Agreements: a seller's conditions for a buyer or a buyer group, accepted by both sides, and
the price they give a cart line."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, ensure_active, forget_roles, is_member
from core.errors import NotFound, NotPermitted
from marketplace.models import Category, Listing
from quotes.models import Agreement, AgreementEvent, AgreementPrice, BuyerGroup
from quotes.pricing import Priced, Tier, best_price, is_in_force
from quotes.services.events import log_status_change
from quotes.services.rfqs import seller_zone
from quotes.state import AgreementStatus, ensure_agreement_transition


def _move(agreement: Agreement, action: str, actor: Any, **changes: Any) -> None:
    """Take the agreement through `action` (if its lifecycle allows it), with `changes`, and log it."""
    before = agreement.status
    agreement.status = ensure_agreement_transition(action, before)
    for name, value in changes.items():
        setattr(agreement, name, value)
    agreement.save(update_fields=["status", *changes])
    log_status_change(AgreementEvent, action, before, agreement.status, actor, agreement=agreement)


@transaction.atomic
def agreement_propose(
    *,
    seller: Cooperative,
    actor: Any,
    name: str,
    currency: str,
    valid_from: date,
    valid_until: date,
    payment_terms_days: int,
    prices: list[dict[str, Any]],
    buyer: Cooperative | None = None,
    buyer_group: BuyerGroup | None = None,
    credit_share_bps: int = 0,
    early_payment_discount_bps: int = 0,
    early_payment_days: int = 0,
    review_on: date | None = None,
    replaces: Agreement | None = None,
) -> Agreement:
    """The seller proposes an agreement (a new version when it `replaces` one); the seller's
    acceptance is its proposal, the buyer accepts with `agreement_accept`."""
    if not can_manage_cooperative(actor, seller):
        raise NotPermitted(_("Only owners and admins of the seller can propose an agreement."))
    ensure_active(seller, "agreement")
    if (buyer is None) == (buyer_group is None):
        raise ValidationError({"buyer": [_("Name one buyer cooperative or one buyer group.")]})
    if buyer_group is not None and buyer_group.seller_id != seller.pk:
        raise ValidationError({"buyer_group": [_("Use a buyer group your cooperative manages.")]})
    if valid_until < valid_from:
        raise ValidationError({"valid_until": [_("The agreement must end after it starts.")]})
    if not prices:
        raise ValidationError({"prices": [_("Give the agreement at least one price.")]})
    _check_own_listings(seller, prices)
    version, series = 1, None
    if replaces is not None:
        version, series = replaces.version + 1, replaces.series or replaces.pk
    agreement = Agreement.objects.create(
        seller=seller,
        buyer=buyer,
        buyer_group=buyer_group,
        name=name,
        currency=currency,
        series=series,
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        payment_terms_days=payment_terms_days,
        credit_share_bps=credit_share_bps,
        early_payment_discount_bps=early_payment_discount_bps,
        early_payment_days=early_payment_days,
        review_on=review_on,
        seller_accepted_at=timezone.now(),
    )
    AgreementPrice.objects.bulk_create(AgreementPrice(agreement=agreement, **p) for p in prices)
    log_status_change(AgreementEvent, "propose", "", agreement.status, actor, agreement=agreement)
    return agreement


def _check_own_listings(seller: Cooperative, prices: list[dict[str, Any]]) -> None:
    """A price row names a listing of the seller's own (by the row's `listing` or `listing_id`):
    another cooperative's would never apply, and its page would show that listing's title."""
    named: set[int] = {
        row["listing"].pk if row.get("listing") is not None else row["listing_id"]
        for row in prices
        if row.get("listing") is not None or row.get("listing_id") is not None
    }
    if named and Listing.objects.filter(pk__in=named, cooperative=seller).count() != len(named):
        raise ValidationError({"prices": [_("Price only listings of your own cooperative.")]})


def agreement_buyer_ids(agreement: Agreement) -> list[int]:
    if agreement.buyer_id:
        return [agreement.buyer_id]
    return list(agreement.buyer_group.members.values_list("pk", flat=True))  # type: ignore[union-attr]


def agreement_lock_for_buyer(
    agreement: Agreement, buyer: Cooperative, actor: Any, refusal: str
) -> Agreement:
    """The agreement, locked, acted on for `buyer` (one of its buyers) by an owner or admin of
    it: a 404 to whoever is not a member of that buyer, `refusal` (a 403) to its other members."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    forget_roles(actor)
    if buyer.pk not in agreement_buyer_ids(agreement) or not is_member(actor, buyer):
        raise NotFound(_("No such agreement."))
    if not can_manage_cooperative(actor, buyer):
        raise NotPermitted(refusal)
    return agreement


@transaction.atomic
def agreement_accept(*, agreement: Agreement, buyer: Cooperative, actor: Any) -> Agreement:
    """The buyer (or, for a group, any member's owner or admin) accepts; it then applies, and
    the version it replaces stops applying."""
    agreement = agreement_lock_for_buyer(
        agreement, buyer, actor, _("Only owners and admins can accept an agreement.")
    )
    ensure_active(buyer, "agreement")
    _move(agreement, "accept", actor, buyer_accepted_at=timezone.now())
    if agreement.series:
        older = (
            Agreement.objects.select_for_update()
            .filter(
                Q(pk=agreement.series) | Q(series=agreement.series),
                status=AgreementStatus.ACTIVE,
            )
            .exclude(pk=agreement.pk)
            .order_by("pk")
        )
        for previous in older:
            _move(previous, "supersede", actor)
    return agreement


@transaction.atomic
def agreement_end(*, agreement: Agreement, actor: Any) -> Agreement:
    """Either side ends the agreement; prices fall back to the public ones."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("seller")
        .get(pk=agreement.pk)
    )
    forget_roles(actor)
    sides = [agreement.seller, *Cooperative.objects.filter(pk__in=agreement_buyer_ids(agreement))]
    if not any(can_manage_cooperative(actor, side) for side in sides):
        if any(is_member(actor, side) for side in sides):
            raise NotPermitted(_("Only owners and admins can end an agreement."))
        raise NotFound(_("No such agreement."))
    _move(agreement, "end", actor)
    return agreement


def agreement_unit_price(
    *, listing: Listing, buyer: Cooperative, quantity: int, now: datetime | None = None
) -> tuple[Priced, Agreement | None]:
    """The unit price of `quantity` of the listing for this buyer (see `agreement_prices`)."""
    return agreement_prices(buyer=buyer, lines=[(listing, quantity)], now=now)[0]


def agreements_active_for(buyer: Cooperative) -> QuerySet[Agreement]:
    """The active agreements that may price the buyer's lines: its own and its buyer groups'
    (whether each is in force today is for the caller to judge, in the seller's local day)."""
    return Agreement.objects.filter(status=AgreementStatus.ACTIVE).filter(
        Q(buyer=buyer) | Q(buyer_group__members=buyer)
    )


def agreement_prices(
    *, buyer: Cooperative, lines: list[tuple[Listing, int]], now: datetime | None = None
) -> list[tuple[Priced, Agreement | None]]:
    """For each (listing, quantity), the best unit price of the active agreements in force (each
    in its seller's local day) between its seller and this buyer, for the listing or its category,
    else the public price; with the agreement that priced it, to say why. A constant number of
    queries whatever the number of lines (one when no agreement applies)."""
    now = now or timezone.now()
    seller_ids = {listing.cooperative_id for listing, _quantity in lines}
    agreements = [
        agreement
        for agreement in agreements_active_for(buyer)
        .filter(seller_id__in=seller_ids)
        .select_related("seller")
        .prefetch_related(
            Prefetch("prices", queryset=AgreementPrice.objects.select_related("category"))
        )
        .distinct()
        .order_by("pk")
        if is_in_force(
            agreement.valid_from, agreement.valid_until, seller_zone(agreement.seller), now
        )
    ]
    paths: dict[int, str] = {}
    if any(price.category_id for agreement in agreements for price in agreement.prices.all()):
        paths = dict(
            Category.objects.filter(
                pk__in={listing.category_id for listing, _quantity in lines}
            ).values_list("pk", "path")
        )
    results = []
    for listing, quantity in lines:
        public = listing.price
        best: tuple[Priced, Agreement | None] = (Priced(public, None), None)
        for agreement in agreements:
            if (
                agreement.seller_id != listing.cooperative_id
                or agreement.currency != public.currency
            ):
                continue
            tiers = [
                Tier(p.min_quantity, p.fixed_price_amount, p.discount_bps)
                for p in agreement.prices.all()
                if p.listing_id == listing.pk
                or (
                    p.category is not None
                    and paths.get(listing.category_id, "").startswith(p.category.path)
                )
            ]
            priced = best_price(public, quantity, tiers)
            if priced.is_agreement and priced.unit_price.amount < best[0].unit_price.amount:
                best = (priced, agreement)
        results.append(best)
    return results


def price_reason(priced: Priced, agreement: Agreement | None) -> str:
    """Why a line costs what it costs: "Agreement FACTA 2027, ≥ 500 units"; empty when public."""
    if agreement is None or priced.tier is None:
        return ""
    if priced.tier.min_quantity > 1:
        return _("Agreement %(name)s, ≥ %(count)s units") % {
            "name": agreement.name,
            "count": priced.tier.min_quantity,
        }
    return _("Agreement %(name)s") % {"name": agreement.name}
