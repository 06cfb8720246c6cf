"""Amounts cross the gateway in Stripe's unit for their currency, for every currency a listing may
use: a COP 50.000 order is a PaymentIntent of `amount=5000000`, not COP 500,00.

The expected Stripe unit is written here from Stripe's documentation (docs.stripe.com/currencies),
independently of the gateway's table, so a wrong row in the table fails a test."""

import pytest

from core.reference import currency_codes, currency_decimals
from orders.models import CartLine, Checkout, Payment
from orders.payments import PaymentProviderError, gateway
from orders.payments.stripe_currencies import (
    STRIPE_EXPONENTS,
    AmountNotRepresentable,
    from_stripe,
    smallest_step,
    to_stripe,
)
from tests.factories import ListingFactory
from tests.orders.stripe_helpers import add, card_checkout, intent_id, new_seller, onboard

# Stripe's zero-decimal and three-decimal currencies; every other currency is two-decimal in its
# API (COP, HUF, ISK, IDR, TWD... included), whatever ISO 4217 says.
ZERO_DECIMAL = set(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
THREE_DECIMAL = set(["BHD", "JOD", "KWD", "OMR", "TND"])


def stripe_decimals(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL else 3 if currency in THREE_DECIMAL else 2


def test_the_table_covers_exactly_the_listable_currencies():
    # A currency CLDR adds (or drops) must be decided here, not fall through to a default.
    assert set(STRIPE_EXPONENTS) == set(currency_codes())
    assert {c: STRIPE_EXPONENTS[c] for c in STRIPE_EXPONENTS} == {
        c: stripe_decimals(c) for c in currency_codes()
    }


@pytest.mark.parametrize("currency", sorted(currency_codes()))
def test_every_listable_currency_round_trips_through_stripes_unit(currency):
    amount = smallest_step(currency) * 1234
    shift = stripe_decimals(currency) - currency_decimals(currency)
    expected = amount * 10**shift if shift >= 0 else amount // 10**-shift
    assert to_stripe(amount, currency) == expected
    assert from_stripe(expected, currency) == amount


def test_the_colombian_peso_is_charged_in_hundredths(stripe_standin):
    # COP has no decimals in ISO 4217 (Minga stores 50.000 pesos as 50000) and two in Stripe's API.
    intent = gateway.create_payment_intent(
        checkout_id=9101, amount=50_000, currency="COP", transfer_group="checkout_9101"
    )
    assert stripe_standin.api_get(f"/v1/payment_intents/{intent.id}")["amount"] == 5_000_000
    assert (intent.amount, intent.currency) == (50_000, "COP")
    assert gateway.retrieve_payment_intent(intent.id).amount == 50_000


def test_every_listable_currency_reaches_the_stand_in_in_stripes_unit(stripe_standin):
    for currency in sorted(currency_codes()):
        amount = smallest_step(currency) * 7
        intent = gateway.create_payment_intent(
            checkout_id=f"walk-{currency}",
            amount=amount,
            currency=currency,
            transfer_group="walk",
        )
        raw = stripe_standin.api_get(f"/v1/payment_intents/{intent.id}")
        shift = stripe_decimals(currency) - currency_decimals(currency)
        assert raw["amount"] == (amount * 10**shift if shift >= 0 else amount // 10**-shift), (
            currency
        )
        assert intent.amount == amount, currency


def test_refund_transfer_and_reversal_amounts_are_converted_both_ways(stripe_standin):
    account = gateway.create_connected_account(
        cooperative_id=9102, email="caja@cafe.coop", country="CO"
    )
    stripe_standin.onboard(account.id, notify=False)
    intent = gateway.create_payment_intent(
        checkout_id=9102, amount=80_000, currency="COP", transfer_group="checkout_9102"
    )
    stripe_standin.confirm_payment_intent(intent.id, succeed=True)
    intent = gateway.retrieve_payment_intent(intent.id)
    assert intent.amount_received == 80_000

    transfer = gateway.create_transfer(
        order_id=9102,
        amount=78_800,
        currency="COP",
        destination=account.id,
        transfer_group="checkout_9102",
        source_transaction=intent.latest_charge,
    )
    assert stripe_standin.api_get(f"/v1/transfers/{transfer.id}")["amount"] == 7_880_000
    reversal = gateway.create_transfer_reversal(
        reversal_id=9102, transfer_id=transfer.id, amount=78_800, currency="COP"
    )
    assert reversal.amount == 78_800
    assert gateway.retrieve_transfer(transfer.id).amount_reversed == 78_800

    refund = gateway.create_refund(
        refund_id=9102, amount=80_000, currency="COP", payment_intent_id=intent.id
    )
    assert refund.amount == 80_000
    charge = gateway.retrieve_charge(intent.latest_charge)
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (80_000, 80_000, True)


@pytest.mark.parametrize(
    "amount, currency",
    [(1_235, "BHD"), (1_001, "KWD"), (12_345, "LYD")],  # last digit must be 0 at Stripe
)
def test_an_amount_stripe_cannot_take_exactly_is_refused_before_any_call(
    stripe_standin, amount, currency
):
    with pytest.raises(AmountNotRepresentable) as refused:
        gateway.create_payment_intent(
            checkout_id=9103, amount=amount, currency=currency, transfer_group="checkout_9103"
        )
    assert isinstance(refused.value, PaymentProviderError)
    assert refused.value.code == "amount_not_representable"
    assert currency in str(refused.value.detail)
    assert stripe_standin.api_get("/v1/payment_intents")["data"] == []


def test_whole_kronur_are_always_representable():
    # ISK is two-decimal in Stripe's API but takes only whole krónur: Minga's ISK has no decimals.
    assert to_stripe(5, "ISK") == 500
    assert smallest_step("ISK") == 1


def test_an_outside_fraction_of_our_unit_reads_as_the_next_unit():
    # A partial refund of COP 0,50 made in Stripe's dashboard: never shown as less than it was.
    assert from_stripe(12_350, "COP") == 124


def _seller_with(standin, currency: str, price_amount: int):  # type: ignore[no-untyped-def]
    seller, owner = new_seller(f"Cooperativa {currency}")
    onboard(standin, seller, owner)
    return ListingFactory(
        cooperative=seller, price_amount=price_amount, currency=currency, stock=10
    )


def test_a_cop_card_checkout_charges_fifty_thousand_pesos(
    stripe_standin, buyer_coop, buyer_owner, django_capture_on_commit_callbacks
):
    add(buyer_owner, buyer_coop, _seller_with(stripe_standin, "COP", 50_000), 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = card_checkout(buyer_owner, buyer_coop)
    assert response.status_code == 201, response.content
    raw = stripe_standin.api_get(f"/v1/payment_intents/{intent_id(response.json()['id'])}")
    assert (raw["amount"], raw["currency"]) == (5_000_000, "cop")


def test_a_card_checkout_stripe_cannot_charge_exactly_is_refused_and_not_written(
    stripe_standin, buyer_coop, buyer_owner
):
    add(buyer_owner, buyer_coop, _seller_with(stripe_standin, "BHD", 1_235), 1)
    response = card_checkout(buyer_owner, buyer_coop)
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "amount_not_representable"
    assert not Checkout.objects.exists() and not Payment.objects.exists()
    assert CartLine.objects.filter(cart__cooperative=buyer_coop).count() == 1


def test_a_card_checkout_whose_sellers_share_stripe_cannot_send_is_refused(
    stripe_standin, buyer_coop, buyer_owner, settings
):
    # BHD 12.340 is a fine charge, but the seller's share after a 1.5 % fee (BHD 12.155) is not a
    # transfer Stripe can make: refused before anything is written, not discovered after payment.
    settings.SOLIDARITY_FEE_BPS = 150
    add(buyer_owner, buyer_coop, _seller_with(stripe_standin, "BHD", 12_340), 1)
    response = card_checkout(buyer_owner, buyer_coop)
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "amount_not_representable"
    assert not Checkout.objects.exists()
