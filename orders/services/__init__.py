"""Every write of the orders app. Import from here: `from orders import services`."""

from orders.services.awards import (
    AwardedOrders,
    order_ask_again,
    rfq_award,
    standing_draft_confirm,
)
from orders.services.cart import (
    OrderedAgain,
    cart_add_item,
    cart_order_again,
    cart_remove_item,
    cart_update_item,
)
from orders.services.checkout import (
    CheckoutConflict,
    CheckoutResult,
    IdempotencyKeyReused,
    RequestedLine,
    checkout_fingerprint,
    checkout_place,
)
from orders.services.invoices import invoice_issue, invoice_prefix, next_invoice_number
from orders.services.orders import (
    message_post,
    order_accept,
    order_cancel,
    order_cancel_unpaid,
    order_complete,
    order_complete_stale,
    order_decline,
    order_flag,
    order_fulfil,
    order_mark_paid,
    order_mark_paid_refusal,
    order_transition,
    order_unflag,
    orders_flag_for_suspended_cooperative,
)
from orders.services.people import orders_anonymise_actor

__all__ = [
    "AwardedOrders",
    "CheckoutConflict",
    "CheckoutResult",
    "IdempotencyKeyReused",
    "OrderedAgain",
    "RequestedLine",
    "cart_add_item",
    "cart_order_again",
    "cart_remove_item",
    "cart_update_item",
    "checkout_fingerprint",
    "checkout_place",
    "invoice_issue",
    "invoice_prefix",
    "message_post",
    "next_invoice_number",
    "order_accept",
    "order_ask_again",
    "order_cancel",
    "order_cancel_unpaid",
    "order_complete",
    "order_complete_stale",
    "order_decline",
    "order_flag",
    "order_fulfil",
    "order_mark_paid",
    "order_mark_paid_refusal",
    "order_transition",
    "order_unflag",
    "orders_anonymise_actor",
    "orders_flag_for_suspended_cooperative",
    "rfq_award",
    "standing_draft_confirm",
]
