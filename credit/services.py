"""Writes of mutual credit (docs/credit.md): joining a system by accepting its current terms,
setting limits (four eyes above a threshold, every change logged) and transfers between
accounts, each one balanced entry in the ledger that never takes the payer below its line or
the payee above its upper limit.

Locks: credit accounts in primary-key order, after whatever the caller locked (an order and its
invoice, for an invoice paid in credit)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import MANAGING_ROLES, Cooperative
from cooperatives.permissions import ensure_active, role_in
from core.errors import DomainError, NotPermitted
from core.text import MAX_REASON_LENGTH
from credit.models import (
    ConsentLog,
    CreditAccount,
    CreditSystem,
    LineLog,
    LineRequest,
    TermsAcceptance,
)
from credit.permissions import is_credit_committee
from credit.state import LineRequestStatus, ensure_line_transition
from ledger.models import AccountKind
from ledger.services import account_for

CREDIT_RAIL = "credit"
MAX_LIMIT = 10**15


def four_eyes_threshold() -> int:
    """A credit line deeper than this (minor units) needs a second committee member."""
    return int(getattr(settings, "CREDIT_FOUR_EYES_THRESHOLD", 1_000_000_00))


def balance_of(account: CreditAccount) -> int:
    """The account's balance: selling for credit raises it, buying lowers it."""
    total = account.ledger_account.lines.aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


@transaction.atomic
def credit_system_join(
    *,
    system: CreditSystem,
    cooperative: Cooperative,
    actor: Any,
    terms_version: Any,
    clearing_consent: bool = True,
) -> tuple[CreditAccount, bool]:
    """The cooperative accepts the system's current terms: its account is opened (limits: the
    line 0, the system's default upper limit; taking part in clearing unless it says no) or,
    already a member, the acceptance of the new version is recorded. Returns the account and
    whether it was opened now."""
    if role_in(actor, cooperative) not in MANAGING_ROLES:
        raise NotPermitted(_("Only the cooperative's owners and admins accept credit terms."))
    ensure_active(cooperative, "join")
    terms = system.current_terms
    if terms is None or terms_version != terms.version:
        raise DomainError(
            _("Accept the current terms (version %(version)s); nothing was recorded.")
            % {"version": terms.version if terms else "-"},
            code="credit_terms_outdated",
        )
    account = CreditAccount.objects.filter(system=system, cooperative=cooperative).first()
    opened = account is None
    if account is None:
        account = CreditAccount.objects.create(
            system=system,
            cooperative=cooperative,
            ledger_account=account_for(
                cooperative, system.currency, AccountKind.CREDIT, CREDIT_RAIL
            ),
            lower_limit=0,
            upper_limit=system.default_upper_limit,
            clearing_consent=clearing_consent,
        )
    TermsAcceptance.objects.get_or_create(
        account=account, terms=terms, defaults={"accepted_by": actor}
    )
    return account, opened


@transaction.atomic
def credit_consent_set(*, account: CreditAccount, actor: Any, consent: Any) -> CreditAccount:
    """The cooperative's owners and admins give or withdraw its standing consent to clearing
    (docs/credit.md, "Consent"). Withdrawn, its invoices stay out of the next runs and a run
    proposed before refuses to execute."""
    if not isinstance(consent, bool):
        raise ValidationError({"clearing_consent": [_("Yes or no.")]})
    account = (
        CreditAccount.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .get(pk=account.pk)
    )
    if role_in(actor, account.cooperative) not in MANAGING_ROLES:
        raise NotPermitted(_("Only the cooperative's owners and admins decide this."))
    if account.clearing_consent != consent:
        account.clearing_consent = consent
        account.consent_changed_at = timezone.now()
        account.save(update_fields=["clearing_consent", "consent_changed_at"])
        ConsentLog.objects.create(account=account, clearing_consent=consent, changed_by=actor)
    return account


