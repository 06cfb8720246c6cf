"""Trade reports of one cooperative: sales and purchases per month and per partner cooperative,
per currency (amounts in different currencies are never added). Shared by the API, the CSV
download and the page with its SVG chart.

Orders count as trade from placement on; declined and cancelled orders never happened.
"""

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from cooperatives.models import Cooperative
from core.money import Money
from orders import permissions
from orders.models import Order
from orders.state import TRADED_STATUSES


@dataclass(frozen=True)
class MonthRow:
    month: int
    currency: str
    sales_amount: int
    sales_orders: int
    purchases_amount: int
    purchases_orders: int


@dataclass(frozen=True)
class PartnerRow:
    partner: Cooperative
    currency: str
    sales_amount: int
    sales_orders: int
    purchases_amount: int
    purchases_orders: int


def _traded(cooperative: Cooperative, year: int, side: str) -> Any:
    return Order.objects.filter(
        **{side: cooperative}, status__in=TRADED_STATUSES, placed_at__year=year
    )


def trade_by_month(*, cooperative: Cooperative, year: int) -> list[MonthRow]:
    """Twelve rows per currency traded in the year (months without trade are zeros)."""
    cells: dict[tuple[int, str], dict[str, int]] = {}
    for side, prefix in (("seller", "sales"), ("buyer", "purchases")):
        rows = (
            _traded(cooperative, year, side)
            .annotate(period=TruncMonth("placed_at"))
            .values("period", "currency")
            .annotate(amount=Sum("total_amount"), orders=Count("id"))
        )
        for row in rows:
            # TruncMonth truncates in the current time zone and answers in it.
            month = row["period"].month
            cell = cells.setdefault((month, row["currency"]), {})
            cell[f"{prefix}_amount"] = cell.get(f"{prefix}_amount", 0) + row["amount"]
            cell[f"{prefix}_orders"] = cell.get(f"{prefix}_orders", 0) + row["orders"]
    currencies = sorted({currency for _, currency in cells})
    return [
        MonthRow(
            month=month,
            currency=currency,
            sales_amount=cells.get((month, currency), {}).get("sales_amount", 0),
            sales_orders=cells.get((month, currency), {}).get("sales_orders", 0),
            purchases_amount=cells.get((month, currency), {}).get("purchases_amount", 0),
            purchases_orders=cells.get((month, currency), {}).get("purchases_orders", 0),
        )
        for currency in currencies
        for month in range(1, 13)
    ]


def trade_by_partner(*, cooperative: Cooperative, year: int) -> list[PartnerRow]:
    """One row per partner cooperative and currency, biggest trade first."""
    cells: dict[tuple[int, str], dict[str, int]] = {}
    for side, partner_field, prefix in (
        ("seller", "buyer_id", "sales"),
        ("buyer", "seller_id", "purchases"),
    ):
        rows = (
            _traded(cooperative, year, side)
            .values(partner_field, "currency")
            .annotate(amount=Sum("total_amount"), orders=Count("id"))
        )
        for row in rows:
            cell = cells.setdefault((row[partner_field], row["currency"]), {})
            cell[f"{prefix}_amount"] = row["amount"]
            cell[f"{prefix}_orders"] = row["orders"]
    partners = Cooperative.objects.in_bulk({partner_id for partner_id, _ in cells})
    result = [
        PartnerRow(
            partner=partners[partner_id],
            currency=currency,
            sales_amount=cell.get("sales_amount", 0),
            sales_orders=cell.get("sales_orders", 0),
            purchases_amount=cell.get("purchases_amount", 0),
            purchases_orders=cell.get("purchases_orders", 0),
        )
        for (partner_id, currency), cell in cells.items()
    ]
    result.sort(key=lambda r: (r.currency, -(r.sales_amount + r.purchases_amount), r.partner.name))
    return result


def trade_report(*, user: Any, cooperative: Cooperative, year: int) -> dict[str, Any]:
    if not permissions.can_view_reports(user, cooperative):
        raise Http404("No cooperative with this slug.")
    return {
        "cooperative": cooperative,
        "year": year,
        "months": trade_by_month(cooperative=cooperative, year=year),
        "partners": trade_by_partner(cooperative=cooperative, year=year),
    }


@dataclass(frozen=True)
class FlowRow:
    """Trade from sellers of one kind (`source`, a country code or sector) to buyers of another."""

    source: str
    target: str
    currency: str
    amount: int
    orders: int


@dataclass(frozen=True)
class TradeNetwork:
    year: int
    currencies: list[str]  # the currency with the most orders first
    by_country: list[FlowRow]
    by_sector: list[FlowRow]


NETWORK_CACHE_SECONDS = 300


def _flows(orders: Any, source: str, target: str) -> list[FlowRow]:
    rows = (
        orders.values(source, target, "currency")
        .annotate(amount=Sum("total_amount"), orders=Count("id"))
        .order_by()
    )
    flows = [
        FlowRow(
            source=row[source],
            target=row[target],
            currency=row["currency"],
            amount=row["amount"],
            orders=row["orders"],
        )
        for row in rows
    ]
    flows.sort(key=lambda f: (f.currency, -f.amount, f.source, f.target))
    return flows


def trade_network(*, year: int) -> TradeNetwork:
    """The whole exchange's trade in `year`: between seller and buyer countries and between
    seller and buyer sectors, per currency. Public and the same for everyone, so it is cached
    for a few minutes (reports may lag a new order by that much)."""
    key = f"orders:trade-network:{year}"
    cached = cache.get(key)
    if isinstance(cached, TradeNetwork):
        return cached
    orders = Order.objects.filter(status__in=TRADED_STATUSES, placed_at__year=year)
    by_country = _flows(orders, "seller__country", "buyer__country")
    by_sector = _flows(orders, "seller__sector", "buyer__sector")
    counts: dict[str, int] = {}
    for flow in by_country:
        counts[flow.currency] = counts.get(flow.currency, 0) + flow.orders
    network = TradeNetwork(
        year=year,
        currencies=sorted(counts, key=lambda currency: (-counts[currency], currency)),
        by_country=by_country,
        by_sector=by_sector,
    )
    cache.set(key, network, NETWORK_CACHE_SECONDS)
    return network


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _major(amount: int, currency: str) -> str:
    return str(Money(amount, currency).as_decimal())


CSV_HEADER = [
    "section",
    "month",
    "partner",
    "partner_slug",
    "currency",
    "sales",
    "sales_orders",
    "purchases",
    "purchases_orders",
]


def trade_report_csv(report: dict[str, Any]) -> str:
    """Months then partners, amounts in major units with a dot (e.g. 1250.00)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    year = report["year"]
    for m in report["months"]:
        writer.writerow(
            [
                "month",
                f"{year}-{m.month:02d}",
                "",
                "",
                m.currency,
                _major(m.sales_amount, m.currency),
                m.sales_orders,
                _major(m.purchases_amount, m.currency),
                m.purchases_orders,
            ]
        )
    for p in report["partners"]:
        writer.writerow(
            [
                "partner",
                "",
                _cell(p.partner.name),
                p.partner.slug,
                p.currency,
                _major(p.sales_amount, p.currency),
                p.sales_orders,
                _major(p.purchases_amount, p.currency),
                p.purchases_orders,
            ]
        )
    return out.getvalue()
