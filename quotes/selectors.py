"""Reads of requests for quotes, quotes, messages, agreements and standing orders, shared by the
API and the pages. Who may see what is decided here, once:

- a request: its buyer's members; the members of a cooperative it privately invites; for an open
  request, the members of a cooperative with a published listing in its category (or below), in
  its region when it names one; and any cooperative that already quoted on it;
- its quotes: the buyer sees all of them, a seller only its own;
- a messages thread (request, seller): the buyer and that seller, no one else;
- an agreement: its seller and its buyer (or the members of its buyer group);
- a standing order and its drafts: its buyer and the agreement's seller.

Anything else is a 404. Each list runs a constant number of queries, whatever its length.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from cooperatives.models import Cooperative, Membership
from cooperatives.permissions import is_member, prime_roles
from cooperatives.state import VerificationStatus
from quotes import permissions
from quotes.models import (
    Agreement,
    AgreementPrice,
    BuyerGroup,
    Quote,
    QuoteVersion,
    Rfq,
    RfqAttachment,
    RfqMessage,
    StandingOrder,
    StandingOrderDraft,
    StandingOrderLine,
)

BUYER, SELLER = "buyer", "seller"


def _cooperative_ids(user: Any) -> list[int]:
    if not (user and user.is_authenticated):
        return []
    return list(
        Membership.objects.filter(user=user)
        .order_by("cooperative_id")
        .values_list("cooperative_id", flat=True)
    )


def _by_role(role: str, *, as_buyer: Q, as_seller: Q) -> Q:
    """One side's rows (`buyer` or `seller`), or both sides' when no role is named."""
    return as_buyer if role == BUYER else as_seller if role == SELLER else as_buyer | as_seller


def _check_member(user: Any, cooperative: Cooperative) -> None:
    if not is_member(user, cooperative):
        raise Http404("No cooperative with this slug among yours.")


# Requests for quotes ---------------------------------------------------------------------------


def _rfq_rows(queryset: QuerySet[Rfq]) -> QuerySet[Rfq]:
    return queryset.select_related("buyer", "category").order_by("-created_at", "-id")


def rfq_list_for_cooperative(
    *, user: Any, cooperative: Cooperative, role: str = "", status: str = ""
) -> QuerySet[Rfq]:
    """The requests one cooperative sees: its own (role `buyer`), those it may answer (role
    `seller`), or both; newest first. For its members only."""
    _check_member(user, cooperative)
    queryset = Rfq.objects.filter(
        _by_role(
            role,
            as_buyer=Q(buyer=cooperative),
            as_seller=permissions.rfq_for_sellers([cooperative.pk]),
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    return _rfq_rows(queryset)


@dataclass
class RfqAccess:
    """A request as one person sees it: as the buyer (all quotes, every thread), or as the
    seller cooperatives of theirs that may answer it (their own quote and thread only)."""

    rfq: Rfq
    is_buyer: bool
    sellers: list[Cooperative] = field(default_factory=list)

    @property
    def seller_ids(self) -> list[int]:
        return [seller.pk for seller in self.sellers]

    def seller_for(self, slug: str = "") -> Cooperative | None:
        """The seller cooperative of the person's that this request concerns (by slug when the
        person has several)."""
        for seller in self.sellers:
            if not slug or seller.slug == slug:
                return seller
        return None


def rfq_get_visible(*, user: Any, rfq_id: int) -> RfqAccess:
    """The request with the side the person sees it from; 404 for anyone else."""
    ids = _cooperative_ids(user)
    rfq = _rfq_rows(Rfq.objects.filter(pk=rfq_id)).prefetch_related(_attachments()).first()
    if rfq is None or not ids:
        raise Http404("No request with this id.")
    if rfq.buyer_id in ids:
        return RfqAccess(rfq, is_buyer=True)
    seller_ids = list(
        Rfq.objects.filter(pk=rfq.pk)
        .filter(permissions.rfq_for_sellers(ids))
        .values_list("pk", flat=True)[:1]
    )
    if not seller_ids:
        raise Http404("No request with this id.")
    sellers = [
        cooperative
        for cooperative in Cooperative.objects.filter(pk__in=ids).order_by("pk")
        if permissions.is_invited(rfq, cooperative)
    ]
    return RfqAccess(rfq, is_buyer=False, sellers=sellers)


def _attachments() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("attachments", queryset=RfqAttachment.objects.order_by("pk"))


def attachment_get_visible(*, user: Any, rfq_id: int, attachment_id: int) -> RfqAttachment:
    """A file attached to a request, for those who see the request; 404 for anyone else."""
    rfq = rfq_get_visible(user=user, rfq_id=rfq_id).rfq
    for attachment in rfq.attachments.all():
        if attachment.pk == attachment_id:
            return attachment
    raise Http404("No attachment with this id.")


def _versions() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "versions",
        queryset=QuoteVersion.objects.select_related("created_by")
        .prefetch_related("lines")
        .order_by("number"),
    )


def quote_list(*, access: RfqAccess) -> QuerySet[Quote]:
    """The quotes of a request the person may read: all for the buyer, a seller only its own;
    each with its versions (oldest first) and their lines."""
    queryset = Quote.objects.filter(rfq=access.rfq)
    if not access.is_buyer:
        queryset = queryset.filter(seller_id__in=access.seller_ids)
    return (
        queryset.select_related("seller", "rfq", "awarded_version")
        .prefetch_related(_versions())
        .order_by("pk")
    )


def quote_get_visible(*, user: Any, quote_id: int) -> Quote:
    """One quote for its request's buyer or its own seller; 404 for anyone else."""
    rfq_id = Quote.objects.filter(pk=quote_id).values_list("rfq_id", flat=True).first()
    if rfq_id is None:
        raise Http404("No quote with this id.")
    try:
        access = rfq_get_visible(user=user, rfq_id=rfq_id)
    except Http404 as exc:
        raise Http404("No quote with this id.") from exc
    quote = quote_list(access=access).filter(pk=quote_id).first()
    if quote is None:
        raise Http404("No quote with this id.")
    return quote


