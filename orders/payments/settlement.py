"""How a checkout is settled. Invoice settlement is complete here; the Stripe gateway
(`orders/payments/gateway.py`, the only module allowed to import `stripe`) plugs in beside it.

The seam, for the card gateway to fill in:
- `available_methods()` lists the methods a buyer may choose now;
- `initial_statuses(method)` gives a new checkout's (status, payment_status), inside the checkout
  transaction: no network call there;
- `payment_payload(checkout)` is called by the view after commit and answers the `payment` field
  of the checkout response (`None` for invoice; `{client_secret, publishable_key}` for cards).
"""

from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from orders.state import CheckoutStatus, PaymentMethod, PaymentStatus


def available_methods() -> list[str]:
    return [PaymentMethod.INVOICE.value]


def initial_statuses(method: str) -> tuple[str, str]:
    if method == PaymentMethod.INVOICE:
        return CheckoutStatus.PLACED.value, PaymentStatus.BY_INVOICE.value
    raise DomainError(
        _("Card payments are not available on this exchange yet: choose invoice settlement."),
        code="payment_method_unavailable",
    )


def payment_payload(checkout: Any) -> dict[str, str] | None:
    return None
