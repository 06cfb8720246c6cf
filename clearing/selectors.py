"""Reads of clearing runs, with what a proposal shows (per invoice and per cooperative)."""

from django.db.models import Prefetch

from clearing.models import ClearingItem, ClearingPosition, ClearingRun


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
