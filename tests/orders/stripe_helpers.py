"""Shortcuts for the settlement tests: sellers onboarded through the API and the stand-in, card
checkouts, and webhooks the stand-in signed, relayed to the app."""

import itertools
from typing import Any

from cooperatives.models import Cooperative, Role
from orders.models import Checkout, Payment
from orders.payments.execution import transfer_group
from orders.payments.services import seller_account_sync
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory

WEBHOOK = "/api/v1/payments/stripe/webhook/"
_keys = itertools.count(1)


def new_seller(name: str) -> tuple[Cooperative, Any]:
    cooperative = CooperativeFactory(name=name, country="ES")
    owner = MembershipFactory(cooperative=cooperative, role=Role.OWNER).user
    return cooperative, owner


def eur_listing(seller: Cooperative, price_amount: int, stock: int = 10) -> Any:
    return ListingFactory(
        cooperative=seller, price_amount=price_amount, currency="EUR", stock=stock
    )


def start_onboarding(cooperative: Cooperative, owner: Any) -> str:
    response = client_for(owner).post(f"/api/v1/cooperatives/{cooperative.slug}/stripe/onboarding/")
    assert response.status_code == 200, response.content
    return response.json()["url"]


def onboard(standin: Any, cooperative: Cooperative, owner: Any) -> Cooperative:
    """Through the API and the stand-in's onboarding page, then read back as the return page does."""
    standin.follow_account_link(start_onboarding(cooperative, owner))
    cooperative.refresh_from_db()
    seller_account_sync(cooperative=cooperative)
    cooperative.refresh_from_db()
    assert cooperative.is_payouts_enabled
    return cooperative


def add(user: Any, buyer: Cooperative, listing: Any, quantity: int) -> None:
    response = client_for(user).post(
        "/api/v1/cart/items/",
        {"cooperative": buyer.slug, "listing": listing.pk, "quantity": quantity},
        format="json",
    )
    assert response.status_code in (200, 201), response.content


def card_checkout(user: Any, buyer: Cooperative, key: str | None = None, **body: Any) -> Any:
    payload = {"cooperative": buyer.slug, "payment_method": "stripe", **body}
    return client_for(user).post(
        "/api/v1/checkout/",
        payload,
        format="json",
        HTTP_IDEMPOTENCY_KEY=key or f"card-key-{next(_keys)}",
    )


def intent_id(checkout_id: int) -> str:
    return Payment.objects.get(checkout_id=checkout_id).stripe_payment_intent_id


def checkout(checkout_id: int) -> Checkout:
    return Checkout.objects.get(pk=checkout_id)


def event_ids(standin: Any, type: str | None = None, object_id: str | None = None) -> list[str]:
    return [
        event["id"]
        for event in standin.events(type)
        if object_id is None or event["object_id"] == object_id
    ]


def sink_delivery(standin: Any, event_id: str) -> dict[str, Any]:
    """The stand-in's delivery of the event to its sink: the bytes and signature Stripe sends."""
    return next(a for a in standin.deliver(event_id) if a["url"] == standin.sink_url)


def relay(standin: Any, client: Any, event_id: str) -> Any:
    """Have the stand-in deliver (sign) the event to its sink, and post that delivery to the app
    through the test client: the bytes and signature Stripe would send."""
    attempt = sink_delivery(standin, event_id)
    return client.post(
        WEBHOOK,
        data=attempt["payload"],
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=attempt["signature"],
    )


def deliver_pending(standin: Any) -> list[dict[str, Any]]:
    """Deliver every event not delivered yet, oldest first, until none is left (handling one may
    cause more: a payment's transfers emit `transfer.created`). One at a time, so the app under
    the live server never handles two requests at once (SQLite's in-memory test database is one
    connection shared with the test)."""
    attempts: list[dict[str, Any]] = []
    while True:
        waiting = [event for event in standin.events() if event["deliveries"] == 0]
        if not waiting:
            return attempts
        for event in waiting:
            attempts.extend(standin.deliver(event["id"]))


def card_paid_at_stripe(standin: Any, buyer: Cooperative, buyer_owner: Any) -> tuple[int, Any, str]:
    """A seller onboarded, and a card checkout of two of its 50.50 EUR listings paid at Stripe with
    its events held; returns the checkout id, the seller and the payment's success event id."""
    standin.register_webhook(standin.sink_url)
    standin.hold_webhooks()
    seller, owner = new_seller("Yerba del Sur")
    onboard(standin, seller, owner)
    add(buyer_owner, buyer, eur_listing(seller, 5_050), 2)
    checkout_id = card_checkout(buyer_owner, buyer).json()["id"]
    payment_intent = intent_id(checkout_id)
    standin.confirm_payment_intent(payment_intent)
    (event_id,) = event_ids(standin, "payment_intent.succeeded", payment_intent)
    return checkout_id, seller, event_id


def transfers_at_stripe(standin: Any, checkout_id: int) -> list[dict[str, Any]]:
    """The transfers Stripe holds for the checkout's group."""
    return standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))["data"]
