"""Every money event of an invoice order posts one balanced entry in its own transaction, the
data migration posts the entries of rows older than the ledger, and `ledger_check` finds every
difference between the books and the records."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ledger.models import EntryKind, JournalEntry
from ledger.selectors import balances_for, entries_for, totals_by_currency
from orders.books_check import books_check
from orders.models import Invoice, Order
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


def kinds(owner) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    return {(b.account.kind, b.account.rail): b.amount for b in balances_for(owner) if b.amount}


def ledger_check() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ledger_check", stdout=out)
    except CommandError as error:
        return 1, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_invoice_payment_and_credit_note_post_balanced_entries(
    listing, seller_coop, seller_admin, buyer_coop, buyer_admin
):
    order = place_order(buyer_admin, buyer_coop, listing, 2)  # 250_000 ARS, fee 3_750
    assert not JournalEntry.objects.exists()  # an order placed is not yet a claim
    assert act(seller_admin, order["id"], "accept").status_code == 200
    assert kinds(seller_coop) == {("receivable", ""): 250_000, ("fee_payable", ""): -3_750}
    assert kinds(buyer_coop) == {("payable", ""): -250_000}
    assert kinds(None) == {("fee_receivable", ""): 3_750}
    [entry] = JournalEntry.objects.all()
    assert (entry.kind, entry.memo) == (EntryKind.INVOICE_ISSUED, Invoice.objects.get().number)

    assert act(seller_admin, order["id"], "mark-paid").status_code == 200
    assert kinds(seller_coop) == {("bank", "invoice"): 250_000, ("fee_payable", ""): -3_750}
    assert kinds(buyer_coop) == {("bank", "invoice"): -250_000}
    statement = entries_for(seller_coop, counterparty=buyer_coop)
    assert [(r.entry.kind, r.balance) for r in statement] == [
        ("invoice_issued", 250_000),
        ("payment_recorded", 0),
    ]
    assert totals_by_currency() == {"ARS": 0}
    assert books_check() == []


def test_a_cancel_after_the_invoice_posts_the_credit_note(
    listing, seller_coop, seller_admin, buyer_coop, buyer_admin
):
    order = place_order(buyer_admin, buyer_coop, listing, 1)
    act(seller_admin, order["id"], "accept")
    assert act(seller_admin, order["id"], "cancel", reason="Out of cloth.").status_code == 200
    note = JournalEntry.objects.get(kind=EntryKind.CREDIT_NOTE)
    assert note.reverses == JournalEntry.objects.get(kind=EntryKind.INVOICE_ISSUED)
    assert kinds(seller_coop) == kinds(buyer_coop) == kinds(None) == {}
    assert books_check() == []


def test_a_refused_step_posts_nothing(listing, seller_admin, buyer_coop, buyer_admin):
    order = place_order(buyer_admin, buyer_coop, listing, 1)
    assert act(seller_admin, order["id"], "mark-paid").status_code == 409  # not invoiced yet
    assert not JournalEntry.objects.exists()


def test_ledger_check_reports_every_difference_and_exits_1(
    listing, seller_coop, seller_admin, buyer_coop, buyer_admin
):
    order = place_order(buyer_admin, buyer_coop, listing, 1)
    act(seller_admin, order["id"], "accept")
    assert ledger_check() == (0, "The ledger matches the records.\n")
    # A payment recorded in the order row only (a bug, or a hand edit): the books lack it.
    Order.objects.filter(pk=order["id"]).update(paid_at="2026-12-01T10:00:00Z")
    status, report = ledger_check()
    assert status == 1
    assert f"no entry for marked_paid:{order['id']}" in report
    assert f"cooperative {seller_coop.pk} bank/invoice ARS: the books say 0" in report
    assert "differs from the records in" in report
