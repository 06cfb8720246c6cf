"""Server-rendered SVG charts: no JavaScript, readable by screen readers, printable."""

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr  # nosec B406  # escapes output, parses nothing

from core.money import Money
from orders.reports import FlowRow, MonthRow

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


def _svg_open(width: int, height: int, title: str) -> list[str]:
    """The start of every chart: its size, its accessible name and its <title>."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)} '
        'font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]


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
    title: str = "",
) -> str:
    """Sales and purchases of each month of `year` in one currency, as paired bars. `title` is
    the chart's accessible name (already translated); by default an English one."""
    rows = sorted((r for r in rows if r.currency == currency), key=lambda r: r.month)
    by_month = {r.month: r for r in rows}
    top = _nice_ceiling(max([0, *(max(r.sales_amount, r.purchases_amount) for r in rows)]))
    left, right, upper, bottom = 90, 10, 30, 30
    plot_w, plot_h = width - left - right, height - upper - bottom
    slot = Decimal(plot_w) / 12
    bar_w = slot * Decimal("0.35")
    title = title or f"{sales_label} and {purchases_label.lower()} in {currency}, {year}"
    parts = [
        *_svg_open(width, height, title),
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


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def flow_matrix_svg(
    flows: list[FlowRow],
    *,
    currency: str,
    labels: dict[str, str],
    title: str,
    from_label: str = "Sellers",
    to_label: str = "Buyers",
    cell_label: str = "{source} → {target}: {amount}, {orders} orders",
    locale: str = "en",
    cell: int = 40,
) -> str:
    """A heat map of trade in one currency: one row per seller group (country or sector), one
    column per buyer group; the darker the cell, the more trade. Each cell shows its number of
    orders and has a <title> with the amount. `labels` names the codes; `cell_label` is a
    format string with {source}, {target}, {amount} and {orders}."""
    flows = [f for f in flows if f.currency == currency]
    sources = sorted({f.source for f in flows}, key=lambda code: labels.get(code, code))
    targets = sorted({f.target for f in flows}, key=lambda code: labels.get(code, code))
    by_pair = {(f.source, f.target): f for f in flows}
    top = _nice_ceiling(max([0, *(f.amount for f in flows)]))
    left, upper, right, bottom = 170, 150, 100, 40
    width = max(left + cell * max(len(targets), 1) + right, left + 250)
    height = upper + cell * max(len(sources), 1) + bottom
    parts = [
        *_svg_open(width, height, title),
        f'<text x="{left}" y="14" font-weight="bold">{escape(to_label)} →</text>',
        f'<text x="6" y="{upper - 8}" font-weight="bold">{escape(from_label)} ↓</text>',
    ]
    for column, target in enumerate(targets):
        x = left + cell * column + cell / 2
        parts.append(
            f'<text transform="translate({x:.1f},{upper - 6}) rotate(-50)">'
            f"{escape(_short(labels.get(target, target), 24))}</text>"
        )
    for row, source in enumerate(sources):
        y = upper + cell * row
        parts.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_short(labels.get(source, source), 26))}</text>"
        )
        for column, target in enumerate(targets):
            x = left + cell * column
            flow = by_pair.get((source, target))
            if flow is None:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="#fff" '
                    'stroke="#ddd"/>'
                )
                continue
            share = Decimal(flow.amount) / top
            opacity = Decimal("0.15") + Decimal("0.85") * share
            tip = cell_label.format(
                source=labels.get(source, source),
                target=labels.get(target, target),
                amount=_label(flow.amount, currency, locale),
                orders=flow.orders,
            )
            ink = "#fff" if opacity > Decimal("0.55") else "#1a1a1a"
            parts.append(
                f'<g class="flow" data-source="{escape(source)}" data-target="{escape(target)}" '
                f'data-amount="{flow.amount}"><title>{escape(tip)}</title>'
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{SALES_COLOUR}" '
                f'fill-opacity="{opacity:.2f}" stroke="#fff"/>'
                f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="middle" '
                f'fill="{ink}">{flow.orders}</text></g>'
            )
    scale_y = height - 16
    parts.append(
        f'<rect x="{left}" y="{scale_y - 10}" width="12" height="12" fill="{SALES_COLOUR}" '
        'fill-opacity="0.15"/>'
        f'<text x="{left + 16}" y="{scale_y}">{escape(_label(0, currency, locale))}</text>'
        f'<rect x="{left + 110}" y="{scale_y - 10}" width="12" height="12" '
        f'fill="{SALES_COLOUR}"/>'
        f'<text x="{left + 126}" y="{scale_y}">{escape(_label(top, currency, locale))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
