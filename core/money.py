"""Money is an integer of minor units plus an ISO 4217 code; this type owns arithmetic, rounding,
the one conversion between major and minor units, and how people read and type amounts."""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import (
    NumberFormatError,
    format_currency,
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
    parse_decimal,
)
from django.utils import translation
from django.utils.translation import gettext as _

from core.reference import currency_codes, currency_decimals

BASIS_POINTS = 10_000

# Every amount a person reads starts with the ISO 4217 code: "$" is the sign of a dozen currencies
# (ARS, UYU, CLP, MXN, COP, USD...) and a network that trades across borders cannot let a reader
# guess. The number follows in the reader's own separators and the currency's own decimals.
PATTERN = "¤¤\u00a0#,##0.00"

# After a cooperative's own currency: the dollar (prices and savings in the region), the currencies
# its neighbours trade in, the euro, then every other currency in code order.
REGION_CURRENCIES = {
    "south_america": ["ARS", "BRL", "UYU", "PYG", "BOB", "CLP", "PEN", "COP", "VES"],
    "central_america": ["MXN", "GTQ", "HNL", "NIO", "CRC", "PAB", "DOP", "CUP"],
    "europe": ["EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON"],
}
COUNTRY_REGIONS = {
    **dict.fromkeys(["AR", "BR", "UY", "PY", "BO", "CL", "PE", "CO", "EC", "VE"], "south_america"),
    **dict.fromkeys(
        ["MX", "GT", "HN", "SV", "NI", "CR", "PA", "DO", "CU", "PR"], "central_america"
    ),
    **dict.fromkeys(
        ["ES", "PT", "FR", "IT", "DE", "NL", "BE", "AT", "IE", "GB", "CH", "SE", "NO", "DK"],
        "europe",
    ),
}

# What a person may type between the digits, besides the locale's own two separators: spaces as
# thousands separators ("1 250,50") are removed before parsing.
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
# The largest amount in minor units any field stores (a signed 64-bit integer, with room to add).
MAX_AMOUNT = 10**15
# A price that changes by this factor or more is confirmed by the seller (is_price_jump).
PRICE_JUMP = 50


@functools.lru_cache(maxsize=256)
def _format_parts(babel_locale: str, currency: str) -> tuple[str, str, int] | None:
    """The group and decimal symbols of the locale and the currency's decimals, when Babel's
    PATTERN output is just those (latin digits, the currency's own decimals); None otherwise."""
    try:
        group, decimal = get_group_symbol(babel_locale), get_decimal_symbol(babel_locale)
        digits = currency_decimals(currency)
    except (ValueError, LookupError):
        return None
    if get_currency_precision(currency) != digits:
        return None
    value = Decimal("1234567.5") if digits else Decimal("1234567")
    sample = format_currency(value, currency, format=PATTERN, locale=babel_locale)
    expected = f"{currency}\u00a01{group}234{group}567" + (
        f"{decimal}5{'0' * (digits - 1)}" if digits else ""
    )
    return (group, decimal, digits) if sample == expected else None


def number_locale(language: str) -> str:
    """The Babel locale whose separators a reader of `language` uses ('pt-br' → 'pt_BR')."""
    language = (language or "en").replace("-", "_")
    if "_" in language:
        head, region = language.split("_", 1)
        return f"{head}_{region.upper()}"
    return language


