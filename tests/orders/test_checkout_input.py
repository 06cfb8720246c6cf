"""The checkout's body validated without DRF's fields when it is plainly valid
(`orders.api.serializers.checkout_input`): the same values as `CheckoutInputSerializer`, and any
other body left to the serializer, so a 400 says what it said."""

from typing import Any

import pytest
from rest_framework.exceptions import ValidationError

from core.api.serializers import validated
from orders.api import serializers
from orders.api.serializers import CheckoutInputSerializer, checkout_input
from orders.models import MAX_CART_LINES, MAX_QUANTITY

BIGGEST = 2**63 - 1
LINE = {"listing": 7, "quantity": 2}
BASE = {"cooperative": "coop-sur_1", "payment_method": "invoice"}

PLAIN = [
    BASE,
    {**BASE, "lines": [LINE]},
    {**BASE, "lines": [LINE, {"listing": BIGGEST, "quantity": MAX_QUANTITY, "extra": 1}]},
    {**BASE, "lines": [{**LINE, "unit_price_amount": 0}, {**LINE, "unit_price_amount": BIGGEST}]},
    {**BASE, "lines": [LINE] * MAX_CART_LINES},
    {**BASE, "currency": "EUR", "delivery_address": "  Calle 1 \n", "note": "Por la mañana"},
    {**BASE, "currency": "   ", "delivery_address": " ", "note": ""},
    {**BASE, "delivery_address": "x" * 1000, "note": "ñ" * 2000, "only_card_payable": True},
    {**BASE, "payment_method": "stripe", "only_card_payable": False, "unknown": [1]},
]

LEFT_TO_THE_SERIALIZER = [
    {},
    {**BASE, "cooperative": " coop "},
    {**BASE, "cooperative": "coöp"},
    {**BASE, "cooperative": 5},
    {**BASE, "payment_method": "cash"},
    {**BASE, "payment_method": ""},
    {**BASE, "lines": []},
    {**BASE, "lines": None},
    {**BASE, "lines": LINE},
    {**BASE, "lines": [LINE] * (MAX_CART_LINES + 1)},
    {**BASE, "lines": [[7, 2]]},
    {**BASE, "lines": [{"listing": "7", "quantity": 2}]},
    {**BASE, "lines": [{"listing": 7.0, "quantity": 2}]},
    {**BASE, "lines": [{"listing": True, "quantity": 2}]},
    {**BASE, "lines": [{"listing": 0, "quantity": 2}]},
    {**BASE, "lines": [{"listing": BIGGEST + 1, "quantity": 2}]},
    {**BASE, "lines": [{"listing": 7, "quantity": 0}]},
    {**BASE, "lines": [{"listing": 7, "quantity": MAX_QUANTITY + 1}]},
    {**BASE, "lines": [{"listing": 7}]},
    {**BASE, "lines": [{**LINE, "unit_price_amount": -1}]},
    {**BASE, "lines": [{**LINE, "unit_price_amount": None}]},
    {**BASE, "currency": "EU"},
    {**BASE, "currency": "EURO"},
    {**BASE, "currency": None},
    {**BASE, "delivery_address": "x" * 1001},
    {**BASE, "note": "x" * 2001},
    {**BASE, "note": "a\x00b"},
    {**BASE, "note": "a\ud800b"},
    {**BASE, "note": 5},
    {**BASE, "only_card_payable": "true"},
    {**BASE, "only_card_payable": None},
    {**BASE, "credit": [{"seller": "s", "credit_amount": 1}]},
]


def _serializer_s(data: Any) -> Any:
    try:
        return validated(CheckoutInputSerializer, data)
    except ValidationError as error:
        return error.detail


@pytest.mark.parametrize("data", PLAIN)
def test_a_plainly_valid_body_gives_the_serializer_s_values_without_it(data, monkeypatch):
    expected = validated(CheckoutInputSerializer, data)
    monkeypatch.setattr(serializers, "validated", _never)
    assert checkout_input(data) == expected
    assert list(checkout_input(data)) == list(expected)


@pytest.mark.parametrize("data", LEFT_TO_THE_SERIALIZER)
def test_any_other_body_is_the_serializer_s_to_judge(data, monkeypatch):
    asked = []
    monkeypatch.setattr(
        serializers, "validated", lambda *args: asked.append(args) or validated(*args)
    )
    try:
        answer = checkout_input(data)
    except ValidationError as error:
        answer = error.detail
    assert answer == _serializer_s(data)
    assert len(asked) == 1


def _never(*_args: Any) -> Any:
    raise AssertionError("the serializer was asked")
