"""Money is an integer of minor units plus an ISO 4217 code; this type owns arithmetic and rounding."""

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency

from core.reference import currency_decimals

BASIS_POINTS = 10_000

# A reader's language without a region ("es") writes a price the way the currency's own country
# does: ARS as in Argentina, UYU as in Uruguay, EUR as in Spain. Portuguese is Brazil's already.
CURRENCY_REGIONS = {
    "es": {
        "ARS": "es_AR",
        "UYU": "es_UY",
        "EUR": "es_ES",
        "CLP": "es_CL",
        "MXN": "es_MX",
        "COP": "es_CO",
        "PEN": "es_PE",
        "PYG": "es_PY",
        "BOB": "es_BO",
        "USD": "es_US",
    },
}
# CLDR writes "$1.250,00" for es_AR; prices and invoices in Argentina put a space after the sign.
PATTERNS = {"es_AR": "¤\u00a0#,##0.00"}


def reader_locale(locale: str, currency: str) -> str:
    """The Babel locale for an amount of `currency` read in `locale` ('es' + ARS → 'es_AR')."""
    locale = locale.replace("-", "_")
    if "_" in locale:
        return locale
    return CURRENCY_REGIONS.get(locale, {}).get(currency, locale)


class CurrencyMismatch(ValueError):
    pass


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
        return Decimal(self.amount).scaleb(-currency_decimals(self.currency))

    def format(self, locale: str = "en") -> str:
        """The amount as a reader of `locale` writes it: `R$ 1.250,00`, `$ 1.250,00` (ARS in
        Spanish), `1.250,00 €` (EUR in Spanish), `€1,250.00` (EUR in English)."""
        babel_locale = reader_locale(locale, self.currency)
        return format_currency(
            self.as_decimal(),
            self.currency,
            format=PATTERNS.get(babel_locale),
            locale=babel_locale,
        )

    def __str__(self) -> str:
        return self.format()


def total(amounts: "list[Money]", currency: str) -> Money:
    result = Money.zero(currency)
    for money in amounts:
        result = result + money
    return result
