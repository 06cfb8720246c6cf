"""Shortcuts for the settlement tests: sellers onboarded through the API and the stand-in, card
checkouts, and webhooks the stand-in signed, relayed to the app."""

import itertools
from typing import Any

from cooperatives.models import Cooperative, Role
from orders.models import Checkout, Payment
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


def relay(standin: Any, client: Any, event_id: str) -> Any:
    """Have the stand-in deliver (sign) the event to its sink, and post that delivery to the app
    through the test client: the bytes and signature Stripe would send."""
    attempts = standin.deliver(event_id)
    attempt = next(a for a in attempts if a["url"] == standin.sink_url)
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
