"""The stand-in's own promises, which the payment tests rely on."""

import os
import socket
import subprocess
import sys
import time

import pytest
import requests
from django.conf import settings as django_settings

from orders.payments import gateway


def paid_intent(standin, checkout_id: int):  # type: ignore[no-untyped-def]
    intent = gateway.create_payment_intent(
        checkout_id=checkout_id, amount=1_000, currency="EUR", transfer_group=f"c-{checkout_id}"
    )
    standin.confirm_payment_intent(intent.id)
    return gateway.retrieve_payment_intent(intent.id)


def test_held_events_are_delivered_when_and_as_often_as_the_test_says(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url)
    stripe_standin.hold_webhooks()
    first = paid_intent(stripe_standin, 1)
    second = paid_intent(stripe_standin, 2)
    time.sleep(0.3)
    assert stripe_standin.deliveries() == []

    events = stripe_standin.events("payment_intent.succeeded")
    assert [e["object_id"] for e in events] == [first.id, second.id]
    for event in reversed(events):
        (attempt,) = stripe_standin.deliver(event["id"])
        assert attempt["status"] == 200
    redelivery = stripe_standin.deliver(events[0]["id"])[0]

    delivered = [d["object_id"] for d in stripe_standin.deliveries()]
    assert delivered == [second.id, first.id, first.id]
    # Each delivery is signed afresh and verifies on its own.
    for attempt in stripe_standin.deliveries():
        event = gateway.construct_event(attempt["payload"].encode(), attempt["signature"])
        assert event.object_id == attempt["object_id"]
    assert redelivery["payload"] == stripe_standin.deliveries()[1]["payload"]
    assert [e["deliveries"] for e in stripe_standin.events("payment_intent.succeeded")] == [2, 1]


def test_endpoints_receive_only_the_events_they_asked_for(stripe_standin):
    stripe_standin.register_webhook(stripe_standin.sink_url, events=["charge.refunded"])
    intent = paid_intent(stripe_standin, 3)
    gateway.create_refund(
        refund_id=1, payment_intent_id=intent.id, amount=100, currency=intent.currency
    )
    stripe_standin.wait_for_delivery("charge.refunded")
    assert {d["type"] for d in stripe_standin.deliveries()} == {"charge.refunded"}


def test_failed_deliveries_are_logged(stripe_standin):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    stripe_standin.register_webhook(f"http://127.0.0.1:{closed_port}/webhook/")
    intent = paid_intent(stripe_standin, 4)
    attempt = stripe_standin.wait_for_delivery("payment_intent.succeeded", object_id=intent.id)
    assert attempt["status"] is None and attempt["error"]


def test_reset_forgets_objects_keys_and_events(stripe_standin):
    intent = paid_intent(stripe_standin, 5)
    stripe_standin.reset()
    assert stripe_standin.api("GET", f"/v1/payment_intents/{intent.id}").status_code == 404
    assert stripe_standin.events() == []
    # The same idempotency key now creates a new object rather than replaying the old one.
    again = gateway.create_payment_intent(
        checkout_id=5, amount=1_000, currency="EUR", transfer_group="c-5"
    )
    assert again.id != intent.id


def test_idempotent_replay_is_marked_and_mismatched_parameters_refused(stripe_standin):
    post = stripe_standin.session.post
    url = stripe_standin.url + "/v1/payment_intents"
    headers = {"Idempotency-Key": "checkout:9:pi"}
    first = post(url, data={"amount": 100, "currency": "eur"}, headers=headers, timeout=10)
    replay = post(url, data={"amount": 100, "currency": "eur"}, headers=headers, timeout=10)
    assert first.status_code == replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]
    assert replay.headers["Idempotent-Replayed"] == "true"

    other = post(url, data={"amount": 999, "currency": "eur"}, headers=headers, timeout=10)
    assert other.status_code == 400
    assert other.json()["error"]["type"] == "idempotency_error"


def test_serves_stripe_js_for_the_checkout_page(stripe_standin):
    response = requests.get(stripe_standin.url + "/js.stripe.com/v3/", timeout=10)
    assert response.status_code == 200
    assert "localstripe" in response.text


def test_command_line_serves_the_stand_in_for_docker_compose(stripe_standin_server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.stripe_standin", "--port", str(port)],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(django_settings.BASE_DIR)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = requests.post(
                    f"http://127.0.0.1:{port}/v1/accounts",
                    data={"type": "express", "country": "ES"},
                    auth=("sk_test_anything", ""),
                    timeout=2,
                )
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("python -m tests.stripe_standin did not start")
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["id"].startswith("acct_")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("method", "path", "params", "status", "message"),
    [
        ("GET", "/v1/transfers", {"customer": "cus_1"}, 400, "Unexpected customer"),
        ("GET", "/v1/refunds", {"destination": "acct_1"}, 400, "Unexpected destination"),
        ("GET", "/v1/payment_intents", {"charge": "ch_1"}, 400, "Unexpected charge"),
        ("GET", "/v1/accounts", {"transfer_group": "c-1"}, 400, "Unexpected transfer_group"),
        ("GET", "/v1/disputes", {"customer": "cus_1"}, 400, "Unexpected customer"),
        ("POST", "/v1/disputes", {"charge": "ch_1"}, 405, "Method Not Allowed"),
        ("DELETE", "/v1/transfers/tr_1", {}, 405, "Method Not Allowed"),
    ],
)
def test_what_stripe_refuses_the_standin_refuses(
    stripe_standin, method, path, params, status, message
):  # type: ignore[no-untyped-def]
    """A list takes only the filters Stripe's does; a method Stripe lacks is a 405."""
    response = stripe_standin.api(method, path, **params)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]["message"]


def test_lists_filter_on_the_attributes_they_name(stripe_standin):
    first = paid_intent(stripe_standin, 4)
    paid_intent(stripe_standin, 5)
    listed = stripe_standin.api_get("/v1/refunds", payment_intent=first.id)["data"]
    assert listed == []
    gateway.create_refund(refund_id=2, payment_intent_id=first.id, amount=100, currency="eur")
    (refund,) = stripe_standin.api_get("/v1/refunds", payment_intent=first.id)["data"]
    assert refund["amount"] == 100
    assert len(stripe_standin.api_get("/v1/payment_intents")["data"]) == 2


def test_a_refund_takes_back_at_most_what_is_left_of_the_charge(stripe_standin):
    """As at Stripe: no amount named refunds all that is left; more than is left, or anything
    once nothing is, is a 400 with Stripe's code."""
    intent = paid_intent(stripe_standin, 6)

    def refund(**amount: int) -> requests.Response:
        return stripe_standin.api("POST", "/v1/refunds", payment_intent=intent.id, **amount)

    assert refund(amount=600).json()["amount"] == 600
    too_large = refund(amount=500)
    assert too_large.status_code == 400
    assert too_large.json()["error"]["code"] == "amount_too_large"
    assert "(500) is greater than unrefunded amount on charge (400)" in too_large.text
    assert refund().json()["amount"] == 400
    used_up = refund(amount=1)
    assert used_up.status_code == 400
    assert used_up.json()["error"]["code"] == "charge_already_refunded"
