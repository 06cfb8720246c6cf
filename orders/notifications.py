"""E-mail about orders, composed and sent after the transaction commits (never for a rolled-back
change, and never while the transaction holds its locks).

Each member gets the message in their own language (`User.language`, else the site's); a message
is composed once per language, not once per person."""

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cooperatives.models import Cooperative
from core.email import Email, send_emails
from core.timezones import format_when, written_for
from marketplace.models import unit_quantity
from orders import labels
from orders.models import Order

Compose = Callable[[], tuple[str, str]]

logger = logging.getLogger(__name__)


def order_url(order: Order) -> str:
    return f"{settings.SITE_URL}/orders/{order.pk}/"


class Recipient(NamedTuple):
    email: str
    language: str
    time_zone: str


def member_recipients(cooperative: Cooperative, *, exclude: Any = None) -> list[Recipient]:
    """The e-mail, language and zone of every active member (all roles: members follow orders
    too)."""
    return members_recipients([cooperative.pk], exclude=exclude).get(cooperative.pk, [])


def members_recipients(
    cooperative_ids: list[int], *, exclude: Any = None
) -> dict[int, list[Recipient]]:
    """`member_recipients` of several cooperatives in one query, by cooperative id."""
    users = User.objects.filter(memberships__cooperative__in=cooperative_ids, is_active=True)
    if exclude is not None and getattr(exclude, "pk", None):
        users = users.exclude(pk=exclude.pk)
    found: dict[int, set[Recipient]] = {}
    for cooperative_id, email, language, time_zone in users.values_list(
        "memberships__cooperative_id", "email", "language", "time_zone"
    ):
        found.setdefault(cooperative_id, set()).add(Recipient(email, language, time_zone))
    return {cooperative_id: sorted(people) for cooperative_id, people in found.items()}


def member_emails(cooperative: Cooperative, *, exclude: Any = None) -> list[str]:
    return sorted({person.email for person in member_recipients(cooperative, exclude=exclude)})


def notify_cooperatives(notices: list[tuple[Cooperative, Compose]], *, exclude: Any = None) -> None:
    """One e-mail per member of each cooperative (no one sees another's address), in their
    language. Everything happens after commit, outside the transaction and its locks: one query
    for the recipients of all the cooperatives, each message composed once per language, one
    connection to send them all. A failure there is logged; it cannot undo what was committed."""

    def send() -> None:
        send_emails(compose_notices(notices, exclude=exclude))

    if notices:
        transaction.on_commit(send, robust=True)


def compose_notices(
    notices: list[tuple[Cooperative, Compose]], *, exclude: Any = None
) -> list[Email]:
    """The e-mails of these notices: one query for the recipients of all the cooperatives, each
    message composed once per language and time zone (its times in the reader's)."""
    recipients = members_recipients(
        sorted({cooperative.pk for cooperative, _compose in notices}), exclude=exclude
    )
    messages = []
    for cooperative, compose in notices:
        rendered: dict[tuple[str, str], tuple[str, str]] = {}
        for email, language, time_zone in recipients.get(cooperative.pk, []):
            reader = (language or settings.LANGUAGE_CODE, time_zone)
            if reader not in rendered:
                with written_for(*reader):
                    rendered[reader] = compose()
            subject, body = rendered[reader]
            messages.append(Email(to=email, subject=subject, body=body))
    return messages


def notify_cooperative(cooperative: Cooperative, compose: Compose, *, exclude: Any = None) -> None:
    notify_cooperatives([(cooperative, compose)], exclude=exclude)


