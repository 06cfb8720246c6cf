"""Stripe's unit for every currency a Minga listing may use, and the conversion of amounts.

Minga counts money in the minor units of CLDR / ISO 4217 (`core.reference.currency_decimals`: COP,
HUF, ISK, IDR... have 0 decimals there). Stripe's API counts most currencies in hundredths whatever
ISO says (a COP 50.000 charge is `amount=5000000`), a few in whole units (its "zero-decimal"
currencies) and five in thousandths. So an amount crosses the gateway through `to_stripe` and comes
back through `from_stripe`; nothing else in the project knows Stripe's units.

Sources (docs.stripe.com/currencies, read on 2026-12-06): the zero-decimal list (BIF CLP DJF GNF JPY
KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF), the three-decimal list (BHD JOD KWD OMR TND: the last
digit must be 0), and the special cases: ISK is two-decimal in the API but only whole krónur are
accepted (multiples of 100); HUF and TWD are two-decimal for charges, refunds and transfers and
whole units only for payouts, which Minga never creates (sellers' Express accounts pay out on
Stripe's schedule). Every other currency is two-decimal. A currency Stripe does not support at
all is refused by Stripe itself (a `PaymentProviderError`).
"""

from types import MappingProxyType

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.money import Money
from core.reference import currency_decimals
from orders.payments.errors import PaymentProviderError

# Every listable currency (core.reference.currency_codes(); a test keeps the two equal) → the
# number of decimals of Stripe's API amount for it.
STRIPE_EXPONENTS = MappingProxyType(
    {
        "AED": 2,
        "AFN": 2,
        "ALL": 2,
        "AMD": 2,
        "AOA": 2,
        "ARS": 2,
        "AUD": 2,
        "AWG": 2,
        "AZN": 2,
        "BAM": 2,
        "BBD": 2,
        "BDT": 2,
        "BHD": 3,
        "BIF": 0,
        "BMD": 2,
        "BND": 2,
        "BOB": 2,
        "BRL": 2,
        "BSD": 2,
        "BTN": 2,
        "BWP": 2,
        "BYN": 2,
        "BZD": 2,
        "CAD": 2,
        "CDF": 2,
        "CHF": 2,
        "CLP": 0,
        "CNY": 2,
        "COP": 2,
        "CRC": 2,
        "CUP": 2,
        "CVE": 2,
        "CZK": 2,
        "DJF": 0,
        "DKK": 2,
        "DOP": 2,
        "DZD": 2,
        "EGP": 2,
        "ERN": 2,
        "ETB": 2,
        "EUR": 2,
        "FJD": 2,
        "FKP": 2,
        "GBP": 2,
        "GEL": 2,
        "GHS": 2,
        "GIP": 2,
        "GMD": 2,
        "GNF": 0,
        "GTQ": 2,
        "GYD": 2,
        "HKD": 2,
        "HNL": 2,
        "HTG": 2,
        "HUF": 2,
        "IDR": 2,
        "ILS": 2,
        "INR": 2,
        "IQD": 2,
        "IRR": 2,
        "ISK": 2,
        "JMD": 2,
        "JOD": 3,
        "JPY": 0,
        "KES": 2,
        "KGS": 2,
        "KHR": 2,
        "KMF": 0,
        "KPW": 2,
        "KRW": 0,
        "KWD": 3,
        "KYD": 2,
        "KZT": 2,
        "LAK": 2,
        "LBP": 2,
        "LKR": 2,
        "LRD": 2,
        "LSL": 2,
        "LYD": 2,
        "MAD": 2,
        "MDL": 2,
        "MGA": 0,
        "MKD": 2,
        "MMK": 2,
        "MNT": 2,
        "MOP": 2,
        "MRU": 2,
        "MUR": 2,
        "MVR": 2,
        "MWK": 2,
        "MXN": 2,
        "MYR": 2,
        "MZN": 2,
        "NAD": 2,
        "NGN": 2,
        "NIO": 2,
        "NOK": 2,
        "NPR": 2,
        "NZD": 2,
        "OMR": 3,
        "PAB": 2,
        "PEN": 2,
        "PGK": 2,
        "PHP": 2,
        "PKR": 2,
        "PLN": 2,
        "PYG": 0,
        "QAR": 2,
        "RON": 2,
        "RSD": 2,
        "RUB": 2,
        "RWF": 0,
        "SAR": 2,
        "SBD": 2,
        "SCR": 2,
        "SDG": 2,
        "SEK": 2,
        "SGD": 2,
        "SHP": 2,
        "SLE": 2,
        "SOS": 2,
        "SRD": 2,
        "SSP": 2,
        "STN": 2,
        "SYP": 2,
        "SZL": 2,
        "THB": 2,
        "TJS": 2,
        "TMT": 2,
        "TND": 3,
        "TOP": 2,
        "TRY": 2,
        "TTD": 2,
        "TWD": 2,
        "TZS": 2,
        "UAH": 2,
        "UGX": 0,
        "USD": 2,
        "UYU": 2,
        "UZS": 2,
        "VES": 2,
        "VND": 0,
        "VUV": 0,
        "WST": 2,
        "XAF": 0,
        "XCD": 2,
        "XCG": 2,
        "XOF": 0,
        "XPF": 0,
        "YER": 2,
        "ZAR": 2,
        "ZMW": 2,
        "ZWG": 2,
    }
)

