"""Who may do what with carts and orders. One place of rules; the API, pages and admin ask here.

Members of a buyer cooperative may fill its cart (a purchasing member prepares the order); only its
owners and admins check out, because checking out commits the cooperative's money.
"""

from typing import Any

from cooperatives.models import MANAGING_ROLES, Cooperative
from cooperatives.permissions import is_active_for, is_member, is_moderator, role_in
from orders import payments
from orders.models import Order
from orders.state import ACTIONS, Side, Transition, find_transition
from quotes.permissions import can_publish_rfq


def can_view_cart(user: Any, cooperative: Cooperative) -> bool:
    return is_member(user, cooperative)


def can_fill_cart(user: Any, cooperative: Cooperative) -> bool:
    return is_member(user, cooperative)


def can_checkout(user: Any, cooperative: Cooperative) -> bool:
    return role_in(user, cooperative) in MANAGING_ROLES


def sides_of(user: Any, order: Order) -> set[str]:
    """The sides of the order the user belongs to (a person may be a member of both)."""
    sides = set()
    if is_member(user, order.buyer):
        sides.add(Side.BUYER.value)
    if is_member(user, order.seller):
        sides.add(Side.SELLER.value)
    return sides


def managing_sides_of(user: Any, order: Order) -> set[str]:
    sides = set()
    if role_in(user, order.buyer) in MANAGING_ROLES:
        sides.add(Side.BUYER.value)
    if role_in(user, order.seller) in MANAGING_ROLES:
        sides.add(Side.SELLER.value)
    return sides


def can_view_order(user: Any, order: Order) -> bool:
    return bool(sides_of(user, order)) or is_moderator(user)


def acting_side(user: Any, order: Order, transition: Transition) -> str | None:
    """The side on whose behalf the user may take this transition, or None."""
    allowed = managing_sides_of(user, order) & set(transition.sides)
    if not allowed:
        return None
    # Only a person who manages both cooperatives can have two; the seller side is recorded then.
    return Side.SELLER.value if Side.SELLER.value in allowed else Side.BUYER.value


# What each order action is called in cooperatives.permissions.SUSPENDED_MAY.
SUSPENDED_ACTIONS = {
    "accept": "accept_order",
    "decline": "decline_order",
    "fulfil": "fulfil_order",
    "complete": "complete_order",
    "cancel": "cancel_order",
}


def acting_cooperative(order: Order, side: str) -> Cooperative:
    return order.seller if side == Side.SELLER else order.buyer


def can_transition_order(user: Any, order: Order, action: str) -> bool:
    transition = find_transition(action, order.status)
    side = acting_side(user, order, transition) if transition is not None else None
    if side is None:
        return False
    if not is_active_for(acting_cooperative(order, side), SUSPENDED_ACTIONS[action]):
        return False
    # A card order is accepted once its payment succeeded.
    return action != "accept" or payments.is_order_payable_now(order)


def available_transitions(user: Any, order: Order) -> list[str]:
    """The lifecycle transitions the user may take now."""
    return [action for action in ACTIONS if can_transition_order(user, order, action)]


def has_catalogue_line(order: Order) -> bool:
    """Whether a line of the order came from a listing (a quote's lines are free text)."""
    return any(line.listing_id for line in order.lines.all())


def can_order_again(user: Any, order: Order) -> bool:
    """Members of the buying cooperative put an order's lines in its cart again, when at least
    one line came from a listing (there is nothing else to add)."""
    return can_fill_cart(user, order.buyer) and has_catalogue_line(order)


def is_quote_only(order: Order) -> bool:
    """An order from a quote whose lines are all free text: nothing in it can go in a cart."""
    return order.quote_version_id is not None and not has_catalogue_line(order)


def can_ask_again(user: Any, order: Order) -> bool:
    """Such an order is asked again instead: the buyer's owners and admins (who publish its
    requests) send the same seller a new request for quotes."""
    return is_quote_only(order) and can_publish_rfq(user, order.buyer)


# What an order's `actions` may name besides its transitions: the other things its reader may do.
OTHER_ACTIONS = {"order_again": can_order_again, "ask_again": can_ask_again}
ORDER_ACTIONS = (*ACTIONS, *OTHER_ACTIONS)


def available_actions(user: Any, order: Order) -> list[str]:
    """What the user may do with the order now: its transitions, then the others."""
    others = [action for action, may in OTHER_ACTIONS.items() if may(user, order)]
    return available_transitions(user, order) + others


def manages_seller(user: Any, order: Order) -> bool:
    return role_in(user, order.seller) in MANAGING_ROLES


def can_read_messages(user: Any, order: Order) -> bool:
    """The thread is between the two cooperatives: not even moderators read it."""
    return bool(sides_of(user, order))


def can_post_message(user: Any, order: Order) -> bool:
    return bool(sides_of(user, order))


def can_view_invoice(user: Any, order: Order) -> bool:
    return can_view_order(user, order)


def can_view_reports(user: Any, cooperative: Cooperative) -> bool:
    return is_member(user, cooperative) or is_moderator(user)


def can_flag_order(user: Any) -> bool:
    return is_moderator(user)