def _reader() -> str:
    """The Babel locale of the language the message is being written in."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def _signature(order: Order) -> str:
    return "\n\n" + _("See the order: %(url)s") % {"url": order_url(order)} + "\n\n— Minga"


def _lines(order: Order) -> str:
    return "\n".join(
        f"- {unit_quantity(line.quantity, line.unit)} × {line.title}" for line in order.lines.all()
    )


def notify_orders_placed(
    orders: list[Order], *, tell_seller: bool = True, tell_buyer: bool = True, is_paid: bool = False
) -> None:
    """The orders of one checkout: each seller hears of its order, the buyer of each order (a
    card order's seller only once it is paid, `is_paid`). Only the orders' ids leave the request,
    after commit: the worker reads the orders and the recipients and composes the e-mails
    (`orders.tasks.send_orders_placed`), off the path of the checkout that placed them."""
    if not orders or not (tell_seller or tell_buyer):
        return
    from orders import tasks  # orders.tasks imports this module when it runs

    order_ids = sorted(order.pk for order in orders)
    flags = {"tell_seller": tell_seller, "tell_buyer": tell_buyer, "is_paid": is_paid}

    def enqueue() -> None:
        args, kwargs = (order_ids,), {"batch": uuid.uuid4().hex, **flags}
        try:
            # `delay`, with the message's readable copies of the arguments made here: Celery's
            # size-limited `saferepr` says the same of a few ids and flags, at ~30x the cost.
            tasks.send_orders_placed.apply_async(
                args, kwargs, argsrepr=repr(args), kwargsrepr=repr(kwargs)
            )
        except Exception:  # the broker is down: composed here, recorded as core.email does
            logger.exception("Could not queue the e-mails of orders %s", order_ids)
            send_emails(orders_placed_emails(order_ids, **flags))

    transaction.on_commit(enqueue, robust=True)


def orders_placed_emails(
    order_ids: list[int],
    *,
    tell_seller: bool = True,
    tell_buyer: bool = True,
    is_paid: bool = False,
) -> list[Email]:
    """The e-mails of `notify_orders_placed`, composed from the orders as stored."""
    orders = (
        Order.objects.filter(pk__in=order_ids)
        .select_related("buyer", "seller")
        .prefetch_related("lines")
        .order_by("pk")
    )
    notices: list[tuple[Cooperative, Compose]] = []
    for order in orders:
        lines = functools.cache(functools.partial(_lines, order))  # read once, in any language
        if tell_seller:
            notices.append((order.seller, _placed_for_seller(order, lines, is_paid=is_paid)))
        if tell_buyer:
            notices.append((order.buyer, _placed_for_buyer(order, lines)))
    return compose_notices(notices)


def _money(order: Order) -> str:
    return _("Total %(total)s, solidarity fee %(fee)s, %(seller)s receives %(share)s.") % {
        "total": order.total.format(_reader()),
        "fee": order.fee.format(_reader()),
        "seller": order.seller.name,
        "share": order.seller_share.format(_reader()),
    }


def _placed_for_seller(order: Order, lines: Callable[[], str], *, is_paid: bool) -> Compose:
    def compose() -> tuple[str, str]:
        paid = ""
        if is_paid:
            paid = "\n" + _(
                "The buyer paid by card; your share is transferred to your Stripe account."
            )
        return (
            _("New order #%(number)s from %(buyer)s")
            % {"number": order.pk, "buyer": order.buyer.name},
            _("%(buyer)s ordered:") % {"buyer": order.buyer.name}
            + f"\n{lines()}\n\n{_money(order)}{paid}\n"
            + _("Please accept or decline it.")
            + _signature(order),
        )

    return compose


def _placed_for_buyer(order: Order, lines: Callable[[], str]) -> Compose:
    def compose() -> tuple[str, str]:
        return (
            _("Your order #%(number)s to %(seller)s is placed")
            % {"number": order.pk, "seller": order.seller.name},
            _("You ordered from %(seller)s:") % {"seller": order.seller.name}
            + f"\n{lines()}\n\n{_money(order)}"
            + _signature(order),
        )

    return compose


PAST = {
    "accept": gettext_lazy("Order #%(number)s accepted by %(party)s"),
    "decline": gettext_lazy("Order #%(number)s declined by %(party)s"),
    "fulfil": gettext_lazy("Order #%(number)s fulfilled by %(party)s"),
    "complete": gettext_lazy("Order #%(number)s completed by %(party)s"),
    "cancel": gettext_lazy("Order #%(number)s cancelled by %(party)s"),
}
CHANGED = gettext_lazy("Order #%(number)s changed by %(party)s")


# Who hears of a transition one side made (an automatic one, no side, tells both), and how the
# order's new status reads to them.
TOLD_OF_TRANSITION = (
    ("seller", "buyer", gettext_lazy("Your order #%(number)s to %(seller)s is now %(status)s.")),
    ("buyer", "seller", gettext_lazy("The order #%(number)s from %(buyer)s is now %(status)s.")),
)


def notify_order_transition(order: Order, action: str, side: str, reason: str) -> None:
    """Tell the other side; an automatic transition (no side) tells both."""
    for acting, told, status_line in TOLD_OF_TRANSITION:
        if side in ("", acting):
            _tell_transition(
                order,
                action,
                reason,
                told=getattr(order, told),
                party=getattr(order, acting) if side else None,
                status_line=status_line,
            )


def _tell_transition(
    order: Order,
    action: str,
    reason: str,
    *,
    told: Cooperative,
    party: Cooperative | None,
    status_line: Any,
) -> None:
    """One side hears what `party` (None: Minga, automatically) did to the order, and why."""
    subject = PAST.get(action, CHANGED)

    def compose() -> tuple[str, str]:
        why = "\n\n" + _("Reason: %(reason)s") % {"reason": reason} if reason else ""
        return (
            subject % {"number": order.pk, "party": party.name if party else "Minga"},
            status_line
            % {
                "number": order.pk,
                "seller": order.seller.name,
                "buyer": order.buyer.name,
                "status": labels.order_label(order),
            }
            + why
            + _signature(order),
        )

    notify_cooperative(told, compose)


def notify_order_paid(order: Order) -> None:
    notify_cooperative(
        order.buyer,
        lambda: (
            _("Payment of order #%(number)s received") % {"number": order.pk},
            _("%(seller)s confirmed receiving %(total)s for order #%(number)s.")
            % {
                "seller": order.seller.name,
                "total": order.total.format(_reader()),
                "number": order.pk,
            }
            + _signature(order),
        ),
    )


def notify_message(order: Order, author: Any, side: str, body: str) -> None:
    other = order.seller if side == "buyer" else order.buyer
    mine = order.buyer if side == "buyer" else order.seller
    notify_cooperative(
        other,
        lambda: (
            _("New message on order #%(number)s from %(cooperative)s")
            % {"number": order.pk, "cooperative": mine.name},
            _("%(author)s (%(cooperative)s) wrote:")
            % {"author": author.name, "cooperative": mine.name}
            + f"\n\n{body}"
            + _signature(order),
        ),
        exclude=author,
    )


# -- card payments


def checkout_pay_url(checkout: Any) -> str:
    return f"{settings.SITE_URL}/checkout/{checkout.pk}/pay/"


def _tell_checkout_buyer(checkout: Any, subject: Any, body: Callable[[str], str]) -> None:
    """The buyer hears about its card checkout: `subject` names it (`number`), `body` is
    given its total written for the reader."""
    notify_cooperative(
        checkout.buyer,
        lambda: (
            subject % {"number": checkout.pk},
            body(checkout.total.format(_reader())) + "\n\n— Minga",
        ),
    )


def notify_payment_received(checkout: Any) -> None:
    _tell_checkout_buyer(
        checkout,
        gettext_lazy("Card payment for checkout #%(number)s received"),
        lambda total: (
            _(
                "Your card payment of %(total)s succeeded. Each seller has been told about its order."
            )
            % {"total": total}
        ),
    )


def notify_payment_failed(checkout: Any, reason: str, expires_at: Any) -> None:
    """The buyer's members hear the card failed and until when (in each one's zone) to retry."""
    _tell_checkout_buyer(
        checkout,
        gettext_lazy("Card payment for checkout #%(number)s failed"),
        lambda total: (
            _("The card payment of %(total)s did not go through: %(reason)s")
            % {"total": total, "reason": reason}
            + "\n\n"
            + _("Try again with another card before %(deadline)s: %(url)s")
            % {"deadline": format_when(expires_at), "url": checkout_pay_url(checkout)}
            + "\n"
            + _("After that the orders are cancelled and the goods released.")
        ),
    )


def notify_checkout_expired(checkout: Any) -> None:
    _tell_checkout_buyer(
        checkout,
        gettext_lazy("Checkout #%(number)s cancelled: not paid"),
        lambda total: (
            _(
                "The card payment of %(total)s did not succeed in time, so the orders of this "
                "checkout are cancelled and the goods released. Nothing was charged."
            )
            % {"total": total}
        ),
    )


def notify_refund_failed(order: Order, amount: Any) -> None:
    """A refund the buyer was told of failed at Stripe later: the buyer is told it did not reach
    the card and what happens next. `amount` is a Money."""
    notify_cooperative(
        order.buyer,
        lambda: (
            _("The refund for order #%(number)s did not reach your card") % {"number": order.pk},
            _(
                "The refund of %(amount)s for order #%(number)s from %(seller)s did not reach "
                "your card: your bank returned it. The money is safe with Minga, which sends it "
                "again; if the card cannot take it, Minga's moderators arrange another way to "
                "pay it to you."
            )
            % {"amount": amount.format(_reader()), "number": order.pk, "seller": order.seller.name}
            + _signature(order),
        ),
    )


def notify_refund_paid_outside(order: Order, amount: Any, reference: str) -> None:
    """A refund that did not reach the buyer's card was paid another way by Minga's moderators
    (a bank transfer...): the buyer is told, with the payment's reference. `amount` is a Money."""
    notify_cooperative(
        order.buyer,
        lambda: (
            _("The refund for order #%(number)s was paid another way") % {"number": order.pk},
            _(
                "The refund of %(amount)s for order #%(number)s from %(seller)s could not be made "
                "to your card, so Minga's moderators paid it to your cooperative another way "
                "(reference: %(reference)s). Nothing more will be sent to your card."
            )
            % {
                "amount": amount.format(_reader()),
                "number": order.pk,
                "seller": order.seller.name,
                "reference": reference,
            }
            + _signature(order),
        ),
    )


def notify_order_refunded(order: Order, amount: Any) -> None:
    """`amount` is a Money: formatted in each reader's language."""
    notify_cooperative(
        order.buyer,
        lambda: (
            _("Order #%(number)s refunded") % {"number": order.pk},
            _(
                "%(amount)s for order #%(number)s to %(seller)s was refunded to your card. "
                "Banks take a few days to show it."
            )
            % {"amount": amount.format(_reader()), "number": order.pk, "seller": order.seller.name}
            + _signature(order),
        ),
    )
