"""Writes to a buyer cooperative's cart. The cart row is locked for every change, so two people
adding the same listing at once end with one line holding both quantities."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.permissions import ensure_active
from core.errors import DomainError, NotPermitted
from marketplace.models import Listing
from orders import permissions
from orders.models import (
    MAX_AMOUNT,
    MAX_CART_LINES,
    MAX_QUANTITY,
    Cart,
    CartLine,
    Order,
    OrderLine,
)
from orders.rules import listing_unavailable, quantity_problem
from orders.services.checkout import CheckoutConflict


def _check_quantity_range(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise ValidationError({"quantity": [_("A whole number is required.")]})
    if quantity < 1:
        raise ValidationError({"quantity": [_("Order at least 1.")]})
    if quantity > MAX_QUANTITY:
        raise ValidationError(
            {
                "quantity": [
                    _("At most %(MAX_QUANTITY)s per line.")
                    % {"MAX_QUANTITY": format(MAX_QUANTITY, ",")}
                ]
            }
        )


def _check_buyer(cooperative: Cooperative) -> None:
    ensure_active(cooperative, "fill_cart")


def _check_orderable(listing: Listing | None, buyer: Cooperative, *, is_new: bool) -> Listing:
    """A listing being added that cannot be ordered is a bad field (unpublished ones are not
    revealed); a line already in the cart whose listing went away is a conflict to resolve."""
    problem = listing_unavailable(listing, buyer)
    if problem is not None:
        if problem.code == "own_listing":
            raise ValidationError({"listing": [problem.detail]})
        if is_new and problem.code == "listing_unavailable":
            raise ValidationError({"listing": [_("No published listing with this id.")]})
        raise DomainError(problem.detail, code=problem.code)
    assert listing is not None
    return listing


def _check_quantity(listing: Listing, quantity: int, unit_price_amount: int) -> None:
    _check_quantity_range(quantity)
    problem = quantity_problem(listing, quantity)
    if problem is not None:
        if problem.code == "below_minimum":
            raise ValidationError({"quantity": [problem.detail]})
        raise DomainError(problem.detail, code=problem.code)
    if unit_price_amount * quantity > MAX_AMOUNT:
        raise ValidationError({"quantity": [_("This line is too large for one order.")]})


def _lock_cart(cooperative: Cooperative) -> Cart:
    """Lock the cooperative's cart row, creating it the first time (one query once it exists)."""
    cart = Cart.objects.select_for_update().filter(cooperative=cooperative).first()
    if cart is None:
        Cart.objects.bulk_create([Cart(cooperative=cooperative)], ignore_conflicts=True)
        cart = Cart.objects.select_for_update().get(cooperative=cooperative)
    cart.cooperative = cooperative
    return cart


def _load_listing(listing_id: int) -> Listing | None:
    return Listing.objects.select_related("cooperative").filter(pk=listing_id).first()


@transaction.atomic
def cart_add_item(
    *, cooperative: Cooperative, listing_id: int, quantity: int, actor: Any
) -> tuple[CartLine, bool]:
    """Add a listing to the cart, or add to the quantity of its line. Returns (line, created);
    the line comes with its cart (and cooperative), listing (and seller)."""
    if not permissions.can_fill_cart(actor, cooperative):
        raise NotPermitted(_("Only members of the cooperative can fill its cart."))
    _check_buyer(cooperative)
    _check_quantity_range(quantity)
    listing = _check_orderable(_load_listing(listing_id), cooperative, is_new=True)
    return _add_to_locked_cart(_lock_cart(cooperative), listing, quantity, actor)


def _cart_full() -> DomainError:
    return DomainError(
        _("A cart holds at most %(MAX_CART_LINES)s lines: check out or remove some first.")
        % {"MAX_CART_LINES": MAX_CART_LINES},
        code="cart_full",
    )


def _new_line(cart: Cart, listing: Listing, quantity: int, actor: Any) -> CartLine:
    """A cart line (not saved) for an orderable listing, at its price now."""
    return CartLine(
        cart=cart,
        listing=listing,
        seller=listing.cooperative,
        title=listing.title,
        unit=listing.unit,
        quantity=quantity,
        unit_price_amount=listing.price_amount,
        currency=listing.currency,
        added_by=actor,
    )


def _add_to_locked_cart(
    cart: Cart, listing: Listing, quantity: int, actor: Any
) -> tuple[CartLine, bool]:
    """Add an orderable listing to a cart locked by the caller: a new line at the listing's
    price, or more of the line it has (whose remembered price stays)."""
    # The number of lines and the listing's line if it has one, in one query.
    found = cart.lines.aggregate(
        line_count=Count("pk"), line_id=Max("pk", filter=Q(listing=listing))
    )
    line = None
    if found["line_id"]:
        line = CartLine.objects.select_related("seller").get(pk=found["line_id"])
        line.cart, line.listing = cart, listing
    if line is None:
        if found["line_count"] >= MAX_CART_LINES:
            raise _cart_full()
        _check_quantity(listing, quantity, listing.price_amount)
        line = _new_line(cart, listing, quantity, actor)
        line.save(force_insert=True)
        return line, True
    # The remembered price stays: only an explicit confirmation accepts a new price.
    new_quantity = line.quantity + quantity
    _check_quantity(listing, new_quantity, max(line.unit_price_amount, listing.price_amount))
    line.quantity = new_quantity
    line.save(update_fields=["quantity", "updated_at"])
    return line, False


