"""The only writes to the books: accounts are got or created, entries are posted (balanced,
once per key) and corrected only by posting their reversal."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from cooperatives.models import Cooperative
from ledger.models import Account, AccountKind, EntryKind, JournalEntry, JournalLine


class UnbalancedEntry(ValueError):
    """An entry's lines do not sum to zero, or a line is in another currency: a bug, never input."""


@dataclass(frozen=True)
class LineSpec:
    """One line to post: a signed amount in minor units (debit +, credit −) on an account, and
    the other cooperative it concerns (None: none, or the platform)."""

    account: Account
    amount: int
    counterparty: Cooperative | None = None


def account_for(
    cooperative: Cooperative | None, currency: str, kind: str, rail: str = ""
) -> Account:
    """The one account of an owner (None: the platform) per currency, kind and rail; created the
    first time it is needed (two requests creating it at once get the same row)."""
    if kind not in AccountKind.values:
        raise ValueError(f"Unknown account kind {kind!r}")
    lookup = {"owner": cooperative, "currency": currency, "kind": kind, "rail": rail or ""}
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup)
    except IntegrityError:
        return Account.objects.get(**lookup)


def _check_lines(currency: str, lines: Sequence[LineSpec]) -> list[LineSpec]:
    kept = []
    for line in lines:
        if isinstance(line.amount, bool) or not isinstance(line.amount, int):
            raise UnbalancedEntry(f"Amounts are integers of minor units, not {line.amount!r}")
        if line.account.currency != currency:
            raise UnbalancedEntry(
                f"A line on a {line.account.currency} account in a {currency} entry"
            )
        if line.amount:
            kept.append(line)
    if sum(line.amount for line in kept) != 0:
        raise UnbalancedEntry(f"The lines sum to {sum(line.amount for line in kept)}, not 0")
    return kept


@transaction.atomic
def entry_post(
    *,
    kind: str,
    currency: str,
    lines: Sequence[LineSpec],
    key: str,
    occurred_at: datetime | None = None,
    memo: str = "",
    source: models.Model | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry for one money event, in the caller's transaction. Posting the
    same `key` again returns the first entry and writes nothing (lines of zero are left out)."""
    if kind not in EntryKind.values:
        raise ValueError(f"Unknown entry kind {kind!r}")
    existing = JournalEntry.objects.filter(key=key).first()
    if existing is not None:
        return _same_event(existing, kind)
    kept = _check_lines(currency, lines)
    entry = JournalEntry(
        kind=kind,
        currency=currency,
        occurred_at=occurred_at or timezone.now(),
        memo=memo[:300],
        key=key,
        reverses=reverses,
    )
    if source is not None:
        entry.source_type = ContentType.objects.get_for_model(source)
        entry.source_id = source.pk
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Another transaction posted the same key meanwhile (and committed): theirs stands.
        return _same_event(JournalEntry.objects.get(key=key), kind)
    JournalLine.objects.bulk_create(
        JournalLine(
            entry=entry, account=line.account, amount=line.amount, counterparty=line.counterparty
        )
        for line in kept
    )
    return entry


def _same_event(entry: JournalEntry, kind: str) -> JournalEntry:
    if entry.kind != kind:
        raise ValueError(f"Key {entry.key!r} already posted a {entry.kind} entry, not {kind}")
    return entry


@transaction.atomic
def entry_reverse(
    *,
    entry: JournalEntry,
    key: str,
    memo: str = "",
    kind: str = EntryKind.REVERSAL,
    occurred_at: datetime | None = None,
    source: models.Model | None = None,
) -> JournalEntry:
    """Correct an entry the only way the books allow: an entry of the opposite lines that names
    it (`reverses`). An entry is reversed once; the same key again returns that reversal."""
    existing = JournalEntry.objects.filter(key=key).first()
    if existing is not None:
        return _same_event(existing, kind)
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise ValueError(f"Entry {entry.pk} is already reversed")
    lines = [
        LineSpec(account=line.account, amount=-line.amount, counterparty=line.counterparty)
        for line in entry.lines.select_related("account", "counterparty")
    ]
    return entry_post(
        kind=kind,
        currency=entry.currency,
        lines=lines,
        key=key,
        occurred_at=occurred_at,
        memo=memo or entry.memo,
        source=source,
        reverses=entry,
    )
