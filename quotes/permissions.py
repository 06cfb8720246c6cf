"""Who may do what with requests for quotes, quotes and agreements."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, is_member
from marketplace.models import Listing
from marketplace.state import ListingStatus
from quotes.models import Quote, Rfq, Visibility


def rfq_for_sellers(sellers: list[int] | OuterRef) -> Q:
    """The one rule of which requests a seller may see and answer, as a filter on requests: a
    private request is for the cooperatives it names; an open one for any cooperative with a
    published listing in its category (or below it), in its region when it names one; and a
    request stays with a cooperative that quoted on it. Never the buyer's own.

    `sellers` are cooperatives' ids, or `OuterRef("pk")` for the cooperative of an outer query:
    `rfq_sellers` reads the rule the other way (who is told of a new request)."""

    def among(field: str, nested: bool = True) -> dict[str, Any]:
        if isinstance(sellers, OuterRef):  # one level further out inside a subquery
            return {field: OuterRef(sellers) if nested else sellers}
        return {f"{field}__in": sellers}

    invited = Rfq.invited.through.objects.filter(rfq_id=OuterRef("pk"), **among("cooperative_id"))
    in_category = Listing.objects.filter(
        status=ListingStatus.PUBLISHED,
        category__path__startswith=OuterRef("category__path"),
        **among("cooperative_id"),
    )
    in_region = in_category.filter(cooperative__region__iexact=OuterRef("region"))
    quoted = Quote.objects.filter(rfq_id=OuterRef("pk"), **among("seller_id"))
    return (
        Q(Exists(invited), visibility=Visibility.PRIVATE)
        | Q(Exists(in_category), visibility=Visibility.OPEN, region="")
        | Q(Exists(in_region), ~Q(region=""), visibility=Visibility.OPEN)
        | Q(Exists(quoted))
    ) & ~Q(**among("buyer_id", nested=False))


def rfq_sellers(rfq: Rfq) -> QuerySet[Cooperative]:
    """The cooperatives a request is for, by `rfq_for_sellers`: those told of it when it is
    published are exactly those that may then see and answer it."""
    this_rfq = Rfq.objects.filter(pk=rfq.pk).filter(rfq_for_sellers(OuterRef("pk")))
    return Cooperative.objects.filter(Exists(this_rfq)).order_by("pk")


def can_publish_rfq(user: Any, buyer: Any) -> bool:
    """Owners and admins of the buyer cooperative publish its requests and award them."""
    return can_manage_cooperative(user, buyer)


def is_invited(rfq: Rfq, seller: Any) -> bool:
    """Whether the request is for this seller, by the rule of `rfq_for_sellers` (the same the
    lists and pages use)."""
    return Rfq.objects.filter(pk=rfq.pk).filter(rfq_for_sellers([seller.pk])).exists()


def can_view_rfq(user: Any, rfq: Rfq, seller: Any = None) -> bool:
    if is_member(user, rfq.buyer):
        return True
    return seller is not None and is_member(user, seller) and is_invited(rfq, seller)


def can_quote(user: Any, rfq: Rfq, seller: Any) -> bool:
    return can_manage_cooperative(user, seller) and is_invited(rfq, seller)
