"""Reads of mutual credit: the systems with their current terms, a cooperative's accounts with
balance, available credit and the log of its limits."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from cooperatives.models import Cooperative
from credit.models import (
    ConsentLog,
    CreditAccount,
    CreditSystem,
    CreditTerms,
    LineLog,
    LineRequest,
)
from credit.state import LineRequestStatus
from ledger.models import AccountKind, EntryKind, JournalLine
from ledger.selectors import StatementRow, entries_for

FULL_SHARE_BPS = 10_000


@dataclass(frozen=True)
class CreditOffer:
    accepted: bool
    payer_account: CreditAccount | None

    @property
    def available(self) -> int:
        account = self.payer_account
        return (
            0 if account is None else int(getattr(account, "balance", 0) or 0) - account.lower_limit
        )


def _log() -> Prefetch:
    """The log of an account's limits, newest first, with who set and approved each change."""
    newest = LineLog.objects.select_related("set_by", "approved_by").order_by("-created_at", "-id")
    return Prefetch("log", queryset=newest)


def credit_systems() -> QuerySet[CreditSystem]:
    return CreditSystem.objects.prefetch_related(
        Prefetch("terms", queryset=CreditTerms.objects.order_by("-version"))
    )


def credit_accounts_of(cooperative: Cooperative) -> QuerySet[CreditAccount]:
    """The cooperative's accounts, each annotated with its `balance` (minor units)."""
    return (
        CreditAccount.objects.filter(cooperative=cooperative)
        .select_related("system", "cooperative")
        .annotate(balance=Sum("ledger_account__lines__amount"))
        .prefetch_related(
            _log(),
            Prefetch("consent_log", queryset=ConsentLog.objects.select_related("changed_by")),
            "acceptances__terms",
        )
    )


def system_total(system: CreditSystem) -> int:
    """The sum of every balance of a system: always 0 in balanced books."""
    total = CreditAccount.objects.filter(system=system).aggregate(
        total=Sum("ledger_account__lines__amount")
    )["total"]
    return int(total or 0)


def sales_last_year(cooperative: Cooperative, currency: str) -> int:
    """What the cooperative sold in `currency` over the last 365 days, read from its books: the
    invoices it issued less their credit notes (an order is invoiced when accepted; a cancelled
    one is credited)."""
    since = timezone.now() - timedelta(days=365)
    total = JournalLine.objects.filter(
        account__owner=cooperative,
        account__currency=currency,
        account__kind=AccountKind.RECEIVABLE,
        account__rail="",
        entry__kind__in=[EntryKind.INVOICE_ISSUED, EntryKind.CREDIT_NOTE],
        entry__occurred_at__gte=since,
    ).aggregate(total=Sum("amount"))["total"]
    return max(int(total or 0), 0)


def suggested_lower_limit(account: CreditAccount) -> int:
    """The credit line Minga suggests (≤ 0): `CREDIT_SUGGESTED_LINE_SHARE_BPS` of the year's
    sales (833: about one month's), at most `CREDIT_SUGGESTED_LINE_CAP` (docs/credit.md)."""
    share = int(getattr(settings, "CREDIT_SUGGESTED_LINE_SHARE_BPS", 833))
    cap = int(getattr(settings, "CREDIT_SUGGESTED_LINE_CAP", 1_000_000_00))
    sales = sales_last_year(account.cooperative, account.system.currency)
    return -min(sales * share // FULL_SHARE_BPS, cap)


def consenting_cooperatives(currency: str, *, lock: bool = False) -> list[int]:
    """The ids of the cooperatives whose invoices in `currency` may be cleared: members of its
    credit system that have not withdrawn their consent. With `lock`, their accounts are
    locked (primary-key order) so that consent cannot be withdrawn while a run executes."""
    accounts = CreditAccount.objects.filter(system__currency=currency, clearing_consent=True)
    if lock:
        accounts = accounts.select_for_update(of=("self",)).order_by("pk")
    return list(accounts.values_list("cooperative_id", flat=True))


def credit_account_of(cooperative: Cooperative, currency: str) -> CreditAccount | None:
    """The cooperative's account in the system of `currency`, with its `balance`, or None."""
    return credit_accounts_of(cooperative).filter(system__currency=currency).first()


def credit_history(account: CreditAccount) -> list[StatementRow]:
    """Every movement of the account, oldest first, with the running balance (the ledger)."""
    return entries_for(
        account.cooperative, currency=account.system.currency, kinds=[AccountKind.CREDIT]
    )


def credit_accounts_with_balance() -> QuerySet[CreditAccount]:
    """Accounts with their system, cooperative and `balance` (the committee's pages)."""
    return CreditAccount.objects.select_related("system", "cooperative").annotate(
        balance=Sum("ledger_account__lines__amount")
    )


def credit_accounts_in(system: CreditSystem) -> QuerySet[CreditAccount]:
    """Every account of a system with its `balance`, by cooperative name."""
    return credit_accounts_with_balance().filter(system=system).order_by("cooperative__name", "id")


def credit_account_for_committee(account_id: int) -> CreditAccount | None:
    """One account with its `balance` and the log of its limits, newest first."""
    return credit_accounts_with_balance().filter(pk=account_id).prefetch_related(_log()).first()


def line_requests_pending() -> QuerySet[LineRequest]:
    """Line changes waiting for a second committee member, oldest first."""
    return (
        LineRequest.objects.filter(status=LineRequestStatus.PENDING)
        .select_related("account__cooperative", "account__system", "requested_by")
        .order_by("created_at", "id")
    )


def credit_offer(payer: Cooperative, payee: Cooperative, currency: str) -> CreditOffer:
    """Whether the payee takes credit in `currency` (it joined the system) and the payer's
    account there, with its `balance` (None until it joins): what an invoice page offers."""
    accounts = {
        account.cooperative_id: account
        for account in credit_accounts_with_balance().filter(
            system__currency=currency, cooperative__in=[payer.pk, payee.pk]
        )
    }
    return CreditOffer(accepted=payee.pk in accounts, payer_account=accounts.get(payer.pk))
