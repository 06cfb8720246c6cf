"""Who may see and change listings. One place of rules; the API, pages and admin ask here."""

from typing import Any

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, is_member, is_moderator
from marketplace.models import Listing
from marketplace.state import ListingStatus

# Moderators take these decisions; sellers never do.
MODERATOR_ACTIONS = frozenset({"approve", "reject", "suspend", "reinstate", "overturn_rejection"})
# The seller's own actions (publish_directly only ever through listing_submit and its policy).
SELLER_ACTIONS = frozenset({"submit_for_review", "publish_directly", "archive"})
# A consequence of an edit, taken by whoever edited.
EDIT_ACTIONS = frozenset({"send_back_to_review"})


def can_manage_listings(user: Any, cooperative: Cooperative) -> bool:
    """Owners and admins of the seller create, edit, submit and archive its listings."""
    return can_manage_cooperative(user, cooperative)


def can_edit_listing(user: Any, listing: Listing) -> bool:
    return can_manage_listings(user, listing.cooperative)


def can_view_listing(user: Any, listing: Listing) -> bool:
    """Published listings of cooperatives in good standing are public; members of the seller see
    every listing of theirs; moderators see everything."""
    if is_moderator(user) or is_member(user, listing.cooperative):
        return True
    return listing.status == ListingStatus.PUBLISHED and not listing.cooperative.is_suspended


def can_view_listing_history(user: Any, listing: Listing) -> bool:
    return is_moderator(user) or is_member(user, listing.cooperative)


def can_take_listing_action(user: Any, listing: Listing, action: str) -> bool:
    if action in MODERATOR_ACTIONS:
        return is_moderator(user)
    if action in SELLER_ACTIONS or action in EDIT_ACTIONS:
        return can_edit_listing(user, listing)
    return False


def can_export_catalogue(user: Any, cooperative: Cooperative) -> bool:
    """A seller's whole catalogue, drafts included, is for its members (and moderators)."""
    return is_moderator(user) or is_member(user, cooperative)
