"""`{% order_state order as state %}`: an order's status and payment as people read them, from
`orders.labels` (the one source the API, e-mails, PDFs and admin read too)."""

from dataclasses import dataclass

from django import template

from orders import labels
from orders.models import Order

register = template.Library()


@dataclass(frozen=True)
class OrderState:
    code: str
    label: str
    is_awaiting_payment: bool


@register.simple_tag
def order_state(order: Order) -> OrderState:
    state = labels.order_payment_state(order)
    return OrderState(
        code=state.value,
        label=labels.combined_label(order.status, state),
        is_awaiting_payment=state in labels.PAYABLE_STATES,
    )