# Stripe only accepts multiples of this, in its own unit (ISK: whole krónur; three-decimal
# currencies: the last digit 0).
STRIPE_AMOUNT_STEPS = MappingProxyType(
    {"ISK": 100, "BHD": 10, "JOD": 10, "KWD": 10, "OMR": 10, "TND": 10}
)


class AmountNotRepresentable(PaymentProviderError):
    """An amount Stripe cannot take exactly in this currency (refused before any call)."""

    code = "amount_not_representable"


def _shift(currency: str) -> int:
    """Stripe's decimals minus Minga's for `currency` (2 for COP: ×100; -1 for LYD: ÷10)."""
    try:
        return STRIPE_EXPONENTS[currency] - currency_decimals(currency)
    except KeyError:
        raise ValueError(f"not a currency Minga lists: {currency!r}") from None


def smallest_step(currency: str) -> int:
    """The smallest amount, in Minga's minor units, that Stripe takes exactly in `currency`
    (1 for most; 10 for BHD, whose last digit must be 0; 10 for LYD, which Stripe counts in
    hundredths)."""
    shift = _shift(currency)
    step = STRIPE_AMOUNT_STEPS.get(currency, 1)
    if shift >= 0:
        return max(1, step // 10**shift)
    return step * 10**-shift


def to_stripe(amount: int, currency: str) -> int:
    """Minga's minor units → Stripe's `amount`; refuses what Stripe cannot take exactly."""
    step = smallest_step(currency)
    if amount % step:
        raise AmountNotRepresentable(
            _(
                "Card payments in %(currency)s only take multiples of %(step)s, so %(amount)s "
                "cannot be charged exactly. Choose invoice settlement."
            )
            % {
                "currency": currency,
                "step": Money(step, currency).format(get_language() or "en"),
                "amount": Money(amount, currency).format(get_language() or "en"),
            },
            stripe_code="amount_not_representable",
        )
    shift = _shift(currency)
    return amount * 10**shift if shift >= 0 else amount // 10**-shift


def from_stripe(stripe_amount: int, currency: str) -> int:
    """Stripe's `amount` → Minga's minor units. A fraction of Minga's unit (only possible for an
    object made outside Minga, e.g. a partial refund in the dashboard) is rounded up: what
    reconciliation and the refund checks compare then errs towards "more moved than Minga
    asked", which a person looks at."""
    shift = _shift(currency.upper())
    if shift <= 0:
        return stripe_amount * 10**-shift
    return -(-stripe_amount // 10**shift)
