"""The invoice rail: each seller invoices the buyer, who pays by bank transfer; the seller
records the payment. Nothing moves through the platform, so nothing is started, refunded or
reconciled here (`base.OffPlatformRail` answers those steps); the books get `invoice_issued`,
`marked_paid`/`payment_recorded` (mark paid) and `credit_note`."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from orders.payments.rails.base import OffPlatformRail
from orders.state import CheckoutStatus, PaymentStatus


class InvoiceRail(OffPlatformRail):
    code: str = "invoice"
    label: Any = _("Invoice (bank transfer between cooperatives)")
    choice_help: Any = _("Invoice: each seller invoices you and you pay by bank transfer")

    def initial_statuses(self) -> tuple[str, str]:
        return CheckoutStatus.PLACED.value, PaymentStatus.BY_INVOICE.value

    def paid_posting(self, order: Any) -> Any:
        from orders import books

        return books.marked_paid(order)
