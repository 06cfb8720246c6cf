"""Card settlement against the Stripe stand-in over HTTP: onboarding, card checkout, webhooks
(signed by the stand-in, relayed to the app through the test client), failures, expiry, retries
and reconciliation. The live-server stories are in test_settlement_flow.py."""

import contextlib
import io
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperatives.models import Cooperative
from ledger.models import JournalEntry
from ledger.selectors import balances_for
from orders.books_check import books_check
from orders.models import (
    CartLine,
    Checkout,
    Order,
    OrderEvent,
    Payment,
    Refund,
    StripeEvent,
    Transfer,
    TransferReversal,
)
from orders.payments import PaymentProviderError, execution, gateway
from orders.payments.execution import MAX_REFUND_SENDS, transfer_group
from orders.payments.services import order_closed
from orders.payments.services.payments import unrefunded
from tests.conftest import client_for
from tests.factories import CooperativeFactory
from tests.frontend.helpers import browser_for
from tests.orders.stripe_helpers import (
    WEBHOOK,
    add,
    card_checkout,
    eur_listing,
    event_ids,
    intent_id,
    new_seller,
    onboard,
    relay,
    start_onboarding,
)


@pytest.fixture
def seller_coop(db):  # type: ignore[no-untyped-def]
    """A seller where Stripe Connect has accounts (Spain; not Argentina: docs/payments.md)."""
    return CooperativeFactory(name="Cooperativa Textil La Huella", country="ES")


@pytest.fixture
def standin(stripe_standin):  # type: ignore[no-untyped-def]
    """Events are held; a test relays the ones it wants, as often as it wants."""
    stripe_standin.register_webhook(stripe_standin.sink_url)
    stripe_standin.hold_webhooks()
    return stripe_standin


