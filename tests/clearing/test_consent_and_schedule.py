"""Consent to clearing (issue #18, item 4): only invoices between consenting members are
proposed, a withdrawal after the proposal makes it stale; the monthly job (item 7) proposes one
run per currency and month, and executes it when the setting allows."""

import pytest
from django.conf import settings
from django.test import override_settings

from clearing.models import ClearingRun
from clearing.services import clearing_run_propose, clearing_runs_monthly
from credit.models import ConsentLog, CreditAccount
from ledger.models import EntryKind, JournalEntry
from orders.models import Invoice
from tests.clearing.test_api import committee_member  # noqa: F401  (the fixture)
from tests.clearing.test_runs import loop, owner_of  # noqa: F401  (the fixture)
from tests.conftest import client_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def consent(user, account, value):
    return client_for(user).patch(
        f"/api/v1/credit/accounts/{account.pk}/", {"clearing_consent": value}, format="json"
    )


def test_only_the_cooperatives_owners_and_admins_withdraw_consent(loop, outsider):  # noqa: F811
    (ar, _uy, _br), _invoices = loop
    account = CreditAccount.objects.get(cooperative=ar)
    member = MembershipFactory(cooperative=ar, role="member").user
    owner = owner_of(ar)
    assert consent(outsider, account, False).status_code == 404
    assert consent(member, account, False).status_code == 403
    answer = consent(owner, account, False)
    assert answer.status_code == 200, answer.content
    assert answer.json()["clearing_consent"] is False and answer.json()["consent_changed_at"]
    assert consent(owner, account, "perhaps").status_code == 400
    # One event row for the one change: the refusals and a repeat of the same answer write none.
    assert consent(owner, account, False).status_code == 200
    (change,) = ConsentLog.objects.filter(account=account)
    assert (change.clearing_consent, change.changed_by) == (False, owner)


def test_a_proposal_leaves_out_who_withdrew_consent(loop, committee_member):  # noqa: F811
    (ar, _uy, _br), _invoices = loop
    consent(owner_of(ar), CreditAccount.objects.get(cooperative=ar), False)
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    assert run.invoice_count == 1  # only Uruguayan → Brazilian is between consenting members
    assert run.cleared_amount == 0


def test_a_withdrawal_after_the_proposal_makes_it_stale(loop, committee_member):  # noqa: F811
    (_ar, _uy, br), invoices = loop
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    assert run.cleared_amount > 0
    consent(owner_of(br), CreditAccount.objects.get(cooperative=br), False)
    answer = client_for(committee_member).post(f"/api/v1/clearing/runs/{run.pk}/execute/")
    assert answer.status_code == 409
    assert answer.json()["code"] == "clearing_stale"
    assert br.name in answer.json()["detail"]
    assert [Invoice.objects.get(pk=i.pk).amount_paid for i in invoices] == [0, 0, 0]
    assert not JournalEntry.objects.filter(kind=EntryKind.SET_OFF).exists()


def test_the_monthly_job_proposes_once_per_currency_and_month(loop):  # noqa: F811
    first = clearing_runs_monthly()
    assert [(run.currency, run.status) for run in first] == [("ARS", "proposed")]
    assert first[0].cleared_amount == 3 * 300_00 and first[0].period
    assert clearing_runs_monthly() == first
    assert ClearingRun.objects.count() == 1


@override_settings(CLEARING_AUTO_EXECUTE=True)
def test_the_monthly_job_executes_when_the_setting_allows(loop):  # noqa: F811
    (run,) = clearing_runs_monthly()
    assert run.status == "executed"
    clearing_runs_monthly()
    assert JournalEntry.objects.filter(kind=EntryKind.SET_OFF).count() == 1


def test_the_monthly_job_is_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "clearing.tasks.clearing_run_monthly" in tasks
