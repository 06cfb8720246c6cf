"""Clearing runs: the proposal of the optimal set-off over the open invoices of one currency."""

import logging
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clearing.books import run_posting
from clearing.models import ClearingItem, ClearingPosition, ClearingRun, ClearingRunEvent
from clearing.solver import Obligation, clear
from clearing.state import RunStatus, ensure_run_transition
from cooperatives.models import Cooperative
from core.errors import DomainError
from core.reference import currency_codes
from credit.models import CreditSystem
from credit.selectors import consenting_cooperatives
from orders import books
from orders.models import Invoice, InvoiceKind, Order
from orders.receivables.services import invoice_setoff_record
from orders.receivables.state import UNPAID

logger = logging.getLogger(__name__)


def _open_invoices(currency: str) -> list[Invoice]:
    """The invoices of a currency that still leave something owed, between two cooperatives
    that consent to clearing (members of the currency's credit system who have not withdrawn
    their consent), oldest due first."""
    consenting = consenting_cooperatives(currency)
    return list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE,
            currency=currency,
            status__in=UNPAID,
            amount_due__gt=F("amount_paid"),
            order__buyer__in=consenting,
            order__seller__in=consenting,
        )
        .select_related("order")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


@transaction.atomic
def clearing_run_propose(*, currency: str, actor: Any, period: str = "") -> ClearingRun:
    """Compute and store the set-off that clears the most of the open invoices of `currency`
    while leaving every cooperative's net position unchanged (clearing/solver.py). `period`
    names the month of the periodic job's run (one per currency and month)."""
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
        period=period,
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


def _refuse_without_consent(run: ClearingRun, items: list[ClearingItem]) -> None:
    """A participant that withdrew its consent after the proposal makes the run stale."""
    parties = {item.debtor_id for item in items} | {item.creditor_id for item in items}
    withdrawn = sorted(parties - set(consenting_cooperatives(run.currency, lock=True)))
    if withdrawn:
        names = ", ".join(
            Cooperative.objects.filter(pk__in=withdrawn).values_list("name", flat=True)
        )
        raise DomainError(
            _(
                "%(names)s withdrew consent to clearing since this proposal; nothing was set "
                "off. Propose a new run."
            )
            % {"names": names},
            code="clearing_stale",
        )


def _is_stale(item: ClearingItem, invoice: Invoice) -> bool:
    return invoice.status not in UNPAID or invoice.amount_left != item.amount_left


def clearing_run_stale_items(run: ClearingRun) -> list[ClearingItem]:
    """The items whose invoice changed since the proposal (paid, credited, written off, or its
    amount left moved): a run with any of them must not be executed as proposed."""
    items = list(run.items.select_related("invoice"))
    return [item for item in items if _is_stale(item, item.invoice)]


@transaction.atomic
def clearing_run_execute(*, run: ClearingRun, actor: Any) -> ClearingRun:
    """Execute a proposed run: each invoice's set-off is recorded as a payment on the `set_off`
    rail and the whole run posts one balanced ledger entry (each debtor's payable and each
    creditor's receivable go down by the same amounts). Refused as a whole, with nothing
    written, when an invoice changed since the proposal. Executing an executed run again
    changes nothing and answers the same run.

    Locks: the run, then every order of its invoices and then the invoices, each in
    primary-key order (the receivables services lock an order before its invoice)."""
    run = ClearingRun.objects.select_for_update().get(pk=run.pk)
    if run.executed_at is not None:
        return run
    status = ensure_run_transition("execute", run.status)
    items = list(run.items.order_by("invoice_id"))
    invoice_ids = [item.invoice_id for item in items]
    order_ids = set(Invoice.objects.filter(pk__in=invoice_ids).values_list("order_id", flat=True))
    orders = {
        order.pk: order
        for order in Order.objects.select_for_update(of=("self",))
        .select_related("buyer", "seller")
        .filter(pk__in=order_ids)
        .order_by("pk")
    }
    invoices = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update().filter(pk__in=invoice_ids).order_by("pk")
    }
    _refuse_without_consent(run, items)
    stale = [item for item in items if _is_stale(item, invoices[item.invoice_id])]
    if stale:
        numbers = ", ".join(invoices[item.invoice_id].number for item in stale)
        raise DomainError(
            _(
                "Invoices changed since this proposal (%(numbers)s); nothing was set off. "
                "Propose a new run from the current invoices."
            )
            % {"numbers": numbers},
            code="clearing_stale",
        )
    for item in items:
        invoice = invoices[item.invoice_id]
        invoice.order = orders[invoice.order_id]
        item.invoice = invoice
        invoice_setoff_record(
            order=invoice.order,
            invoice=invoice,
            actor=actor,
            amount=item.setoff_amount,
            reference=_("Clearing run #%(run)s") % {"run": run.pk},
            key=f"clearing:{run.pk}",
        )
    posting = run_posting(run, items)
    if posting is not None:  # a run that clears nothing moves nothing in the books
        books.post(posting)
    previous = run.status
    run.status = status
    run.executed_at = timezone.now()
    run.executed_by = actor if getattr(actor, "is_authenticated", False) else None
    run.save(update_fields=["status", "executed_at", "executed_by"])
    ClearingRunEvent.objects.create(
        run=run,
        action="execute",
        from_status=previous,
        to_status=run.status,
        actor=run.executed_by,
    )
    return run


def clearing_runs_monthly(*, today: date | None = None) -> list[ClearingRun]:
    """The periodic job (clearing.tasks.clearing_run_monthly): per currency with a credit
    system, the month's run is proposed once (a unique row per currency and month) and, when
    `CLEARING_AUTO_EXECUTE` is set, executed; otherwise the committee reviews and executes it.
    Running it again in the same month changes nothing."""
    period = (today or timezone.localdate()).strftime("%Y-%m")
    runs = []
    for currency in CreditSystem.objects.order_by("currency").values_list("currency", flat=True):
        run = ClearingRun.objects.filter(currency=currency, period=period).first()
        if run is None:
            try:
                run = clearing_run_propose(currency=currency, actor=None, period=period)
            except IntegrityError:  # another worker proposed it meanwhile
                run = ClearingRun.objects.get(currency=currency, period=period)
        if settings.CLEARING_AUTO_EXECUTE and run.status == RunStatus.PROPOSED:
            try:
                run = clearing_run_execute(run=run, actor=None)
            except DomainError:
                logger.warning("Clearing run %s is stale; left for the committee", run.pk)
        runs.append(run)
    return runs
