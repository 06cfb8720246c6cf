"""Clearing runs: the proposal of the optimal set-off over the open invoices of one currency."""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from clearing.models import ClearingItem, ClearingPosition, ClearingRun
from clearing.solver import Obligation, clear
from core.reference import currency_codes
from orders.models import Invoice, InvoiceKind
from orders.receivables.state import UNPAID


def _open_invoices(currency: str) -> list[Invoice]:
    """The invoices of a currency that still leave something owed, oldest due first."""
    return list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE,
            currency=currency,
            status__in=UNPAID,
            amount_due__gt=F("amount_paid"),
        )
        .select_related("order")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


@transaction.atomic
def clearing_run_propose(*, currency: str, actor: Any) -> ClearingRun:
    """Compute and store the set-off that clears the most of the open invoices of `currency`
    while leaving every cooperative's net position unchanged (clearing/solver.py)."""
    if currency not in currency_codes():
        raise ValidationError({"currency": [_("Choose a currency from the list.")]})
    invoices = _open_invoices(currency)
    left = {invoice.pk: invoice.amount_due - invoice.amount_paid for invoice in invoices}
    parties = {
        invoice.pk: (invoice.order.buyer_id, invoice.order.seller_id) for invoice in invoices
    }
    result = clear(
        Obligation(invoice.pk, *parties[invoice.pk], left[invoice.pk]) for invoice in invoices
    )
    run = ClearingRun.objects.create(
        currency=currency,
        proposed_by=actor if getattr(actor, "is_authenticated", False) else None,
        volume_amount=result.volume_before,
        cleared_amount=result.cleared,
        invoice_count=len(invoices),
    )
    ClearingItem.objects.bulk_create(
        ClearingItem(
            run=run,
            invoice_id=invoice.pk,
            debtor_id=parties[invoice.pk][0],
            creditor_id=parties[invoice.pk][1],
            amount_left=left[invoice.pk],
            setoff_amount=result.per_obligation[invoice.pk],
        )
        for invoice in invoices
        if result.per_obligation[invoice.pk]
    )
    ClearingPosition.objects.bulk_create(
        ClearingPosition(
            run=run,
            cooperative_id=cast(int, cooperative),
            owed_before=position.owed_before,
            owing_before=position.owing_before,
            owed_after=position.owed_after,
            owing_after=position.owing_after,
        )
        for cooperative, position in result.positions.items()
    )
    return run


def clearing_run_stale_items(run: ClearingRun) -> list[ClearingItem]:
    """The items whose invoice changed since the proposal (paid, credited, written off, or its
    amount left moved): a run with any of them must not be executed as proposed."""
    items = list(run.items.select_related("invoice"))
    return [
        item
        for item in items
        if item.invoice.status not in UNPAID
        or item.invoice.amount_due - item.invoice.amount_paid != item.amount_left
    ]
