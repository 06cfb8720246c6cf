"""A cooperative's trade report: sales and purchases per month and per partner, with a chart."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clearing.selectors import credit_transparency
from cooperatives.models import Sector
from cooperatives.selectors import cooperative_get_visible, membership_list_for_user
from core.reference import country_name
from frontend.views.common import HtmxRequest, SignedInRequest
from orders import charts, reports

YEARS_SHOWN = 5
MONTHS = (
    pgettext_lazy("month abbreviation", "Jan"),
    pgettext_lazy("month abbreviation", "Feb"),
    pgettext_lazy("month abbreviation", "Mar"),
    pgettext_lazy("month abbreviation", "Apr"),
    pgettext_lazy("month abbreviation", "May"),
    pgettext_lazy("month abbreviation", "Jun"),
    pgettext_lazy("month abbreviation", "Jul"),
    pgettext_lazy("month abbreviation", "Aug"),
    pgettext_lazy("month abbreviation", "Sep"),
    pgettext_lazy("month abbreviation", "Oct"),
    pgettext_lazy("month abbreviation", "Nov"),
    pgettext_lazy("month abbreviation", "Dec"),
)


def _year(request: HtmxRequest) -> int:
    """The year asked for, when it is a sensible one; else this year."""
    today = datetime.date.today()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _years_offered(year: int) -> list[int]:
    """The year selector's choices: the last YEARS_SHOWN years and the one asked for."""
    this_year = datetime.date.today().year
    return sorted({*range(this_year - YEARS_SHOWN + 1, this_year + 1), year}, reverse=True)


@login_required
def reports_home(request: SignedInRequest) -> HttpResponse:
    """The menu's "Reports": the report of my first cooperative (the page switches to others)."""
    memberships = list(membership_list_for_user(request.user))
    if not memberships:
        messages.info(request, _("Reports are about a cooperative's trade: join or create one."))
        return redirect("frontend:my-cooperatives")
    return redirect("frontend:trade-report", slug=memberships[0].cooperative.slug)


@login_required
def trade(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_get_visible(request.user, slug)
    year = _year(request)
    report = reports.trade_report(user=request.user, cooperative=cooperative, year=year)
    locale = to_locale(get_language() or "en")
    months = tuple(str(name) for name in MONTHS)
    currencies = sorted({row.currency for row in report["months"]})
    sections = []
    for currency in currencies:
        rows = [row for row in report["months"] if row.currency == currency]
        svg = charts.trade_chart_svg(
            rows,
            currency=currency,
            year=year,
            locale=locale,
            months=months,
            sales_label=_("Sales"),
            purchases_label=_("Purchases"),
            title=_("Sales and purchases in %(currency)s, %(year)s")
            % {"currency": currency, "year": year},
        )
        sections.append(
            {
                "currency": currency,
                # The chart is built from numbers and escaped labels by orders.charts.
                "chart": mark_safe(svg),  # noqa: S308  # nosec B308 B703  # orders.charts escapes every label
                "months": [{"row": row, "name": months[row.month - 1]} for row in rows],
                "sales": sum(row.sales_amount for row in rows),
                "purchases": sum(row.purchases_amount for row in rows),
            }
        )
    years = _years_offered(year)
    return render(
        request,
        "frontend/reports/trade.html",
        {
            "cooperative": cooperative,
            "year": year,
            "years": years,
            "sections": sections,
            "partners": report["partners"],
            "memberships": list(membership_list_for_user(request.user)),
        },
    )


@login_required
def trade_csv(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_get_visible(request.user, slug)
    year = _year(request)
    report = reports.trade_report(user=request.user, cooperative=cooperative, year=year)
    response = HttpResponse(reports.trade_report_csv(report), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{cooperative.slug}-trade-{year}.csv"'
    return response


@require_safe
def network(request: HtmxRequest) -> HttpResponse:
    """Public: how much trade flows between countries and between sectors, in one currency."""
    year = _year(request)
    network = reports.trade_network(year=year)
    currency = request.GET.get("currency", "")
    if currency not in network.currencies:
        currency = network.currencies[0] if network.currencies else ""
    language = get_language() or "en"
    locale = to_locale(language)
    cell_label = _("{source} → {target}: {amount}, {orders} orders")
    sections = []
    for key, heading, title, flows, labels in (
        (
            "countries",
            _("Between countries"),
            _("Trade between countries in %(currency)s, %(year)s"),
            network.by_country,
            {f.source: country_name(f.source, locale) for f in network.by_country}
            | {f.target: country_name(f.target, locale) for f in network.by_country},
        ),
        (
            "sectors",
            _("Between sectors"),
            _("Trade between sectors in %(currency)s, %(year)s"),
            network.by_sector,
            {code: str(label) for code, label in Sector.choices},
        ),
    ):
        rows = [flow for flow in flows if flow.currency == currency]
        if not rows:
            continue
        svg = charts.flow_matrix_svg(
            rows,
            currency=currency,
            labels=labels,
            title=title % {"currency": currency, "year": year},
            from_label=_("Sellers"),
            to_label=_("Buyers"),
            cell_label=cell_label,
            locale=locale,
        )
        sections.append(
            {
                "key": key,
                "heading": heading,
                # Built from numbers and escaped labels by orders.charts.
                "chart": mark_safe(svg),  # noqa: S308  # nosec B308 B703  # orders.charts escapes every label
                "rows": [
                    {
                        "source": labels.get(f.source, f.source),
                        "target": labels.get(f.target, f.target),
                        "flow": f,
                    }
                    for f in rows
                ],
            }
        )
    years = _years_offered(year)
    return render(
        request,
        "frontend/reports/network.html",
        {
            "year": year,
            "years": years,
            "currency": currency,
            "currencies": network.currencies,
            "sections": sections,
            "credit_months": credit_transparency(year=year),
        },
    )
