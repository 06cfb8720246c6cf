"""Mutual credit: joining by accepting the current terms, limits set by the committee (four
eyes above the threshold, every change logged), and invoices paid in credit that never pass a
limit and are never half-posted; a system's balances always sum to zero."""

import pytest
from django.test import override_settings

from credit.models import CreditAccount, LineLog, TermsAcceptance
from credit.selectors import system_total
from credit.services import balance_of
from ledger.models import EntryKind, JournalEntry
from orders.models import Invoice
from orders.receivables.models import InvoicePayment
from tests.clearing.test_runs import invoice
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def join(user, system, cooperative, version=2):
    return client_for(user).post(
        f"/api/v1/credit/systems/{system.pk}/join/",
        {"cooperative": cooperative.slug, "terms_version": version},
        format="json",
    )


def set_line(user, account, lower, upper, reason="Comercio de un año."):
    return client_for(user).post(
        f"/api/v1/credit/accounts/{account.pk}/line/",
        {"lower_limit": lower, "upper_limit": upper, "reason": reason},
        format="json",
    )


def pay(user, invoice_id, amount, key=""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(
        "/api/v1/credit/payments/",
        {"invoice": invoice_id, "amount": amount},
        format="json",
        **headers,
    )


def test_a_cooperative_joins_by_accepting_the_current_terms(system, pair):
    (buyer, owner), _seller = pair
    outdated = join(owner, system, buyer, version=1)
    assert outdated.status_code == 409
    assert outdated.json()["code"] == "credit_terms_outdated"
    assert not CreditAccount.objects.exists()

    joined = join(owner, system, buyer)
    assert joined.status_code == 201, joined.content
    body = joined.json()
    assert (body["balance"], body["lower_limit"], body["upper_limit"]) == (0, 0, 1_000_00)
    assert body["terms_version"] == 2 and body["currency"] == "ARS"
    assert join(owner, system, buyer).status_code == 200
    acceptance = TermsAcceptance.objects.get()
    assert (acceptance.accepted_by, acceptance.terms.version) == (owner, 2)

    listed = client_for(owner).get(f"/api/v1/credit/accounts/?cooperative={buyer.slug}")
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()] == [body["id"]]
    assert client_for(owner).get("/api/v1/credit/systems/").json()[0]["terms_version"] == 2


def test_outsiders_neither_join_for_a_cooperative_nor_see_its_accounts(system, pair):
    (buyer, _owner), (_seller, stranger) = pair
    assert join(stranger, system, buyer).status_code == 403
    seen = client_for(stranger).get(f"/api/v1/credit/accounts/?cooperative={buyer.slug}")
    assert seen.status_code == 404


@override_settings(CREDIT_FOUR_EYES_THRESHOLD=500_00)
def test_the_committee_sets_lines_with_four_eyes_above_the_threshold(system, pair, committee):
    (buyer, owner), _seller = pair
    first, second = committee
    join(owner, system, buyer)
    account = CreditAccount.objects.get()

    assert set_line(owner, account, -100_00, 1_000_00).status_code == 403
    refused = set_line(first, account, 1, 1_000_00, reason="")
    assert refused.status_code == 400
    assert {"lower_limit", "reason"} <= set(refused.json())

    small = set_line(first, account, -100_00, 2_000_00)
    assert small.status_code == 201 and small.json()["status"] == "applied"
    account.refresh_from_db()
    assert (account.lower_limit, account.upper_limit) == (-100_00, 2_000_00)

    big = set_line(first, account, -900_00, 2_000_00)
    assert big.json()["status"] == "pending"
    account.refresh_from_db()
    assert account.lower_limit == -100_00  # not yet
    again = set_line(first, account, -900_00, 2_000_00)
    assert again.status_code == 409
    assert again.json()["code"] == "credit_line_needs_second_member"
    confirmed = set_line(second, account, -900_00, 2_000_00)
    assert confirmed.json()["status"] == "applied"
    account.refresh_from_db()
    assert account.lower_limit == -900_00

    log = list(LineLog.objects.order_by("id"))
    assert [(entry.lower_before, entry.lower_after) for entry in log] == [
        (0, -100_00),
        (-100_00, -900_00),
    ]
    assert (log[1].set_by, log[1].approved_by) == (first, second)
    with pytest.raises(RuntimeError):
        LineLog.objects.filter(pk=log[0].pk).delete()
    history = client_for(owner).get(f"/api/v1/credit/accounts/?cooperative={buyer.slug}").json()
    assert [row["lower_after"] for row in history[0]["log"]] == [-900_00, -100_00]


