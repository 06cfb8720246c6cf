"""Card settlement: seller onboarding (`sellers`), the checkout's PaymentIntent and what a
payment's outcome does to the orders (`payments`), refunds of cancelled orders and the expiry of
checkouts never paid (`closing`). Import from here: `from orders.payments import services`.

Rules kept here (docs/payments.md tells the whole story):
- no Stripe call inside a transaction: rows are committed first (`pending`), the call carries an
  idempotency key derived from the row's id, and its answer is recorded in a second transaction;
  the calls themselves live in `orders/payments/execution.py`;
- a payment's status moves only forward, through `PAYMENT_TRANSITIONS`, and only on what Stripe
  says when asked (a webhook's object is re-read, never trusted);
- lock order: checkout → payment → orders (primary-key order) → transfer/refund rows. The cancel
  path starts at the order (locked by `order_transition`) and never locks the checkout.
"""

from orders.payments.execution import add_order_event
from orders.payments.services.closing import (
    check_order_transition,
    checkout_payment_expire,
    checkouts_expire_overdue,
    is_order_paid_or_invoiced,
    order_closed,
)
from orders.payments.services.payments import (
    PAID_STATUSES,
    EventNotReady,
    checkout_for_intent,
    checkout_payment_record,
    checkout_payment_start,
    is_payment_overdue,
    payment_apply_charge,
    payment_apply_dispute,
    payment_apply_intent,
    payment_apply_refund,
    payment_for_charge,
    payment_refusal,
)
from orders.payments.services.refunds import (
    can_record_refund_paid_outside,
    refund_close_paid_outside,
)
from orders.payments.services.sellers import (
    STRIPE_CONNECT_COUNTRIES,
    CardPayoutsUnsupported,
    CardStatus,
    can_receive_card_payments,
    card_payouts_supported,
    seller_account_apply,
    seller_account_sync,
    seller_card_status,
    seller_onboarding_link,
)

__all__ = [
    "PAID_STATUSES",
    "STRIPE_CONNECT_COUNTRIES",
    "CardPayoutsUnsupported",
    "CardStatus",
    "EventNotReady",
    "add_order_event",
    "can_receive_card_payments",
    "can_record_refund_paid_outside",
    "card_payouts_supported",
    "check_order_transition",
    "checkout_for_intent",
    "checkout_payment_expire",
    "checkout_payment_record",
    "checkout_payment_start",
    "checkouts_expire_overdue",
    "is_order_paid_or_invoiced",
    "is_payment_overdue",
    "order_closed",
    "payment_apply_charge",
    "payment_apply_dispute",
    "payment_apply_intent",
    "payment_apply_refund",
    "payment_for_charge",
    "payment_refusal",
    "refund_close_paid_outside",
    "seller_account_apply",
    "seller_account_sync",
    "seller_card_status",
    "seller_onboarding_link",
]
