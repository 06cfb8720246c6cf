"""Clearing pages (docs/pages.md, "Mutual credit and clearing"): the credit committee starts a
run for a currency, reads the proposal (per invoice the set-off, per cooperative owed and owing
before and after) and executes it; every participant reads and downloads its set-off statement."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clearing import documents, selectors, services
from clearing.models import ClearingRun
from clearing.permissions import is_credit_committee
from clearing.state import RunStatus
from credit import selectors as credit_selectors
from frontend import credit_tables as tables
from frontend.credit_forms import RunForm
from frontend.views.common import SignedInRequest, act, post_form


def _committee(request: SignedInRequest) -> None:
    if not is_credit_committee(request.user):
        raise Http404("Only the credit committee.")


def _run(request: SignedInRequest, run_id: int) -> ClearingRun:
    """A clearing run, for the credit committee only (anyone else: 404)."""
    _committee(request)
    run = selectors.clearing_run_detail(run_id)
    if run is None:
        raise Http404("No such clearing run.")
    return run


@login_required
def runs(request: SignedInRequest) -> HttpResponse:
    _committee(request)
    currencies = [system.currency for system in credit_selectors.credit_systems()]
    form = RunForm(request.POST or None, currencies=currencies)
    proposed = post_form(
        request,
        form,
        lambda: services.clearing_run_propose(
            currency=form.cleaned_data["currency"], actor=request.user
        ),
        done=_("The proposal is ready: check it, then execute it."),
        then=lambda run: reverse("frontend:clearing-run", args=[run.pk]),
    )
    return proposed or render(
        request,
        "frontend/clearing/runs.html",
        {"form": form, "runs": tables.runs_table(selectors.clearing_runs())},
    )


@login_required
@require_safe
def run_detail(request: SignedInRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    is_proposed = run.status == RunStatus.PROPOSED
    return render(
        request,
        "frontend/clearing/run.html",
        {
            "run": run,
            "is_proposed": is_proposed,
            "stale": services.clearing_run_stale_items(run) if is_proposed else [],
            "positions": tables.positions_table(run, executed=not is_proposed),
            "items": tables.items_table(run),
        },
    )


@login_required
@require_POST
def run_execute(request: SignedInRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return act(
        request,
        lambda: services.clearing_run_execute(run=run, actor=request.user),
        _("Executed: the invoices were set off and each participant has its statement."),
        reverse("frontend:clearing-run", args=[run.pk]),
    )


@login_required
@require_safe
def statement(request: SignedInRequest, run_id: int, slug: str) -> HttpResponse:
    found = selectors.setoff_statement_visible(request.user, run_id, slug)
    return render(
        request,
        "frontend/clearing/statement.html",
        {"statement": found, "table": tables.statement_table(found)},
    )


@login_required
@require_safe
def statement_pdf(request: SignedInRequest, run_id: int, slug: str) -> HttpResponse:
    found = selectors.setoff_statement_visible(request.user, run_id, slug)
    return documents.setoff_statement_response(found, locale=get_language() or "en")
