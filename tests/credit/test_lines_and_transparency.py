"""The suggested credit line (issue #18, item 5), the line log refusing changes in PostgreSQL
itself (item 6), the contract's paths with and without their slash (item 1), and the public
figures of credit and clearing, totals only (item 8)."""

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from clearing.services import clearing_run_execute, clearing_run_propose
from credit.models import CreditAccount, LineLog
from tests.clearing.test_runs import invoice, loop  # noqa: F401  (the fixture)
from tests.conftest import client_for
from tests.credit.test_credit import join, pay, set_line

pytestmark = pytest.mark.django_db


def accounts_of(user, cooperative):
    return client_for(user).get(f"/api/v1/credit/accounts/?cooperative={cooperative.slug}")


def test_the_suggested_line_is_a_share_of_the_years_sales(system, pair):
    (buyer, _buyer_owner), (seller, seller_owner) = pair
    join(seller_owner, system, seller)
    assert accounts_of(seller_owner, seller).json()[0]["suggested_lower_limit"] == 0
    invoice(buyer, seller, 1_200_00)
    invoice(buyer, seller, 1_200_00)
    invoice(seller, buyer, 5_000_00)  # what it buys does not count
    # 2,400.00 sold in the year; 8.33 % of it (about one month) by default.
    assert accounts_of(seller_owner, seller).json()[0]["suggested_lower_limit"] == -199_92
    with override_settings(CREDIT_SUGGESTED_LINE_CAP=100_00):
        assert accounts_of(seller_owner, seller).json()[0]["suggested_lower_limit"] == -100_00


def test_the_contracts_paths_answer_with_and_without_the_slash(system, pair, committee):
    (buyer, owner), _seller = pair
    assert join(owner, system, buyer).status_code == 201  # the slash (tests/credit/test_credit)
    bare = client_for(owner).post(
        f"/api/v1/credit/systems/{system.pk}/join",
        {"cooperative": buyer.slug, "terms_version": 2},
        format="json",
    )
    assert bare.status_code == 200  # already a member: the same view answered
    account = CreditAccount.objects.get()
    line = client_for(committee[0]).post(
        f"/api/v1/credit/accounts/{account.pk}/line",
        {"lower_limit": -10_00, "upper_limit": 10_00, "reason": "Prueba."},
        format="json",
    )
    assert line.status_code == 201
    schema = client_for(owner).get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/credit/systems/{system_id}/join/" in schema
    assert "/api/v1/credit/systems/{system_id}/join" not in schema
    assert "/api/v1/clearing/runs/{run_id}/execute/" in schema


@pytest.mark.postgres
def test_postgresql_refuses_changes_to_the_line_log(system, pair, committee):
    (buyer, owner), _seller = pair
    join(owner, system, buyer)
    set_line(committee[0], CreditAccount.objects.get(), -10_00, 10_00)
    entry = LineLog.objects.get()
    with connection.cursor() as cursor:
        for sql in (
            "UPDATE credit_linelog SET lower_after = -99999999 WHERE id = %s",
            "DELETE FROM credit_linelog WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.lower_after == -10_00


def test_the_public_figures_show_circulation_and_clearing_totals_only(
    loop,  # noqa: F811
    system,
    pair,
    committee,
    client,
):
    (ar, _uy, br), _invoices = loop
    run = clearing_run_propose(currency="ARS", actor=committee[0])
    run = clearing_run_execute(run=run, actor=committee[0])
    (buyer, buyer_owner), (seller, _seller_owner) = pair
    for cooperative, owner in pair:
        join(owner, system, cooperative)
    seller.credit_share_bps = 10_000
    seller.save(update_fields=["credit_share_bps"])
    set_line(committee[0], CreditAccount.objects.get(cooperative=buyer), -500_00, 1_000_00)
    assert pay(buyer_owner, invoice(buyer, seller, 100_00).pk, 70_00).status_code == 201
    cache.clear()

    year = run.executed_at.year
    figures = client.get(f"/api/v1/clearing/transparency/?year={year}")
    assert figures.status_code == 200
    (month,) = figures.json()
    assert month["currency"] == "ARS"
    assert (month["circulation"], month["cleared"], month["transfers_saved"]) == (
        70_00,
        3 * 300_00,
        1,  # the Brazilian's invoice closed by set-off; the other two still owe 200.00
    )
    page = client.get(f"/network/?year={year}", HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Crédito mutuo y compensación" in text
    for cooperative in (ar, br, buyer, seller):
        assert cooperative.name not in text
