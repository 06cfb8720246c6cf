"""Card settlement end to end: the app under Django's live server, the Stripe stand-in over HTTP
delivering its signed webhooks to it. Few tests (each needs a transactional database), each a
whole story."""

import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cooperatives.models import Cooperative
from ledger.selectors import balances_for, entries_for
from orders.books_check import books_check
from orders.documents import invoice_html
from orders.events import EventKind
from orders.models import (
    Checkout,
    Order,
    OrderEvent,
    Payment,
    Refund,
    StripeEvent,
    Transfer,
    TransferReversal,
)
from orders.payments import gateway
from orders.payments.execution import settlement_retry, transfer_group
from orders.payments.reconcile import reconcile
from orders.payments.webhooks import handle_event
from orders.services import checkout_place, order_cancel
from tests.conftest import client_for
from tests.orders.stripe_helpers import (
    WEBHOOK,
    add,
    card_checkout,
    deliver_pending,
    eur_listing,
    intent_id,
    new_seller,
    onboard,
    start_onboarding,
)
from tests.orders.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def balance_of(owner, kind: str, rail: str = "") -> int:  # type: ignore[no-untyped-def]
    return sum(
        b.amount for b in balances_for(owner) if (b.account.kind, b.account.rail) == (kind, rail)
    )


@pytest.fixture
def app_webhook(stripe_standin, live_server):  # type: ignore[no-untyped-def]
    """The stand-in delivers its webhooks to the app under test, when the test says so (see
    `deliver_pending`)."""
    stripe_standin.register_webhook(live_server.url + WEBHOOK)
    stripe_standin.hold_webhooks()
    return stripe_standin