@pytest.fixture
def market(standin, buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    """Two onboarded sellers with a EUR listing each, both in the buyer's cart."""
    huella, huella_owner = new_seller("Textil La Huella")
    yerba, yerba_owner = new_seller("Yerba del Sur")
    onboard(standin, huella, huella_owner)
    onboard(standin, yerba, yerba_owner)
    shirts, kilo = eur_listing(huella, 10_000), eur_listing(yerba, 5_050)
    add(buyer_owner, buyer_coop, shirts, 2)
    add(buyer_owner, buyer_coop, kilo, 1)
    return {
        "buyer": buyer_coop,
        "buyer_owner": buyer_owner,
        "huella": huella,
        "huella_owner": huella_owner,
        "yerba": yerba,
        "yerba_owner": yerba_owner,
        "shirts": shirts,
        "kilo": kilo,
    }


def paid_checkout(standin, market, django_capture_on_commit_callbacks) -> Checkout:  # type: ignore[no-untyped-def]
    response = card_checkout(market["buyer_owner"], market["buyer"])
    assert response.status_code == 201, response.content
    checkout_id = response.json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    (event,) = event_ids(standin, "payment_intent.succeeded", pi)
    with django_capture_on_commit_callbacks(execute=True):
        assert relay(standin, client_for(market["buyer_owner"]), event).status_code == 200
    return Checkout.objects.get(pk=checkout_id)


def pay_while_transfers_fail(  # type: ignore[no-untyped-def]
    standin, market, django_capture_on_commit_callbacks, mode: str, **fault
) -> int:
    """A card checkout paid while Stripe's transfers endpoint fails in `mode`: the payment is
    recorded all the same (the money moves later)."""
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    with (
        standin.failing(mode, path="/v1/transfers", **fault),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = relay(
            standin,
            client_for(market["buyer_owner"]),
            event_ids(standin, "payment_intent.succeeded", pi)[0],
        )
    assert response.status_code == 200
    return checkout_id


def balances_everywhere() -> list:  # type: ignore[type-arg]
    owners = [None, *Cooperative.objects.all()]
    return [balance for owner in owners for balance in balances_for(owner)]


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def order_of(checkout: Checkout, seller) -> Order:  # type: ignore[no-untyped-def]
    return Order.objects.get(checkout=checkout, seller=seller)


# -- onboarding


def test_onboarding_without_stripe_keys_is_a_clear_409(seller_coop, seller_owner, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = client_for(seller_owner).post(
        f"/api/v1/cooperatives/{seller_coop.slug}/stripe/onboarding/"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "payments_not_configured"
    assert "invoice" in response.json()["detail"]


def test_only_owners_and_admins_set_up_payouts(
    standin, seller_coop, seller_admin, seller_member, outsider
):
    url = f"/api/v1/cooperatives/{seller_coop.slug}/stripe/onboarding/"
    assert client_for(seller_member).post(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 403
    assert (
        client_for(seller_admin).post("/api/v1/cooperatives/nope/stripe/onboarding/").status_code
        == 404
    )
    seller_coop.refresh_from_db()
    assert seller_coop.stripe_account_id == ""
    assert client_for(seller_admin).post(url).status_code == 200


def test_onboarding_creates_the_account_once_and_a_fresh_link_each_time(
    standin, seller_coop, seller_owner
):
    first = start_onboarding(seller_coop, seller_owner)
    seller_coop.refresh_from_db()
    account = seller_coop.stripe_account_id
    assert account.startswith("acct_")
    second = start_onboarding(seller_coop, seller_owner)
    seller_coop.refresh_from_db()
    assert seller_coop.stripe_account_id == account and first != second
    assert len(standin.api_get("/v1/accounts")["data"]) == 1
    # The seller leaves Stripe's page early: back on the return page, not yet paid out.
    back = standin.follow_account_link(first, complete=False)
    # Back to the address the API request reached (the test client's), not to SITE_URL.
    assert back == f"http://testserver/stripe/return/{seller_coop.slug}/"
    page = browser_for(seller_owner).get(f"/stripe/return/{seller_coop.slug}/")
    assert page.status_code == 200
    assert b"still needs some information" in page.content
    seller_coop.refresh_from_db()
    assert not seller_coop.is_payouts_enabled


def test_a_stale_link_sends_the_seller_to_refresh_which_redirects_to_a_new_one(
    standin, seller_coop, seller_owner
):
    url = start_onboarding(seller_coop, seller_owner)
    standin.expire_account_link(url)
    refresh = standin.follow_account_link(url)
    assert refresh.endswith(f"/stripe/refresh/{seller_coop.slug}/")
    response = browser_for(seller_owner).get(f"/stripe/refresh/{seller_coop.slug}/")
    assert response.status_code == 302 and response["Location"] != url
    back = standin.follow_account_link(response["Location"])
    assert back.endswith(f"/stripe/return/{seller_coop.slug}/")
    page = browser_for(seller_owner).get(f"/stripe/return/{seller_coop.slug}/")
    assert b"Card payouts are set up" in page.content
    seller_coop.refresh_from_db()
    assert seller_coop.is_payouts_enabled


def test_a_page_button_starts_onboarding_for_owners_only(
    standin, seller_coop, seller_owner, seller_member, outsider
):
    path = f"/stripe/onboarding/{seller_coop.slug}/"
    started = browser_for(seller_owner).post(path)
    assert started.status_code == 302
    assert started["Location"].startswith(standin.url + "/_minga/connect/onboarding/")
    refused = browser_for(seller_member).post(path)
    assert refused.status_code == 403 and b"Only owners and admins" in refused.content
    assert browser_for(outsider).post(path).status_code == 404
    assert browser_for(seller_owner).get(path).status_code == 405


def test_account_updated_webhook_turns_payouts_on_and_off(standin, seller_coop, seller_owner):
    standin.follow_account_link(start_onboarding(seller_coop, seller_owner))
    seller_coop.refresh_from_db()
    account = seller_coop.stripe_account_id
    client = client_for(seller_owner)
    (onboarded,) = event_ids(standin, "account.updated", account)
    assert relay(standin, client, onboarded).status_code == 200
    seller_coop.refresh_from_db()
    assert seller_coop.is_payouts_enabled
    standin.restrict(account)
    restricted = event_ids(standin, "account.updated", account)[-1]
    relay(standin, client, restricted)
    # The older event, delivered late, re-reads the account: still restricted.
    relay(standin, client, onboarded)
    seller_coop.refresh_from_db()
    assert not seller_coop.is_payouts_enabled


# -- card checkout


def test_cart_says_which_sellers_take_cards_and_checkout_names_the_others(
    standin, market, django_capture_on_commit_callbacks
):
    buyer, owner = market["buyer"], market["buyer_owner"]
    cooperative, _ = new_seller("Cooperativa Sin Stripe")
    add(owner, buyer, eur_listing(cooperative, 700), 1)
    cart = client_for(owner).get(f"/api/v1/cart/?cooperative={buyer.slug}").json()
    payable = {group["seller"]["slug"]: group["card_payable"] for group in cart["groups"]}
    assert payable == {
        market["huella"].slug: True,
        market["yerba"].slug: True,
        cooperative.slug: False,
    }

    refused = card_checkout(owner, buyer)
    assert refused.status_code == 409
    assert refused.json()["code"] == "seller_not_card_payable"
    assert "Cooperativa Sin Stripe" in refused.json()["detail"]
    assert "only_card_payable" not in refused.json()["detail"]  # words for people, not a parameter
    assert refused.json()["sellers"] == [{"slug": cooperative.slug, "name": cooperative.name}]
    assert [line["code"] for line in refused.json()["lines"]] == ["seller_not_card_payable"]
    assert not Checkout.objects.exists()

    partial = card_checkout(owner, buyer, only_card_payable=True)
    assert partial.status_code == 201
    assert {o["seller"]["slug"] for o in partial.json()["orders"]} == {
        market["huella"].slug,
        market["yerba"].slug,
    }
    # What cannot be paid by card waits in the cart for an invoice checkout.
    assert list(CartLine.objects.values_list("seller__slug", flat=True)) == [cooperative.slug]


def test_card_checkout_holds_stock_tells_sellers_only_once_paid_and_accept_waits(
    standin, market, django_capture_on_commit_callbacks
):
    buyer_owner = market["buyer_owner"]
    with django_capture_on_commit_callbacks(execute=True):
        response = card_checkout(buyer_owner, market["buyer"])
    assert response.status_code == 201
    body = response.json()
    assert body["payment"]["client_secret"].startswith(intent_id(body["id"]) + "_secret_")
    assert {order["payment_status"] for order in body["orders"]} == {"pending"}
    market["shirts"].refresh_from_db()
    assert market["shirts"].stock == 8
    sellers = {market["huella_owner"].email, market["yerba_owner"].email}
    assert not sellers & {to for m in mail.outbox for to in m.to}

    order = order_of(Checkout.objects.get(), market["huella"])
    seller = client_for(market["huella_owner"])
    assert "accept" not in seller.get(f"/api/v1/orders/{order.pk}/").json()["actions"]
    refused = seller.post(f"/api/v1/orders/{order.pk}/accept/")
    assert refused.status_code == 409 and refused.json()["code"] == "payment_pending"

    mail.outbox.clear()
    pi = intent_id(body["id"])
    standin.confirm_payment_intent(pi)
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, seller, event_ids(standin, "payment_intent.succeeded", pi)[0])
    assert sellers <= {to for m in mail.outbox for to in m.to}
    assert "accept" in seller.get(f"/api/v1/orders/{order.pk}/").json()["actions"]
    assert seller.post(f"/api/v1/orders/{order.pk}/accept/").status_code == 200


def test_stripe_down_during_checkout_is_a_503_and_the_same_key_completes_it(standin, market):
    owner, buyer = market["buyer_owner"], market["buyer"]
    with standin.failing("error", path="/v1/payment_intents", status=500):
        down = card_checkout(owner, buyer, key="same-key")
    assert down.status_code == 503
    assert down.json()["code"] == "payment_provider_unavailable"
    assert "try again" in down.json()["detail"].lower()
    checkout = Checkout.objects.get()
    assert (checkout.status, checkout.payment_status) == ("awaiting_payment", "pending")
    market["shirts"].refresh_from_db()
    assert market["shirts"].stock == 8  # held for the retry (expiry releases it otherwise)

    # The PaymentIntent is created but the answer is lost: still "try again".
    with standin.failing("drop_after", path="/v1/payment_intents", method="POST"):
        lost = card_checkout(owner, buyer, key="same-key")
    assert lost.status_code == 503

    retry = card_checkout(owner, buyer, key="same-key")
    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == checkout.pk
    assert retry.json()["payment"]["client_secret"]
    intents = standin.api_get("/v1/payment_intents")["data"]
    assert len(intents) == 1  # the lost one, found again by its idempotency key
    assert intents[0]["id"] == intent_id(checkout.pk)
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2


# -- webhooks


def test_a_forged_or_stale_webhook_is_refused_and_changes_nothing(
    standin, market, client, settings
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    (event,) = event_ids(standin, "payment_intent.succeeded", pi)
    (attempt,) = standin.deliver(event)
    payload, signature = attempt["payload"], attempt["signature"]
    timestamp = signature.split(",")[0]

    tampered = payload.replace('"amount": 25050', '"amount": 1')
    assert tampered != payload
    forged = [
        (payload, None),
        (payload, f"{timestamp},v1={'0' * 64}"),
        (tampered, signature),
        (payload, "t=1700000000,v1=" + signature.split("v1=")[1]),
        ("not json", signature),
    ]
    for body, header in forged:
        extra = {"HTTP_STRIPE_SIGNATURE": header} if header else {}
        response = client.post(WEBHOOK, data=body, content_type="application/json", **extra)
        assert response.status_code == 400, body[:40]
        assert response.json()["code"] == "invalid_signature"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_someone_else"
    response = client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert Checkout.objects.get().payment_status == "pending"
    assert not Transfer.objects.exists()


def test_an_event_naming_an_unknown_checkout_asks_stripe_to_come_back(db, standin, client):
    intent = gateway.create_payment_intent(
        checkout_id=987654, amount=1_000, currency="EUR", transfer_group=transfer_group(987654)
    )
    standin.confirm_payment_intent(intent.id)
    (event,) = event_ids(standin, "payment_intent.succeeded", intent.id)
    response = relay(standin, client, event)
    assert response.status_code == 503
    assert response.json()["code"] == "event_not_ready"
    assert not StripeEvent.objects.exists()


def test_payments_of_other_apps_on_the_account_are_recorded_and_ignored(db, standin, client):
    intent = gateway.create_payment_intent(
        checkout_id=5, amount=1_000, currency="EUR", transfer_group="someone-else"
    )
    standin.confirm_payment_intent(intent.id)
    (event,) = event_ids(standin, "payment_intent.succeeded", intent.id)
    response = relay(standin, client, event)
    assert response.status_code == 200
    assert response.json()["outcome"].startswith("ignored")
    assert StripeEvent.objects.get().type == "payment_intent.succeeded"


def test_a_declined_card_tells_the_buyer_and_a_later_success_still_pays(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    client = client_for(market["buyer_owner"])
    standin.confirm_payment_intent(pi, succeed=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, client, event_ids(standin, "payment_intent.payment_failed", pi)[0])
    checkout = Checkout.objects.get()
    assert checkout.payment_status == "failed" and checkout.status == "awaiting_payment"
    assert Payment.objects.get().failure_message
    assert any(
        "failed" in m.subject and f"/checkout/{checkout_id}/pay/" in m.body for m in mail.outbox
    )
    market["shirts"].refresh_from_db()
    assert market["shirts"].stock == 8  # within the grace period the goods stay held

    standin.confirm_payment_intent(pi)
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, client, event_ids(standin, "payment_intent.succeeded", pi)[0])
    assert Checkout.objects.get().payment_status == "succeeded"
    assert Transfer.objects.filter(status="paid").count() == 2


def test_stripe_unreachable_while_rereading_the_event_answers_503_and_keeps_nothing(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    (event,) = event_ids(standin, "payment_intent.succeeded", pi)
    client = client_for(market["buyer_owner"])
    with standin.failing("error", path=f"/v1/payment_intents/{pi}", method="GET", status=502):
        response = relay(standin, client, event)
    assert response.status_code == 503
    assert not StripeEvent.objects.exists()
    assert Checkout.objects.get().payment_status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        assert relay(standin, client, event).status_code == 200  # Stripe's next attempt
    assert Checkout.objects.get().payment_status == "succeeded"


def test_a_failure_after_the_grace_period_releases_the_stock_at_once(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    Checkout.objects.update(created_at=timezone.now() - timedelta(hours=3))
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi, succeed=False)
    (event,) = event_ids(standin, "payment_intent.payment_failed", pi)
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, client_for(market["buyer_owner"]), event)
    checkout = Checkout.objects.get()
    assert (checkout.status, checkout.payment_status) == ("cancelled", "failed")
    market["kilo"].refresh_from_db()
    assert market["kilo"].stock == 10
    assert standin.api_get(f"/v1/payment_intents/{pi}")["status"] == "canceled"


def test_payment_emails_are_written_in_the_buyers_language(
    standin, market, django_capture_on_commit_callbacks
):
    owner = market["buyer_owner"]
    owner.language = "es"
    owner.save(update_fields=["language"])
    checkout_id = card_checkout(owner, market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi, succeed=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        relay(
            standin, client_for(owner), event_ids(standin, "payment_intent.payment_failed", pi)[0]
        )
    (message,) = [m for m in mail.outbox if m.to == [owner.email]]
    assert message.subject == f"El pago con tarjeta de la compra n.º {checkout_id} falló"
    assert "EUR\xa0250,50" in message.body  # 25 050 cents, written for a Spanish reader


def test_a_dispute_flags_every_order_of_the_checkout(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    payment = Payment.objects.get()
    standin.dispute(payment.stripe_charge_id)
    (event,) = event_ids(standin, "charge.dispute.created")
    relay(standin, client_for(market["buyer_owner"]), event)
    assert Payment.objects.get().disputed_at is not None
    orders = list(Order.objects.filter(checkout=checkout))
    assert all(order.is_flagged and "dispute" in order.flag_reason for order in orders)


def dashboard_refund(standin, client, amount: int) -> str:  # type: ignore[no-untyped-def]
    """A refund made in Stripe's dashboard (no metadata of Minga's), its refund.created relayed."""
    payment = Payment.objects.get()
    made = standin.api(
        "POST", "/v1/refunds", payment_intent=payment.stripe_payment_intent_id, amount=amount
    )
    (event,) = event_ids(standin, "refund.created", made.json()["id"])
    assert relay(standin, client, event).status_code == 200
    return made.json()["id"]


def outside_refunds() -> list[tuple[int, int, str]]:
    rows = Refund.objects.filter(source="outside").order_by("pk")
    return [(r.order.seller_id, r.amount, r.stripe_id) for r in rows]


def test_a_partial_refund_made_outside_minga_is_recorded_posted_once_and_shown(
    standin, market, django_capture_on_commit_callbacks, capsys
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    refund_id = dashboard_refund(standin, buyer, 500)
    huella_order = order_of(checkout, market["huella"])  # the first order takes it
    assert outside_refunds() == [(market["huella"].pk, 500, refund_id)]
    (row,) = Refund.objects.all()
    assert row.status == "succeeded" and row.order_id == huella_order.pk
    assert JournalEntry.objects.filter(key=f"refund:{row.pk}").count() == 1
    assert books_check() == []
    # The same refund again, as charge.refunded (which lists the payment's refunds): nothing new.
    for event in event_ids(standin, "charge.refunded"):
        assert relay(standin, buyer, event).status_code == 200
    assert Refund.objects.count() == 1 and books_check() == []
    assert Payment.objects.get().amount_refunded == 500
    checkout.refresh_from_db()
    assert checkout.payment_status == "succeeded"  # partly refunded: still paid
    order = buyer.get(f"/api/v1/orders/{huella_order.pk}/").json()
    (line,) = [event for event in order["events"] if event["reference"] == refund_id]
    assert line["action"] == "refund_succeeded" and "outside Minga" in line["note"]
    assert Order.objects.get(pk=huella_order.pk).is_flagged
    assert not order_of(checkout, market["yerba"]).is_flagged  # its order was not touched
    # Reconciliation knows it now: no longer reported as a refund Minga has not recorded.
    today = timezone.localdate().isoformat()
    call_command("reconcile_stripe", since=today, until=today)
    assert refund_id not in capsys.readouterr().out


def test_a_whole_refund_made_outside_minga_is_split_over_the_orders_and_refunds_the_payment(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    first = dashboard_refund(standin, buyer, 700)
    second = dashboard_refund(standin, buyer, 25_050 - 700)
    huella, yerba = market["huella"].pk, market["yerba"].pk
    assert outside_refunds() == [
        (huella, 700, first),
        (huella, 20_000 - 700, second),
        (yerba, 5_050, second),
    ]
    checkout.refresh_from_db()
    assert checkout.payment_status == "refunded"
    assert Payment.objects.get().amount_refunded == 25_050
    assert books_check() == []
    # The buyer's card has its money back: its bank account on the Stripe rail nets to zero.
    bank = [b for b in balances_for(market["buyer"]) if b.account.kind == "bank"]
    assert [(b.account.rail, b.amount) for b in bank] == [("stripe", 0)]


def test_cancelling_after_a_partial_outside_refund_refunds_only_the_rest(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    dashboard_refund(standin, buyer, 1_000)  # taken from the huella order (20,000)
    order = order_of(checkout, market["huella"])
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    mingas = Refund.objects.get(source="minga")
    assert (mingas.order_id, mingas.amount, mingas.status) == (order.pk, 19_000, "succeeded")
    charge = standin.api_get(f"/v1/charges/{Payment.objects.get().stripe_charge_id}")
    assert charge["amount_refunded"] == 20_000  # the order's total, once: never more
    assert books_check() == []
    # The buyer got the order's whole total back, and owes its seller nothing for it.
    events = buyer.get(f"/api/v1/orders/{order.pk}/").json()["events"]
    assert any(
        "190.00" in event["note"] for event in events if event["action"] == "refund_requested"
    )


def test_an_outside_refund_of_a_payment_not_recorded_yet_is_delivered_again_later(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    buyer = client_for(market["buyer_owner"])
    made = standin.api("POST", "/v1/refunds", payment_intent=pi, amount=300).json()
    (refund_event,) = event_ids(standin, "refund.created", made["id"])
    # Stripe's events out of order: the refund before the payment's success.
    assert relay(standin, buyer, refund_event).status_code == 503
    assert not Refund.objects.exists() and not StripeEvent.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, buyer, event_ids(standin, "payment_intent.succeeded", pi)[0])
    assert relay(standin, buyer, refund_event).status_code == 200
    assert [amount for _, amount, _ in outside_refunds()] == [300]
    assert books_check() == []


def test_mingas_own_refund_is_not_recorded_again_from_its_webhooks(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    order = order_of(checkout, market["yerba"])
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    assert Refund.objects.get().status == "succeeded"
    for kind in ("refund.created", "charge.refunded"):
        for event in event_ids(standin, kind):
            assert relay(standin, buyer, event).status_code == 200
    assert outside_refunds() == []
    assert Payment.objects.get().amount_refunded == 5_050
    assert books_check() == []


# -- refunds


def test_cancelling_paid_orders_refunds_each_share_and_never_more_than_the_charge(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    for seller in (market["huella"], market["yerba"]):
        order = order_of(checkout, seller)
        with django_capture_on_commit_callbacks(execute=True):
            assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    refunds = list(Refund.objects.order_by("order_id"))
    assert [(r.status, r.amount) for r in refunds] == [("succeeded", 20_000), ("succeeded", 5_050)]
    assert sum(r.amount for r in refunds) == Payment.objects.get().amount
    assert TransferReversal.objects.filter(status="succeeded").count() == 2
    charge = standin.api_get(f"/v1/charges/{Payment.objects.get().stripe_charge_id}")
    assert charge["amount_refunded"] == charge["amount"] == 25_050
    for event in event_ids(standin, "charge.refunded"):
        relay(standin, buyer, event)
    checkout.refresh_from_db()
    assert checkout.payment_status == "refunded"
    assert all(order.status == "cancelled" for order in Order.objects.all())
    # Every refund and reversal is in the books: nobody owes anybody, nothing is left in transit.
    assert books_check() == []
    assert {line.amount for line in balances_everywhere()} == {0}


def test_an_order_cancelled_before_the_payment_succeeded_is_refunded_not_transferred(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    checkout = Checkout.objects.get(pk=checkout_id)
    buyer = client_for(market["buyer_owner"])
    yerba_order = order_of(checkout, market["yerba"])
    assert buyer.post(f"/api/v1/orders/{yerba_order.pk}/cancel/").status_code == 200
    assert not Refund.objects.exists()  # nothing was charged yet
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, buyer, event_ids(standin, "payment_intent.succeeded", pi)[0])
    assert Transfer.objects.get().order_id == order_of(checkout, market["huella"]).pk
    assert Refund.objects.get().order_id == yerba_order.pk
    assert Refund.objects.get().status == "succeeded"
    assert books_check() == []


# -- transfer failures and retries


def test_a_failed_transfer_flags_the_order_keeps_the_money_and_is_retried_once_fixed(
    standin, market, django_capture_on_commit_callbacks, admin_client
):
    standin.restrict(market["yerba"].stripe_account_id, notify=False)
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    yerba_order = order_of(checkout, market["yerba"])
    failed = Transfer.objects.get(order=yerba_order)
    assert failed.status == "failed" and failed.stripe_transfer_id == ""
    assert "capabilities" in failed.failure_message
    yerba_order.refresh_from_db()
    assert yerba_order.is_flagged and "stays on the platform" in yerba_order.flag_reason
    assert Transfer.objects.get(order=order_of(checkout, market["huella"])).status == "paid"
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout.pk))
    assert len(at_stripe["data"]) == 1
    # A person sees it in the admin.
    listing = admin_client.get("/admin/orders/transfer/?status__exact=failed")
    assert listing.status_code == 200 and str(yerba_order.pk).encode() in listing.content
    assert admin_client.get("/admin/orders/order/?is_flagged__exact=1").status_code == 200

    assert failed.key_attempt == 2  # Stripe keeps the refusal under the first key
    run("retry_transfers")  # still restricted
    assert Transfer.objects.get(pk=failed.pk).status == "failed"
    assert yerba_order.events.filter(action="flag").count() == 1

    standin.onboard(market["yerba"].stripe_account_id, notify=False)
    run("retry_transfers")
    paid = Transfer.objects.get(pk=failed.pk)
    assert paid.status == "paid" and paid.stripe_transfer_id
    assert paid.key_attempt == 3  # the third key, after two refusals
    yerba_order.refresh_from_db()
    assert not yerba_order.is_flagged
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout.pk))
    assert sorted(t["amount"] for t in at_stripe["data"]) == [4_974, 19_700]


def test_the_sellers_fixed_account_retries_its_failed_transfers_by_itself(
    standin, market, django_capture_on_commit_callbacks
):
    standin.restrict(market["yerba"].stripe_account_id, notify=False)
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    assert Transfer.objects.get(order=order_of(checkout, market["yerba"])).status == "failed"
    standin.onboard(market["yerba"].stripe_account_id)
    event = event_ids(standin, "account.updated", market["yerba"].stripe_account_id)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, client_for(market["yerba_owner"]), event)
    assert Transfer.objects.get(order=order_of(checkout, market["yerba"])).status == "paid"


def test_a_transfer_whose_answer_was_lost_is_retried_under_the_same_key(
    standin, market, django_capture_on_commit_callbacks
):
    # Stripe makes each transfer, but every answer is lost (the client's own retries included).
    checkout_id = pay_while_transfers_fail(
        standin, market, django_capture_on_commit_callbacks, "drop_after", method="POST", count=20
    )
    assert set(Transfer.objects.values_list("status", "key_attempt")) == {("pending", 1)}
    run("retry_transfers")
    transfers = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))
    assert len(transfers["data"]) == 2  # one per order, not one per try
    assert set(Transfer.objects.values_list("status", "key_attempt")) == {("paid", 1)}
    assert set(Transfer.objects.values_list("stripe_transfer_id", flat=True)) == {
        t["id"] for t in transfers["data"]
    }


def test_a_new_key_is_never_used_while_stripe_already_has_the_orders_transfer(
    standin, market, django_capture_on_commit_callbacks
):
    standin.restrict(market["yerba"].stripe_account_id, notify=False)
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    failed = Transfer.objects.get(order=order_of(checkout, market["yerba"]))
    assert (failed.status, failed.key_attempt) == ("failed", 2)
    # Meanwhile the order's transfer reached Stripe some other way (a worker that outlived its
    # key, a person with the dashboard): the next attempt finds it instead of paying again.
    standin.onboard(market["yerba"].stripe_account_id, notify=False)
    made = gateway.create_transfer(
        order_id=failed.order_id,
        amount=failed.amount,
        currency=failed.currency,
        destination=market["yerba"].stripe_account_id,
        transfer_group=transfer_group(checkout.pk),
        source_transaction=Payment.objects.get().stripe_charge_id,
        metadata={"transfer_id": failed.pk},
        attempt=9,
    )
    run("retry_transfers")
    paid = Transfer.objects.get(pk=failed.pk)
    assert (paid.status, paid.stripe_transfer_id) == ("paid", made.id)
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout.pk))
    assert [t["id"] for t in at_stripe["data"] if t["destination"] == paid.destination] == [made.id]


def test_a_replayed_refusal_moves_the_key_on_once(
    standin, market, django_capture_on_commit_callbacks
):
    standin.restrict(market["yerba"].stripe_account_id, notify=False)
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    transfer = Transfer.objects.get(order=order_of(checkout, market["yerba"]))
    assert transfer.key_attempt == 2
    # A second worker that sent the first key at the same time brings back the same refusal.
    refusal = PaymentProviderError(
        "restricted", stripe_code="insufficient_capabilities_for_transfer"
    )
    execution._transfer_refused(transfer, refusal, 1)
    assert Transfer.objects.get(pk=transfer.pk).key_attempt == 2
    # A key reused with other parameters says nothing about what the key made: no new key.
    execution._transfer_refused(
        transfer, PaymentProviderError("x", stripe_code="idempotency_error"), 2
    )
    assert Transfer.objects.get(pk=transfer.pk).key_attempt == 2


def test_retry_takes_the_sellers_share_back_before_it_refunds_the_buyer(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    order = order_of(checkout, market["yerba"])
    with (
        standin.failing("error", path="/v1/", status=503, count=50),
        django_capture_on_commit_callbacks(execute=True),
    ):
        cancel = client_for(market["buyer_owner"]).post(f"/api/v1/orders/{order.pk}/cancel/")
    assert cancel.status_code == 200
    assert Refund.objects.get().status == TransferReversal.objects.get().status == "pending"
    standin.clear_faults()
    run("retry_transfers")
    kinds = [
        e["type"] for e in standin.events() if e["type"] in ("transfer.reversed", "refund.created")
    ]
    assert kinds == ["transfer.reversed", "refund.created"]
    assert Refund.objects.get().status == TransferReversal.objects.get().status == "succeeded"


@pytest.mark.parametrize("command", ["retry_transfers", "expire_pending_payments"])
def test_cron_commands_fail_loudly_when_stripe_is_unreachable(
    standin, market, settings, django_capture_on_commit_callbacks, command
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    Checkout.objects.update(created_at=timezone.now() - timedelta(hours=2))
    standin.confirm_payment_intent(intent_id(checkout_id))
    Transfer.objects.create(
        order=Order.objects.first(),
        payment=Payment.objects.get(),
        amount=100,
        currency="EUR",
    )
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    with pytest.raises(CommandError) as failed:
        run(command)
    assert "Stripe unreachable" in str(failed.value)
    assert "APIConnectionError" in str(failed.value)  # the network error, for cron's mail


def test_stripe_down_after_the_payment_leaves_transfers_pending_for_the_retry(
    standin, market, django_capture_on_commit_callbacks
):
    pay_while_transfers_fail(
        standin, market, django_capture_on_commit_callbacks, "error", status=503
    )
    assert set(Transfer.objects.values_list("status", flat=True)) == {"pending"}
    run("retry_transfers")
    assert set(Transfer.objects.values_list("status", flat=True)) == {"paid"}


def test_an_order_closed_a_second_time_asks_for_nothing_more(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    order = order_of(checkout, market["yerba"])
    with django_capture_on_commit_callbacks(execute=True):
        cancel = client_for(market["buyer_owner"]).post(f"/api/v1/orders/{order.pk}/cancel/")
    assert cancel.status_code == 200
    requested = list(order.events.filter(action="refund_requested").values_list("note", flat=True))
    assert len(requested) == 1 and "50.50" in requested[0]
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        order_closed(Order.objects.select_for_update().get(pk=order.pk))
    assert callbacks == []  # no Stripe call asked for
    assert order.events.filter(action="refund_requested").count() == 1  # no "Nothing more…"
    assert Refund.objects.count() == TransferReversal.objects.count() == 1


def test_a_dashboard_refund_over_many_orders_reads_what_they_have_left_in_one_query(
    standin, market, django_capture_on_commit_callbacks
):
    # A checkout of four orders (two more sellers beside the market's two).
    for name in ("Café Andino", "Miel del Monte"):
        seller, owner = new_seller(name)
        onboard(standin, seller, owner)
        add(market["buyer_owner"], market["buyer"], eur_listing(seller, 1_000), 1)
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    assert checkout.orders.count() == 4
    total = Payment.objects.get().amount
    with CaptureQueriesContext(connection) as queries:
        refund_id = dashboard_refund(standin, client_for(market["buyer_owner"]), total)
    left_reads = [
        q["sql"] for q in queries if '"orders_refund"' in q["sql"] and "GROUP BY" in q["sql"]
    ]
    assert len(left_reads) == 1, left_reads
    assert [r.stripe_id for r in Refund.objects.all()] == [refund_id] * 4
    assert books_check() == []


# -- a refund Stripe reports failed after it succeeded


def relay_all(standin, client, kind: str, object_id: str | None = None) -> None:  # type: ignore[no-untyped-def]
    for event in event_ids(standin, kind, object_id):
        assert relay(standin, client, event).status_code == 200


def ledger_state() -> tuple[int, list]:  # type: ignore[type-arg]
    return JournalEntry.objects.count(), balances_everywhere()


def test_a_refund_that_fails_after_it_succeeded_is_owed_again_flagged_and_sent_again(
    standin, market, django_capture_on_commit_callbacks, capsys
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    for seller in (market["huella"], market["yerba"]):
        with django_capture_on_commit_callbacks(execute=True):
            cancel = buyer.post(f"/api/v1/orders/{order_of(checkout, seller).pk}/cancel/")
        assert cancel.status_code == 200
    relay_all(standin, buyer, "charge.refunded")
    checkout.refresh_from_db()
    assert checkout.payment_status == "refunded"
    order = order_of(checkout, market["yerba"])
    refund = Refund.objects.get(order=order)
    first_id = refund.stripe_id
    # The buyer's card was closed: Stripe moves the refund to failed, in three events.
    standin.fail_refund(first_id)
    (updated,) = event_ids(standin, "refund.updated", first_id)
    assert relay(standin, buyer, updated).status_code == 200
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt) == ("failed", 2)
    assert "expired_or_canceled_card" in refund.failure_message
    # Owed to the buyer again: the refund's entry reversed, the books still agree with the rows.
    assert JournalEntry.objects.filter(key=f"refund_failed:{refund.pk}").count() == 1
    assert books_check() == []
    checkout.refresh_from_db()
    payment = Payment.objects.get()
    assert (checkout.payment_status, payment.amount_refunded) == ("succeeded", 20_000)
    order.refresh_from_db()
    assert order.is_flagged and "failed at Stripe" in order.flag_reason
    events = buyer.get(f"/api/v1/orders/{order.pk}/").json()["events"]
    assert [e["action"] for e in events].count("refund_failed") == 1
    # The same failure told again (and twice), by the other two events: nothing changes.
    before = ledger_state()
    for kind in ("charge.refund.updated", "refund.failed", "refund.updated", "charge.refunded"):
        relay_all(standin, buyer, kind)
    assert ledger_state() == before
    assert Refund.objects.get(pk=refund.pk).key_attempt == 2
    assert OrderEvent.objects.filter(order=order, action="refund_failed").count() == 1
    # The retry sends it again, as a new Stripe refund under a new key.
    run("retry_transfers")
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt) == ("succeeded", 2)
    assert refund.stripe_id != first_id
    again = standin.api_get(f"/v1/refunds/{refund.stripe_id}")
    assert (again["amount"], again["metadata"]["attempt"]) == (5_050, "2")
    charge = standin.api_get(f"/v1/charges/{payment.stripe_charge_id}")
    assert charge["amount_refunded"] == 25_050
    assert JournalEntry.objects.filter(key=f"refund:{refund.pk}:2").count() == 1
    relay_all(standin, buyer, "charge.refunded")
    checkout.refresh_from_db()
    assert checkout.payment_status == "refunded"
    assert books_check() == []
    # The first refund's late events change nothing now, and reconciliation finds it in order.
    before = ledger_state()
    relay_all(standin, buyer, "refund.created", first_id)
    assert ledger_state() == before and Refund.objects.get(pk=refund.pk).status == "succeeded"
    capsys.readouterr()
    today = timezone.localdate().isoformat()
    call_command("reconcile_stripe", since=today, until=today)
    assert first_id not in capsys.readouterr().out


def test_a_refund_failing_before_its_success_is_recorded_is_recorded_both_then_retried(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    order = order_of(checkout, market["yerba"])
    # Stripe makes the refund, but every answer is lost: the row stays pending.
    with (
        standin.failing("drop_after", path="/v1/refunds", method="POST", count=20),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    refund = Refund.objects.get()
    assert (refund.status, refund.stripe_id) == ("pending", "")
    pi = Payment.objects.get().stripe_payment_intent_id
    (made,) = standin.api_get("/v1/refunds", payment_intent=pi)["data"]
    standin.fail_refund(made["id"])
    relay_all(standin, buyer, "refund.failed")
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt, refund.stripe_id) == ("failed", 2, made["id"])
    keys = set(JournalEntry.objects.values_list("key", flat=True))
    assert {f"refund:{refund.pk}", f"refund_failed:{refund.pk}"} <= keys
    assert books_check() == []
    # The retry's answer is lost too, and that refund fails as well. Sent again, the row is
    # `pending` while its fate is unknown (so nobody can record it paid another way meanwhile).
    with (
        standin.failing("drop_after", path="/v1/refunds", method="POST", count=20),
        pytest.raises(CommandError),
    ):
        run("retry_transfers")
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt, refund.stripe_id) == ("pending", 2, made["id"])
    second = next(
        r
        for r in standin.api_get("/v1/refunds", payment_intent=pi)["data"]
        if r["id"] != made["id"]
    )
    standin.fail_refund(second["id"])
    relay_all(standin, buyer, "refund.failed", second["id"])
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt, refund.stripe_id) == ("failed", 3, second["id"])
    assert books_check() == []
    run("retry_transfers")
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt) == ("succeeded", 3)
    refunds = standin.api_get("/v1/refunds", payment_intent=pi)["data"]
    assert sorted(r["status"] for r in refunds) == ["failed", "failed", "succeeded"]
    # The first refund's creation, delivered last: nothing changes.
    before = ledger_state()
    relay_all(standin, buyer, "refund.created")
    relay_all(standin, buyer, "refund.updated")
    assert ledger_state() == before
    assert books_check() == []


def test_an_outside_refund_that_fails_is_owed_again_and_left_to_a_person(
    standin, market, django_capture_on_commit_callbacks
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    refund_id = dashboard_refund(standin, buyer, 700)
    standin.fail_refund(refund_id)
    relay_all(standin, buyer, "refund.failed")
    (row,) = Refund.objects.all()
    assert (row.source, row.status) == ("outside", "failed")
    order = order_of(checkout, market["huella"])
    assert "Stripe dashboard" in order.flag_reason and "failed at Stripe" in order.flag_reason
    assert Payment.objects.get().amount_refunded == 0
    assert books_check() == []
    # Not Minga's to send again; cancelling the order refunds its whole total once.
    run("retry_transfers")
    assert Refund.objects.get(pk=row.pk).status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    assert Refund.objects.get(source="minga").amount == 20_000
    assert books_check() == []


# -- checkouts never paid


def test_unpaid_card_checkouts_expire_and_put_the_stock_back(
    standin, market, settings, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    run("expire_pending_payments")
    assert Checkout.objects.get().status == "awaiting_payment"  # within the grace period

    Checkout.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run("expire_pending_payments")
    checkout = Checkout.objects.get()
    assert (checkout.status, checkout.payment_status) == ("cancelled", "failed")
    assert set(Order.objects.values_list("status", flat=True)) == {"cancelled"}
    market["shirts"].refresh_from_db()
    assert market["shirts"].stock == 10
    assert standin.api_get(f"/v1/payment_intents/{pi}")["status"] == "canceled"
    assert [m.to for m in mail.outbox] == [[market["buyer_owner"].email]]
    # Too late to pay now, and the page says so.
    assert card_checkout(market["buyer_owner"], market["buyer"]).status_code == 409  # cart empty
    page = browser_for(market["buyer_owner"]).get(f"/checkout/{checkout_id}/pay/")
    assert "the time to pay it ran out" in page.content.decode()


def test_a_checkout_paid_just_before_expiry_is_settled_not_cancelled(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    standin.confirm_payment_intent(intent_id(checkout_id))  # webhook not delivered (held)
    Checkout.objects.update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        run("expire_pending_payments")
    checkout = Checkout.objects.get()
    assert (checkout.status, checkout.payment_status) == ("placed", "succeeded")
    assert set(Transfer.objects.values_list("status", flat=True)) == {"paid"}


# -- reconciliation


def test_reconciliation_finds_a_never_delivered_success_and_repairs_it(
    standin, market, django_capture_on_commit_callbacks, capsys
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)  # Stripe's webhook never reaches Minga
    today = timezone.localdate().isoformat()

    call_command("reconcile_stripe", since=today, until=today)
    report = capsys.readouterr().out
    assert f"payment_intent {pi}: checkout {checkout_id}: succeeded at Stripe, pending" in report
    assert "1 difference(s), 0 repaired" in report
    assert Checkout.objects.get().payment_status == "pending"
    assert not Transfer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reconcile_stripe", since=today, until=today, repair=True)
    assert "1 repaired" in capsys.readouterr().out
    assert Checkout.objects.get().payment_status == "succeeded"
    assert set(Transfer.objects.values_list("status", flat=True)) == {"paid"}

    call_command("reconcile_stripe", since=today, until=today)
    assert "0 difference(s)" in capsys.readouterr().out
    # The webhook arriving after all changes nothing.
    relay(
        standin,
        client_for(market["buyer_owner"]),
        event_ids(standin, "payment_intent.succeeded", pi)[0],
    )
    assert Transfer.objects.count() == 2


def test_reconciliation_reports_transfers_and_refunds_stripe_and_minga_disagree_on(
    standin, market, django_capture_on_commit_callbacks, capsys
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    huella_order = order_of(checkout, market["huella"])
    # A transfer whose answer was lost, and a refund made in the dashboard.
    Transfer.objects.filter(order=huella_order).update(status="pending", stripe_transfer_id="")
    payment = Payment.objects.get()
    standin.api("POST", "/v1/refunds", payment_intent=payment.stripe_payment_intent_id, amount=100)
    today = timezone.localdate().isoformat()
    call_command("reconcile_stripe", since=today, until=today, repair=True)
    report = capsys.readouterr().out
    assert f"for order {huella_order.pk} is pending here: sent, but the answer was lost" in report
    assert "100 EUR refunded on" in report and "outside Minga" in report
    assert "0 repaired" in report  # repair only applies missed payments
    assert Transfer.objects.get(order=huella_order).status == "pending"
    run("retry_transfers")
    # The same idempotency key: Stripe answers with the transfer it made, none is added.
    assert Transfer.objects.get(order=huella_order).status == "paid"
    at_stripe = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout.pk))
    assert len(at_stripe["data"]) == 2


# -- the payment page


def test_the_payment_page_mounts_stripe_js_without_inline_script(
    standin, market, settings, buyer_member
):
    settings.STRIPE_JS_URL = standin.url + "/js.stripe.com/v3/"
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    page = browser_for(market["buyer_owner"]).get(f"/checkout/{checkout_id}/pay/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<script src="{standin.url}/js.stripe.com/v3/"></script>' in html
    assert 'src="/static/frontend/stripe_payment.js"' in html
    assert f'data-client-secret="{intent_id(checkout_id)}_secret_' in html
    assert f'data-publishable-key="{standin.publishable_key}"' in html
    assert f'data-return-url="http://testserver/checkout/{checkout_id}/pay/"' in html
    assert "<script>" not in html and "onclick" not in html
    # The stand-in serves the Stripe.js the page loads.
    assert standin.session.get(settings.STRIPE_JS_URL, timeout=10).status_code == 200
    # Members who cannot pay see the status; other cooperatives see nothing.
    as_member = browser_for(buyer_member).get(f"/checkout/{checkout_id}/pay/")
    assert as_member.status_code == 200 and b"data-client-secret" not in as_member.content
    assert (
        browser_for(market["yerba_owner"]).get(f"/checkout/{checkout_id}/pay/").status_code == 404
    )


def test_the_admin_lists_settlement_records_read_only(
    standin, market, django_capture_on_commit_callbacks, admin_client
):
    paid_checkout(standin, market, django_capture_on_commit_callbacks)
    for model in ("payment", "transfer", "refund", "transferreversal", "stripeevent"):
        response = admin_client.get(f"/admin/orders/{model}/")
        assert response.status_code == 200, model
        assert f"/admin/orders/{model}/add/".encode() not in response.content
    assert admin_client.get("/admin/orders/payment/?disputed=yes").status_code == 200
    transfer = Transfer.objects.first()
    assert admin_client.get(f"/admin/orders/transfer/{transfer.pk}/change/").status_code == 200


def test_a_refund_that_keeps_failing_is_sent_three_times_then_left_to_a_person(
    standin, market, django_capture_on_commit_callbacks, mailoutbox
):
    """A card closed for good fails every refund: Minga sends it MAX_REFUND_SENDS times in all,
    each failure flagged "do not pay by hand" (the next run pays), then stops and says so."""
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    order = order_of(checkout, market["yerba"])
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    refund = Refund.objects.get(order=order)
    sent = [refund.stripe_id]
    for attempt in range(1, MAX_REFUND_SENDS + 1):
        standin.fail_refund(refund.stripe_id)
        (updated,) = event_ids(standin, "refund.updated", refund.stripe_id)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert relay(standin, buyer, updated).status_code == 200
        # The buyer, told it was refunded, is told it did not reach the card.
        told = [mail for mail in mailoutbox if "did not reach your card" in mail.subject]
        assert [mail.to for mail in told] == [[market["buyer_owner"].email]]
        refund.refresh_from_db()
        order.refresh_from_db()
        assert (refund.status, refund.key_attempt) == ("failed", attempt + 1)
        run("retry_transfers")
        refund.refresh_from_db()
        if attempt < MAX_REFUND_SENDS:
            assert "Do not pay it by hand" in order.flag_reason
            assert refund.status == "succeeded" and refund.stripe_id not in sent
            sent.append(refund.stripe_id)
    # The third failure: not sent again, and the flag tells the person to pay another way.
    assert refund.status == "failed" and len(sent) == MAX_REFUND_SENDS
    assert "does not send it again" in order.flag_reason
    assert f"{MAX_REFUND_SENDS} times" in order.flag_reason
    assert books_check() == []


# -- a refund Stripe could not make, paid to the buyer another way (docs/payments.md)


def cancelled_while_refunds_fail(  # type: ignore[no-untyped-def]
    standin, market, django_capture_on_commit_callbacks, mode: str = "", **fault
) -> Order:
    """A paid checkout whose second seller's order the buyer cancels, while Stripe's refunds
    endpoint fails in `mode` if one is named (`count`: how many requests)."""
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    order = order_of(checkout, market["yerba"])
    failing = (
        standin.failing(mode, path="/v1/refunds", method="POST", **fault)
        if mode
        else contextlib.nullcontext()
    )
    with failing, django_capture_on_commit_callbacks(execute=True):
        cancel = client_for(market["buyer_owner"]).post(f"/api/v1/orders/{order.pk}/cancel/")
        assert cancel.status_code == 200
    return order


def refund_given_up(standin, market, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """A paid order cancelled whose refund Stripe reports failed after each of its
    MAX_REFUND_SENDS sends: Minga gave up. Returns the order and its refund."""
    order = cancelled_while_refunds_fail(standin, market, django_capture_on_commit_callbacks)
    buyer = client_for(market["buyer_owner"])
    refund = Refund.objects.get(order=order)
    for _attempt in range(MAX_REFUND_SENDS):
        standin.fail_refund(refund.stripe_id)
        (updated,) = event_ids(standin, "refund.updated", refund.stripe_id)
        with django_capture_on_commit_callbacks(execute=True):
            assert relay(standin, buyer, updated).status_code == 200
        run("retry_transfers")
        refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, refund.key_attempt) == ("failed", MAX_REFUND_SENDS + 1)
    assert "does not send it again" in order.flag_reason
    return order, refund


def close_outside(user, order, **body):  # type: ignore[no-untyped-def]
    body = {"reason": "Transferencia bancaria a la cuenta de la cooperativa.", **body}
    body.setdefault("reference", "TRF-2026-0042")
    return client_for(user).post(f"/api/v1/orders/{order.pk}/refund-paid-outside/", body)


def written() -> tuple[int, int, int, list]:  # type: ignore[type-arg]
    """What a refused request must leave as it was: entries, events, refunds' states, balances."""
    return (
        JournalEntry.objects.count(),
        OrderEvent.objects.count(),
        len(mail.outbox),
        list(Refund.objects.values_list("pk", "status", "key_attempt").order_by("pk")),
    )


def test_a_given_up_refund_paid_by_bank_transfer_is_recorded_once_and_booked(
    standin, market, django_capture_on_commit_callbacks, moderator, outsider, mailoutbox
):
    order, refund = refund_given_up(standin, market, django_capture_on_commit_callbacks)
    owner = market["buyer_owner"]
    owner.language = "pt-br"
    owner.save(update_fields=["language"])
    # Given up, the money is owed to the buyer again: not counted as given back.
    assert unrefunded(order) == order.total_amount
    assert books_check() == []
    # The moderator sees the form on the order's page (where the flag is); the buyer does not.
    page = browser_for(moderator).get(f"/orders/{order.pk}/")
    assert b"Record the refund as paid" in page.content
    assert (
        b"Record the refund as paid" not in browser_for(owner).get(f"/orders/{order.pk}/").content
    )
    # Only moderators: the order's own members are refused, others do not see the order.
    mailoutbox.clear()
    before = written()
    refused = close_outside(owner, order)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert close_outside(market["yerba_owner"], order).status_code == 403
    assert close_outside(outsider, order).status_code == 404
    missing = close_outside(moderator, order, reference="  ")
    assert missing.status_code == 400 and "reference" in missing.json()
    assert written() == before
    sent_at_stripe = len(standin.api_get("/v1/refunds")["data"])

    with django_capture_on_commit_callbacks(execute=True):
        closed = close_outside(moderator, order)
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["payment_state"] == "refunded"
    (event,) = [e for e in body["events"] if e["action"] == "refund_paid_outside"]
    assert event["reference"] == "TRF-2026-0042"
    assert "unflag" in [e["action"] for e in body["events"]]
    order.refresh_from_db()
    refund.refresh_from_db()
    assert not order.is_flagged
    assert (refund.status, refund.paid_outside_reference) == ("paid_outside", "TRF-2026-0042")
    # Booked as a refund would be: the buyer's money back, the books balanced and re-derived.
    entry = JournalEntry.objects.get(key=f"refund_paid_outside:{refund.pk}")
    assert entry.kind == "refund_paid_outside" and "TRF-2026-0042" in entry.memo
    assert sum(entry.lines.values_list("amount", flat=True)) == 0
    assert books_check() == []
    assert unrefunded(order) == 0
    # The buyer is told, in their language, with the reference.
    (told,) = [m for m in mailoutbox if m.to == [owner.email]]
    assert told.subject == f"O reembolso do pedido nº {order.pk} foi pago de outra forma"
    assert "TRF-2026-0042" in told.body and "EUR" in told.body
    # Minga never sends it to Stripe again, and reconciliation finds nothing left to do on it.
    run("retry_transfers")
    assert len(standin.api_get("/v1/refunds")["data"]) == sent_at_stripe
    today = timezone.localdate().isoformat()
    out = io.StringIO()
    call_command("reconcile_stripe", since=today, until=today, stdout=out)
    assert f"order {order.pk}" not in out.getvalue(), out.getvalue()
    # The second close is refused clearly, and writes nothing.
    before = written()
    again = close_outside(moderator, order, reference="TRF-2026-0043")
    assert again.status_code == 409
    assert again.json()["code"] == "refund_already_paid_outside"
    assert "TRF-2026-0042" in again.json()["detail"]
    assert written() == before
    # The page no longer offers it.
    assert (
        b"Record the refund as paid"
        not in browser_for(moderator).get(f"/orders/{order.pk}/").content
    )


def test_a_refund_still_being_sent_or_made_cannot_be_recorded_paid_outside(
    standin, market, django_capture_on_commit_callbacks, moderator
):
    # Stripe makes the refund but its answer is lost: pending, it may reach the card.
    pending = cancelled_while_refunds_fail(
        standin, market, django_capture_on_commit_callbacks, "drop_after", count=20
    )
    assert Refund.objects.get(order=pending).status == "pending"
    made = order_of(pending.checkout, market["huella"])
    assert close_outside(moderator, made).json()["code"] == "no_refund_to_close"
    buyer = client_for(market["buyer_owner"])
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer.post(f"/api/v1/orders/{made.pk}/cancel/").status_code == 200
    assert Refund.objects.get(order=made).status == "succeeded"
    before = written()
    for order in (pending, made):
        refused = close_outside(moderator, order)
        assert refused.status_code == 409 and refused.json()["code"] == "refund_not_failed"
    assert "paid twice" in close_outside(moderator, pending).json()["detail"]
    assert written() == before
    page = browser_for(moderator).post(
        f"/orders/{pending.pk}/refund-paid-outside/",
        {"reason": "Transferencia.", "reference": "TRF-1"},
        follow=True,
    )
    assert b"paid twice" in page.content
    assert written() == before


def test_a_refused_refund_is_sent_again_under_its_next_key_then_given_up(
    standin, market, django_capture_on_commit_callbacks, moderator
):
    """Stripe replays a refusal under its key for 24 hours: each send of a refund has its own
    key, and each refusal says which send it was."""
    order = cancelled_while_refunds_fail(
        standin, market, django_capture_on_commit_callbacks, "error", status=400, count=1
    )
    refused = {"path": "/v1/refunds", "method": "POST", "status": 400, "count": 1}
    refund = Refund.objects.get(order=order)
    assert (refund.status, refund.key_attempt, refund.refused_attempts) == ("failed", 2, [1])
    assert refund.failure_message.startswith("Send 1 refused by Stripe")
    order.refresh_from_db()
    assert "next retry run sends it again" in order.flag_reason
    assert books_check() == []
    # Refused again on the retry: the row says so (the second send), and moves on.
    with standin.failing("error", **refused):
        run("retry_transfers")
    refund.refresh_from_db()
    assert (refund.status, refund.key_attempt) == ("failed", 3)
    assert refund.failure_message.startswith("Send 2 refused by Stripe")
    with standin.failing("error", **refused):
        run("retry_transfers")
    refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, refund.refused_attempts) == ("failed", [1, 2, 3])
    assert "does not send it again" in order.flag_reason
    run("retry_transfers")
    assert not standin.api_get("/v1/refunds")["data"]  # given up: never sent
    assert books_check() == []
    # Paid by hand: recorded and booked like a refund (nothing was posted for the refusals).
    assert close_outside(moderator, order).status_code == 200
    assert books_check() == []
    assert not Order.objects.get(pk=order.pk).is_flagged


def test_a_refund_refused_once_is_made_by_its_second_send(
    standin, market, django_capture_on_commit_callbacks
):
    order = cancelled_while_refunds_fail(
        standin, market, django_capture_on_commit_callbacks, "error", status=400, count=1
    )
    run("retry_transfers")
    refund = Refund.objects.get(order=order)
    assert (refund.status, refund.key_attempt, refund.failure_message) == ("succeeded", 2, "")
    made = standin.api_get(f"/v1/refunds/{refund.stripe_id}")
    assert (made["amount"], made["metadata"]["attempt"]) == (5_050, "2")
    assert JournalEntry.objects.filter(key=f"refund:{refund.pk}:2").count() == 1
    assert books_check() == []