@pytest.fixture
def members(system, pair, committee):
    """Both joined; the buyer has a line of −500.00, the seller an upper limit of 1,000.00 and
    takes the whole price in credit."""
    (buyer, buyer_owner), (seller, seller_owner) = pair
    seller.credit_share_bps = 10_000
    seller.save(update_fields=["credit_share_bps"])
    join(buyer_owner, system, buyer)
    join(seller_owner, system, seller)
    set_line(committee[0], CreditAccount.objects.get(cooperative=buyer), -500_00, 1_000_00)
    return pair


def test_an_invoice_paid_in_credit_moves_credits_and_shrinks_the_debt(system, members):
    (buyer, buyer_owner), (seller, _seller_owner) = members
    bill = invoice(buyer, seller, 400_00)
    paid = pay(buyer_owner, bill.pk, 300_00, key="k1")
    assert paid.status_code == 201, paid.content
    assert paid.json()["payment"]["rail"] == "credit"
    bill.refresh_from_db()
    assert bill.amount_paid == 300_00
    accounts = {a.cooperative_id: a for a in CreditAccount.objects.all()}
    assert balance_of(accounts[buyer.pk]) == -300_00
    assert balance_of(accounts[seller.pk]) == 300_00
    assert system_total(system) == 0
    entry = JournalEntry.objects.get(kind=EntryKind.CREDIT_TRANSFER)
    assert sum(line.amount for line in entry.lines.all()) == 0

    retry = pay(buyer_owner, bill.pk, 300_00, key="k1")
    assert retry.status_code == 200
    assert InvoicePayment.objects.filter(invoice=bill).count() == 1


def test_a_payment_past_the_buyers_line_is_refused_whole(system, members):
    (buyer, buyer_owner), (seller, _) = members
    bill = invoice(buyer, seller, 800_00)
    refused = pay(buyer_owner, bill.pk, 500_01)
    assert refused.status_code == 409
    assert refused.json()["code"] == "credit_line_exceeded"
    assert Invoice.objects.get(pk=bill.pk).amount_paid == 0
    assert not InvoicePayment.objects.filter(invoice=bill).exists()
    assert not JournalEntry.objects.filter(kind=EntryKind.CREDIT_TRANSFER).exists()
    assert pay(buyer_owner, bill.pk, 500_00).status_code == 201
    assert system_total(system) == 0


def test_a_payment_past_the_sellers_upper_limit_is_refused(system, members, committee):
    (buyer, buyer_owner), (seller, _) = members
    set_line(committee[0], CreditAccount.objects.get(cooperative=seller), 0, 100_00)
    bill = invoice(buyer, seller, 300_00)
    refused = pay(buyer_owner, bill.pk, 200_00)
    assert refused.status_code == 409
    assert refused.json()["code"] == "credit_upper_limit_exceeded"
    assert not InvoicePayment.objects.filter(invoice=bill).exists()


def test_a_seller_that_has_not_joined_takes_no_credit(system, pair):
    (buyer, buyer_owner), (seller, _) = pair
    join(buyer_owner, system, buyer)
    seller.credit_share_bps = 10_000  # it would take credit, but has no account to take it in
    seller.save(update_fields=["credit_share_bps"])
    bill = invoice(buyer, seller, 100_00)
    refused = pay(buyer_owner, bill.pk, 10_00)
    assert refused.status_code == 409
    assert refused.json()["code"] == "credit_not_joined"


def test_only_the_buyer_pays_in_credit(system, members):
    (buyer, _), (seller, seller_owner) = members
    bill = invoice(buyer, seller, 100_00)
    assert pay(seller_owner, bill.pk, 10_00).status_code == 403
    assert pay(seller_owner, bill.pk, 0).status_code == 400
