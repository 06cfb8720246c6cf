"""The invoice rail: each seller invoices the buyer, who pays by bank transfer; the seller
records the payment. Nothing moves through the platform, so nothing is started, refunded or
reconciled here; the books get `invoice_issued`, `payment_recorded` (mark paid) and
`credit_note`."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from orders.state import CheckoutStatus, PaymentStatus


class InvoiceRail:
    code: str = "invoice"
    label: Any = _("Invoice (bank transfer between cooperatives)")
    paid_up_front: bool = False
    seller_marks_paid: bool = True
    ledger_events: tuple[str, ...] = (
        "invoice_issued",
        "marked_paid",
        "payment_recorded",
        "credit_note",
    )
    choice_help: Any = _("Invoice: each seller invoices you and you pay by bank transfer")

    def is_available(self) -> bool:
        return True

    def can_pay(self, seller: Any, currency: str) -> bool:
        return True

    def initial_statuses(self) -> tuple[str, str]:
        return CheckoutStatus.PLACED.value, PaymentStatus.BY_INVOICE.value

    def checkout_placed(self, checkout: Any) -> None:
        return None

    def payment_payload(self, checkout: Any) -> dict[str, str] | None:
        return None

    def payment_refusal(self, checkout: Any) -> str | None:
        return None

    def check_order_transition(self, order: Any, action: str) -> None:
        return None

    def is_order_payable_now(self, order: Any) -> bool:
        return True

    def order_closed(self, order: Any) -> None:
        return None

    def paid_posting(self, order: Any) -> Any:
        from orders import books

        return books.marked_paid(order)
