"""E-mail about orders, sent after the transaction commits (never for a rolled-back change)."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from accounts.models import User
from cooperatives.models import Cooperative
from orders.models import Order


def order_url(order: Order) -> str:
    return f"{settings.SITE_URL}/orders/{order.pk}/"


def member_emails(cooperative: Cooperative, *, exclude: Any = None) -> list[str]:
    """Every active member of the cooperative (all roles: members follow orders too)."""
    users = User.objects.filter(memberships__cooperative=cooperative, is_active=True)
    if exclude is not None and getattr(exclude, "pk", None):
        users = users.exclude(pk=exclude.pk)
    return sorted(set(users.values_list("email", flat=True)))


def notify_cooperative(
    cooperative: Cooperative, subject: str, body: str, *, exclude: Any = None
) -> None:
    """One e-mail per member (no one sees another's address), after commit."""
    recipients = member_emails(cooperative, exclude=exclude)
    if not recipients:
        return
    messages = [(subject, body, None, [email]) for email in recipients]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def _signature(order: Order) -> str:
    return f"\n\nSee the order: {order_url(order)}\n\n— Minga"


def notify_order_placed(
    order: Order,
    actor: Any,
    *,
    tell_seller: bool = True,
    tell_buyer: bool = True,
    is_paid: bool = False,
) -> None:
    """Card orders tell the seller only once the payment succeeded (`is_paid`)."""
    lines = "\n".join(f"- {line.quantity} {line.unit} × {line.title}" for line in order.lines.all())
    money = (
        f"Total {order.total.format()}, solidarity fee {order.fee.format()}, "
        f"{order.seller.name} receives {order.seller_share.format()}."
    )
    paid = "\nThe buyer paid by card; your share is transferred to your Stripe account." * is_paid
    if tell_seller:
        notify_cooperative(
            order.seller,
            f"New order #{order.pk} from {order.buyer.name}",
            f"{order.buyer.name} ordered:\n{lines}\n\n{money}{paid}\nPlease accept or decline it."
            + _signature(order),
        )
    if tell_buyer:
        notify_cooperative(
            order.buyer,
            f"Your order #{order.pk} to {order.seller.name} is placed",
            f"You ordered from {order.seller.name}:\n{lines}\n\n{money}" + _signature(order),
        )


PAST = {
    "accept": "accepted",
    "decline": "declined",
    "fulfil": "fulfilled",
    "complete": "completed",
    "cancel": "cancelled",
}


def notify_order_transition(order: Order, action: str, side: str, reason: str) -> None:
    """Tell the other side; an automatic transition (no side) tells both."""
    done = PAST.get(action, action)
    why = f"\n\nReason: {reason}" if reason else ""
    if side in ("", "seller"):
        notify_cooperative(
            order.buyer,
            f"Order #{order.pk} {done} by {order.seller.name if side else 'Minga'}",
            f"Your order #{order.pk} to {order.seller.name} is now {order.get_status_display()}."
            + why
            + _signature(order),
        )
    if side in ("", "buyer"):
        notify_cooperative(
            order.seller,
            f"Order #{order.pk} {done} by {order.buyer.name if side else 'Minga'}",
            f"The order #{order.pk} from {order.buyer.name} is now {order.get_status_display()}."
            + why
            + _signature(order),
        )


def notify_order_paid(order: Order) -> None:
    notify_cooperative(
        order.buyer,
        f"Payment of order #{order.pk} received",
        f"{order.seller.name} confirmed receiving {order.total.format()} for order #{order.pk}."
        + _signature(order),
    )


def notify_message(order: Order, author: Any, side: str, body: str) -> None:
    other = order.seller if side == "buyer" else order.buyer
    mine = order.buyer if side == "buyer" else order.seller
    notify_cooperative(
        other,
        f"New message on order #{order.pk} from {mine.name}",
        f"{author.name} ({mine.name}) wrote:\n\n{body}" + _signature(order),
        exclude=author,
    )


# -- card payments


def checkout_pay_url(checkout: Any) -> str:
    return f"{settings.SITE_URL}/checkout/{checkout.pk}/pay/"


def notify_payment_received(checkout: Any) -> None:
    notify_cooperative(
        checkout.buyer,
        f"Card payment for checkout #{checkout.pk} received",
        f"Your card payment of {checkout.total.format()} succeeded. Each seller has been told "
        f"about its order.\n\n— Minga",
    )


def notify_payment_failed(checkout: Any, reason: str, expires_at: Any) -> None:
    deadline = expires_at.strftime("%Y-%m-%d %H:%M %Z")
    notify_cooperative(
        checkout.buyer,
        f"Card payment for checkout #{checkout.pk} failed",
        f"The card payment of {checkout.total.format()} did not go through: {reason}\n\n"
        f"Try again with another card before {deadline}: {checkout_pay_url(checkout)}\n"
        "After that the orders are cancelled and the goods released.\n\n— Minga",
    )


def notify_checkout_expired(checkout: Any) -> None:
    notify_cooperative(
        checkout.buyer,
        f"Checkout #{checkout.pk} cancelled: not paid",
        f"The card payment of {checkout.total.format()} did not succeed in time, so the orders "
        "of this checkout are cancelled and the goods released. Nothing was charged.\n\n— Minga",
    )


def notify_order_refunded(order: Order, amount: str) -> None:
    notify_cooperative(
        order.buyer,
        f"Order #{order.pk} refunded",
        f"{amount} for order #{order.pk} to {order.seller.name} was refunded to your card. "
        "Banks take a few days to show it." + _signature(order),
    )
