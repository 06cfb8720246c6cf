"""Payments through Stripe Connect ("separate charges and transfers").

`gateway` is the only module of the project that imports `stripe` (ruff's banned-api rule TID251
enforces it); it takes and returns the small types of `values` (import them from there) and
raises the errors of `errors`.
Callers use it as `from orders.payments import gateway` and call `gateway.create_transfer(...)`.

The settlement seam (`settlement.py`) is what the orders code calls: which methods a buyer may
choose, a new checkout's statuses, the checkout response's `payment`, and what cancelling a paid
card order does; its functions are re-exported here. `services/` (settlement), `execution.py`
(the Stripe calls of transfers, refunds and reversals), `webhooks.py` (events) and
`reconcile.py` hold the card side; `models.py` its records.
"""

from orders.payments.errors import (
    PaymentError,
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentsNotConfigured,
    WebhookSignatureInvalid,
)
from orders.payments.settlement import (
    available_methods,
    can_receive_card_payments,
    check_order_transition,
    checkout_placed,
    initial_statuses,
    is_order_payable_now,
    order_closed,
    payment_payload,
    payment_refusal,
    rail_for,
)

__all__ = [
    "PaymentError",
    "PaymentProviderError",
    "PaymentProviderUnavailable",
    "PaymentsNotConfigured",
    "WebhookSignatureInvalid",
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