def to_minor(amount: Decimal, currency: str) -> int:
    """Major units (12.50) to minor units (1250) of `currency`; refuses digits the currency has
    not (ValueError), so no amount is ever rounded silently."""
    minor = amount.scaleb(currency_decimals(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return int(minor)


def to_major(amount: int, currency: str) -> Decimal:
    """Minor units (1250) to major units (Decimal('12.50')) of `currency`."""
    return Decimal(amount).scaleb(-currency_decimals(currency))


def currency_choices_for(country: str) -> list[str]:
    """Every currency, the cooperative's own first (BR → BRL), then the dollar, its region's and
    the euro, then the rest by code."""
    home = [str(c) for c in get_territory_currencies(country, tender=True)] if country else []
    region = REGION_CURRENCIES.get(COUNTRY_REGIONS.get(country, ""), [])
    known = currency_codes()
    first: list[str] = []
    for code in [*home, "USD", *region, "EUR"]:
        if code in known and code not in first:
            first.append(code)
    return first + sorted(known - set(first))


def default_currency(country: str) -> str:
    """The currency a cooperative of `country` most likely prices in: its country's own."""
    return currency_choices_for(country)[0] if country else "EUR"


class CurrencyMismatch(ValueError):
    pass


class AmountError(ValueError):
    """What a person typed is not an amount of the currency; the message says why, translated."""


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money amounts are integers of minor units")

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)

    @classmethod
    def from_major(cls, amount: Decimal, currency: str) -> "Money":
        return cls(to_minor(amount, currency), currency)

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, quantity: int) -> "Money":
        return Money(self.amount * quantity, self.currency)

    def share_bps(self, basis_points: int) -> "Money":
        """A share in basis points, rounded half up to the minor unit."""
        return Money(
            (self.amount * basis_points + BASIS_POINTS // 2) // BASIS_POINTS, self.currency
        )

    def as_decimal(self) -> Decimal:
        return to_major(self.amount, self.currency)

    def format(self, locale: str | None = None) -> str:
        """The amount as a reader of `locale` reads it, the currency named by its ISO code:
        `BRL 1.250,50` (es, pt-BR), `BRL 1,250.50` (en), `JPY 1.250` (no decimals). Without a
        locale, the active language's."""
        language = locale or translation.get_language() or "en"
        babel_locale = number_locale(language)
        parts = _format_parts(babel_locale, self.currency) if self.amount >= 0 else None
        if parts is None:
            return format_currency(
                self.as_decimal(), self.currency, format=PATTERN, locale=babel_locale
            )
        # What Babel writes for PATTERN, without its pattern machinery (a catalogue page formats
        # dozens of prices; tests/core/test_money.py pins both to the same text).
        group, decimal, digits = parts
        major, minor = divmod(self.amount, 10**digits)
        text = f"{major:,}".replace(",", group) if group != "," else f"{major:,}"
        if digits:
            text = f"{text}{decimal}{minor:0{digits}d}"
        return f"{self.currency}\u00a0{text}"

    def format_input(self, locale: str | None = None) -> str:
        """The amount as a person types it back into a form: `1.250,50` in es, `1,250.50` in en."""
        text = self.format(locale)
        return text.split("\u00a0", 1)[1] if "\u00a0" in text else text

    def __str__(self) -> str:
        return self.format()


def is_price_jump(old: Money, new: Money) -> bool:
    """A new price 50 times the old one or more (or a 50th or less) is more likely a slip of the
    decimal separator than a decision: the seller confirms it first."""
    if old.currency != new.currency or old.amount <= 0 or new.amount <= 0:
        return False
    return new.amount >= PRICE_JUMP * old.amount or new.amount * PRICE_JUMP <= old.amount


def price_jump_message(old: Money, new: Money) -> str:
    return _(
        "The price changes from %(old)s to %(new)s, by a factor of 50 or more: confirm that "
        "this is the new price."
    ) % {"old": old.format(), "new": new.format()}


def parse_amount(text: str, currency: str, locale: str) -> Money:
    """What a person typed in a price or amount field, read with the separators of `locale`:
    "1.250,50" and "1250,50" in es and pt-BR, "1,250.50" in en. Raises AmountError, never guesses:
    a number that is malformed for the locale, has more decimals than the currency, or is
    ambiguous (one separator followed by exactly three digits, as "1.250" or "1,250", which the
    other convention reads a thousand times differently) unless the currency has no decimals
    and the separator is the locale's thousands separator."""
    babel_locale = number_locale(locale)
    decimal_sign = get_decimal_symbol(babel_locale)
    group_sign = get_group_symbol(babel_locale)
    typed = SPACES.sub("", text or "")
    if typed.startswith(currency):
        typed = typed[len(currency) :]
    decimals = currency_decimals(currency)
    example = Money(int(Decimal("1250.50").scaleb(decimals)), currency).format_input(locale)
    if not typed:
        raise AmountError(_("Write an amount, e.g. %(example)s.") % {"example": example})
    if not re.fullmatch(r"[0-9.,]+", typed) or not typed[0].isdigit() or not typed[-1].isdigit():
        raise AmountError(
            _("“%(text)s” is not an amount: write digits, e.g. %(example)s.")
            % {"text": text.strip(), "example": example}
        )
    separators = [sign for sign in typed if not sign.isdigit()]
    one_separator_three_digits = len(separators) == 1 and re.fullmatch(r"[0-9]+[.,][0-9]{3}", typed)
    if one_separator_three_digits and not (decimals == 0 and separators[0] == group_sign):
        raise AmountError(
            _("“%(text)s” could be read two ways. Write it with the decimals, e.g. %(example)s.")
            % {"text": text.strip(), "example": example}
        )
    try:
        number = parse_decimal(typed, locale=babel_locale, strict=True)
    except NumberFormatError:
        raise AmountError(
            _("“%(text)s” is not an amount as written here: e.g. %(example)s.")
            % {"text": text.strip(), "example": example}
        ) from None
    typed_decimals = len(typed.rsplit(decimal_sign, 1)[1]) if decimal_sign in typed else 0
    if typed_decimals > decimals:
        if decimals == 0:
            message = _("%(currency)s amounts have no decimals.") % {"currency": currency}
        else:
            message = _("%(currency)s amounts have at most %(decimals)s decimals.") % {
                "currency": currency,
                "decimals": decimals,
            }
        raise AmountError(message)
    try:
        money = Money.from_major(number, currency)
    except (ValueError, InvalidOperation):
        raise AmountError(
            _("“%(text)s” is not an amount as written here: e.g. %(example)s.")
            % {"text": text.strip(), "example": example}
        ) from None
    if money.amount > MAX_AMOUNT:
        raise AmountError(_("This amount is larger than any we accept."))
    return money


def total(amounts: "list[Money]", currency: str) -> Money:
    result = Money.zero(currency)
    for money in amounts:
        result = result + money
    return result
