"""How a checkout is settled: the seam the orders code calls, which hands each call to the
checkout's or order's rail (`orders.payments.rails`): by invoice between cooperatives, or by card
through Stripe Connect. No function here asks which rail it is.

- `available_methods()` lists the methods a buyer may choose now (cards need Stripe keys);
- `can_receive_card_payments(seller)`: whether a card checkout may include this seller;
- `initial_statuses(method)` gives a new checkout's (status, payment_status), and
  `checkout_placed(checkout)` records its payment, both inside the checkout transaction: no
  network call there;
- `payment_payload(checkout)` is called by the view after commit and answers the `payment` field
  of the checkout response (`None` for invoice; `{client_secret, publishable_key}` for cards,
  creating the PaymentIntent on the first call);
- `payment_refusal(checkout)` says why a checkout can no longer be paid; `payment_payload`
  refuses such a checkout with a 409 `checkout_not_payable`;
- `check_order_transition(order, action)` and `order_closed(order)` inside `order_transition`:
  a card order is accepted once paid; a paid one cancelled or declined is refunded after commit.
"""

from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from orders.payments.rails import RAILS, available_methods, rail_for

__all__ = [
    "available_methods",
    "can_receive_card_payments",
    "check_order_transition",
    "checkout_placed",
    "initial_statuses",
    "is_order_payable_now",
    "order_closed",
    "payment_payload",
    "payment_refusal",
    "rail_for",
]


def initial_statuses(method: str) -> tuple[str, str]:
    rail = RAILS.get(method)
    if rail is None:
        raise DomainError(
            _("Card payments are not available on this exchange yet: choose invoice settlement."),
            code="payment_method_unavailable",
        )
    return rail.initial_statuses()


def can_receive_card_payments(cooperative: Any) -> bool:
    return rail_for("stripe").can_pay(cooperative, "")


def checkout_placed(checkout: Any) -> None:
    rail_for(checkout.payment_method).checkout_placed(checkout)


def payment_payload(checkout: Any) -> dict[str, str] | None:
    return rail_for(checkout.payment_method).payment_payload(checkout)


def payment_refusal(checkout: Any) -> str | None:
    """Why a checkout can no longer be paid (cancelled, expired, an order closed), or None."""
    return rail_for(checkout.payment_method).payment_refusal(checkout)


def check_order_transition(order: Any, action: str) -> None:
    rail_for(order.payment_method).check_order_transition(order, action)


def is_order_payable_now(order: Any) -> bool:
    """Whether the order's payment lets the seller act on it (cards: once paid)."""
    return rail_for(order.payment_method).is_order_payable_now(order)


def order_closed(order: Any) -> None:
    rail_for(order.payment_method).order_closed(order)
