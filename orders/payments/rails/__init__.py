"""The registry of settlement rails: the one place that knows which rails exist. An order's or a
checkout's rail is `rail_for(obj.payment_method)`; the buyer's choices are `available_methods()`.
Adding a rail: its module here (a class answering `base.Rail`), one line in `RAILS`, and its
tests (docs/payments.md, "Rails")."""

from typing import Any

from orders.payments.rails.base import Rail
from orders.payments.rails.invoice import InvoiceRail
from orders.payments.rails.stripe import StripeRail

RAILS: dict[str, Rail] = {rail.code: rail for rail in (InvoiceRail(), StripeRail())}


def rail_for(code: str) -> Rail:
    """The rail of a payment method code; an unknown code is a programming error."""
    return RAILS[code]


def choices() -> list[tuple[str, Any]]:
    """(code, label) of every rail: the checkout's `payment_method` and the cart's
    `payment_methods` take these."""
    return [(code, rail.label) for code, rail in RAILS.items()]


def available_methods() -> list[str]:
    """The rails a buyer may choose now, in the registry's order."""
    return [code for code, rail in RAILS.items() if rail.is_available()]


__all__ = ["RAILS", "Rail", "available_methods", "choices", "rail_for"]