def delivered(standin, type: str, object_id: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    attempts = deliver_pending(standin)
    assert all(a["status"] == 200 for a in attempts), attempts
    return standin.wait_for_delivery(type, object_id=object_id)


@pytest.fixture
def market(buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    huella, huella_owner = new_seller("Textil La Huella")
    yerba, yerba_owner = new_seller("Yerba del Sur")
    return {
        "buyer": buyer_coop,
        "buyer_owner": buyer_owner,
        "sellers": [(huella, huella_owner), (yerba, yerba_owner)],
        "listings": [eur_listing(huella, 10_000), eur_listing(yerba, 5_050)],
    }


def card_checkout_from_both_sellers(standin, market, quantities: tuple[int, int]):  # type: ignore[no-untyped-def]
    """Both sellers onboarded, and the buyer's card checkout of their listings (`quantities`, in
    the order of `market["listings"]`): the checkout id and its payment intent."""
    buyer, buyer_owner = market["buyer"], market["buyer_owner"]
    for seller, owner in market["sellers"]:
        onboard(standin, seller, owner)
    for listing, quantity in zip(market["listings"], quantities, strict=True):
        add(buyer_owner, buyer, listing, quantity)
    checkout_id = card_checkout(buyer_owner, buyer).json()["id"]
    return checkout_id, intent_id(checkout_id)


def test_full_flow_one_card_payment_two_transfers_one_refund_and_the_sums_balance(
    app_webhook, market
):
    standin = app_webhook
    buyer, buyer_owner = market["buyer"], market["buyer_owner"]
    (huella, huella_owner), (yerba, _) = market["sellers"]
    # Both sellers onboard: the API gives the link, the seller completes Stripe's page, and
    # Stripe's account.updated webhook (delivered by the stand-in) enables their payouts.
    for seller, owner in market["sellers"]:
        standin.follow_account_link(start_onboarding(seller, owner))
        seller.refresh_from_db()
        delivered(standin, "account.updated", seller.stripe_account_id)
        seller.refresh_from_db()
        assert seller.is_payouts_enabled

    shirts, yerba_kilo = market["listings"]
    add(buyer_owner, buyer, shirts, 2)  # 20_000
    add(buyer_owner, buyer, yerba_kilo, 3)  # 15_150
    cart = client_for(buyer_owner).get(f"/api/v1/cart/?cooperative={buyer.slug}").json()
    assert [group["card_payable"] for group in cart["groups"]] == [True, True]
    assert "stripe" in cart["payment_methods"]

    response = card_checkout(buyer_owner, buyer)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["payment_status"] == "pending" and body["status"] == "awaiting_payment"
    assert body["payment"]["publishable_key"] == standin.publishable_key
    assert body["payment"]["client_secret"].startswith("pi_")
    assert [o["status"] for o in body["orders"]] == ["placed", "placed"]
    checkout_id = body["id"]
    shirts.refresh_from_db()
    assert shirts.stock == 8  # held while the payment is pending

    pi = intent_id(checkout_id)
    intent = standin.api_get(f"/v1/payment_intents/{pi}")
    assert intent["amount"] == 35_150 and intent["currency"] == "eur"
    assert intent["transfer_group"] == transfer_group(checkout_id)
    assert intent["metadata"]["checkout_id"] == str(checkout_id)

    # The buyer pays (Stripe.js would confirm); Stripe tells the app by webhook.
    standin.confirm_payment_intent(pi)
    assert delivered(standin, "payment_intent.succeeded", pi)["status"] == 200

    checkout = Checkout.objects.get(pk=checkout_id)
    assert (checkout.status, checkout.payment_status) == ("placed", "succeeded")
    orders = {o.seller_id: o for o in Order.objects.filter(checkout=checkout)}
    shirt_order, yerba_order = orders[huella.pk], orders[yerba.pk]
    assert shirt_order.is_paid and yerba_order.is_paid
    transfers = {t.order_id: t for t in Transfer.objects.all()}
    assert {t.status for t in transfers.values()} == {"paid"}
    # Each seller gets its order's total minus the solidarity fee (150 bps, rounded half up).
    assert transfers[shirt_order.pk].amount == 20_000 - 300 == shirt_order.seller_amount
    assert transfers[yerba_order.pk].amount == 15_150 - 227 == yerba_order.seller_amount
    charge = standin.api_get(f"/v1/charges/{Payment.objects.get().stripe_charge_id}")
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))
    assert sorted((t["destination"], t["amount"]) for t in at_stripe["data"]) == sorted(
        [(huella.stripe_account_id, 19_700), (yerba.stripe_account_id, 14_923)]
    )
    assert {t["source_transaction"] for t in at_stripe["data"]} == {charge["id"]}
    # The fee stays on the platform: the charge minus what went to the sellers.
    assert charge["amount"] - sum(t["amount"] for t in at_stripe["data"]) == 300 + 227

    # The seller can act on the paid order now; the buyer cancels the other one.
    assert (
        client_for(huella_owner).post(f"/api/v1/orders/{shirt_order.pk}/accept/").status_code == 200
    )
    # Accepting it, the seller invoices it like any order; the invoice says how it was paid.
    invoice = client_for(buyer_owner).get(f"/api/v1/orders/{shirt_order.pk}/invoice/").json()
    assert invoice["number"].endswith("-000001") and invoice["total_amount"] == 20_000
    document = invoice_html(shirt_order.invoices.get(), locale="en")
    assert "Paid by card through Minga" in document and "bank transfer" not in document
    cancel = client_for(buyer_owner).post(f"/api/v1/orders/{yerba_order.pk}/cancel/")
    assert cancel.status_code == 200, cancel.content
    assert not yerba_order.invoices.exists()  # never accepted, never invoiced
    refund = Refund.objects.get(order=yerba_order)
    reversal = TransferReversal.objects.get(transfer__order=yerba_order)
    assert (refund.status, refund.amount) == ("succeeded", 15_150)
    assert (reversal.status, reversal.amount) == ("succeeded", 14_923)
    assert delivered(standin, "charge.refunded")["status"] == 200
    payment = Payment.objects.get()
    assert payment.amount_refunded == 15_150
    checkout.refresh_from_db()
    assert checkout.payment_status == "succeeded"  # partly refunded: one order stands
    yerba_kilo.refresh_from_db()
    assert yerba_kilo.stock == 10

    # The sums balance, in Stripe's own numbers:
    #   charge = Σ transfers − Σ reversals + Σ refunds + fee kept (of the orders not refunded)
    charge = standin.api_get(f"/v1/charges/{charge['id']}")
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))
    refunds = standin.api_get("/v1/refunds", payment_intent=pi)["data"]
    transferred = sum(t["amount"] for t in at_stripe["data"])
    reversed_ = sum(t["amount_reversed"] for t in at_stripe["data"])
    refunded = sum(r["amount"] for r in refunds)
    assert (transferred, reversed_, refunded) == (34_623, 14_923, 15_150)
    assert charge["amount"] == transferred - reversed_ + refunded + shirt_order.fee_amount
    assert charge["amount_refunded"] == refunded
    # Every delivered event was recorded once.
    delivered_ids = {d["event"] for d in standin.deliveries() if d["status"] == 200}
    assert set(StripeEvent.objects.values_list("stripe_event_id", flat=True)) == delivered_ids

    # The books say the same: the platform's Stripe balance is the fee it kept, the seller of
    # the order that stands got its share and owes no fee, nobody owes anybody, and the ledger
    # re-derived from these rows finds no difference.
    assert balance_of(None, "cash_in_transit", "stripe") == shirt_order.fee_amount
    assert balance_of(huella, "bank", "stripe") == 19_700
    assert balance_of(yerba, "bank", "stripe") == 0
    assert balance_of(buyer, "bank", "stripe") == -20_000
    for cooperative in (buyer, huella, yerba):
        assert [r.balance for r in entries_for(cooperative)][-1:] in ([], [0])
    assert books_check() == []


