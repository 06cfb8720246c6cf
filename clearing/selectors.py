"""Reads of clearing runs, with what a proposal shows (per invoice and per cooperative)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Sum
from django.db.models.functions import TruncMonth

from clearing.models import ClearingItem, ClearingPosition, ClearingRun
from clearing.state import RunStatus
from ledger.models import AccountKind, EntryKind, JournalLine

# The public figures may lag a transfer or a run by this much (as the trade network does).
TRANSPARENCY_CACHE_SECONDS = 300


def clearing_run_detail(run_id: int) -> ClearingRun | None:
    """A run with its items (each invoice's number, debtor and creditor) and its positions."""
    items = ClearingItem.objects.select_related("invoice", "debtor", "creditor").order_by("id")
    positions = ClearingPosition.objects.select_related("cooperative").order_by(
        "cooperative__name", "id"
    )
    return (
        ClearingRun.objects.prefetch_related(
            Prefetch("items", queryset=items), Prefetch("positions", queryset=positions)
        )
        .filter(pk=run_id)
        .first()
    )


@dataclass(frozen=True)
class CreditMonth:
    """One currency's month of mutual credit, totals only (never one cooperative's figures)."""

    currency: str
    month: date
    circulation: int  # credits moved between accounts (minor units)
    cleared: int  # debt cancelled by set-off in executed clearing runs
    transfers_saved: int  # invoices closed entirely by set-off: bank transfers not needed


def _by_month(rows: Any, field: str, into: dict[tuple[str, date], dict[str, int]]) -> None:
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        into.setdefault((row["currency"], month), {})[field] = int(row["total"] or 0)


def credit_transparency(*, year: int) -> list[CreditMonth]:
    """Per currency and month of `year`: credit circulation, the volume cleared by set-off and
    the bank transfers it saved (docs/credit.md, "What others can see"). Public and the same for
    everyone, so it is cached like the trade network."""
    key = f"clearing:transparency:{year}"
    cached = cache.get(key)
    if isinstance(cached, list):
        return cached
    figures: dict[tuple[str, date], dict[str, int]] = {}
    circulation = (
        JournalLine.objects.filter(
            account__kind=AccountKind.CREDIT,
            amount__gt=0,
            entry__kind=EntryKind.CREDIT_TRANSFER,
            entry__occurred_at__year=year,
        )
        .annotate(month=TruncMonth("entry__occurred_at"), currency=F("account__currency"))
        .values("currency", "month")
        .annotate(total=Sum("amount"))
    )
    _by_month(circulation, "circulation", figures)
    executed = ClearingRun.objects.filter(status=RunStatus.EXECUTED, executed_at__year=year)
    cleared = (
        executed.annotate(month=TruncMonth("executed_at"))
        .values("currency", "month")
        .annotate(total=Sum("cleared_amount"))
    )
    _by_month(cleared, "cleared", figures)
    saved = (
        ClearingItem.objects.filter(run__in=executed, setoff_amount=F("amount_left"))
        .annotate(month=TruncMonth("run__executed_at"), currency=F("run__currency"))
        .values("currency", "month")
        .annotate(total=Count("id"))
    )
    _by_month(saved, "transfers_saved", figures)
    months = [
        CreditMonth(
            currency=currency,
            month=month,
            circulation=values.get("circulation", 0),
            cleared=values.get("cleared", 0),
            transfers_saved=values.get("transfers_saved", 0),
        )
        for (currency, month), values in sorted(figures.items())
    ]
    cache.set(key, months, TRANSPARENCY_CACHE_SECONDS)
    return months