def quote_versions(quote: Quote) -> list[QuoteVersion]:
    """A quote's versions, oldest first (prefetched by `quote_list`)."""
    return list(quote.versions.all())


def quote_latest_version(quote: Quote) -> QuoteVersion | None:
    versions = quote_versions(quote)
    return versions[-1] if versions else None


def message_list(*, access: RfqAccess, seller: Cooperative | None) -> QuerySet[RfqMessage]:
    """The thread between the buyer and one seller, oldest first. The buyer names the seller;
    a seller reads only its own thread (naming another is a 404)."""
    if seller is None or not (access.is_buyer or seller.pk in access.seller_ids):
        raise Http404("No such thread.")
    if access.is_buyer and not permissions.is_invited(access.rfq, seller):
        raise Http404("No such thread.")  # a cooperative the request never reached
    return (
        RfqMessage.objects.filter(rfq=access.rfq, seller=seller)
        .select_related("author", "seller")
        .order_by("created_at", "id")
    )


# Agreements ------------------------------------------------------------------------------------


def _agreement_rows(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return (
        queryset.select_related("seller", "buyer", "buyer_group")
        .prefetch_related(
            Prefetch(
                "prices",
                queryset=AgreementPrice.objects.select_related("listing", "category"),
            )
        )
        .order_by("-created_at", "-id")
    )


def _agreements_of(cooperative_ids: list[int]) -> Q:
    in_group = BuyerGroup.members.through.objects.filter(
        buyergroup_id=OuterRef("buyer_group_id"), cooperative_id__in=cooperative_ids
    )
    return Q(buyer_id__in=cooperative_ids) | Q(Exists(in_group), buyer_group__isnull=False)


def agreement_list_for_cooperative(
    *, user: Any, cooperative: Cooperative, role: str = "", status: str = ""
) -> QuerySet[Agreement]:
    """A cooperative's agreements as seller, as buyer (itself or a group it belongs to), or both;
    newest first, with their price rows."""
    _check_member(user, cooperative)
    queryset = Agreement.objects.filter(
        _by_role(role, as_buyer=_agreements_of([cooperative.pk]), as_seller=Q(seller=cooperative))
    )
    if status:
        queryset = queryset.filter(status=status)
    return _agreement_rows(queryset)


def agreement_get_visible(*, user: Any, agreement_id: int) -> Agreement:
    """One agreement for the members of its seller and of its buyer (or buyer group)."""
    ids = _cooperative_ids(user)
    agreement = (
        _agreement_rows(Agreement.objects.filter(pk=agreement_id))
        .filter(Q(seller_id__in=ids) | _agreements_of(ids))
        .first()
        if ids
        else None
    )
    if agreement is None:
        raise Http404("No agreement with this id.")
    return agreement


def agreement_buyer_for(*, user: Any, agreement: Agreement) -> Cooperative | None:
    """The person's cooperative that is the agreement's buyer (or a member of its group)."""
    ids = _cooperative_ids(user)
    if agreement.buyer_id:
        return agreement.buyer if agreement.buyer_id in ids else None
    return (
        Cooperative.objects.filter(pk__in=ids, buyer_group_memberships=agreement.buyer_group_id)
        .order_by("pk")
        .first()
    )


def buyer_group_list(*, user: Any, cooperative: Cooperative) -> QuerySet[BuyerGroup]:
    """The buyer groups a seller manages, with their members."""
    _check_member(user, cooperative)
    return (
        BuyerGroup.objects.filter(seller=cooperative).prefetch_related("members").order_by("name")
    )


# Standing orders -------------------------------------------------------------------------------


def _standing_rows(queryset: QuerySet[StandingOrder]) -> QuerySet[StandingOrder]:
    return (
        queryset.select_related("buyer", "agreement__seller")
        .prefetch_related(
            Prefetch("lines", queryset=StandingOrderLine.objects.select_related("listing")),
            Prefetch("drafts", queryset=StandingOrderDraft.objects.order_by("period_start")),
        )
        .order_by("-created_at", "-id")
    )


def standing_order_list_for_cooperative(
    *, user: Any, cooperative: Cooperative, role: str = ""
) -> QuerySet[StandingOrder]:
    """A cooperative's standing orders as buyer, as the agreement's seller, or both, with their
    lines and drafts."""
    _check_member(user, cooperative)
    condition = _by_role(
        role, as_buyer=Q(buyer=cooperative), as_seller=Q(agreement__seller=cooperative)
    )
    return _standing_rows(StandingOrder.objects.filter(condition))


def standing_order_get_visible(*, user: Any, standing_order_id: int) -> StandingOrder:
    ids = _cooperative_ids(user)
    standing = (
        _standing_rows(StandingOrder.objects.filter(pk=standing_order_id))
        .filter(Q(buyer_id__in=ids) | Q(agreement__seller_id__in=ids))
        .first()
        if ids
        else None
    )
    if standing is None:
        raise Http404("No standing order with this id.")
    prime_roles(user, [standing.buyer_id, standing.agreement.seller_id])
    return standing


def draft_get_visible(*, user: Any, standing_order_id: int, draft_id: int) -> StandingOrderDraft:
    """One period's draft of a standing order the person sees (its buyer or seller)."""
    standing = standing_order_get_visible(user=user, standing_order_id=standing_order_id)
    draft = next((d for d in standing.drafts.all() if d.pk == draft_id), None)
    if draft is None:
        raise Http404("No draft order with this id.")
    draft.standing_order = standing
    return draft


# What the pages add ----------------------------------------------------------------------------

PICKER_LIMIT = 30


def rfq_get_as_seller(*, user: Any, rfq_id: int, slug: str) -> RfqAccess:
    """The request as the person's seller cooperative `slug` sees it, even when the person also
    belongs to the buyer (a member of both opens the seller's side from the seller's list); 404
    when that cooperative may not answer it or is not theirs."""
    ids = _cooperative_ids(user)
    seller = Cooperative.objects.filter(pk__in=ids, slug=slug).first() if ids else None
    rfq = _rfq_rows(Rfq.objects.filter(pk=rfq_id)).prefetch_related(_attachments()).first()
    if seller is None or rfq is None or not permissions.is_invited(rfq, seller):
        raise Http404("No request with this id.")
    return RfqAccess(rfq, is_buyer=False, sellers=[seller])


def cooperatives_to_invite(
    *, search: str, exclude: Cooperative, chosen: list[int]
) -> list[Cooperative]:
    """The picker of a private request: the cooperatives already chosen, then up to
    PICKER_LIMIT others whose name, sector, city, region or country matches `search` (no
    suspended one)."""
    visible = Cooperative.objects.exclude(pk=exclude.pk).exclude(
        verification_status=VerificationStatus.SUSPENDED
    )
    picked = list(visible.filter(pk__in=chosen).order_by("name"))
    words = search.strip()
    if not words:
        return picked
    found = (
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
    return picked + list(found)
