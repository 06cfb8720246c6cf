"""The seller's solidarity fee page: what it owes the platform per currency, how to pay it, and
the month's fee statement (page and CSV). docs/receivables.md, "The solidarity fee"."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cooperatives import selectors as cooperative_selectors
from cooperatives.models import Cooperative
from frontend.receivable_tables import fee_table
from frontend.views.common import SignedInRequest
from orders.receivables import documents, fees


def _month(request: SignedInRequest) -> date:
    """`?month=YYYY-MM`; this month when absent or not a month."""
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _statement(request: SignedInRequest, slug: str) -> tuple[Cooperative, date, list[fees.FeeRow]]:
    cooperative = cooperative_selectors.cooperative_get_visible(request.user, slug)
    month = _month(request)
    return (
        cooperative,
        month,
        fees.fee_statement(user=request.user, seller=cooperative, month=month),
    )


@require_safe
@login_required
def fee_page(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative, month, rows = _statement(request, slug)
    first, last = fees.month_bounds(month)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "frontend/receivables/fees.html",
        {
            "cooperative": cooperative,
            "owed": sorted(fees.fees_owed(cooperative).items()),
            "how_to_pay": settings.PLATFORM_BANK_DETAILS,
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "rows": fee_table(rows),
        },
    )


@require_safe
@login_required
def fee_csv(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative, month, rows = _statement(request, slug)
    response = HttpResponse(documents.fee_statement_csv(rows), content_type="text/csv")
    name = f"{cooperative.slug}-fees-{month.strftime('%Y-%m')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
