"""The Stripe gateway against a real HTTP server: the local stand-in, or Stripe's test mode.

Tests taking `stripe_backend` run twice: against the stand-in and, when STRIPE_SECRET_KEY is an
`sk_test_` key, against Stripe itself. Tests taking `stripe_standin` need its hooks (webhook
delivery, faults, account state) and run against the stand-in only.
"""

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings

from orders.payments import (
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentsNotConfigured,
    WebhookSignatureInvalid,
    gateway,
)


def paid_intent(backend, *, checkout_id: int, amount: int = 10_000):  # type: ignore[no-untyped-def]
    intent = gateway.create_payment_intent(
        checkout_id=checkout_id,
        amount=amount,
        currency=backend.currency,
        transfer_group=f"checkout-{checkout_id}",
        metadata={"buyer_cooperative_id": 7},
    )
    backend.confirm_payment_intent(intent.id, succeed=True)
    return gateway.retrieve_payment_intent(intent.id)


def payable_seller(backend, *, cooperative_id: int) -> str:  # type: ignore[no-untyped-def]
    """A connected account that can receive transfers."""
    if backend.kind == "stripe":
        if not backend.destination_account:
            pytest.skip("set STRIPE_TEST_DESTINATION_ACCOUNT to an onboarded test account")
        return backend.destination_account
    account = gateway.create_connected_account(
        cooperative_id=cooperative_id, email=f"coop{cooperative_id}@example.org", country="ES"
    )
    backend.onboard(account.id, notify=False)
    return account.id


def transfer_source(backend, *, cooperative_id: int, checkout_id: int, amount: int):  # type: ignore[no-untyped-def]
    """A payable seller and a paid intent: the intent, and the arguments every transfer to that
    seller from the intent's charge shares (add `order_id` and `amount`)."""
    destination = payable_seller(backend, cooperative_id=cooperative_id)
    intent = paid_intent(backend, checkout_id=checkout_id, amount=amount)
    source = dict(
        currency=backend.currency,
        destination=destination,
        transfer_group=f"checkout-{checkout_id}",
        source_transaction=intent.latest_charge,
    )
    return intent, source


def transfers_of(group: str, *, since: timedelta) -> list[str]:
    """The ids of the transfers of `group` Stripe lists as made within `since` (newest first)."""
    now = datetime.now(UTC)
    listed = gateway.list_transfers(
        created_gte=now - since, created_lte=now + timedelta(minutes=1), transfer_group=group
    )
    return [t.id for t in listed]


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), b"%d.%s" % (timestamp, payload), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def received(standin, event_type: str, object_id: str):  # type: ignore[no-untyped-def]
    """The webhook the stand-in delivered, read back and verified as our endpoint would."""
    delivery = standin.wait_for_delivery(event_type, object_id=object_id)
    assert delivery["status"] == 200
    return gateway.construct_event(delivery["payload"].encode(), delivery["signature"])


# -- Connect onboarding


