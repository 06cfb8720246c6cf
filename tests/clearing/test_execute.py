"""Executing a clearing run: the loop is cleared, net positions stay, the books balance, a stale
proposal is refused with nothing written, and executing twice changes nothing."""

import pytest

from clearing.services import clearing_run_execute, clearing_run_propose
from ledger.models import AccountKind, EntryKind, JournalEntry
from ledger.selectors import account_balance
from ledger.services import account_for
from orders.models import Invoice
from orders.receivables.models import InvoicePayment
from orders.receivables.services import invoice_payment_record
from orders.receivables.state import InvoiceStatus, PaymentRail
from tests.clearing.test_api import committee_member  # noqa: F401  (the fixture)
from tests.clearing.test_runs import loop, owner_of  # noqa: F401  (the fixture)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def net_positions(coops):
    """What each cooperative is owed minus what it owes, over the invoices still open."""
    net = {coop.pk: 0 for coop in coops}
    for invoice in Invoice.objects.select_related("order"):
        net[invoice.order.seller_id] += invoice.amount_left
        net[invoice.order.buyer_id] -= invoice.amount_left
    return net


def execute(user, run_id):
    return client_for(user).post(f"/api/v1/clearing/runs/{run_id}/execute/", format="json")


def test_execution_clears_the_loop_and_keeps_net_positions(loop, committee_member):  # noqa: F811
    coops, invoices = loop
    _ar, uy, _br = coops
    before = net_positions(coops)
    receivable_before = account_balance(account_for(uy, "ARS", AccountKind.RECEIVABLE))
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    cleared = invoices[2].amount_left

    answer = execute(committee_member, run.pk)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "executed" and body["executed_at"]
    assert net_positions(coops) == before
    fresh = [Invoice.objects.get(pk=invoice.pk) for invoice in invoices]
    assert fresh[2].status == InvoiceStatus.PAID and fresh[2].amount_left == 0
    assert [invoice.amount_left for invoice in fresh[:2]] == [
        invoice.amount_left - cleared for invoice in invoices[:2]
    ]
    payments = InvoicePayment.objects.filter(rail=PaymentRail.SET_OFF)
    assert sorted(p.amount for p in payments) == [cleared] * 3
    entry = JournalEntry.objects.get(kind=EntryKind.SET_OFF)
    assert sum(line.amount for line in entry.lines.all()) == 0
    assert entry.lines.count() == 6
    # The Uruguayan is owed by the Argentine: its receivable went down by the set-off.
    assert account_balance(account_for(uy, "ARS", AccountKind.RECEIVABLE)) == (
        receivable_before - cleared
    )
    # No money moved: nobody's bank account got a line.
    assert not JournalEntry.objects.filter(
        kind=EntryKind.PAYMENT_RECORDED, lines__account__kind=AccountKind.BANK
    ).exists()


def test_executing_twice_changes_nothing(loop, committee_member):  # noqa: F811
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    first = execute(committee_member, run.pk)
    counts = (InvoicePayment.objects.count(), JournalEntry.objects.count())
    second = execute(committee_member, run.pk)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert (InvoicePayment.objects.count(), JournalEntry.objects.count()) == counts
    assert run.events.count() == 1


def test_a_stale_proposal_is_refused_and_nothing_is_written(loop, committee_member):  # noqa: F811
    (ar, _uy, _br), invoices = loop
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    invoice_payment_record(invoice=invoices[2], actor=owner_of(ar), amount=1_00)
    payments = InvoicePayment.objects.count()
    entries = JournalEntry.objects.count()

    refused = execute(committee_member, run.pk)

    assert refused.status_code == 409
    assert refused.json()["code"] == "clearing_stale"
    assert invoices[2].number in refused.json()["detail"]
    assert (InvoicePayment.objects.count(), JournalEntry.objects.count()) == (payments, entries)
    run.refresh_from_db()
    assert run.status == "proposed" and run.executed_at is None


def test_only_the_committee_executes(loop, moderator, committee_member):  # noqa: F811
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    assert execute(moderator, run.pk).status_code == 403
    assert execute(committee_member, 999999).status_code == 404
    run.refresh_from_db()
    assert run.status == "proposed"


def test_a_seller_cannot_record_a_set_off_by_hand(loop):  # noqa: F811
    (_ar, uy, _br), invoices = loop
    answer = client_for(owner_of(uy)).post(
        f"/api/v1/invoices/{invoices[0].pk}/payments/",
        {"amount": 1_00, "rail": "set_off"},
        format="json",
    )
    assert answer.status_code == 400
    assert "rail" in answer.json()


def test_the_service_is_idempotent_too(loop, committee_member):  # noqa: F811
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    clearing_run_execute(run=run, actor=committee_member)
    again = clearing_run_execute(run=run, actor=committee_member)
    assert again.status == "executed"
    assert JournalEntry.objects.filter(kind=EntryKind.SET_OFF).count() == 1


def test_a_run_that_clears_nothing_executes_and_posts_nothing(committee_member):  # noqa: F811
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    assert run.cleared_amount == 0
    answer = execute(committee_member, run.pk)
    assert answer.status_code == 200 and answer.json()["status"] == "executed"
    assert not JournalEntry.objects.filter(kind=EntryKind.SET_OFF).exists()
