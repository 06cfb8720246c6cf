"""Payments through Stripe Connect ("separate charges and transfers").

`gateway` is the only module of the project that imports `stripe` (ruff's banned-api rule TID251
enforces it); it takes and returns the small types of `values` and raises the errors of `errors`.
Callers use it as `from orders.payments import gateway` and call `gateway.create_transfer(...)`.

The settlement seam (`settlement.py`) decides which methods a buyer may choose and what a new
checkout's statuses are; its functions are re-exported here.
"""

from orders.payments.errors import (
    PaymentError,
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentsNotConfigured,
    WebhookSignatureInvalid,
)
from orders.payments.settlement import available_methods, initial_statuses, payment_payload
from orders.payments.values import (
    ChargeInfo,
    ConnectedAccount,
    DisputeInfo,
    PaymentIntentInfo,
    RefundInfo,
    TransferInfo,
    TransferReversalInfo,
    WebhookEvent,
)

__all__ = [
    "ChargeInfo",
    "ConnectedAccount",
    "DisputeInfo",
    "PaymentError",
    "PaymentIntentInfo",
    "PaymentProviderError",
    "PaymentProviderUnavailable",
    "PaymentsNotConfigured",
    "RefundInfo",
    "TransferInfo",
    "TransferReversalInfo",
    "WebhookEvent",
    "WebhookSignatureInvalid",
    "available_methods",
    "initial_statuses",
    "payment_payload",
]
