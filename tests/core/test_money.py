"""Money as people read and type it: every currency unambiguous in every language, one parser
that never guesses, one conversion between major and minor units."""

import random
import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.utils import translation

from core.money import (
    PATTERN,
    AmountError,
    Money,
    currency_choices_for,
    default_currency,
    is_price_jump,
    number_locale,
    parse_amount,
    to_major,
    to_minor,
)
from core.reference import currency_codes, currency_decimals

LANGUAGES = ["es", "pt-br", "en"]


def _without_number(text: str) -> str:
    return re.sub(r"[-0-9.,\u00a0\u202f ]", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_currencies_look_alike_in_any_language(language):
    """A Uruguayan cart with pesos of two countries must never read "$ 7.800,00 · $ 75.000,00"."""
    seen: dict[str, str] = {}
    for currency in sorted(currency_codes()):
        sign = _without_number(Money(123_456, currency).format(language))
        assert sign, f"{currency} in {language} shows no currency at all"
        assert sign not in seen, f"{currency} and {seen[sign]} both read {sign!r} in {language}"
        seen[sign] = currency


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_currency_shows_its_own_decimals(language):
    for currency in currency_codes():
        text = Money(10 ** currency_decimals(currency), currency).format(language)
        decimal_sign = "." if language == "en" else ","
        written = text.rsplit(decimal_sign, 1)[1] if currency_decimals(currency) else ""
        assert len(written) == currency_decimals(currency), (currency, text)


@pytest.mark.parametrize(
    ("typed", "currency", "language", "minor"),
    [
        ("1.250,50", "BRL", "pt-br", 125_050),
        ("1250,50", "BRL", "pt-br", 125_050),
        ("1250,5", "ARS", "es", 125_050),
        ("1.250.000", "ARS", "es", 125_000_000),
        ("1,250.50", "USD", "en", 125_050),
        ("1250.50", "USD", "en", 125_050),
        ("0,99", "EUR", "es", 99),
        ("1.250", "CLP", "es", 1_250),  # no decimals: the dot can only group thousands
        ("1,250", "JPY", "en", 1_250),
        ("1 250,50", "EUR", "es", 125_050),
        ("BRL 1.250,50", "BRL", "pt-br", 125_050),
        ("1.250,5", "KWD", "es", 1_250_500),
    ],
)
def test_amounts_are_read_in_the_readers_separators(typed, currency, language, minor):
    assert parse_amount(typed, currency, language) == Money(minor, currency)


@pytest.mark.parametrize(
    ("typed", "currency", "language", "says"),
    [
        ("1250,50", "BRL", "en", "is not an amount as written here"),  # never 125050
        ("12.50", "ARS", "es", "is not an amount as written here"),
        ("1.250", "USD", "en", "could be read two ways"),
        ("1,250", "ARS", "es", "could be read two ways"),
        ("1.250", "ARS", "es", "could be read two ways"),
        ("1,250", "KWD", "es", "could be read two ways"),
        ("1,5", "JPY", "es", "JPY amounts have no decimals"),
        ("1.250,505", "BRL", "pt-br", "at most 2 decimals"),
        ("-5", "EUR", "en", "is not an amount"),
        ("abc", "EUR", "en", "is not an amount"),
        ("", "EUR", "en", "Write an amount"),
        ("9" * 20, "EUR", "en", "larger than any"),
    ],
)
def test_ambiguous_or_malformed_amounts_are_refused_not_guessed(typed, currency, language, says):
    with pytest.raises(AmountError, match=says):
        parse_amount(typed, currency, language)


def test_refusals_are_in_the_readers_language():
    with translation.override("pt-br"), pytest.raises(AmountError) as error:
        parse_amount("1,250", "BRL", "pt-br")
    assert "1.250,50" in str(error.value) and "could" not in str(error.value)


def test_one_conversion_between_major_and_minor_units():
    assert to_minor(Decimal("12.5"), "EUR") == 1250
    assert to_minor(Decimal("1250"), "JPY") == 1250
    assert to_minor(Decimal("1.25"), "KWD") == 1250
    assert to_major(1250, "KWD") == Decimal("1.250")
    with pytest.raises(ValueError, match="decimals"):
        to_minor(Decimal("0.005"), "EUR")  # never rounded silently


def test_a_cooperatives_own_currency_comes_first_then_its_region():
    assert default_currency("BR") == "BRL"
    assert default_currency("UY") == "UYU"
    assert currency_choices_for("AR")[:3] == ["ARS", "USD", "BRL"]
    assert currency_choices_for("ES")[0] == "EUR"
    assert sorted(currency_choices_for("BR")) == sorted(currency_codes())


def test_a_price_jump_is_a_factor_of_fifty_either_way():
    old = Money(1250, "BRL")
    assert is_price_jump(old, Money(125_000, "BRL"))
    assert is_price_jump(old, Money(25, "BRL"))
    assert not is_price_jump(old, Money(60_000, "BRL"))
    assert not is_price_jump(old, Money(125_000, "USD"))  # another currency: nothing to compare


@pytest.mark.parametrize("language", ["en", "es", "pt-br", "de", "fr", "ar"])
@pytest.mark.parametrize("currency", ["ARS", "BRL", "UYU", "USD", "EUR", "JPY", "CLP", "KWD"])
def test_the_quick_price_format_is_babels(language, currency):
    """Money.format writes PATTERN without Babel's pattern machinery when it can: the same text."""
    rng = random.Random(20)
    amounts = [0, 1, 9, 10, 99, 100, 999, 1000, 123456, 10**12, *rng.sample(range(10**13), 40)]
    for amount in amounts:
        money = Money(amount, currency)
        expected = format_currency(
            money.as_decimal(), currency, format=PATTERN, locale=number_locale(language)
        )
        assert money.format(language) == expected
