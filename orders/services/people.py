"""A person leaving Minga: the trade records their cooperatives must keep stay, without them."""

from typing import Any

from django.db import transaction

from accounts.services import former_member
from orders.models import CartLine, Checkout, Message, Order, OrderEvent


@transaction.atomic
def orders_anonymise_actor(*, user: Any) -> dict[str, int]:
    """Orders, events, messages, checkouts and cart lines the person placed, did or wrote now
    point at the shared "Former member" account: the records (and the invoices, which name
    cooperatives, not people) stay as the cooperatives' accounts need them, without the person.
    Message bodies stay: they are the other side's record of the conversation too."""
    placeholder = former_member()
    return {
        "orders": Order.objects.filter(placed_by=user).update(placed_by=placeholder),
        "order_events": OrderEvent.objects.filter(actor=user).update(actor=placeholder),
        "messages": Message.objects.filter(author=user).update(author=placeholder),
        "checkouts": Checkout.objects.filter(created_by=user).update(created_by=placeholder),
        "cart_lines": CartLine.objects.filter(added_by=user).update(added_by=placeholder),
    }
