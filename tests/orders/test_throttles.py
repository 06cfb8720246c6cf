"""Checkout and messages are throttled per person; reading is never throttled."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from orders.models import Message
from tests.conftest import client_for
from tests.orders.conftest import add_to_cart, checkout, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_message_floods_hit_the_throttle_but_reading_does_not(
    monkeypatch, buyer_coop, buyer_owner, seller_owner, listing
):
    order = place_order(buyer_owner, buyer_coop, listing)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"messages": "2/min"})
    thread = f"/api/v1/orders/{order['id']}/messages/"
    client = client_for(buyer_owner)
    codes = [
        client.post(thread, {"body": f"hola {n}"}, format="json").status_code for n in (1, 2, 3)
    ]
    assert codes == [201, 201, 429]
    assert Message.objects.count() == 2
    assert [client.get(thread).status_code for _ in range(5)] == [200] * 5
    # The other side may still answer.
    answer = client_for(seller_owner).post(thread, {"body": "gracias"}, format="json")
    assert answer.status_code == 201


def test_checkout_floods_hit_the_throttle(monkeypatch, buyer_coop, buyer_owner, listing):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"checkout": "1/min"})
    assert add_to_cart(buyer_owner, buyer_coop, listing).status_code in (200, 201)
    assert checkout(buyer_owner, buyer_coop).status_code == 201
    assert add_to_cart(buyer_owner, buyer_coop, listing).status_code in (200, 201)
    refused = checkout(buyer_owner, buyer_coop)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    # The cart is still there to order when the wait is over.
    cart = client_for(buyer_owner).get(f"/api/v1/cart/?cooperative={buyer_coop.slug}")
    assert cart.status_code == 200
    assert cart.json()["line_count"] == 1
