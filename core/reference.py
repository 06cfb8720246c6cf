"""Reference data from Babel (CLDR): country and currency codes, names and decimal digits."""

from functools import cache

from babel import Locale
from babel.numbers import get_currency_precision, get_territory_currencies

# CLDR regions with two-letter codes that are not countries: unknown region, European Union,
# Eurozone, United Nations, outlying Oceania, pseudo-locales.
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes that CLDR knows (numeric regions such as '419' are excluded)."""
    territories = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


def country_name(code: str, locale: str = "en") -> str:
    return Locale.parse(locale.replace("-", "_")).territories.get(code, code)


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes in current use: legal tender of some country today. Historical currencies
    (ARA, ATS…), metals and funds (XAU, XDR) and "no currency" (XXX) are not money to sell in."""
    return frozenset(
        currency
        for territory in country_codes()
        for currency in get_territory_currencies(territory, tender=True)
    )


def currency_decimals(currency: str) -> int:
    return get_currency_precision(currency)


def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    names = Locale.parse(locale.replace("-", "_")).territories
    return sorted(((code, names[code]) for code in country_codes()), key=lambda pair: pair[1])
