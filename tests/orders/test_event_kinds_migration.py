"""Migration orders/0003 maps the old free strings of order events to `EventKind` and moves the
provider ids out of the notes, where a page could show them."""

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE, AFTER = [("orders", "0002_settlement")], [("orders", "0003_order_event_kinds")]


@pytest.mark.django_db(transaction=True)
def test_old_event_strings_become_kinds_and_ids_leave_the_notes(buyer_coop, seller_coop) -> None:  # type: ignore[no-untyped-def]
    apps = migrate(BEFORE)
    try:
        Checkout = apps.get_model("orders", "Checkout")
        Order = apps.get_model("orders", "Order")
        OrderEvent = apps.get_model("orders", "OrderEvent")
        checkout = Checkout.objects.create(
            buyer_id=buyer_coop.pk,
            idempotency_key="k",
            request_fingerprint="f",
            status="placed",
            payment_method="stripe",
            payment_status="succeeded",
            currency="EUR",
            total_amount=1000,
            fee_amount=10,
        )
        order = Order.objects.create(
            checkout=checkout,
            buyer_id=buyer_coop.pk,
            seller_id=seller_coop.pk,
            payment_method="stripe",
            currency="EUR",
            total_amount=1000,
            fee_bps=100,
            fee_amount=10,
            seller_amount=990,
        )
        old = [
            ("payment_succeeded", "Paid by card (pi_3Abc)."),
            ("transfer", "€9.90 sent to the seller (tr_1Xyz)."),
            ("refund_requested", "€10.00 to be refunded to the buyer's card."),
            ("refund", "€10.00 refunded to the buyer's card (re_9Q)."),
            ("transfer_reversal", "€9.90 taken back from the seller (trr_7K)."),
            ("issue_invoice", "Invoice F-2026-000001"),
            ("cancel", "Changed our plans."),
            ("something_else", "kept"),
        ]
        for action, note in old:
            OrderEvent.objects.create(
                order=order, action=action, note=note, from_status="placed", to_status="placed"
            )
        apps = migrate(AFTER)
        rows = list(
            apps.get_model("orders", "OrderEvent")
            .objects.order_by("id")
            .values_list("action", "note", "reference")
        )
        assert rows == [
            ("payment_succeeded", "Paid by card.", "pi_3Abc"),
            ("transfer_sent", "€9.90 sent to the seller.", "tr_1Xyz"),
            ("refund_requested", "€10.00 to be refunded to the buyer's card.", ""),
            ("refund_succeeded", "€10.00 refunded to the buyer's card.", "re_9Q"),
            ("transfer_reversed", "€9.90 taken back from the seller.", "trr_7K"),
            ("issue_invoice", "", "F-2026-000001"),
            ("cancel", "Changed our plans.", ""),
            ("note", "something_else: kept", ""),
        ]
    finally:
        migrate_to_latest()
