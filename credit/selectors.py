"""Reads of mutual credit: the systems with their current terms, a cooperative's accounts with
balance, available credit and the log of its limits."""

from django.db.models import Prefetch, QuerySet, Sum

from cooperatives.models import Cooperative
from credit.models import CreditAccount, CreditSystem, CreditTerms, LineLog


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
            Prefetch("log", queryset=LineLog.objects.order_by("-created_at", "-id")),
            "acceptances__terms",
        )
    )


def system_total(system: CreditSystem) -> int:
    """The sum of every balance of a system: always 0 in balanced books."""
    total = CreditAccount.objects.filter(system=system).aggregate(
        total=Sum("ledger_account__lines__amount")
    )["total"]
    return int(total or 0)
