"""Shared helpers for the orders tests: a published listing of the seller, and API shortcuts."""

import itertools
from typing import Any

import pytest

from orders import tasks
from tests.conftest import client_for
from tests.factories import ListingFactory

_keys = itertools.count(1)


@pytest.fixture
def order_emails_queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """What the request hands the worker for the order e-mails (only ids), kept instead of run,
    so that a query count is the request's own; `send_queued_order_emails` then runs it as the
    worker would."""
    queued: list[tuple[Any, Any]] = []
    monkeypatch.setattr(
        tasks.send_orders_placed,
        "apply_async",
        lambda args, kwargs, **_options: queued.append((tuple(args), kwargs)),
    )
    return queued


def send_queued_order_emails(queued: list[tuple[Any, Any]]) -> None:
    for args, kwargs in queued:
        tasks.send_orders_placed(*args, **kwargs)
    queued.clear()


@pytest.fixture
def listing(seller_coop):  # type: ignore[no-untyped-def]
    return ListingFactory(
        cooperative=seller_coop, price_amount=125_000, currency="ARS", stock=10, unit="kg"
    )


def add_to_cart(user: Any, cooperative: Any, listing: Any, quantity: int = 1) -> Any:
    return client_for(user).post(
        "/api/v1/cart/items/",
        {"cooperative": cooperative.slug, "listing": listing.pk, "quantity": quantity},
        format="json",
    )


def checkout(user: Any, cooperative: Any, key: str | None = None, **body: Any) -> Any:
    payload = {"cooperative": cooperative.slug, "payment_method": "invoice", **body}
    headers = {"HTTP_IDEMPOTENCY_KEY": key or f"test-key-{next(_keys)}"}
    return client_for(user).post("/api/v1/checkout/", payload, format="json", **headers)


def place_order(buyer_user: Any, buyer: Any, listing: Any, quantity: int = 2, **body: Any) -> dict:
    """Add the listing and check out; returns the (single) order of the response."""
    assert add_to_cart(buyer_user, buyer, listing, quantity).status_code in (200, 201)
    response = checkout(buyer_user, buyer, **body)
    assert response.status_code == 201, response.content
    return response.json()["orders"][0]


def act(user: Any, order_id: int, action: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1/orders/{order_id}/{action}/", body, format="json")
