"""Agreement prices with no I/O: the unit price of a quantity under a price list's tiers.

The best price is the lowest of the tiers that apply (`min_quantity <= quantity`), never above the
public price. Since more tiers apply as the quantity grows, the unit price never rises with it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.money import BASIS_POINTS, Money


@dataclass(frozen=True, slots=True)
class Tier:
    min_quantity: int
    fixed_price_amount: int | None = None
    discount_bps: int | None = None
    label: str = ""

    def unit_price(self, public: Money) -> Money:
        if self.fixed_price_amount is not None:
            return Money(self.fixed_price_amount, public.currency)
        discount = public.share_bps(self.discount_bps or 0)
        return public - discount


@dataclass(frozen=True, slots=True)
class Priced:
    unit_price: Money
    tier: Tier | None  # None: the public price

    @property
    def is_agreement(self) -> bool:
        return self.tier is not None


def best_price(public: Money, quantity: int, tiers: list[Tier]) -> Priced:
    """The lowest unit price for `quantity` among the tiers that apply, or the public price."""
    best = Priced(public, None)
    for tier in tiers:
        if tier.min_quantity > quantity:
            continue
        price = tier.unit_price(public)
        if price.currency == public.currency and price.amount < best.unit_price.amount:
            best = Priced(price, tier)
    return best


def is_in_force(valid_from: date, valid_until: date, zone: str, now: datetime) -> bool:
    """An agreement applies from the start of `valid_from` to the end of `valid_until`, in the
    seller cooperative's own zone: it stops at its local midnight, not at UTC's."""
    return valid_from <= local_today(zone, now) <= valid_until


def local_today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


__all__ = ["BASIS_POINTS", "Priced", "Tier", "best_price", "is_in_force", "local_today"]