def test_every_webhook_delivered_twice_and_in_reverse_order_has_one_effect(app_webhook, market):
    standin = app_webhook
    buyer_owner = market["buyer_owner"]
    checkout_id, pi = card_checkout_from_both_sellers(standin, market, (1, 1))
    standin.confirm_payment_intent(pi, succeed=False)  # a declined card first
    standin.confirm_payment_intent(pi)  # then one that works

    def deliver_all_backwards_twice() -> None:
        events = [event["id"] for event in standin.events()]
        for _ in range(2):
            for event_id in reversed(events):
                for attempt in standin.deliver(event_id):
                    assert attempt["status"] == 200, attempt

    # Success arrives before the failure that preceded it: paid it stays.
    deliver_all_backwards_twice()
    checkout = Checkout.objects.get(pk=checkout_id)
    assert checkout.payment_status == "succeeded"
    assert Transfer.objects.filter(status="paid").count() == 2

    yerba_order = Order.objects.get(checkout=checkout, seller=market["sellers"][1][0])
    client_for(buyer_owner).post(f"/api/v1/orders/{yerba_order.pk}/cancel/")
    deliver_all_backwards_twice()

    checkout.refresh_from_db()
    assert checkout.payment_status == "succeeded"
    assert Transfer.objects.count() == 2
    assert Refund.objects.get().status == "succeeded"
    assert TransferReversal.objects.get().status == "succeeded"
    assert Payment.objects.get().amount_refunded == yerba_order.total_amount
    for order in Order.objects.filter(checkout=checkout):
        assert order.events.filter(action=EventKind.PAYMENT_SUCCEEDED).count() == 1
        assert order.events.filter(action=EventKind.TRANSFER_SENT).count() == 1
    # At Stripe too: one transfer per order, one refund, one reversal.
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))
    assert len(at_stripe["data"]) == 2
    assert len(standin.api_get("/v1/refunds", payment_intent=pi)["data"]) == 1
    events = standin.events()
    assert StripeEvent.objects.count() == len(events)
    assert all(event["deliveries"] == 4 or event["deliveries"] == 2 for event in events)
    huella, yerba = (Cooperative.objects.get(pk=s.pk) for s, _ in market["sellers"])
    assert huella.is_payouts_enabled and yerba.is_payouts_enabled


