"""Reads of the books: balances (always summed from the lines, never stored), statements with a
running balance, and the journal a cooperative's members may read."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Prefetch, QuerySet, Sum

from cooperatives.models import Cooperative
from ledger.models import CLAIM_KINDS, Account, JournalEntry, JournalLine


@dataclass(frozen=True)
class Balance:
    account: Account
    amount: int


@dataclass(frozen=True)
class StatementRow:
    """One entry as one party's statement reads it: what it changed on the party's claim
    accounts (+ owed to the party, − owed by it) and the balance after it, per currency."""

    entry: JournalEntry
    currency: str
    amount: int
    balance: int


def account_balance(account: Account) -> int:
    """The sum of the account's lines (debit +, credit −)."""
    return account.lines.aggregate(total=Sum("amount"))["total"] or 0


def balances_for(cooperative: Cooperative | None, currency: str | None = None) -> list[Balance]:
    """Every account of a cooperative (None: the platform) with its balance, in account order."""
    accounts = Account.objects.filter(owner=cooperative).annotate(total=Sum("lines__amount"))
    if currency:
        accounts = accounts.filter(currency=currency)
    return [Balance(account=account, amount=account.total or 0) for account in accounts]


def totals_by_currency() -> dict[str, int]:
    """The sum of every line per currency: zero for each, in balanced books."""
    rows = JournalLine.objects.values("account__currency").annotate(total=Sum("amount"))
    return {row["account__currency"]: row["total"] or 0 for row in rows}


def _at(day: date | datetime, *, end: bool) -> dict[str, date | datetime]:
    if isinstance(day, datetime):
        return {"entry__occurred_at__lte" if end else "entry__occurred_at__gte": day}
    return {"entry__occurred_at__date__lte" if end else "entry__occurred_at__date__gte": day}


def _claim_lines(
    cooperative: Cooperative,
    counterparty: Cooperative | None,
    currency: str | None,
    kinds: Iterable[str] | None = None,
) -> QuerySet[JournalLine]:
    lines = JournalLine.objects.filter(
        account__owner=cooperative, account__kind__in=list(kinds or CLAIM_KINDS)
    )
    if counterparty is not None:
        lines = lines.filter(counterparty=counterparty)
    if currency:
        lines = lines.filter(account__currency=currency)
    return lines


def entries_for(
    cooperative: Cooperative,
    counterparty: Cooperative | None = None,
    currency: str | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    kinds: Iterable[str] | None = None,
) -> list[StatementRow]:
    """A cooperative's statement (with one counterparty, or all): each entry touching its claim
    accounts (or only those of `kinds`, e.g. its `fee_payable`) in time order, with the running
    balance per currency, starting from the balance before `date_from` (dates are whole days,
    date-times exact)."""
    lines = _claim_lines(cooperative, counterparty, currency, kinds)
    balances: dict[str, int] = {}
    if date_from is not None:
        before = lines.exclude(**_at(date_from, end=False))
        for row in before.values("account__currency").annotate(total=Sum("amount")):
            balances[row["account__currency"]] = row["total"] or 0
        lines = lines.filter(**_at(date_from, end=False))
    if date_to is not None:
        lines = lines.filter(**_at(date_to, end=True))
    per_entry = (
        lines.values("entry_id", "account__currency")
        .annotate(total=Sum("amount"))
        .order_by("entry__occurred_at", "entry_id")
    )
    totals = list(per_entry)
    entries = JournalEntry.objects.in_bulk([row["entry_id"] for row in totals])
    rows = []
    for row in totals:
        currency_code = row["account__currency"]
        balances[currency_code] = balances.get(currency_code, 0) + row["total"]
        rows.append(
            StatementRow(
                entry=entries[row["entry_id"]],
                currency=currency_code,
                amount=row["total"],
                balance=balances[currency_code],
            )
        )
    return rows


def journal_for(cooperative: Cooperative) -> QuerySet[JournalEntry]:
    """The entries with a line on the cooperative's accounts, newest first, each carrying only
    the cooperative's own lines (`own_lines`): another party's side is not for it to read."""
    own = JournalLine.objects.filter(account__owner=cooperative).select_related(
        "account", "counterparty"
    )
    return (
        JournalEntry.objects.filter(lines__account__owner=cooperative)
        .distinct()
        .order_by("-occurred_at", "-id")
        .prefetch_related(Prefetch("lines", queryset=own, to_attr="own_lines"))
    )


def entries_for_source(source_type_id: int, source_id: int) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(source_type_id=source_type_id, source_id=source_id)


# (owner id or None, currency, kind, rail, counterparty id or None): the books' finest balance.
BalanceKey = tuple[int | None, str, str, str, int | None]


def line_totals() -> dict[BalanceKey, int]:
    """Every balance per account and counterparty, summed from the lines (zeros left out)."""
    rows = JournalLine.objects.values(
        "account__owner_id",
        "account__currency",
        "account__kind",
        "account__rail",
        "counterparty_id",
    ).annotate(total=Sum("amount"))
    return {
        (
            row["account__owner_id"],
            row["account__currency"],
            row["account__kind"],
            row["account__rail"],
            row["counterparty_id"],
        ): row["total"]
        for row in rows
        if row["total"]
    }


def unbalanced_entries() -> list[tuple[int, str, int]]:
    """(entry id, key, sum) of every entry whose lines do not sum to zero, or that has a line on
    an account of another currency (sum reported as is)."""
    sums = (
        JournalLine.objects.values("entry_id", "entry__key")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    bad = [(row["entry_id"], row["entry__key"], row["total"]) for row in sums]
    foreign = (
        JournalLine.objects.exclude(account__currency=F("entry__currency"))
        .values_list("entry_id", "entry__key")
        .distinct()
    )
    return bad + [(entry_id, key, 0) for entry_id, key in foreign]


def entry_keys() -> set[str]:
    return set(JournalEntry.objects.values_list("key", flat=True))
