"""The migration that gave refunds and transfer reversals one shape keeps what they recorded: the
Stripe ids of refunds and reversals already made survive it (renamed in place, not dropped), and
transfers already in flight keep their first idempotency key (attempt 1)."""

import pytest
from django.db import connection

from orders.models import Order, Payment, Refund, Transfer, TransferReversal
from tests.factories import ListingFactory
from tests.migrations import migrate, migrate_to_latest
from tests.orders.stripe_helpers import add, card_checkout, new_seller, onboard

BEFORE = [("orders", "0002_settlement")]
AFTER = [("orders", "0003_settlement_shape")]


@pytest.mark.django_db(transaction=True)
def test_the_settlement_shape_migration_keeps_stripe_ids(stripe_standin, buyer_coop, buyer_owner):
    seller = onboard(stripe_standin, *new_seller("Textil La Huella"))
    add(buyer_owner, buyer_coop, ListingFactory(cooperative=seller, currency="EUR"), 1)
    assert card_checkout(buyer_owner, buyer_coop).status_code == 201
    order, payment = Order.objects.get(), Payment.objects.get()
    transfer = Transfer.objects.create(
        order=order, payment=payment, amount=900, currency="EUR", stripe_transfer_id="tr_1"
    )
    Refund.objects.create(
        order=order, payment=payment, amount=1000, currency="EUR", stripe_id="re_1"
    )
    TransferReversal.objects.create(
        transfer=transfer, amount=900, currency="EUR", stripe_id="trr_1"
    )
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT stripe_refund_id FROM orders_refund")
            assert cursor.fetchall() == [("re_1",)]
            cursor.execute("SELECT stripe_reversal_id FROM orders_transferreversal")
            assert cursor.fetchall() == [("trr_1",)]
        migrate(AFTER)
    finally:
        migrate_to_latest()
    assert Refund.objects.get().stripe_id == "re_1"
    assert TransferReversal.objects.get().stripe_id == "trr_1"
    assert Transfer.objects.get().key_attempt == 1
