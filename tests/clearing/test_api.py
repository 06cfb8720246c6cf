"""The clearing runs API: the committee proposes and reads a run; nobody else may."""

import pytest

from clearing.permissions import CREDIT_COMMITTEE_GROUP
from tests.clearing.test_runs import loop  # noqa: F401  (the fixture)
from tests.conftest import client_for
from tests.factories import user_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_member():
    return user_in_group(CREDIT_COMMITTEE_GROUP, name="Comité de crédito")


def test_the_committee_proposes_and_reads_a_run(loop, committee_member):  # noqa: F811
    (ar, uy, br), invoices = loop
    created = client_for(committee_member).post(
        "/api/v1/clearing/runs/", {"currency": "ARS"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    smallest = invoices[2].amount_due - invoices[2].amount_paid
    assert body["status"] == "proposed"
    assert body["cleared_amount"] == 3 * smallest
    assert {item["invoice_number"] for item in body["items"]} == {i.number for i in invoices}
    assert {p["cooperative"] for p in body["positions"]} == {ar.slug, uy.slug, br.slug}
    again = client_for(committee_member).get(f"/api/v1/clearing/runs/{body['id']}/")
    assert again.status_code == 200
    assert again.json() == body


def test_a_bad_currency_is_a_400_naming_it(committee_member):
    refused = client_for(committee_member).post(
        "/api/v1/clearing/runs/", {"currency": "??"}, format="json"
    )
    assert refused.status_code == 400
    assert "currency" in refused.json()


def test_others_may_not_propose_or_read(moderator, committee_member):
    assert (
        client_for(moderator)
        .post("/api/v1/clearing/runs/", {"currency": "ARS"}, format="json")
        .status_code
        == 403
    )
    assert client_for(committee_member).get("/api/v1/clearing/runs/999999/").status_code == 404
