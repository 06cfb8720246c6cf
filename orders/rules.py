"""Whether a listing can be ordered by a buyer, and what is wrong with a cart line. No I/O: the
callers load listings with their cooperative."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from marketplace.models import Listing, unit_quantity
from marketplace.state import ListingStatus


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    detail: str


def listing_unavailable(listing: Listing | None, buyer: Cooperative) -> Problem | None:
    """A listing is orderable when it is published, its seller is not suspended and is not the buyer."""
    if listing is None:
        return Problem("listing_unavailable", _("This listing no longer exists."))
    if listing.status != ListingStatus.PUBLISHED:
        return Problem("listing_unavailable", _("This listing is not published any more."))
    if listing.cooperative.is_suspended:
        return Problem("seller_suspended", _("The seller cooperative is suspended."))
    if listing.cooperative_id == buyer.pk:
        return Problem("own_listing", _("A cooperative cannot order from itself."))
    return None


def quantity_problem(listing: Listing, quantity: int) -> Problem | None:
    """The quantity respects the minimum order and, for listings with stock, what is there now."""
    if quantity < listing.min_order_quantity:
        return Problem(
            "below_minimum",
            _("The minimum order is %(quantity)s.")
            % {"quantity": unit_quantity(listing.min_order_quantity, listing.unit)},
        )
    if listing.stock is not None and quantity > listing.stock:
        return Problem(
            "insufficient_stock",
            _("Only %(quantity)s available now.")
            % {"quantity": unit_quantity(listing.stock, listing.unit)},
        )
    return None


def price_changed(listing: Listing, unit_price_amount: int, currency: str) -> bool:
    return listing.price_amount != unit_price_amount or listing.currency != currency
