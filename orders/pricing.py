"""Order arithmetic with no I/O: line totals, order totals and the solidarity fee."""

from collections.abc import Iterable
from dataclasses import dataclass

from core.money import BASIS_POINTS, Money, total


@dataclass(frozen=True, slots=True)
class OrderTotals:
    total: Money
    fee_bps: int
    fee: Money
    seller_amount: Money


def line_total(unit_price: Money, quantity: int) -> Money:
    return unit_price.times(quantity)


def order_totals(line_totals: list[Money], currency: str, fee_bps: int) -> OrderTotals:
    """The buyer pays the sum of the lines; the fee (rounded half up to the minor unit) is taken
    from it and the seller receives the rest, so fee + seller amount is the total, always."""
    if not 0 <= fee_bps <= BASIS_POINTS:
        raise ValueError("The fee is between 0 and 10,000 basis points")
    goods = total(line_totals, currency)
    fee = goods.share_bps(fee_bps)
    return OrderTotals(total=goods, fee_bps=fee_bps, fee=fee, seller_amount=goods - fee)


def credit_max(lines: Iterable[tuple[int, int | None]], seller_bps: int) -> int:
    """The most of some lines a seller accepts in mutual credit: each line's total (minor units)
    times its listing's share, or the seller's when the listing names none, rounded down."""
    return sum(
        (amount * (seller_bps if bps is None else bps) // BASIS_POINTS for amount, bps in lines), 0
    )
