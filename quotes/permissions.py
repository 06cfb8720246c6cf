"""Who may do what with requests for quotes, quotes and agreements."""

from typing import Any

from cooperatives.permissions import can_manage_cooperative, is_member
from quotes.models import Rfq, Visibility


def can_publish_rfq(user: Any, buyer: Any) -> bool:
    """Owners and admins of the buyer cooperative publish its requests and award them."""
    return can_manage_cooperative(user, buyer)


def is_invited(rfq: Rfq, seller: Any) -> bool:
    """A private request is for the cooperatives it names; an open one for any cooperative whose
    region matches (when it names one) and that sells in its category (checked by the selector)."""
    if seller.pk == rfq.buyer_id:
        return False
    if rfq.visibility == Visibility.PRIVATE:
        return rfq.invited.filter(pk=seller.pk).exists()
    return not rfq.region or seller.region.casefold() == rfq.region.casefold()


def can_view_rfq(user: Any, rfq: Rfq, seller: Any = None) -> bool:
    if is_member(user, rfq.buyer):
        return True
    return seller is not None and is_member(user, seller) and is_invited(rfq, seller)


def can_quote(user: Any, rfq: Rfq, seller: Any) -> bool:
    return can_manage_cooperative(user, seller) and is_invited(rfq, seller)
