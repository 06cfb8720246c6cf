"""The card flow in a real browser: the buyer checks out by card, types a test card into the
Stripe stand-in's Stripe.js on the payment page, Stripe's webhook (from the stand-in) reaches the
app, and the page shows the checkout paid. See docs/payments.md and tests/stripe_standin/."""

import re
from typing import Any

import pytest
from django.conf import settings as django_settings

from orders.models import Checkout, Order
from orders.state import PaymentStatus
from tests.orders.stripe_helpers import (
    WEBHOOK,
    add,
    deliver_pending,
    eur_listing,
    new_seller,
    onboard,
)


@pytest.fixture
def card_market(stripe_standin, live_server, settings, buyer_coop, buyer_owner) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Two onboarded sellers in the buyer's cart; the page loads the stand-in's Stripe.js (the
    CSP allows its origin, as it allows js.stripe.com in production); webhooks held for the test
    to deliver to the live server."""
    standin = stripe_standin
    settings.STRIPE_JS_URL = standin.url + "/js.stripe.com/v3/"
    policy = {**django_settings.CONTENT_SECURITY_POLICY}
    directives = {**policy["DIRECTIVES"]}
    for name in ("script-src", "connect-src", "frame-src"):
        directives[name] = [
            *[value for value in directives[name] if value != "'none'"],
            standin.url,
        ]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    standin.register_webhook(live_server.url + WEBHOOK)
    standin.hold_webhooks()
    sellers = []
    for name, price in (("Textil La Huella", 10_000), ("Yerba del Sur", 5_050)):
        cooperative, owner = new_seller(name)
        onboard(standin, cooperative, owner)
        add(buyer_owner, buyer_coop, eur_listing(cooperative, price), 1)
        sellers.append(cooperative)
    return {"standin": standin, "buyer": buyer_coop, "buyer_owner": buyer_owner}


def pay_with(page: Any, number: str) -> None:
    """Type a card into the stand-in's fake card element (its inputs have placeholders only)."""
    element = page.locator("#stripe-payment-element")
    element.get_by_placeholder("number").fill(number)
    element.get_by_placeholder("exp_month").fill("12")
    element.get_by_placeholder("exp_year").fill("34")
    element.get_by_placeholder("cvc").fill("123")
    element.get_by_placeholder("postal_code").fill("28001")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def check_out_by_card(page: Any, buyer: Any) -> Checkout:
    """Place the cart's orders by card from the checkout page; it leads to the pay page."""
    page.goto(f"/checkout/?cooperative={buyer.slug}")
    page.get_by_label("Delivery address").fill("Calle Mayor 1, Madrid")
    page.get_by_role("radio", name=re.compile("Card")).check()
    page.get_by_role("button", name="Place the orders").click()
    page.wait_for_url(re.compile(r"/checkout/\d+/pay/$"))
    return Checkout.objects.get(buyer=buyer)


def test_a_buyer_pays_by_card_through_stripe_js_and_sees_the_checkout_paid(
    new_context, card_market
):  # type: ignore[no-untyped-def]
    standin, buyer = card_market["standin"], card_market["buyer"]
    page = new_context(user=card_market["buyer_owner"]).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    checkout = check_out_by_card(page, buyer)
    assert checkout.payment_status == PaymentStatus.PENDING

    # A declined card: Stripe.js's error is shown and the buyer can try again. Stripe's
    # `payment_failed` reaches the app: the payment is `failed` until the next attempt.
    pay_with(page, "4000000000000002")
    page.locator("#stripe-payment-message").wait_for(state="visible")
    assert page.get_by_role("button", name=re.compile(r"^Pay ")).is_enabled()
    deliver_pending(standin)
    checkout.refresh_from_db()
    assert checkout.payment_status == PaymentStatus.FAILED

    pay_with(page, "4242424242424242")
    page.wait_for_url(re.compile(r"redirect_status=succeeded"))
    page.get_by_text("Stripe is confirming the payment").wait_for()
    checkout.refresh_from_db()
    assert checkout.payment_status == PaymentStatus.FAILED  # the page marks nothing paid
    # One state on the page: not "Failed" beside "Thank you".
    state = page.locator("#pay-state")
    assert "Being confirmed" in state.inner_text()
    assert "Failed" not in page.locator("main").inner_text()

    # Stripe's webhooks (signed by the stand-in) reach the app under the live server; the page
    # follows the payment by itself (it polls its state) and stops once it is paid.
    attempts = deliver_pending(standin)
    assert attempts and all(attempt["status"] == 200 for attempt in attempts), attempts
    page.get_by_text("Paid. Each seller has been told about its order.").wait_for(timeout=15_000)
    assert page.locator("#pay-state[hx-trigger]").count() == 0
    assert "Stripe is confirming" not in page.locator("main").inner_text()
    checkout.refresh_from_db()
    assert checkout.payment_status == PaymentStatus.SUCCEEDED
    orders = Order.objects.filter(checkout=checkout)
    assert orders.count() == 2 and all(order.paid_at is not None for order in orders)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_cancelled_unpaid_card_order_cannot_be_paid(new_context, card_market):  # type: ignore[no-untyped-def]
    """The buyer cancels one order of an unpaid card checkout: its pay page refuses in words and
    shows no card form, and Stripe would refuse the PaymentIntent (cancelled)."""
    standin, buyer = card_market["standin"], card_market["buyer"]
    page = new_context(user=card_market["buyer_owner"]).new_page()
    checkout = check_out_by_card(page, buyer)
    order = Order.objects.filter(checkout=checkout).order_by("pk").first()
    assert order is not None

    page.goto(f"/orders/{order.pk}/")
    assert "Awaiting payment" in page.locator("h1 + p").inner_text()
    page.get_by_role("button", name="Cancel the order").click()
    page.get_by_text("is cancelled").first.wait_for()

    page.goto(f"/checkout/{checkout.pk}/pay/")
    refusal = page.locator("#pay-state [role=alert]")
    assert re.search(
        r"Order #\d+ is “Cancelled”, so this checkout can no longer be paid", refusal.inner_text()
    )
    assert page.locator("#stripe-payment-element").count() == 0
    assert page.get_by_role("button", name=re.compile(r"^Pay ")).count() == 0
    intent = standin.api_get(f"/v1/payment_intents/{checkout.payment.stripe_payment_intent_id}")
    assert intent["status"] == "canceled"