def _clean_limits(lower: Any, upper: Any, reason: str) -> str:
    errors: dict[str, list[str]] = {}
    if isinstance(lower, bool) or not isinstance(lower, int) or not -MAX_LIMIT <= lower <= 0:
        errors["lower_limit"] = [_("A whole number of minor units, zero or below.")]
    if isinstance(upper, bool) or not isinstance(upper, int) or not 0 <= upper <= MAX_LIMIT:
        errors["upper_limit"] = [_("A whole number of minor units, zero or more.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the limits change.")]
    elif len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = [_("At most %(limit)s characters.") % {"limit": MAX_REASON_LENGTH}]
    if errors:
        raise ValidationError(errors)
    return reason


def _apply(request: LineRequest, approved_by: Any) -> None:
    account = request.account
    LineLog.objects.create(
        account=account,
        lower_before=account.lower_limit,
        upper_before=account.upper_limit,
        lower_after=request.lower_limit,
        upper_after=request.upper_limit,
        reason=request.reason,
        set_by=request.requested_by,
        approved_by=approved_by,
    )
    account.lower_limit = request.lower_limit
    account.upper_limit = request.upper_limit
    account.save(update_fields=["lower_limit", "upper_limit"])


@transaction.atomic
def credit_line_set(
    *, account: CreditAccount, actor: Any, lower_limit: Any, upper_limit: Any, reason: str
) -> LineRequest:
    """A committee member sets an account's limits, with a reason. A line deeper than the
    four-eyes threshold waits for a second member, who confirms it by setting the same limits;
    anything else takes effect at once. Every change that takes effect is logged."""
    if not is_credit_committee(actor):
        raise NotPermitted(_("Only the credit committee may do this."))
    reason = _clean_limits(lower_limit, upper_limit, reason)
    account = CreditAccount.objects.select_for_update().get(pk=account.pk)
    pending = account.requests.filter(
        status=LineRequestStatus.PENDING, lower_limit=lower_limit, upper_limit=upper_limit
    ).first()
    if pending is not None:
        if pending.requested_by_id == actor.pk:
            raise DomainError(
                _("A second member of the credit committee must confirm this line."),
                code="credit_line_needs_second_member",
            )
        pending.status = ensure_line_transition("approve", pending.status)
        pending.approved_by = actor
        pending.decided_at = timezone.now()
        pending.save(update_fields=["status", "approved_by", "decided_at"])
        _apply(pending, actor)
        return pending
    request = LineRequest.objects.create(
        account=account,
        lower_limit=lower_limit,
        upper_limit=upper_limit,
        reason=reason,
        requested_by=actor,
    )
    if -lower_limit <= four_eyes_threshold():
        request.status = LineRequestStatus.APPLIED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        _apply(request, None)
    return request


def credit_transfer_check(
    *, currency: str, payer: Cooperative, payee: Cooperative, amount: int
) -> None:
    """Lock both credit accounts (primary-key order) and refuse (409) moving `amount` credits
    from the payer to the payee when either has not joined, or the payer would go below its
    line or the payee above its upper limit. The caller then posts the transfer's one balanced
    entry in its transaction (`orders.books.credit_payment`, with the invoice's payable and
    receivable)."""
    system = CreditSystem.objects.filter(currency=currency).first()
    accounts = {
        account.cooperative_id: account
        for account in CreditAccount.objects.select_for_update(of=("self",))
        .select_related("ledger_account")
        .filter(system=system, cooperative__in=[payer.pk, payee.pk])
        .order_by("pk")
    }
    if system is None or payer.pk not in accounts or payee.pk not in accounts:
        raise DomainError(
            _("Both cooperatives must have joined the %(currency)s credit system.")
            % {"currency": currency},
            code="credit_not_joined",
        )
    paying, paid = accounts[payer.pk], accounts[payee.pk]
    if balance_of(paying) - amount < paying.lower_limit:
        raise DomainError(
            _(
                "This would take %(cooperative)s below its credit line (%(available)s minor "
                "units available); nothing was paid."
            )
            % {
                "cooperative": payer.name,
                "available": balance_of(paying) - paying.lower_limit,
            },
            code="credit_line_exceeded",
        )
    if balance_of(paid) + amount > paid.upper_limit:
        raise DomainError(
            _("This would take %(cooperative)s above its upper limit; nothing was paid.")
            % {"cooperative": payee.name},
            code="credit_upper_limit_exceeded",
        )
