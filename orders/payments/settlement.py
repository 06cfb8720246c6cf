"""How a checkout is settled: by invoice between cooperatives, or by card through Stripe Connect.

The seam the orders code calls (it never talks to Stripe itself):
- `available_methods()` lists the methods a buyer may choose now (cards need Stripe keys);
- `can_receive_card_payments(seller)`: whether a card checkout may include this seller;
- `initial_statuses(method)` gives a new checkout's (status, payment_status), and
  `checkout_placed(checkout)` records its payment, both inside the checkout transaction: no
  network call there;
- `payment_payload(checkout)` is called by the view after commit and answers the `payment` field
  of the checkout response (`None` for invoice; `{client_secret, publishable_key}` for cards,
  creating the PaymentIntent on the first call);
- `payment_refusal(checkout)` says why a card checkout can no longer be paid; `payment_payload`
  refuses such a checkout with a 409 `checkout_not_payable`;
- `check_order_transition(order, action)` and `order_closed(order)` inside `order_transition`:
  a card order is accepted once paid; a paid one cancelled or declined is refunded after commit.

The card side lives in `orders/payments/services/`, imported lazily here because the orders
services import this module.
"""

from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from orders.payments import gateway
from orders.state import CheckoutStatus, PaymentMethod, PaymentStatus


def available_methods() -> list[str]:
    methods = [PaymentMethod.INVOICE.value]
    if gateway.is_configured():
        methods.append(PaymentMethod.STRIPE.value)
    return methods


def initial_statuses(method: str) -> tuple[str, str]:
    if method == PaymentMethod.INVOICE:
        return CheckoutStatus.PLACED.value, PaymentStatus.BY_INVOICE.value
    if method == PaymentMethod.STRIPE and gateway.is_configured():
        return CheckoutStatus.AWAITING_PAYMENT.value, PaymentStatus.PENDING.value
    raise DomainError(
        _("Card payments are not available on this exchange yet: choose invoice settlement."),
        code="payment_method_unavailable",
    )


def can_receive_card_payments(cooperative: Any) -> bool:
    from orders.payments.services import can_receive_card_payments as can_receive

    return can_receive(cooperative)


def checkout_placed(checkout: Any) -> None:
    if checkout.payment_method == PaymentMethod.STRIPE:
        from orders.payments.services import checkout_payment_record

        checkout_payment_record(checkout=checkout)


def payment_payload(checkout: Any) -> dict[str, str] | None:
    if checkout.payment_method != PaymentMethod.STRIPE:
        return None
    from orders.payments.services import checkout_payment_start

    return checkout_payment_start(checkout=checkout)


def payment_refusal(checkout: Any) -> str | None:
    """Why a card checkout can no longer be paid (cancelled, expired, an order closed), or None."""
    if checkout.payment_method != PaymentMethod.STRIPE:
        return None
    from orders.payments.services import payment_refusal as refusal

    return refusal(checkout)


def check_order_transition(order: Any, action: str) -> None:
    if order.payment_method == PaymentMethod.STRIPE:
        from orders.payments.services import check_order_transition as check

        check(order, action)


def is_order_payable_now(order: Any) -> bool:
    """Whether the order's payment lets the seller act on it (cards: once paid)."""
    if order.payment_method != PaymentMethod.STRIPE:
        return True
    from orders.payments.services import is_order_paid_or_invoiced

    return is_order_paid_or_invoiced(order)


def order_closed(order: Any) -> None:
    if order.payment_method == PaymentMethod.STRIPE:
        from orders.payments.services import order_closed as closed

        closed(order)
