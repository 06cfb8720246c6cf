"""Reference data from Babel (CLDR): country and currency codes, names and decimal digits."""

from functools import cache
from typing import TYPE_CHECKING

from babel import Locale
from babel.numbers import get_currency_precision, get_territory_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# CLDR territories with two letters that are not countries in ISO 3166-1: groupings (EU, UN),
# pseudo-locales, "unknown", and codes ISO only reserves (Ascension, Canary Islands...).
# Kosovo (XK) stays: it is user-assigned, but banks, Stripe and the EU use it.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
NOT_A_COUNTRY = gettext_lazy("'%(value)s' is not an ISO 3166-1 alpha-2 country code.")
NOT_A_TIME_ZONE = gettext_lazy(
    "'%(value)s' is not a time zone; use a name such as America/Montevideo."
)


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes that CLDR knows (numeric regions such as '419' are excluded)."""
    territories = Locale("en").territories
    return frozenset(
        str(code)
        for code in territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


def _refuse_unknown(value: str, known: frozenset[str], message: "_StrPromise", code: str) -> None:
    """A model-field validator's refusal: `value` is none of the `known` codes or names, and the
    message says which value it was."""
    if value not in known:
        raise ValidationError(message, code=code, params={"value": value})


def validate_country_code(value: str) -> None:
    """A model-field validator: upper-case ISO 3166-1 alpha-2."""
    _refuse_unknown(value, country_codes(), NOT_A_COUNTRY, code="invalid_country")


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


def site_language_codes() -> list[str]:
    """The languages the site is translated into (settings.LANGUAGES), read at call time."""
    return [code for code, _name in settings.LANGUAGES]


def clean_site_language(value: str) -> str:
    """Blank, or one of the site's language codes (compared case-insensitively)."""
    value = (value or "").strip().lower()
    codes = site_language_codes()
    if value and value not in codes:
        raise ValidationError(
            _(
                "'%(value)s' is not a language of this site; choose one of %(join)s, or leave it blank."
            )
            % {"value": value, "join": ", ".join(codes)},
            code="invalid_language",
        )
    return value


# Time zones ----------------------------------------------------------------------------------

# The zone a cooperative starts with, for the countries Minga serves (its capital's, where most
# members live); a cooperative elsewhere in the country picks its own on its profile. Other
# countries take their zone when CLDR knows only one; a country with several (and one unknown)
# starts at UTC until the cooperative picks.
COUNTRY_TIME_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "UY": "America/Montevideo",
    "BR": "America/Sao_Paulo",
    "ES": "Europe/Madrid",
    "CL": "America/Santiago",
    "PY": "America/Asuncion",
    "BO": "America/La_Paz",
    "PE": "America/Lima",
    "CO": "America/Bogota",
    "MX": "America/Mexico_City",
    "EC": "America/Guayaquil",
    "VE": "America/Caracas",
    "PT": "Europe/Lisbon",
    "IT": "Europe/Rome",
}


@cache
def time_zone_names() -> frozenset[str]:
    """Every IANA zone this system's tz database knows (zoneinfo)."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def country_time_zone(country: str) -> str:
    """The zone a cooperative of `country` starts with."""
    if zone := COUNTRY_TIME_ZONES.get(country):
        return zone
    from babel.core import get_global

    zones = [z for z in get_global("territory_zones").get(country, ()) if z in time_zone_names()]
    return zones[0] if len(zones) == 1 else "UTC"


def validate_time_zone(value: str) -> None:
    """A model-field validator: an IANA zone name such as America/Montevideo."""
    _refuse_unknown(value, time_zone_names(), NOT_A_TIME_ZONE, code="invalid_time_zone")


def time_zone_choices() -> list[tuple[str, str]]:
    """Zones for a select: the served countries' first, then every other, by name."""
    served = sorted(set(COUNTRY_TIME_ZONES.values()))
    rest = sorted(time_zone_names() - set(served))
    return [(zone, zone.replace("_", " ")) for zone in [*served, *rest]]
