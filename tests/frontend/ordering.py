"""Shortcuts for the order page tests: fill a cart and check out through the pages' own forms, or
set an order up through the services when the test is about what comes after."""

import itertools
from typing import Any

from django.test import Client

from orders import services
from orders.models import Order
from tests.frontend.helpers import elements, text

_keys = itertools.count(1)


def form_inputs(html: str, action: str) -> dict[str, str]:
    """The named inputs (with their values) of the form posting to `action`, as a browser sends
    them: text, hidden, checked radios and selected options (or the first)."""
    found = elements(html)
    values: dict[str, str] = {}
    inside = False
    select = None
    for tag, attrs in found.tags:
        if tag == "form":
            inside = attrs.get("action") == action
            continue
        if not inside:
            continue
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    values[name] = attrs.get("value", "on")
            elif kind != "submit":
                values[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            values.setdefault(name, "")
        elif tag == "select" and name:
            select = name
        elif tag == "option" and select and ("selected" in attrs or select not in values):
            values[select] = attrs.get("value", "")
    return values


def add_to_cart(browser: Client, cooperative: Any, listing: Any, quantity: int = 1) -> Any:
    return browser.post(
        "/cart/add/",
        {
            "cooperative": cooperative.slug,
            "listing": listing.pk,
            "quantity": quantity,
            "next": "/cart/",
        },
    )


def checkout_form(browser: Client, cooperative: Any) -> dict[str, str]:
    """What the checkout page's form would send as it is shown (its fresh checkout key included)."""
    page = browser.get(f"/checkout/?cooperative={cooperative.slug}")
    assert page.status_code == 200, text(page)
    return form_inputs(text(page), "/checkout/")


def place_order(buyer_user: Any, buyer: Any, listing: Any, quantity: int = 2) -> Order:
    """An invoice-settled order placed through the services, for tests of what follows."""
    services.cart_add_item(
        cooperative=buyer, listing_id=listing.pk, quantity=quantity, actor=buyer_user
    )
    result = services.checkout_place(
        buyer=buyer,
        actor=buyer_user,
        idempotency_key=f"page-test-{next(_keys)}",
        payment_method="invoice",
        delivery_address="Calle 1, Montevideo",
    )
    return result.checkout.orders.get()
