"""Real threads against PostgreSQL: fifty credit payments at once against one buyer whose line
leaves room for exactly ten; exactly ten succeed, the others are refused, no limit is passed."""

from typing import Any

import pytest

from accounts.models import User
from credit.models import CreditAccount
from credit.selectors import system_total
from credit.services import balance_of
from orders.models import Invoice, InvoiceKind
from orders.receivables.models import InvoicePayment
from tests.clearing.test_runs import owner_of
from tests.conftest import client_for
from tests.credit.test_credit import join, set_line
from tests.factories import ListingFactory
from tests.orders.conftest import act, add_to_cart, checkout
from tests.orders.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PRICE = 10_00


def fifty_invoices(buyer, seller) -> list[Invoice]:
    """Fifty orders of one unit, each accepted (so each has its open invoice)."""
    buyer_owner, seller_owner = owner_of(buyer), owner_of(seller)
    listing = ListingFactory(cooperative=seller, price_amount=PRICE, currency="ARS", stock=100)
    orders = []
    for _ in range(50):
        assert add_to_cart(buyer_owner, buyer, listing, 1).status_code in (200, 201)
        placed = checkout(buyer_owner, buyer)
        assert placed.status_code == 201, placed.content
        orders += placed.json()["orders"]
    for order in orders:
        assert act(seller_owner, order["id"], "accept").status_code == 200
    return list(
        Invoice.objects.filter(order_id__in=[o["id"] for o in orders], kind=InvoiceKind.INVOICE)
    )


def test_fifty_payments_at_once_against_room_for_ten(system, pair, committee):
    (buyer, buyer_owner), (seller, seller_owner) = pair
    join(buyer_owner, system, buyer)
    join(seller_owner, system, seller)
    seller.credit_share_bps = 10_000  # it takes the whole price in credit
    seller.save(update_fields=["credit_share_bps"])
    buyer_account = CreditAccount.objects.get(cooperative=buyer)
    set_line(committee[0], buyer_account, -10 * PRICE, 0)
    invoices = fifty_invoices(buyer, seller)
    assert len(invoices) == 50
    user_id = buyer_owner.pk

    def payment(invoice_id: int) -> Any:
        def call() -> Any:
            user = User.objects.get(pk=user_id)
            return client_for(user).post(
                "/api/v1/credit/payments/",
                {"invoice": invoice_id, "amount": PRICE},
                format="json",
                HTTP_IDEMPOTENCY_KEY=f"credit-{invoice_id}",
            )

        return call

    responses = run_at_once([payment(invoice.pk) for invoice in invoices])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 10 + [409] * 40, codes
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"credit_line_exceeded"}
    assert balance_of(buyer_account) == -10 * PRICE
    assert balance_of(CreditAccount.objects.get(cooperative=seller)) == 10 * PRICE
    assert system_total(system) == 0
    assert InvoicePayment.objects.filter(rail="credit").count() == 10
