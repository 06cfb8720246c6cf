"""Mutual credit pages (docs/pages.md, "Mutual credit and clearing"): a cooperative's credit
home (the systems, its accounts, its set-off statements), joining a system with its terms, the
account page (balance, limits, available credit, history with CSV, the log of its limits), paying
an invoice in credit, and the credit committee's pages (accounts, lines, four eyes)."""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clearing import selectors as clearing_selectors
from cooperatives import selectors as cooperative_selectors
from cooperatives.models import MANAGING_ROLES, Cooperative
from cooperatives.permissions import role_in
from credit import selectors, services
from credit.models import CreditAccount, CreditSystem
from credit.permissions import is_credit_committee
from credit.state import LineRequestStatus
from frontend import credit_tables as tables
from frontend.credit_forms import ConsentForm, CreditPayForm, JoinForm, LineForm
from frontend.views.common import SignedInRequest, act, post_form, submit
from orders.receivables import documents
from orders.receivables import selectors as receivable_selectors
from orders.receivables import services as receivable_services


def _may_read(user: object, cooperative: Cooperative) -> bool:
    return role_in(user, cooperative) is not None or is_credit_committee(user)


def _may_manage(user: object, cooperative: Cooperative) -> bool:
    return role_in(user, cooperative) in MANAGING_ROLES


