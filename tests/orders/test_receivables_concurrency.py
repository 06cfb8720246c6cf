"""Real threads against PostgreSQL: payments recorded at once never overpay an invoice, and a
payment racing a cancellation leaves one consistent outcome."""

from typing import Any

import pytest
from django.db.models import Sum

from accounts.models import User
from ledger.models import AccountKind
from ledger.selectors import account_balance, totals_by_currency
from ledger.services import account_for
from orders import services as order_services
from orders.models import Invoice, InvoiceKind
from orders.receivables.models import InvoicePayment
from tests.conftest import client_for
from tests.orders.conftest import place_order
from tests.orders.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invoice(seller_owner, buyer_owner, buyer_coop, listing):  # type: ignore[no-untyped-def]
    order = place_order(buyer_owner, buyer_coop, listing)
    assert client_for(seller_owner).post(f"/api/v1/orders/{order['id']}/accept/").status_code == 200
    return Invoice.objects.get(order_id=order["id"], kind=InvoiceKind.INVOICE)


def payment_call(user_id: int, invoice_id: int, amount: int, key: str) -> Any:
    def call() -> Any:
        user = User.objects.get(pk=user_id)
        return client_for(user).post(
            f"/api/v1/invoices/{invoice_id}/payments/",
            {"amount": amount},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    return call


def test_twenty_payments_at_once_never_overpay(invoice, seller_owner):
    # 250000 due; twenty payments of 20000 would be 400000: only twelve fit.
    calls = [payment_call(seller_owner.pk, invoice.pk, 20_000, f"k{i}") for i in range(20)]
    responses = run_at_once(calls)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 12 + [409] * 8, codes
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"overpayment"}
    invoice.refresh_from_db()
    recorded = InvoicePayment.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))
    assert invoice.amount_paid == recorded["total"] == 240_000
    assert invoice.status == "partly_paid"
    receivable = account_for(invoice.seller, "ARS", AccountKind.RECEIVABLE)
    assert account_balance(receivable) == -240_000  # the payments' side; issuing adds +250000
    assert set(totals_by_currency().values()) == {0}


def test_a_payment_racing_a_cancellation_has_one_outcome(invoice, seller_owner):
    seller_id = seller_owner.pk

    def cancel() -> Any:
        user = User.objects.get(pk=seller_id)
        return order_services.order_cancel(order=invoice.order, actor=user, reason="Sin tela.")

    pay = payment_call(seller_id, invoice.pk, 250_000, "race")
    responses = run_at_once([pay, cancel])
    invoice.refresh_from_db()
    paid = responses[0].status_code == 201
    assert not isinstance(responses[1], Exception), responses[1]
    assert invoice.status == "credited"
    # Either the payment came first (recorded, then credited with the order) or it was refused.
    assert invoice.amount_paid == (250_000 if paid else 0)
    if not paid:
        assert responses[0].json()["code"] == "transition_not_allowed"
    assert InvoicePayment.objects.filter(invoice=invoice).count() == (1 if paid else 0)
