"""Reads of requests for quotes, quotes, agreements and standing orders: who sees what.

A request is seen by the buyer's members and by the members of a seller it is for (named on a
private request; selling in its category, and region when it names one, for an open one);
anyone else gets a 404. A quote, its versions and its thread: the buyer and that seller only.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, is_member
from cooperatives.state import VerificationStatus
from marketplace.models import Listing
from marketplace.state import ListingStatus
from quotes.models import (
    Agreement,
    Quote,
    QuoteVersion,
    Rfq,
    RfqMessage,
    StandingOrder,
    StandingOrderDraft,
    Visibility,
)

PICKER_LIMIT = 30


def rfqs_for_seller(cooperative: Cooperative) -> QuerySet[Rfq]:
    """The requests this cooperative may answer: those naming it, and the open ones of its
    categories (and region)."""
    selling = Exists(
        Listing.objects.filter(
            cooperative=cooperative,
            status=ListingStatus.PUBLISHED,
            category__path__startswith=OuterRef("category__path"),
        )
    )
    open_here = Q(visibility=Visibility.OPEN) & (Q(region="") | Q(region__iexact=cooperative.region))
    return (
        Rfq.objects.exclude(buyer=cooperative)
        .filter(Q(visibility=Visibility.PRIVATE, invited=cooperative) | (open_here & selling))
        .select_related("buyer")
        .distinct()
        .order_by("-created_at", "-id")
    )


def rfqs_of_buyer(cooperative: Cooperative) -> QuerySet[Rfq]:
    return (
        Rfq.objects.filter(buyer=cooperative)
        .prefetch_related("quotes")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class RfqView:
    """A request as one person sees it: as the buyer, or as the one seller of theirs it is for."""

    rfq: Rfq
    is_buyer: bool
    seller: Cooperative | None
    can_act: bool  # owner or admin of the side they see it from


def _sellers_of(user: Any, rfq: Rfq) -> list[Cooperative]:
    if not (user and user.is_authenticated):
        return []
    mine = Cooperative.objects.filter(memberships__user=user).exclude(pk=rfq.buyer_id)
    return [c for c in mine.order_by("pk") if rfqs_for_seller(c).filter(pk=rfq.pk).exists()]


def rfq_get_visible(*, user: Any, rfq_id: int, seller_slug: str = "") -> RfqView:
    """The request as the buyer's member sees it, or as a member of a seller it is for (the one
    named by `seller_slug` when the person belongs to several); else a 404."""
    rfq = (
        Rfq.objects.select_related("buyer", "category")
        .prefetch_related("attachments", "invited")
        .filter(pk=rfq_id)
        .first()
    )
    if rfq is None:
        raise Http404("No such request.")
    if is_member(user, rfq.buyer) and not seller_slug:
        return RfqView(rfq, True, None, can_manage_cooperative(user, rfq.buyer))
    sellers = _sellers_of(user, rfq)
    if seller_slug:
        sellers = [s for s in sellers if s.slug == seller_slug]
    if not sellers:
        raise Http404("No such request.")
    return RfqView(rfq, False, sellers[0], can_manage_cooperative(user, sellers[0]))


def _latest_versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=QuoteVersion.objects.prefetch_related("lines").order_by("-number"),
    )


def quotes_of(rfq: Rfq, seller: Cooperative | None = None) -> list[Quote]:
    """The request's quotes (only `seller`'s when given), each with its versions newest first
    (`quote.versions.all()[0]` is the latest)."""
    queryset = Quote.objects.filter(rfq=rfq).select_related("seller")
    if seller is not None:
        queryset = queryset.filter(seller=seller)
    return list(queryset.prefetch_related(_latest_versions()).order_by("pk"))


@dataclass(frozen=True)
class QuoteView:
    quote: Quote
    is_buyer: bool
    can_act: bool


def quote_get_visible(*, user: Any, quote_id: int) -> QuoteView:
    """A quote for the buyer's members and the seller's members; anyone else a 404."""
    quote = (
        Quote.objects.select_related("rfq__buyer", "seller")
        .prefetch_related(_latest_versions())
        .filter(pk=quote_id)
        .first()
    )
    if quote is None:
        raise Http404("No such quote.")
    if is_member(user, quote.rfq.buyer):
        return QuoteView(quote, True, can_manage_cooperative(user, quote.rfq.buyer))
    if is_member(user, quote.seller):
        return QuoteView(quote, False, can_manage_cooperative(user, quote.seller))
    raise Http404("No such quote.")


def thread_of(rfq: Rfq, seller: Cooperative) -> QuerySet[RfqMessage]:
    """The messages between the buyer and one seller (the caller checked who may read them)."""
    return RfqMessage.objects.filter(rfq=rfq, seller=seller).select_related("author")


def seller_for_thread(*, view: RfqView, slug: str) -> Cooperative:
    """Whose thread a post goes to: the viewer's own cooperative for a seller; for the buyer, a
    seller the request is for, named by slug (anyone else: 404)."""
    if not view.is_buyer:
        assert view.seller is not None
        return view.seller
    candidates = Cooperative.objects.filter(slug=slug).exclude(pk=view.rfq.buyer_id).first()
    if candidates is None or not rfqs_for_seller(candidates).filter(pk=view.rfq.pk).exists():
        raise Http404("No such seller for this request.")
    return candidates


def cooperatives_to_invite(*, search: str, exclude: Cooperative, chosen: list[int]) -> list[Cooperative]:
    """The picker of a private request: the cooperatives already chosen, then up to
    PICKER_LIMIT others whose name, sector, city or country matches `search` (none suspended)."""
    visible = Cooperative.objects.exclude(pk=exclude.pk).exclude(
        verification_status=VerificationStatus.SUSPENDED
    )
    picked = list(visible.filter(pk__in=chosen).order_by("name"))
    found: list[Cooperative] = []
    words = search.strip()
    if words:
        found = list(
            visible.filter(
                Q(name__icontains=words)
                | Q(sector__icontains=words)
                | Q(city__icontains=words)
                | Q(region__icontains=words)
                | Q(country__iexact=words)
            )
            .exclude(pk__in=chosen)
            .order_by("name")[:PICKER_LIMIT]
        )
    return picked + found


def agreements_of(cooperative: Cooperative) -> QuerySet[Agreement]:
    """The agreements where the cooperative sells, buys, or belongs to the buyer group."""
    return (
        Agreement.objects.filter(
            Q(seller=cooperative) | Q(buyer=cooperative) | Q(buyer_group__members=cooperative)
        )
        .select_related("seller", "buyer", "buyer_group")
        .prefetch_related("prices__listing", "prices__category")
        .distinct()
        .order_by("-created_at", "-id")
    )


def agreement_get_visible(*, user: Any, agreement_id: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related("seller", "buyer", "buyer_group")
        .prefetch_related("prices__listing", "prices__category", "buyer_group__members")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement.")
    sides = [agreement.seller]
    if agreement.buyer is not None:
        sides.append(agreement.buyer)
    elif agreement.buyer_group is not None:
        sides.extend(agreement.buyer_group.members.all())
    if not any(is_member(user, side) for side in sides):
        raise Http404("No such agreement.")
    return agreement


def agreement_buyers_managed_by(user: Any, agreement: Agreement) -> list[Cooperative]:
    """The agreement's buyer cooperatives (the buyer, or the group's members) whose owner or
    admin this person is: the ones they may accept or end it for."""
    if agreement.buyer is not None:
        buyers = [agreement.buyer]
    elif agreement.buyer_group is not None:
        buyers = list(agreement.buyer_group.members.all().order_by("pk"))
    else:
        buyers = []
    return [buyer for buyer in buyers if can_manage_cooperative(user, buyer)]


def standing_orders_of(cooperative: Cooperative) -> QuerySet[StandingOrder]:
    """The standing orders the cooperative buys with, or sells under, with their drafts."""
    return (
        StandingOrder.objects.filter(Q(buyer=cooperative) | Q(agreement__seller=cooperative))
        .select_related("agreement__seller", "buyer")
        .prefetch_related(
            "lines__listing",
            Prefetch("drafts", queryset=StandingOrderDraft.objects.order_by("-period_start")),
        )
        .order_by("-created_at", "-id")
    )


def draft_get_visible(*, user: Any, draft_id: int) -> StandingOrderDraft:
    draft = (
        StandingOrderDraft.objects.select_related(
            "standing_order__buyer", "standing_order__agreement__seller"
        )
        .filter(pk=draft_id)
        .first()
    )
    if draft is None or not is_member(user, draft.standing_order.buyer):
        raise Http404("No such draft order.")
    return draft


__all__ = [
    "RfqView",
    "QuoteView",
    "agreement_buyers_managed_by",
    "agreement_get_visible",
    "agreements_of",
    "cooperatives_to_invite",
    "draft_get_visible",
    "quote_get_visible",
    "quotes_of",
    "rfq_get_visible",
    "rfqs_for_seller",
    "rfqs_of_buyer",
    "seller_for_thread",
    "standing_orders_of",
    "thread_of",
]
