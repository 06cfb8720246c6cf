"""Reads of clearing runs, with what a proposal shows (per invoice and per cooperative), and
each participant's set-off statement of an executed run."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from clearing.models import ClearingItem, ClearingPosition, ClearingRun
from clearing.permissions import can_read_setoff_statement
from clearing.state import RunStatus
from cooperatives.models import Cooperative
from ledger.models import AccountKind, EntryKind, JournalLine
from orders.models import Invoice

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


def clearing_runs(limit: int = 100) -> list[ClearingRun]:
    """The latest runs, newest first (the committee's list)."""
    return list(ClearingRun.objects.select_related("proposed_by", "executed_by")[:limit])


def setoff_runs_of(cooperative: Cooperative) -> list[ClearingRun]:
    """The executed runs the cooperative took part in: each has a set-off statement for it."""
    return list(
        ClearingRun.objects.filter(status=RunStatus.EXECUTED, positions__cooperative=cooperative)
        .distinct()
        .order_by("-executed_at", "-id")
    )


@dataclass(frozen=True)
class StatementLine:
    """One invoice of a set-off statement, as the cooperative reads it: `is_owed_to_us` when the
    counterparty is the debtor; what was left before the run, the amount set off and after."""

    invoice: Invoice
    counterparty: Cooperative
    is_owed_to_us: bool
    amount_before: int
    setoff_amount: int

    @property
    def amount_after(self) -> int:
        return self.amount_before - self.setoff_amount


@dataclass(frozen=True)
class SetoffStatement:
    """The legal record, for one participant of an executed run, that its invoices were
    compensated: the run, its position before and after, and each invoice set off."""

    run: ClearingRun
    cooperative: Cooperative
    position: ClearingPosition
    lines: list[StatementLine]

    @property
    def owed_setoff(self) -> int:
        return sum(line.setoff_amount for line in self.lines if line.is_owed_to_us)

    @property
    def owing_setoff(self) -> int:
        return sum(line.setoff_amount for line in self.lines if not line.is_owed_to_us)


def setoff_statement(run_id: int, cooperative: Cooperative) -> SetoffStatement | None:
    """The cooperative's set-off statement of an executed run; None when the run is not
    executed or the cooperative took no part in it."""
    run = ClearingRun.objects.filter(pk=run_id, status=RunStatus.EXECUTED).first()
    position = (
        ClearingPosition.objects.filter(run=run, cooperative=cooperative).first() if run else None
    )
    if run is None or position is None:
        return None
    items = (
        ClearingItem.objects.filter(run=run)
        .filter(Q(debtor=cooperative) | Q(creditor=cooperative))
        .select_related("invoice", "debtor", "creditor")
        .order_by("invoice__number", "id")
    )
    lines = [
        StatementLine(
            invoice=item.invoice,
            counterparty=item.debtor if item.creditor_id == cooperative.pk else item.creditor,
            is_owed_to_us=item.creditor_id == cooperative.pk,
            amount_before=item.amount_left,
            setoff_amount=item.setoff_amount,
        )
        for item in items
    ]
    return SetoffStatement(run=run, cooperative=cooperative, position=position, lines=lines)


def setoff_statement_visible(user: Any, run_id: int, slug: str) -> SetoffStatement:
    """The statement for the API and the pages: 404 unless the run is executed, the cooperative
    took part in it and the user may read it (clearing.permissions)."""
    cooperative = Cooperative.objects.filter(slug=slug).first()
    statement = setoff_statement(run_id, cooperative) if cooperative else None
    if statement is None or not can_read_setoff_statement(user, statement.cooperative):
        raise Http404("No such set-off statement.")
    return statement
