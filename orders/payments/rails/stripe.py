"""The card rail: Stripe Connect, separate charges and transfers (docs/payments.md). The
services it calls live in `orders/payments/services/`, imported lazily because the orders
services import the registry. The books get `card_payment`, `transfer_sent`, `refund`,
`transfer_reversal` (and the invoice's entries once the seller accepts)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from orders.payments import gateway
from orders.state import CheckoutStatus, PaymentStatus


class StripeRail:
    code: str = "stripe"
    label: Any = gettext_lazy("Card (Stripe)")
    paid_up_front: bool = True
    seller_marks_paid: bool = False
    choice_help: Any = gettext_lazy("Card: pay the whole cart at once now")

    def is_available(self) -> bool:
        return gateway.is_configured()

    def can_pay(self, seller: Any, currency: str) -> bool:
        from orders.payments.services import can_receive_card_payments

        return can_receive_card_payments(seller)

    def initial_statuses(self) -> tuple[str, str]:
        if not self.is_available():
            raise DomainError(
                _(
                    "Card payments are not available on this exchange yet: choose invoice settlement."
                ),
                code="payment_method_unavailable",
            )
        return CheckoutStatus.AWAITING_PAYMENT.value, PaymentStatus.PENDING.value

    def checkout_placed(self, checkout: Any) -> None:
        from orders.payments.services import checkout_payment_record

        checkout_payment_record(checkout=checkout)

    def payment_payload(self, checkout: Any) -> dict[str, str] | None:
        from orders.payments.services import checkout_payment_start

        return checkout_payment_start(checkout=checkout)

    def payment_refusal(self, checkout: Any) -> str | None:
        from orders.payments.services import payment_refusal

        return payment_refusal(checkout)

    def check_order_transition(self, order: Any, action: str) -> None:
        from orders.payments.services import check_order_transition

        check_order_transition(order, action)

    def is_order_payable_now(self, order: Any) -> bool:
        from orders.payments.services import is_order_paid_or_invoiced

        return is_order_paid_or_invoiced(order)

    def order_closed(self, order: Any) -> None:
        from orders.payments.services import order_closed

        order_closed(order)

    def paid_posting(self, order: Any) -> Any:
        from orders import books

        return books.card_payment(order)
