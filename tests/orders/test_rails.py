"""The rail registry drives what buyers may choose and what the orders code does per rail: a
rail added to the registry is offered and called without touching the orders code."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from orders import payments
from orders.api.serializers import CartSerializer, CheckoutInputSerializer
from orders.payments import rails
from orders.payments.rails.invoice import InvoiceRail
from orders.state import CheckoutStatus, PaymentStatus


class LocalInstantRail(InvoiceRail):
    """A stand-in for the next rail (a local instant-payment scheme), for the registry only."""

    code = "instant"
    seller_marks_paid = False

    def initial_statuses(self) -> tuple[str, str]:
        return CheckoutStatus.AWAITING_PAYMENT.value, PaymentStatus.PENDING.value


def test_the_checkout_and_the_cart_take_their_choices_from_the_registry():
    codes = set(rails.RAILS)
    assert codes == {"invoice", "stripe"}
    assert set(CheckoutInputSerializer().fields["payment_method"].choices) == codes
    child = CartSerializer().fields["payment_methods"].child
    assert set(child.choices) == codes


def test_available_methods_are_the_configured_rails(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert payments.available_methods() == ["invoice"]
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert payments.available_methods() == ["invoice", "stripe"]


def test_a_new_rail_is_offered_and_called_through_the_registry(monkeypatch):
    monkeypatch.setitem(rails.RAILS, "instant", LocalInstantRail())
    assert "instant" in payments.available_methods()
    assert payments.initial_statuses("instant") == ("awaiting_payment", "pending")
    assert payments.rail_for("instant").seller_marks_paid is False


@pytest.mark.parametrize(
    "path", ["orders/services/checkout.py", "orders/services/orders.py", "orders/documents.py"]
)
def test_the_orders_services_never_ask_which_rail(path):
    source = (Path(django_settings.BASE_DIR) / path).read_text()
    assert "PaymentMethod." not in source
    assert '"stripe"' not in source and '"invoice"' not in source


def test_no_code_outside_the_rails_asks_which_rail():
    """Issue #17: callers ask `rail_for(code)` for what they need, never compare the code."""
    base = Path(django_settings.BASE_DIR)
    needles = (
        "PaymentMethod.",
        "PaymentMethod,",
        '== "stripe"',
        '== "invoice"',
        '!= "stripe"',
        '!= "invoice"',
    )
    offending = []
    apps = [d for d in base.iterdir() if (d / "__init__.py").exists() and d.name != "tests"]
    for app in apps:
        for path in app.rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            if path.is_relative_to(base / "orders/payments/rails"):
                continue
            text = path.read_text()
            offending += [f"{path.relative_to(base)}: {n}" for n in needles if n in text]
    assert offending == []
