"""Server-rendered SVG charts: no JavaScript, readable by screen readers, printable."""

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr  # nosec B406  # escapes output, parses nothing

from core.money import Money
from orders.reports import MonthRow

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SALES_COLOUR = "#2f7d4f"
PURCHASES_COLOUR = "#c46a1b"


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above value, so the axis reads round numbers."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _label(amount: int, currency: str, locale: str) -> str:
    return Money(amount, currency).format(locale)


def trade_chart_svg(
    rows: list[MonthRow],
    *,
    currency: str,
    year: int,
    locale: str = "en",
    width: int = 720,
    height: int = 280,
    months: tuple[str, ...] = MONTHS,
    sales_label: str = "Sales",
    purchases_label: str = "Purchases",
) -> str:
    """Sales and purchases of each month of `year` in one currency, as paired bars."""
    rows = sorted((r for r in rows if r.currency == currency), key=lambda r: r.month)
    by_month = {r.month: r for r in rows}
    top = _nice_ceiling(max([0, *(max(r.sales_amount, r.purchases_amount) for r in rows)]))
    left, right, upper, bottom = 90, 10, 30, 30
    plot_w, plot_h = width - left - right, height - upper - bottom
    slot = Decimal(plot_w) / 12
    bar_w = slot * Decimal("0.35")
    title = f"{sales_label} and {purchases_label.lower()} in {currency}, {year}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)} '
        'font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" '
        'stroke="#888"/>',
        f'<text x="{left - 6}" y="{upper + 4}" text-anchor="end">'
        f"{escape(_label(top, currency, locale))}</text>",
        f'<text x="{left - 6}" y="{upper + plot_h}" text-anchor="end">'
        f"{escape(_label(0, currency, locale))}</text>",
        f'<line x1="{left}" y1="{upper}" x2="{left + plot_w}" y2="{upper}" stroke="#ddd"/>',
        f'<rect x="{left}" y="6" width="10" height="10" fill="{SALES_COLOUR}"/>'
        f'<text x="{left + 14}" y="15">{escape(sales_label)}</text>'
        f'<rect x="{left + 110}" y="6" width="10" height="10" fill="{PURCHASES_COLOUR}"/>'
        f'<text x="{left + 124}" y="15">{escape(purchases_label)}</text>',
    ]
    for index in range(12):
        month = index + 1
        row = by_month.get(month)
        x0 = left + slot * index + (slot - 2 * bar_w) / 2
        for offset, amount, colour, kind, css in (
            (0, row.sales_amount if row else 0, SALES_COLOUR, sales_label, "sales"),
            (1, row.purchases_amount if row else 0, PURCHASES_COLOUR, purchases_label, "purchases"),
        ):
            bar_h = Decimal(plot_h) * amount / top
            x = x0 + bar_w * offset
            y = upper + plot_h - bar_h
            tip = f"{kind}, {months[index]} {year}: {_label(amount, currency, locale)}"
            parts.append(
                f'<rect class="bar {css}" data-month="{month}" data-amount="{amount}" '
                f'x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
                f'fill="{colour}"><title>{escape(tip)}</title></rect>'
            )
        parts.append(
            f'<text x="{left + slot * index + slot / 2:.1f}" y="{height - 10}" '
            f'text-anchor="middle">{escape(months[index])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
