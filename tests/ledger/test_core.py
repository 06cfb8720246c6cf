"""The books: balanced, idempotent, append-only, corrected only by reversal; balances and
statements are sums of the lines."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from ledger.models import AccountKind, AppendOnlyError, EntryKind, JournalEntry, JournalLine
from ledger.selectors import (
    account_balance,
    balances_for,
    entries_for,
    journal_for,
    totals_by_currency,
)
from ledger.services import LineSpec, UnbalancedEntry, account_for, entry_post, entry_reverse

pytestmark = pytest.mark.django_db


def invoice(seller, buyer, total=10_000, fee=150, key="invoice:1", currency="ARS", **kwargs):
    """What issuing an invoice posts: the seller is owed the total, the buyer owes it, the
    seller owes the fee to the platform."""
    return entry_post(
        kind=EntryKind.INVOICE_ISSUED,
        currency=currency,
        key=key,
        lines=[
            LineSpec(account_for(seller, currency, AccountKind.RECEIVABLE), total, buyer),
            LineSpec(account_for(buyer, currency, AccountKind.PAYABLE), -total, seller),
            LineSpec(account_for(seller, currency, AccountKind.FEE_PAYABLE), -fee),
            LineSpec(account_for(None, currency, AccountKind.FEE_RECEIVABLE), fee, seller),
        ],
        **kwargs,
    )


def test_an_entry_posts_its_lines_and_balances_follow(seller_coop, buyer_coop):
    entry = invoice(seller_coop, buyer_coop, memo="Invoice A-2026-1")
    assert entry.lines.count() == 4
    receivable = account_for(seller_coop, "ARS", AccountKind.RECEIVABLE)
    assert account_balance(receivable) == 10_000
    assert {(b.account.kind, b.amount) for b in balances_for(buyer_coop)} == {("payable", -10_000)}
    assert {(b.account.kind, b.amount) for b in balances_for(None, "ARS")} == {
        ("fee_receivable", 150)
    }
    assert totals_by_currency() == {"ARS": 0}


def test_the_same_key_posts_once(seller_coop, buyer_coop):
    first = invoice(seller_coop, buyer_coop)
    again = invoice(seller_coop, buyer_coop, total=99_999, fee=1)
    assert again.pk == first.pk
    assert JournalLine.objects.count() == 4
    with pytest.raises(ValueError, match="already posted"):
        entry_post(kind=EntryKind.REFUND, currency="ARS", lines=[], key="invoice:1")


def test_unbalanced_lines_other_currencies_and_floats_are_refused(seller_coop, buyer_coop):
    receivable = account_for(seller_coop, "ARS", AccountKind.RECEIVABLE)
    payable = account_for(buyer_coop, "ARS", AccountKind.PAYABLE)
    with pytest.raises(UnbalancedEntry, match="sum to 1"):
        entry_post(
            kind=EntryKind.INVOICE_ISSUED,
            currency="ARS",
            key="k1",
            lines=[LineSpec(receivable, 100), LineSpec(payable, -99)],
        )
    with pytest.raises(UnbalancedEntry, match="USD entry"):
        entry_post(
            kind=EntryKind.INVOICE_ISSUED,
            currency="USD",
            key="k2",
            lines=[LineSpec(receivable, 100), LineSpec(payable, -100)],
        )
    with pytest.raises(UnbalancedEntry, match="integers"):
        entry_post(
            kind=EntryKind.INVOICE_ISSUED,
            currency="ARS",
            key="k3",
            lines=[LineSpec(receivable, 100.0), LineSpec(payable, -100)],  # type: ignore[arg-type]
        )
    assert not JournalEntry.objects.exists()


def test_zero_lines_are_left_out(seller_coop, buyer_coop):
    entry = invoice(seller_coop, buyer_coop, fee=0)
    assert sorted(entry.lines.values_list("amount", flat=True)) == [-10_000, 10_000]


def test_account_for_is_one_row_per_owner_currency_kind_rail(seller_coop):
    first = account_for(seller_coop, "ARS", AccountKind.RECEIVABLE)
    assert account_for(seller_coop, "ARS", AccountKind.RECEIVABLE) == first
    assert account_for(seller_coop, "ARS", AccountKind.RECEIVABLE, "stripe") != first
    platform = account_for(None, "ARS", AccountKind.FEE_INCOME)
    assert account_for(None, "ARS", AccountKind.FEE_INCOME) == platform
    with pytest.raises(ValueError):
        account_for(seller_coop, "ARS", "savings")


def test_entries_and_lines_cannot_be_changed_or_deleted(seller_coop, buyer_coop):
    entry = invoice(seller_coop, buyer_coop)
    line = entry.lines.first()
    for obj in (entry, line):
        with pytest.raises(AppendOnlyError):
            obj.save()
        with pytest.raises(AppendOnlyError):
            obj.delete()
    with pytest.raises(AppendOnlyError):
        JournalLine.objects.update(amount=1)
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.all().delete()


def test_a_reversal_posts_the_opposite_lines_once(seller_coop, buyer_coop):
    entry = invoice(seller_coop, buyer_coop)
    reversal = entry_reverse(entry=entry, key="invoice:1:credit", kind=EntryKind.CREDIT_NOTE)
    assert reversal.reverses == entry
    assert sorted(reversal.lines.values_list("amount", flat=True)) == [-10_000, -150, 150, 10_000]
    assert (
        entry_reverse(entry=entry, key="invoice:1:credit", kind=EntryKind.CREDIT_NOTE) == reversal
    )
    with pytest.raises(ValueError, match="already reversed"):
        entry_reverse(entry=entry, key="another")
    assert all(b.amount == 0 for b in balances_for(seller_coop))


def test_statement_runs_per_counterparty_and_currency(seller_coop, buyer_coop):
    from tests.factories import CooperativeFactory

    other = CooperativeFactory()
    day = datetime(2026, 11, 1, 12, tzinfo=UTC)
    invoice(seller_coop, buyer_coop, key="a", occurred_at=day)
    invoice(seller_coop, other, total=500, fee=8, key="b", occurred_at=day + timedelta(days=1))
    invoice(seller_coop, buyer_coop, total=2_000, fee=30, key="c", occurred_at=day + timedelta(2))
    invoice(seller_coop, buyer_coop, total=7, fee=0, key="d", currency="USD", occurred_at=day)

    rows = entries_for(seller_coop, counterparty=buyer_coop, currency="ARS")
    assert [(r.entry.key, r.amount, r.balance) for r in rows] == [
        ("a", 10_000, 10_000),
        ("c", 2_000, 12_000),
    ]
    from_second_day = entries_for(seller_coop, buyer_coop, "ARS", date_from=date(2026, 11, 2))
    assert [(r.entry.key, r.balance) for r in from_second_day] == [("c", 12_000)]
    everyone = entries_for(seller_coop, date_to=date(2026, 11, 2))
    # Claims on every counterparty, the fee owed to the platform included.
    assert [(r.entry.key, r.currency, r.balance) for r in everyone] == [
        ("a", "ARS", 9_850),
        ("d", "USD", 7),
        ("b", "ARS", 10_342),
    ]
    buyer_rows = entries_for(buyer_coop, counterparty=seller_coop)
    assert [r.balance for r in buyer_rows] == [-10_000, -7, -12_000]


def test_the_journal_shows_a_cooperative_its_own_lines_only(seller_coop, buyer_coop):
    invoice(seller_coop, buyer_coop)
    [entry] = journal_for(buyer_coop)
    assert [(line.account.kind, line.amount) for line in entry.own_lines] == [("payable", -10_000)]
    [entry] = journal_for(seller_coop)
    assert sorted(line.amount for line in entry.own_lines) == [-150, 10_000]


@pytest.mark.postgres
def test_postgresql_refuses_raw_updates_and_deletes(seller_coop, buyer_coop):
    entry = invoice(seller_coop, buyer_coop)
    line = entry.lines.first()
    with connection.cursor() as cursor:
        for sql, pk in [
            ("UPDATE ledger_journalline SET amount = 1 WHERE id = %s", line.pk),
            ("DELETE FROM ledger_journalline WHERE id = %s", line.pk),
            ("UPDATE ledger_journalentry SET memo = 'x' WHERE id = %s", entry.pk),
            ("DELETE FROM ledger_journalentry WHERE id = %s", entry.pk),
        ]:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql, [pk])
    assert account_balance(account_for(seller_coop, "ARS", AccountKind.RECEIVABLE)) == 10_000


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("currency", "amounts", "message"),
    [("ARS", (5, -4), "does not balance"), ("USD", (5, -5), "another currency")],
)
def test_postgresql_refuses_an_unbalanced_entry_at_commit(
    seller_coop, buyer_coop, currency, amounts, message
):
    entry = invoice(seller_coop, buyer_coop)
    account = account_for(seller_coop, currency, AccountKind.RECEIVABLE)
    with connection.cursor() as cursor:
        with pytest.raises(IntegrityError, match=message), transaction.atomic():
            JournalLine.objects.bulk_create(
                JournalLine(entry=entry, account=account, amount=amount) for amount in amounts
            )
            # The check is deferred to the commit; make it run now, inside the savepoint.
            cursor.execute("SET CONSTRAINTS ledger_entry_balanced IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ledger_entry_balanced DEFERRED")
    assert entry.lines.count() == 4