@dataclass(frozen=True)
class LineAgain:
    """A line of the earlier order (`ordered`) and the cart line it went into (`line`)."""

    ordered: OrderLine
    line: CartLine


@dataclass(frozen=True)
class OrderedAgain:
    """What `cart_order_again` put in the cart (`added`) and what it left out: per order line
    left out, its `id`, `listing`, `title`, `code` and `detail` (a checkout's problem lines)."""

    added: list[LineAgain]
    skipped: list[dict[str, Any]]


@transaction.atomic
def cart_order_again(*, order: Order, actor: Any) -> OrderedAgain:
    """Put the lines of an earlier order in its buyer's cart, in the same quantities, at what
    the listings cost now (an agreement in force still prices them at checkout). A line whose
    listing is gone, unpublished, sold out or otherwise not orderable now is left out with the
    reason; the others go in. Nothing goes in when nothing can (`CheckoutConflict`, 409).
    The locked cart's lines are read once and every line is checked before anything is
    written (one insert, one update): the same queries for one line or for many."""
    buyer = order.buyer
    if not permissions.can_fill_cart(actor, buyer):
        raise NotPermitted(_("Only members of the buying cooperative can order this again."))
    _check_buyer(buyer)
    cart = _lock_cart(buyer)
    lines = list(order.lines.order_by("pk"))
    listings = Listing.objects.select_related("cooperative").in_bulk(
        {line.listing_id for line in lines if line.listing_id}
    )
    held = list(cart.lines.all())
    line_count = len(held)
    by_listing = {line.listing_id: line for line in held if line.listing_id}
    new_lines: list[CartLine] = []
    more: dict[int, CartLine] = {}  # lines the cart held, given more
    added: list[LineAgain] = []
    skipped: list[dict[str, Any]] = []
    for line in lines:
        listing = listings.get(line.listing_id)
        try:
            orderable = _check_orderable(listing, buyer, is_new=False)
            again = by_listing.get(orderable.pk)
            if again is None:
                if line_count >= MAX_CART_LINES:
                    raise _cart_full()
                _check_quantity(orderable, line.quantity, orderable.price_amount)
                again = _new_line(cart, orderable, line.quantity, actor)
                new_lines.append(again)
                by_listing[orderable.pk] = again
                line_count += 1
            else:
                # The remembered price stays: only an explicit confirmation accepts a new one.
                quantity = again.quantity + line.quantity
                price = max(again.unit_price_amount, orderable.price_amount)
                _check_quantity(orderable, quantity, price)
                again.quantity = quantity
                if again.pk:
                    more[again.pk] = again
            added.append(LineAgain(ordered=line, line=again))
        except (DomainError, ValidationError) as refusal:
            skipped.append(_refused_line(line, listing, refusal))
    if not added:
        raise CheckoutConflict(
            _("Nothing of order #%(id)s can be ordered now.") % {"id": order.pk},
            code="nothing_to_order_again",
            lines=skipped,
        )
    CartLine.objects.bulk_create(new_lines)
    now = timezone.now()
    for again in more.values():
        again.updated_at = now
    CartLine.objects.bulk_update(list(more.values()), ["quantity", "updated_at"])
    return OrderedAgain(added=added, skipped=skipped)


def _refused_line(
    line: OrderLine, listing: Listing | None, refusal: DomainError | ValidationError
) -> dict[str, Any]:
    """A line left out, as a checkout's problem line (codes of core/error_codes.toml; the
    detail names the line first, as checkout's do)."""
    if isinstance(refusal, DomainError):
        code, why = refusal.code, str(refusal.detail)
    else:  # `_check_quantity`'s field errors: below the minimum, or too large for one order
        below = listing is not None and line.quantity < listing.min_order_quantity
        code, why = ("below_minimum" if below else "line_too_large"), " ".join(refusal.messages)
    return {
        "id": line.pk,
        "listing": line.listing_id,
        "title": line.title,
        "code": code,
        "detail": f"“{line.title}”: {why}",
    }


@transaction.atomic
def cart_update_item(
    *, line: CartLine, actor: Any, quantity: int | None = None, confirm_price: bool = False
) -> CartLine:
    """Change a line's quantity and/or accept the listing's current price, title and unit."""
    cooperative = line.cart.cooperative
    if not permissions.can_fill_cart(actor, cooperative):
        raise NotPermitted(_("Only members of the cooperative can change its cart."))
    _check_buyer(cooperative)
    _lock_cart(cooperative)
    line = CartLine.objects.select_for_update().get(pk=line.pk)
    listing = _check_orderable(
        _load_listing(line.listing_id) if line.listing_id else None, cooperative, is_new=False
    )
    fields = ["updated_at"]
    if confirm_price:
        line.unit_price_amount = listing.price_amount
        line.currency = listing.currency
        line.title = listing.title
        line.unit = listing.unit
        fields += ["unit_price_amount", "currency", "title", "unit"]
    if quantity is not None:
        line.quantity = quantity
        fields.append("quantity")
    _check_quantity(listing, line.quantity, max(line.unit_price_amount, listing.price_amount))
    line.save(update_fields=fields)
    return line


@transaction.atomic
def cart_remove_item(*, line: CartLine, actor: Any) -> None:
    if not permissions.can_fill_cart(actor, line.cart.cooperative):
        raise NotPermitted(_("Only members of the cooperative can change its cart."))
    _lock_cart(line.cart.cooperative)
    CartLine.objects.filter(pk=line.pk).delete()
