"""The pay page and the server refuse a checkout that can no longer be paid; the pay page shows one
state and polls a small fragment until a final one; the order page's timeline shows labels only,
never a provider id or a raw kind (against the Stripe stand-in)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from orders import payments
from orders.events import EventKind
from orders.models import Checkout, Order, OrderEvent
from tests.conftest import client_for
from tests.frontend.helpers import browser_for
from tests.orders.stripe_helpers import card_checkout, event_ids, intent_id, relay
from tests.orders.test_settlement import market, order_of, paid_checkout, standin

__all__ = ["market", "standin"]  # fixtures


def test_a_cancelled_unpaid_card_order_cannot_be_paid_anywhere(
    standin, market, django_capture_on_commit_callbacks
):
    buyer_owner = market["buyer_owner"]
    response = card_checkout(buyer_owner, market["buyer"], key="one-checkout")
    checkout = Checkout.objects.get(pk=response.json()["id"])
    yerba_order = order_of(checkout, market["yerba"])
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client_for(buyer_owner).post(f"/api/v1/orders/{yerba_order.pk}/cancel/")
    assert cancelled.status_code == 200
    # The checkout is released at once: its PaymentIntent cancelled, so Stripe refuses to confirm.
    assert standin.api_get(f"/v1/payment_intents/{intent_id(checkout.pk)}")["status"] == "canceled"
    assert set(Order.objects.values_list("status", flat=True)) == {"cancelled"}
    # The page refuses in words, with no card form.
    page = browser_for(buyer_owner).get(f"/checkout/{checkout.pk}/pay/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "can no longer be paid" in html and "Nothing was charged" in html
    assert "data-client-secret" not in html and "stripe-payment" not in html
    # The service and the API refuse to make a payment for it.
    with pytest.raises(DomainError) as refused:
        payments.payment_payload(Checkout.objects.get(pk=checkout.pk))
    assert refused.value.code == "checkout_not_payable" and refused.value.status_code == 409
    replay = card_checkout(buyer_owner, market["buyer"], key="one-checkout")
    assert replay.status_code == 409 and replay.json()["code"] == "checkout_not_payable"


def test_a_checkout_past_its_grace_period_is_refused_before_the_expiry_run(standin, market):
    response = card_checkout(market["buyer_owner"], market["buyer"])
    checkout_id = response.json()["id"]
    Checkout.objects.filter(pk=checkout_id).update(created_at=timezone.now() - timedelta(hours=2))
    page = browser_for(market["buyer_owner"]).get(f"/checkout/{checkout_id}/pay/")
    html = page.content.decode()
    assert "the time to pay it ran out" in html and "data-client-secret" not in html
    orders = browser_for(market["buyer_owner"]).get(f"/orders/?cooperative={market['buyer'].slug}")
    assert "Payment expired" in orders.content.decode()


def test_an_unpaid_card_order_awaits_payment_with_a_link_to_pay(standin, market):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    order = Order.objects.get(checkout_id=checkout_id, seller=market["huella"])
    html = browser_for(market["buyer_owner"]).get(f"/orders/{order.pk}/").content.decode()
    assert "Placed · Awaiting payment" in html
    assert f'href="/checkout/{checkout_id}/pay/"' in html
    assert "Paid by card" not in html
    body = client_for(market["buyer_owner"]).get(f"/api/v1/orders/{order.pk}/").json()
    assert body["payment_state"] == "awaiting_payment"
    assert body["status_label"] == "Placed · Awaiting payment"
    # The seller reads the same state, without the link (it is not theirs to pay).
    seller_page = browser_for(market["huella_owner"]).get(f"/orders/{order.pk}/")
    seller_html = seller_page.content.decode()
    assert "Placed · Awaiting payment" in seller_html
    assert f'href="/checkout/{checkout_id}/pay/"' not in seller_html


def test_the_pay_page_polls_a_fragment_while_stripe_confirms_and_stops_when_paid(
    standin, market, django_capture_on_commit_callbacks
):
    checkout_id = card_checkout(market["buyer_owner"], market["buyer"]).json()["id"]
    browser = browser_for(market["buyer_owner"])
    url = f"/checkout/{checkout_id}/pay/?redirect_status=succeeded"
    confirming = browser.get(url).content.decode()
    assert 'hx-trigger="every 3s"' in confirming
    assert "Being confirmed" in confirming and "Failed" not in confirming
    assert f'<a href="/checkout/{checkout_id}/pay/?redirect_status=succeeded">' in confirming
    pi = intent_id(checkout_id)
    standin.confirm_payment_intent(pi)
    with django_capture_on_commit_callbacks(execute=True):
        relay(standin, browser, event_ids(standin, "payment_intent.succeeded", pi)[0])
    fragment = browser.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="pay-state"' in fragment
    assert "<html" not in fragment and "hx-trigger" not in fragment
    assert "Paid. Each seller has been told about its order." in fragment
    assert "Stripe is confirming" not in fragment


@pytest.mark.parametrize(
    ("language", "refunded"), [("es", "Reembolsado"), ("pt-br", "Reembolsado")]
)
def test_the_timeline_of_a_refunded_card_order_shows_labels_only(
    standin, market, django_capture_on_commit_callbacks, language, refunded
):
    checkout = paid_checkout(standin, market, django_capture_on_commit_callbacks)
    order = order_of(checkout, market["huella"])
    buyer = client_for(market["buyer_owner"])
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200
    kinds = set(OrderEvent.objects.filter(order=order).values_list("action", flat=True))
    assert {
        EventKind.PAYMENT_SUCCEEDED,
        EventKind.TRANSFER_SENT,
        EventKind.REFUND_REQUESTED,
        EventKind.REFUND_SUCCEEDED,
        EventKind.TRANSFER_REVERSED,
    } <= kinds
    # The ids are kept for the admin and the API.
    api = buyer.get(f"/api/v1/orders/{order.pk}/").json()
    references = {event["reference"][:3] for event in api["events"]}
    assert {"pi_", "tr_", "re_"} <= references
    page = browser_for(market["buyer_owner"])
    page.cookies["django_language"] = language
    html = page.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b(pi|tr|trr|re|ch)_[A-Za-z0-9]", text), "a provider id on the page"
    for kind in EventKind.values:
        assert not re.search(rf"(?<![\w-]){kind}(?![\w-])", text), f"raw kind {kind!r}"
    assert f"Cancelado · {refunded}" in text
