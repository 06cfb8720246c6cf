"""Set-off statements: after a run is executed, each participant's statement lists its invoices
with counterparty, number and amounts before, set off and after (JSON and PDF); its members, the
credit committee and staff read it, anyone else gets a 404, and so does a run not executed."""

import pytest

from clearing.services import clearing_run_execute, clearing_run_propose
from tests.clearing.test_api import committee_member  # noqa: F401  (the fixture)
from tests.clearing.test_runs import loop, owner_of  # noqa: F401  (the fixture)
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.orders.test_invoices import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def executed(loop, committee_member):  # noqa: F811
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    return clearing_run_execute(run=run, actor=committee_member)


def url(run, cooperative) -> str:
    return f"/api/v1/clearing/runs/{run.pk}/statements/{cooperative.slug}/"


def test_a_participant_reads_what_was_set_off_with_whom(loop, executed):  # noqa: F811
    (ar, uy, br), (first, _second, third) = loop
    body = client_for(owner_of(ar)).get(url(executed, ar)).json()
    assert body["cooperative"] == ar.slug and body["currency"] == "ARS"
    lines = {line["invoice_number"]: line for line in body["lines"]}
    # The Argentine owed the Uruguayan the first invoice and is owed the third by the Brazilian.
    assert set(lines) == {first.number, third.number}
    assert lines[first.number]["side"] == "payable"
    assert lines[first.number]["counterparty"] == uy.slug
    assert lines[third.number]["side"] == "receivable"
    assert lines[third.number]["counterparty"] == br.slug
    setoff = third.amount_due  # the smallest invoice of the loop, wholly set off
    assert lines[third.number]["setoff_amount"] == setoff
    assert lines[third.number]["amount_after"] == 0
    assert lines[first.number]["amount_after"] == first.amount_due - setoff
    assert body["owed_setoff"] == body["owing_setoff"] == setoff
    position = body["position"]
    net_before = position["owed_before"] - position["owing_before"]
    assert net_before == position["owed_after"] - position["owing_after"]


def test_the_pdf_is_the_printable_record(loop, executed):  # noqa: F811
    (ar, _uy, br), (first, _second, third) = loop
    response = client_for(owner_of(br)).get(url(executed, br) + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    drawn = pdf_text(response.content)
    assert third.number in drawn and first.number not in drawn
    assert ar.name in drawn  # the counterparty


def test_only_its_members_the_committee_and_staff_read_it(
    loop,  # noqa: F811
    executed,
    committee_member,  # noqa: F811
):
    (ar, uy, _br), _invoices = loop
    assert client_for(owner_of(uy)).get(url(executed, ar)).status_code == 404
    assert client_for(UserFactory()).get(url(executed, ar)).status_code == 404
    assert client_for(committee_member).get(url(executed, ar)).status_code == 200
    assert client_for(UserFactory(is_staff=True)).get(url(executed, ar)).status_code == 200


def test_no_statement_before_execution(loop, committee_member):  # noqa: F811
    (ar, _uy, _br), _invoices = loop
    run = clearing_run_propose(currency="ARS", actor=committee_member)
    assert client_for(owner_of(ar)).get(url(run, ar)).status_code == 404
    assert client_for(committee_member).get(url(run, ar)).status_code == 404