def test_connected_account_is_created_once_and_onboarded_through_its_link(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    account = gateway.create_connected_account(
        cooperative_id=41, email="tesoreria@lahuella.coop", country="ar"
    )
    assert account.id.startswith("acct_")
    assert (account.country, account.email) == ("AR", "tesoreria@lahuella.coop")
    assert not account.payouts_enabled and not account.can_receive_transfers
    assert account.disabled_reason

    # Asking again for the same cooperative (a double click, a retry) gives the same account.
    again = gateway.create_connected_account(
        cooperative_id=41, email="tesoreria@lahuella.coop", country="AR"
    )
    assert again.id == account.id

    url = gateway.create_account_link(
        account_id=account.id,
        refresh_url="https://minga.example/stripe/refresh/",
        return_url="https://minga.example/stripe/return/",
    )
    assert stripe_standin.follow_account_link(url) == "https://minga.example/stripe/return/"

    onboarded = gateway.retrieve_account(account.id)
    assert onboarded.payouts_enabled and onboarded.details_submitted
    assert onboarded.can_receive_transfers
    event = received(stripe_standin, "account.updated", account.id)
    assert event.account == account.id
    assert event.data["payouts_enabled"] is True
    assert event.previous_attributes is not None
    assert event.previous_attributes["payouts_enabled"] is False

    # A link is single-use: a second visit goes to the refresh page, which asks for a new one.
    assert stripe_standin.follow_account_link(url) == "https://minga.example/stripe/refresh/"


def onboarding_link(account_id: str) -> str:
    """The account's onboarding link, coming back to minga.example's refresh and return pages."""
    return gateway.create_account_link(
        account_id=account_id,
        refresh_url="https://minga.example/refresh/",
        return_url="https://minga.example/return/",
    )


def test_stale_account_link_sends_the_seller_to_the_refresh_page(stripe_standin):
    account = gateway.create_connected_account(cooperative_id=5, email="a@b.coop", country="UY")
    url = onboarding_link(account.id)
    stripe_standin.expire_account_link(url)
    assert stripe_standin.follow_account_link(url) == "https://minga.example/refresh/"
    assert not gateway.retrieve_account(account.id).payouts_enabled


def test_seller_leaving_onboarding_early_returns_without_payouts(stripe_standin):
    account = gateway.create_connected_account(cooperative_id=6, email="a@b.coop", country="BR")
    url = onboarding_link(account.id)
    assert (
        stripe_standin.follow_account_link(url, complete=False) == "https://minga.example/return/"
    )
    assert not gateway.retrieve_account(account.id).payouts_enabled


def test_account_link_for_unknown_account_is_refused(stripe_standin):
    with pytest.raises(PaymentProviderError):
        onboarding_link("acct_doesnotexist")


# -- Payments


def test_payment_intent_carries_transfer_group_and_our_ids(stripe_backend):
    intent = gateway.create_payment_intent(
        checkout_id=1001,
        amount=12_550,
        currency=stripe_backend.currency.lower(),
        transfer_group="checkout-1001",
        metadata={"buyer_cooperative_id": 7},
        description="Minga checkout 1001",
    )
    assert intent.id.startswith("pi_")
    assert intent.client_secret and intent.client_secret.startswith(intent.id)
    assert intent.status == "requires_payment_method"
    assert (intent.amount, intent.currency) == (12_550, stripe_backend.currency)
    assert intent.transfer_group == "checkout-1001"
    assert intent.metadata == {"checkout_id": "1001", "buyer_cooperative_id": "7"}
    assert intent.latest_charge is None and intent.amount_received == 0

    # The buyer's browser submits the checkout twice: one PaymentIntent.
    again = gateway.create_payment_intent(
        checkout_id=1001,
        amount=12_550,
        currency=stripe_backend.currency,
        transfer_group="checkout-1001",
        metadata={"buyer_cooperative_id": 7},
        description="Minga checkout 1001",
    )
    assert again.id == intent.id

    stripe_backend.confirm_payment_intent(intent.id)
    paid = gateway.retrieve_payment_intent(intent.id)
    assert paid.is_succeeded and paid.amount_received == 12_550
    assert paid.latest_charge and paid.latest_charge.startswith("ch_")
    charge = gateway.retrieve_charge(paid.latest_charge)
    assert (charge.amount, charge.payment_intent, charge.status) == (12_550, intent.id, "succeeded")


def test_success_webhook_is_delivered_signed_and_verified(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    intent = paid_intent(stripe_standin, checkout_id=2001)

    event = received(stripe_standin, "payment_intent.succeeded", intent.id)
    assert event.id.startswith("evt_")
    assert event.type == "payment_intent.succeeded"
    assert event.object_id == intent.id
    assert event.data["transfer_group"] == "checkout-2001"
    assert event.data["metadata"]["checkout_id"] == "2001"
    assert event.data["latest_charge"] == intent.latest_charge


def test_declined_card_leaves_the_payment_unpaid_and_says_so(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    intent = gateway.create_payment_intent(
        checkout_id=2002, amount=500, currency="EUR", transfer_group="checkout-2002"
    )
    stripe_standin.confirm_payment_intent(intent.id, succeed=False)

    assert gateway.retrieve_payment_intent(intent.id).status == "requires_payment_method"
    event = received(stripe_standin, "payment_intent.payment_failed", intent.id)
    assert event.data["last_payment_error"]["code"] == "card_declined"


def test_abandoned_payment_can_be_cancelled_so_it_never_charges(stripe_backend):
    intent = gateway.create_payment_intent(
        checkout_id=2003, amount=900, currency=stripe_backend.currency, transfer_group="c-2003"
    )
    cancelled = gateway.cancel_payment_intent(checkout_id=2003, payment_intent_id=intent.id)
    assert cancelled.status == "canceled"
    # The stock-release job runs again after a crash: same key, same answer.
    again = gateway.cancel_payment_intent(checkout_id=2003, payment_intent_id=intent.id)
    assert again.status == "canceled"


@pytest.mark.parametrize("amount", [0, -5, 12.5, True])
def test_amounts_are_positive_integers_of_minor_units(stripe_standin, amount):
    with pytest.raises(ValueError):
        gateway.create_payment_intent(
            checkout_id=1, amount=amount, currency="EUR", transfer_group="c-1"
        )


# -- Transfers, refunds, reversals


def test_transfer_from_the_charge_pays_the_seller(stripe_backend):
    intent, source = transfer_source(
        stripe_backend, cooperative_id=31, checkout_id=3001, amount=10_000
    )
    destination = source["destination"]

    transfer = gateway.create_transfer(
        order_id=501, amount=9_850, metadata={"checkout_id": 3001}, **source
    )
    assert transfer.id.startswith("tr_")
    assert (transfer.amount, transfer.currency) == (9_850, stripe_backend.currency)
    assert transfer.destination == destination
    assert transfer.transfer_group == "checkout-3001"
    assert transfer.source_transaction == intent.latest_charge
    assert transfer.metadata == {"order_id": "501", "checkout_id": "3001"}
    assert not transfer.reversed and transfer.amount_reversed == 0
    assert gateway.retrieve_transfer(transfer.id) == transfer


def test_same_order_transferred_twice_makes_one_transfer(stripe_backend):
    _intent, source = transfer_source(
        stripe_backend, cooperative_id=32, checkout_id=3002, amount=4_000
    )
    arguments = dict(order_id=502, amount=3_940, **source)
    first = gateway.create_transfer(**arguments)
    second = gateway.create_transfer(**arguments)
    assert second.id == first.id

    assert transfers_of("checkout-3002", since=timedelta(hours=1)) == [first.id]


def refusal_of_second_transfer(source, first: tuple[int, int], second: tuple[int, int]):  # type: ignore[no-untyped-def]
    """A first transfer from the charge (`source`: see transfer_source) is made, a second one
    refused (each an order id and an amount): Stripe's refusal."""
    gateway.create_transfer(order_id=first[0], amount=first[1], **source)
    with pytest.raises(PaymentProviderError) as refused:
        gateway.create_transfer(order_id=second[0], amount=second[1], **source)
    return refused.value


def test_same_order_with_another_amount_is_refused_not_paid_twice(stripe_backend):
    _intent, source = transfer_source(
        stripe_backend, cooperative_id=33, checkout_id=3003, amount=4_000
    )
    refusal = refusal_of_second_transfer(source, first=(503, 1_000), second=(503, 2_000))
    assert refusal.status_code == 409


def test_transfers_never_exceed_the_charge_they_come_from(stripe_standin):
    _intent, source = transfer_source(
        stripe_standin, cooperative_id=34, checkout_id=3004, amount=1_000
    )
    refusal = refusal_of_second_transfer(source, first=(504, 700), second=(505, 301))
    assert refusal.stripe_code == "balance_insufficient"


def test_transfer_to_a_restricted_seller_fails_and_succeeds_once_fixed(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    _intent, source = transfer_source(
        stripe_standin, cooperative_id=35, checkout_id=3005, amount=2_000
    )
    destination = source["destination"]
    stripe_standin.restrict(destination)
    event = received(stripe_standin, "account.updated", destination)
    assert event.data["payouts_enabled"] is False
    assert not gateway.retrieve_account(destination).can_receive_transfers

    arguments = dict(order_id=506, amount=1_970, **source)
    with pytest.raises(PaymentProviderError) as refused:
        gateway.create_transfer(**arguments)
    assert refused.value.stripe_code == "insufficient_capabilities_for_transfer"

    # The seller fixes their account. Stripe keeps the refusal under its key (24 hours): the same
    # key stays refused, the next attempt's key pays.
    stripe_standin.onboard(destination)
    with pytest.raises(PaymentProviderError) as replayed:
        gateway.create_transfer(**arguments)
    assert replayed.value.stripe_code == "insufficient_capabilities_for_transfer"
    transfer = gateway.create_transfer(**arguments, attempt=2)
    assert transfer.amount == 1_970
    assert gateway.create_transfer(**arguments, attempt=2).id == transfer.id


def test_transfer_keys_count_attempts(settings):
    settings.STRIPE_IDEMPOTENCY_NAMESPACE = ""
    assert gateway.transfer_key(7) == "order:7:transfer"  # the key rows in flight already use
    assert gateway.transfer_key(7, 2) == "order:7:transfer:2"
    with pytest.raises(ValueError):
        gateway.transfer_key(7, 0)


def test_refund_returns_part_of_the_payment_once(stripe_backend):
    intent = paid_intent(stripe_backend, checkout_id=4001, amount=10_000)
    arguments = dict(
        refund_id=71,
        currency=intent.currency,
        payment_intent_id=intent.id,
        amount=3_000,
        reason="requested_by_customer",
    )
    refund = gateway.create_refund(**arguments)
    assert refund.id.startswith("re_")
    assert (refund.amount, refund.currency) == (3_000, stripe_backend.currency)
    assert refund.payment_intent == intent.id and refund.charge == intent.latest_charge
    assert refund.metadata == {"refund_id": "71"}
    assert refund.reason == "requested_by_customer"

    retried = gateway.create_refund(**arguments)
    assert retried.id == refund.id
    assert gateway.retrieve_charge(intent.latest_charge).amount_refunded == 3_000

    by_charge = gateway.create_refund(
        refund_id=72, currency=intent.currency, charge_id=intent.latest_charge, amount=2_000
    )
    assert by_charge.payment_intent == intent.id
    charge = gateway.retrieve_charge(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (5_000, False)


def test_refunds_never_exceed_the_charge(stripe_backend):
    intent = paid_intent(stripe_backend, checkout_id=4002, amount=1_000)
    gateway.create_refund(
        refund_id=73, currency=intent.currency, payment_intent_id=intent.id, amount=600
    )
    with pytest.raises(PaymentProviderError):
        gateway.create_refund(
            refund_id=74, currency=intent.currency, payment_intent_id=intent.id, amount=401
        )
    assert gateway.retrieve_charge(intent.latest_charge).amount_refunded == 600


def test_refund_names_exactly_one_payment(stripe_standin):
    with pytest.raises(ValueError):
        gateway.create_refund(refund_id=1, amount=100, currency="EUR")
    with pytest.raises(ValueError):
        gateway.create_refund(
            refund_id=1, amount=100, currency="EUR", payment_intent_id="pi_1", charge_id="ch_1"
        )


def test_refund_webhook_names_the_charge(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    intent = paid_intent(stripe_standin, checkout_id=4003, amount=1_000)
    gateway.create_refund(
        refund_id=75, currency=intent.currency, payment_intent_id=intent.id, amount=1_000
    )
    event = received(stripe_standin, "charge.refunded", intent.latest_charge)
    assert event.data["amount_refunded"] == 1_000
    assert event.data["payment_intent"] == intent.id


def test_transfer_reversal_takes_back_part_of_a_transfer_once(stripe_backend):
    _intent, source = transfer_source(
        stripe_backend, cooperative_id=36, checkout_id=5001, amount=5_000
    )
    transfer = gateway.create_transfer(order_id=601, amount=4_925, **source)
    reversal = gateway.create_transfer_reversal(
        reversal_id=81, transfer_id=transfer.id, currency=transfer.currency, amount=2_000
    )
    assert reversal.id.startswith("trr_")
    assert (reversal.transfer, reversal.amount) == (transfer.id, 2_000)
    assert reversal.metadata == {"reversal_id": "81"}
    again = gateway.create_transfer_reversal(
        reversal_id=81, transfer_id=transfer.id, currency=transfer.currency, amount=2_000
    )
    assert again.id == reversal.id
    assert gateway.retrieve_transfer(transfer.id).amount_reversed == 2_000

    with pytest.raises(PaymentProviderError):
        gateway.create_transfer_reversal(
            reversal_id=82, transfer_id=transfer.id, currency=transfer.currency, amount=2_926
        )
    rest = gateway.create_transfer_reversal(
        reversal_id=83, transfer_id=transfer.id, currency=transfer.currency, amount=2_925
    )
    assert rest.amount == 2_925
    assert gateway.retrieve_transfer(transfer.id).reversed


def test_dispute_webhook_leads_to_the_dispute_and_its_charge(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    intent = paid_intent(stripe_standin, checkout_id=5002, amount=3_000)
    dispute = stripe_standin.dispute(intent.latest_charge)

    event = received(stripe_standin, "charge.dispute.created", dispute["id"])
    read = gateway.retrieve_dispute(event.object_id)
    assert (read.charge, read.payment_intent, read.amount) == (
        intent.latest_charge,
        intent.id,
        3_000,
    )
    assert read.status == "needs_response"
    assert gateway.retrieve_charge(intent.latest_charge).disputed


# -- Reconciliation lists


def test_lists_return_what_was_created_in_the_range(stripe_backend):
    before = datetime.now(UTC) - timedelta(seconds=2)
    intent, source = transfer_source(
        stripe_backend, cooperative_id=37, checkout_id=6001, amount=2_500
    )
    transfer = gateway.create_transfer(order_id=701, amount=2_000, **source)
    refund = gateway.create_refund(
        refund_id=91, currency=intent.currency, payment_intent_id=intent.id, amount=500
    )
    after = datetime.now(UTC) + timedelta(seconds=2)

    assert intent.id in {
        p.id for p in gateway.list_payment_intents(created_gte=before, created_lte=after)
    }
    assert transfer.id in {
        t.id for t in gateway.list_transfers(created_gte=before, created_lte=after)
    }
    assert refund.id in {r.id for r in gateway.list_refunds(created_gte=before, created_lte=after)}
    assert [
        r.id
        for r in gateway.list_refunds(
            created_gte=before, created_lte=after, payment_intent_id=intent.id
        )
    ] == [refund.id]

    last_week = (before - timedelta(days=8), before - timedelta(days=7))
    assert intent.id not in {
        p.id
        for p in gateway.list_payment_intents(created_gte=last_week[0], created_lte=last_week[1])
    }


def test_lists_page_through_everything(stripe_standin):
    start = datetime.now(UTC) - timedelta(seconds=2)
    created = {
        gateway.create_payment_intent(
            checkout_id=n, amount=100 + n, currency="EUR", transfer_group=f"c-{n}"
        ).id
        for n in range(105)
    }
    listed = gateway.list_payment_intents(
        created_gte=start, created_lte=datetime.now(UTC) + timedelta(seconds=2)
    )
    assert {p.id for p in listed} == created and len(listed) == 105


def test_lists_want_aware_datetimes(stripe_standin):
    with pytest.raises(ValueError):
        gateway.list_refunds(created_gte=datetime(2025, 1, 1), created_lte=datetime(2025, 1, 2))


# -- Webhook signatures


@pytest.fixture
def webhook_secret(settings):  # type: ignore[no-untyped-def]
    settings.STRIPE_WEBHOOK_SECRET = "whsec_platform"
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect"
    return "whsec_platform"


EVENT = json.dumps(
    {
        "id": "evt_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": 1_700_000_000,
        "livemode": False,
        "data": {"object": {"id": "pi_1", "object": "payment_intent", "amount": 100}},
    }
).encode()


def test_event_signed_with_either_secret_is_accepted(webhook_secret):
    for secret in ("whsec_platform", "whsec_connect"):
        event = gateway.construct_event(EVENT, sign(EVENT, secret, int(time.time())))
        assert (event.id, event.type, event.object_id) == (
            "evt_1",
            "payment_intent.succeeded",
            "pi_1",
        )
        assert event.data["amount"] == 100


@pytest.mark.parametrize(
    "payload, header",
    [
        pytest.param(EVENT, sign(EVENT, "whsec_forged", int(time.time())), id="forged secret"),
        pytest.param(
            EVENT.replace(b'"amount": 100', b'"amount": 1'),
            sign(EVENT, "whsec_platform", int(time.time())),
            id="tampered body",
        ),
        pytest.param(EVENT, sign(EVENT, "whsec_platform", int(time.time()) - 600), id="stale"),
        pytest.param(EVENT, "", id="no header"),
        pytest.param(
            b"\xff\xfe", sign(b"\xff\xfe", "whsec_platform", int(time.time())), id="not utf-8"
        ),
        pytest.param(EVENT, "t=abc,v1=zzz", id="garbage header"),
        pytest.param(
            b"not json", sign(b"not json", "whsec_platform", int(time.time())), id="not an event"
        ),
    ],
)
def test_bad_webhooks_are_refused(webhook_secret, payload, header):
    with pytest.raises(WebhookSignatureInvalid) as refused:
        gateway.construct_event(payload, header)
    assert refused.value.status_code == 400


def test_no_webhook_secret_configured_refuses_everything(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = ""
    with pytest.raises(WebhookSignatureInvalid):
        gateway.construct_event(EVENT, sign(EVENT, "", int(time.time())))


def test_stand_in_delivery_with_a_wrong_secret_is_refused(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url, secret="whsec_someone_else")
    intent = paid_intent(stripe_standin, checkout_id=7001, amount=100)
    delivery = stripe_standin.wait_for_delivery("payment_intent.succeeded", object_id=intent.id)
    with pytest.raises(WebhookSignatureInvalid):
        gateway.construct_event(delivery["payload"].encode(), delivery["signature"])


# -- Failures of the provider


def test_stripe_5xx_is_unavailable_and_the_retry_completes_the_same_payment(stripe_standin):
    stripe_standin.fail("error", status=500, path="/v1/payment_intents")
    with pytest.raises(PaymentProviderUnavailable) as unavailable:
        gateway.create_payment_intent(
            checkout_id=8001, amount=1_000, currency="EUR", transfer_group="checkout-8001"
        )
    assert unavailable.value.status_code == 503
    assert "try again" in unavailable.value.detail

    stripe_standin.clear_faults()
    intent = gateway.create_payment_intent(
        checkout_id=8001, amount=1_000, currency="EUR", transfer_group="checkout-8001"
    )
    assert intent.amount == 1_000


def test_one_failed_attempt_is_retried_by_the_client(stripe_standin):
    stripe_standin.fail("error", status=503, path="/v1/payment_intents", count=1)
    intent = gateway.create_payment_intent(
        checkout_id=8002, amount=1_000, currency="EUR", transfer_group="checkout-8002"
    )
    assert intent.status == "requires_payment_method"


def test_lost_answer_is_replayed_not_paid_twice(stripe_standin):
    _intent, source = transfer_source(
        stripe_standin, cooperative_id=38, checkout_id=8003, amount=5_000
    )
    arguments = dict(order_id=801, amount=4_925, **source)
    # Stripe makes the transfer but every answer is lost: the caller sees "unavailable"...
    stripe_standin.fail("drop_after", path="/v1/transfers")
    with pytest.raises(PaymentProviderUnavailable):
        gateway.create_transfer(**arguments)
    stripe_standin.clear_faults()
    # ...and the next run, with the same key, gets that transfer instead of a second one.
    transfer = gateway.create_transfer(**arguments)
    assert transfers_of("checkout-8003", since=timedelta(minutes=5)) == [transfer.id]

    # One lost answer is absorbed by the client's own retry.
    stripe_standin.fail("drop_after", path="/v1/transfers", count=1)
    second = gateway.create_transfer(**{**arguments, "order_id": 802, "amount": 75})
    assert second.amount == 75


def test_connection_dropped_is_unavailable(stripe_standin):
    stripe_standin.fail("drop", path="/v1/accounts")
    with pytest.raises(PaymentProviderUnavailable):
        gateway.create_connected_account(cooperative_id=9, email="a@b.coop", country="ES")


def test_unreachable_stripe_is_unavailable(stripe_standin, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(PaymentProviderUnavailable):
        gateway.retrieve_payment_intent("pi_whatever")


def test_slow_stripe_times_out_as_unavailable(stripe_standin, settings):
    settings.STRIPE_TIMEOUT_SECONDS = 1
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    stripe_standin.fail("delay", delay=3, path="/v1/payment_intents")
    with pytest.raises(PaymentProviderUnavailable):
        gateway.retrieve_payment_intent("pi_whatever")


def test_without_a_secret_key_card_payments_are_off(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert not gateway.is_configured()
    with pytest.raises(PaymentsNotConfigured):
        gateway.create_payment_intent(
            checkout_id=1, amount=100, currency="EUR", transfer_group="c-1"
        )


def test_idempotency_keys_come_from_our_ids(settings):
    settings.STRIPE_IDEMPOTENCY_NAMESPACE = ""
    assert gateway.idempotency_key("checkout", 42, "pi") == "checkout:42:pi"
    settings.STRIPE_IDEMPOTENCY_NAMESPACE = "staging"
    assert gateway.idempotency_key("order", 7, "transfer") == "staging:order:7:transfer"


# -- Only the gateway imports stripe


@pytest.mark.parametrize(
    "path, banned",
    [
        ("orders/payments/gateway.py", False),
        ("orders/services.py", True),
        ("orders/payments/webhooks.py", True),
        ("cooperatives/services.py", True),
        ("tests/orders/test_anything.py", True),
    ],
)
def test_only_the_gateway_may_import_stripe(path, banned):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--select",
            "TID251",
            "--stdin-filename",
            path,
            "-",
        ],
        input="import stripe\nfrom stripe import StripeClient\n",
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=False,
    )
    assert ("TID251" in result.stdout) is banned, result.stdout + result.stderr
    assert result.returncode == (1 if banned else 0)