@pytest.mark.postgres
def test_success_webhook_arriving_before_the_checkout_committed_is_retried_then_applied(
    app_webhook, market
):
    """The event names a checkout whose transaction is still open: the app answers 503 and
    records nothing, Stripe delivers again later, and then it applies, once."""
    standin = app_webhook
    buyer, buyer_owner = market["buyer"], market["buyer_owner"]
    for seller, owner in market["sellers"]:
        onboard(standin, seller, owner)
    add(buyer_owner, buyer, market["listings"][0], 1)
    opened, release = threading.Event(), threading.Event()
    result: dict = {}

    def place() -> None:
        from django.db import connection

        try:
            with transaction.atomic():
                placed = checkout_place(
                    buyer=Cooperative.objects.get(pk=buyer.pk),
                    actor=buyer_owner,
                    idempotency_key="early-webhook",
                    payment_method="stripe",
                )
                # Stripe learns about the checkout before this transaction commits.
                intent = gateway.create_payment_intent(
                    checkout_id=placed.checkout.pk,
                    amount=placed.checkout.total_amount,
                    currency="EUR",
                    transfer_group=transfer_group(placed.checkout.pk),
                    metadata={"buyer_cooperative_id": buyer.pk},
                )
                result["checkout"], result["intent"] = placed.checkout.pk, intent.id
                opened.set()
                release.wait(30)
        finally:
            connection.close()

    worker = threading.Thread(target=place)
    worker.start()
    assert opened.wait(30)
    standin.confirm_payment_intent(result["intent"])
    (event_id,) = [e["id"] for e in standin.events("payment_intent.succeeded")]
    (early,) = standin.deliver(event_id)
    assert early["status"] == 503
    assert not StripeEvent.objects.exists()

    release.set()
    worker.join(30)
    (late,) = standin.deliver(event_id)
    assert late["status"] == 200
    checkout = Checkout.objects.get(pk=result["checkout"])
    assert checkout.payment_status == "succeeded"
    payment = Payment.objects.get(checkout=checkout)
    assert payment.stripe_payment_intent_id == result["intent"]
    assert Transfer.objects.get().status == "paid"
    assert standin.deliver(event_id)[0]["status"] == 200  # and again: nothing more
    assert Transfer.objects.count() == 1
    assert OrderEvent.objects.filter(action="payment_succeeded").count() == 1


@pytest.mark.postgres
def test_racing_deliveries_repairs_retries_and_a_cancel_still_move_each_amount_once(
    stripe_standin, market
):
    """Real threads on PostgreSQL: the success event delivered three times at once, a
    reconciliation repair and a retry run beside them, and the buyer cancels one order meanwhile."""
    standin = stripe_standin
    standin.register_webhook(standin.sink_url)
    standin.hold_webhooks()
    buyer_owner = market["buyer_owner"]
    (huella, _), (yerba, _) = market["sellers"]
    checkout_id, pi = card_checkout_from_both_sellers(standin, market, (1, 2))
    standin.confirm_payment_intent(pi)
    (event_id,) = [e["id"] for e in standin.events("payment_intent.succeeded")]
    (attempt,) = standin.deliver(event_id)
    yerba_order = Order.objects.get(checkout_id=checkout_id, seller=yerba)
    now = timezone.now()

    def deliver() -> object:
        event = gateway.construct_event(attempt["payload"].encode(), attempt["signature"])
        return handle_event(event)

    calls = [
        deliver,
        deliver,
        deliver,
        lambda: reconcile(
            since=now - timedelta(hours=1), until=now + timedelta(hours=1), repair=True
        ),
        settlement_retry,
        lambda: order_cancel(order=yerba_order, actor=buyer_owner, reason="Changed our minds."),
    ]
    results = run_at_once(calls)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    settlement_retry()  # what cron does next: finishes anything a busy key left pending

    assert StripeEvent.objects.count() == 1
    assert Checkout.objects.get(pk=checkout_id).payment_status == "succeeded"
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))
    net = {}
    for transfer in at_stripe["data"]:
        net.setdefault(transfer["destination"], []).append(
            transfer["amount"] - transfer["amount_reversed"]
        )
    assert net.get(huella.stripe_account_id) == [10_000 - 150]
    assert sum(net.get(yerba.stripe_account_id, [])) == 0
    refunds = standin.api_get("/v1/refunds", payment_intent=pi)["data"]
    assert [r["amount"] for r in refunds] == [10_100]
    assert Refund.objects.get().status == "succeeded"
    assert Transfer.objects.get(order__seller=huella).status == "paid"