@login_required
@require_safe
def credit_home(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_selectors.cooperative_get_visible(request.user, slug, _may_read)
    accounts = {account.system_id: account for account in selectors.credit_accounts_of(cooperative)}
    return render(
        request,
        "frontend/credit/home.html",
        {
            "cooperative": cooperative,
            "rows": [(system, accounts.get(system.pk)) for system in selectors.credit_systems()],
            "runs": clearing_selectors.setoff_runs_of(cooperative),
            "can_manage": _may_manage(request.user, cooperative),
        },
    )


def _system(currency: str) -> CreditSystem:
    system = selectors.credit_systems().filter(currency=currency).first()
    if system is None:
        raise Http404("No credit system in this currency.")
    return system


@login_required
def credit_join(request: SignedInRequest, slug: str, currency: str) -> HttpResponse:
    cooperative = cooperative_selectors.cooperative_get_visible(request.user, slug, _may_manage)
    system = _system(currency)
    terms = next(iter(system.terms.all()), None)
    form = JoinForm(request.POST or None, initial={"terms_version": terms.version if terms else 0})
    joined = post_form(
        request,
        form,
        lambda: services.credit_system_join(
            system=system,
            cooperative=cooperative,
            actor=request.user,
            terms_version=form.cleaned_data["terms_version"],
            clearing_consent=form.cleaned_data["clearing_consent"],
        ),
        done=_("%(cooperative)s is a member of %(system)s.")
        % {"cooperative": cooperative.name, "system": system.name},
        then=reverse("frontend:credit-account", args=[cooperative.slug, currency]),
    )
    return joined or render(
        request,
        "frontend/credit/join.html",
        {"cooperative": cooperative, "system": system, "terms": terms, "form": form},
    )


def _account_of(
    request: SignedInRequest, slug: str, currency: str
) -> tuple[Cooperative, CreditAccount]:
    cooperative = cooperative_selectors.cooperative_get_visible(request.user, slug, _may_read)
    account = selectors.credit_account_of(cooperative, currency)
    if account is None:
        raise Http404("The cooperative has not joined this credit system.")
    return cooperative, account


def _account(request: SignedInRequest, slug: str, currency: str) -> tuple:
    cooperative, account = _account_of(request, slug, currency)
    return cooperative, account, selectors.credit_history(account)


def _standing(account: CreditAccount) -> dict[str, Any]:
    """An account with its balance and what it may still spend (down to its credit line)."""
    balance = int(getattr(account, "balance", 0) or 0)
    return {"account": account, "balance": balance, "available": balance - account.lower_limit}


@login_required
@require_safe
def credit_account(request: SignedInRequest, slug: str, currency: str) -> HttpResponse:
    cooperative, account, history = _account(request, slug, currency)
    return render(
        request,
        "frontend/credit/account.html",
        {
            "cooperative": cooperative,
            **_standing(account),
            "history": tables.history_table(history),
            "terms_version": max(
                (acceptance.terms.version for acceptance in account.acceptances.all()), default=0
            ),
            "can_manage": _may_manage(request.user, cooperative),
            # The button asks for the other state: withdraw while taking part, else give again.
            "consent_form": ConsentForm(initial={"clearing_consent": not account.clearing_consent}),
        },
    )


@login_required
@require_POST
def credit_consent(request: SignedInRequest, slug: str, currency: str) -> HttpResponse:
    """Withdraw or give again the cooperative's consent to clearing; the service says who may."""
    cooperative, account = _account_of(request, slug, currency)
    form = ConsentForm(request.POST)
    return submit(
        request,
        form,
        lambda: services.credit_consent_set(
            account=account, actor=request.user, consent=form.cleaned_data["clearing_consent"]
        ),
        lambda changed: (
            _("Consent given: your invoices take part in clearing again.")
            if changed.clearing_consent
            else _("Consent withdrawn: your invoices are left out of clearing from now on.")
        ),
        reverse("frontend:credit-account", args=[cooperative.slug, currency]),
    )


@login_required
@require_safe
def credit_account_csv(request: SignedInRequest, slug: str, currency: str) -> HttpResponse:
    cooperative, account, history = _account(request, slug, currency)
    response = HttpResponse(documents.statement_csv(history), content_type="text/csv")
    name = f"{cooperative.slug}-credit-{account.system.currency}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def invoice_pay_in_credit(request: SignedInRequest, invoice_id: int) -> HttpResponse:
    invoice = receivable_selectors.invoice_get_visible(user=request.user, invoice_id=invoice_id)
    form = CreditPayForm(request.POST, currency=invoice.currency)
    return submit(
        request,
        form,
        lambda: receivable_services.invoice_pay_in_credit(
            invoice=invoice,
            actor=request.user,
            amount=form.cleaned_data["amount"],
            # The form's own key: a double click or a resent form pays once.
            idempotency_key=request.POST.get("payment_key") or uuid.uuid4().hex,
        ),
        _("Paid in credit: the seller's balance went up by as much."),
        reverse("frontend:invoice-detail", args=[invoice.pk]),
    )


def _committee(request: SignedInRequest) -> None:
    if not is_credit_committee(request.user):
        raise Http404("Only the credit committee.")


@login_required
@require_safe
def committee(request: SignedInRequest) -> HttpResponse:
    _committee(request)
    return render(
        request,
        "frontend/credit/committee.html",
        {
            "systems": [
                (system, tables.accounts_table(system, selectors.credit_accounts_in(system)))
                for system in selectors.credit_systems()
            ],
            "pending": selectors.line_requests_pending(),
        },
    )


@login_required
def committee_account(request: SignedInRequest, account_id: int) -> HttpResponse:
    _committee(request)
    account = selectors.credit_account_for_committee(account_id)
    if account is None:
        raise Http404("No such credit account.")
    currency = account.system.currency
    form = LineForm(request.POST or None, currency=currency)
    posted = post_form(
        request,
        form,
        lambda: services.credit_line_set(
            account=account, actor=request.user, **form.service_values()
        ),
        done=lambda line: (
            _("The new limits apply.")
            if line.status == LineRequestStatus.APPLIED
            else _("Recorded: a second member of the committee must confirm this line.")
        ),
        then=reverse("frontend:credit-committee-account", args=[account.pk]),
    )
    if posted:
        return posted
    return render(
        request,
        "frontend/credit/committee_account.html",
        {
            **_standing(account),
            "form": form,
            "pending": selectors.line_requests_pending().filter(account=account),
        },
    )


@login_required
@require_POST
def committee_confirm(request: SignedInRequest, request_id: int) -> HttpResponse:
    """The second member confirms a pending line: the same limits, the first member's reason."""
    _committee(request)
    pending = selectors.line_requests_pending().filter(pk=request_id).first()
    if pending is None:
        raise Http404("No such pending line.")
    return act(
        request,
        lambda: services.credit_line_set(
            account=pending.account,
            actor=request.user,
            lower_limit=pending.lower_limit,
            upper_limit=pending.upper_limit,
            reason=pending.reason,
        ),
        _("Confirmed: the new limits apply."),
        reverse("frontend:credit-committee"),
    )
