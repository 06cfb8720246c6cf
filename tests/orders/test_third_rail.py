"""Issue #17: a rail is its module, one line in the registry and its tests. A throwaway "cash"
rail, registered here only, goes through checkout, accept and payment over the API without any
other module knowing it exists."""

from typing import Any

import pytest

from orders.models import Checkout, Order
from orders.payments import rails
from orders.payments.rails.invoice import InvoiceRail
from tests.conftest import client_for
from tests.orders.conftest import act, add_to_cart, checkout


class CashRail(InvoiceRail):
    """Paid in cash at delivery: the seller records it, as with an invoice; only sellers in
    Argentina's pesos take it."""

    code = "cash"
    label = "Cash at delivery"
    choice_help = "Cash: pay each seller at delivery"

    def can_pay(self, seller: Any, currency: str) -> bool:
        return currency == "ARS"


@pytest.fixture
def cash_rail(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(rails.RAILS, "cash", CashRail())


def test_a_third_rail_checks_out_is_accepted_and_paid_through_the_api(
    cash_rail, buyer_coop, buyer_owner, seller_coop, seller_owner, listing
):
    assert add_to_cart(buyer_owner, buyer_coop, listing, 2).status_code in (200, 201)
    cart = client_for(buyer_owner).get(f"/api/v1/cart/?cooperative={buyer_coop.slug}").json()
    assert "cash" in cart["payment_methods"]

    response = checkout(buyer_owner, buyer_coop, payment_method="cash")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["payment_method"] == "cash"
    assert body["payment"] is None  # nothing to start: paid at delivery
    order_id = body["orders"][0]["id"]

    assert act(seller_owner, order_id, "accept").status_code == 200
    paid = client_for(seller_owner).post(f"/api/v1/orders/{order_id}/mark-paid/")
    assert paid.status_code == 200, paid.content

    order = Order.objects.get(pk=order_id)
    assert order.payment_method == "cash" and order.paid_at is not None
    assert Checkout.objects.get(pk=body["id"]).payment_method == "cash"
    seen = client_for(buyer_owner).get(f"/api/v1/orders/{order_id}/").json()
    assert seen["payment_method"] == "cash"


def test_a_method_outside_the_registry_is_refused_naming_the_field(
    buyer_coop, buyer_owner, listing
):
    add_to_cart(buyer_owner, buyer_coop, listing)
    response = checkout(buyer_owner, buyer_coop, payment_method="cash")
    assert response.status_code == 400
    assert "payment_method" in response.json()
    assert not Checkout.objects.exists()
