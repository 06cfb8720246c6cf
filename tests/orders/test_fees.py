"""The solidarity fee as the platform's receivable (orders/receivables/fees.py): an invoice
order's fee is owed once the seller accepts; a platform treasurer records the seller's transfer,
in parts; never more than is owed; the books re-derived from the records agree."""

import csv
import io

import pytest

from orders.books_check import books_check
from orders.models import FeePayment, Order
from orders.receivables.fees import TREASURERS_GROUP, fee_owed
from tests.conftest import client_for
from tests.factories import user_in_group
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasurer(db):  # type: ignore[no-untyped-def]
    return user_in_group(TREASURERS_GROUP, name="Tesorería Minga")


@pytest.fixture
def accepted(seller_owner, buyer_owner, buyer_coop, listing):  # type: ignore[no-untyped-def]
    order = place_order(buyer_owner, buyer_coop, listing)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    return Order.objects.get(pk=order["id"])


def record(user, slug, amount, currency="ARS", key=None, **body):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(
        f"/api/v1/cooperatives/{slug}/fee-payments/",
        {"currency": currency, "amount": amount, "reference": "TRF 88", **body},
        format="json",
        **headers,
    )


def fees(user, slug, **query):  # type: ignore[no-untyped-def]
    return client_for(user).get(f"/api/v1/cooperatives/{slug}/fees/", query)


def test_an_invoice_orders_fee_is_owed_once_the_seller_accepts(
    accepted, seller_coop, seller_member
):
    fee = accepted.fee_amount
    assert fee > 0
    body = fees(seller_member, seller_coop.slug).json()
    assert body["owed"] == [{"currency": "ARS", "owed": fee}]
    assert "IBAN" in body["how_to_pay"]
    (row,) = body["rows"]
    assert (row["kind"], row["due"], row["paid"], row["owed"]) == ("invoice_issued", fee, 0, fee)


def test_a_treasurer_records_a_part_then_the_rest(accepted, seller_coop, seller_member, treasurer):
    fee = accepted.fee_amount
    first = record(treasurer, seller_coop.slug, fee - 100)
    assert first.status_code == 201, first.content
    assert first.json()["owed"] == 100
    rest = record(treasurer, seller_coop.slug, 100)
    assert rest.json()["owed"] == 0
    body = fees(seller_member, seller_coop.slug).json()
    assert body["owed"] == [{"currency": "ARS", "owed": 0}]
    assert [(r["due"], r["paid"], r["owed"]) for r in body["rows"]] == [
        (fee, 0, fee),
        (0, fee - 100, 100),
        (0, 100, 0),
    ]
    assert books_check() == []


def test_overpaying_is_refused_and_nothing_is_written(accepted, seller_coop, treasurer):
    fee = accepted.fee_amount
    refused = record(treasurer, seller_coop.slug, fee + 1)
    assert refused.status_code == 409
    assert refused.json()["code"] == "fee_overpayment"
    other = record(treasurer, seller_coop.slug, 1, currency="EUR")
    assert other.status_code == 409
    assert not FeePayment.objects.exists()
    assert fee_owed(seller_coop, "ARS") == fee
    assert books_check() == []


def test_a_retry_with_the_same_key_records_once(accepted, seller_coop, treasurer):
    first = record(treasurer, seller_coop.slug, 10, key="k-1")
    again = record(treasurer, seller_coop.slug, 10, key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert FeePayment.objects.count() == 1
    assert record(treasurer, seller_coop.slug, 11, key="k-1").status_code == 409
    assert books_check() == []


def test_only_treasurers_record_and_only_members_read(
    accepted, seller_coop, seller_owner, outsider, moderator
):
    assert record(seller_owner, seller_coop.slug, 1).status_code == 403
    assert fees(outsider, seller_coop.slug).status_code == 404
    assert fees(moderator, seller_coop.slug).status_code == 404


def test_bad_input_names_the_field(accepted, seller_coop, treasurer):
    response = record(treasurer, seller_coop.slug, 0)
    assert response.status_code == 400
    assert "amount" in response.content.decode()
    assert fees(treasurer, seller_coop.slug, month="2026-13").status_code == 400


def test_the_fee_page_and_csv(accepted, seller_coop, seller_owner, treasurer, client):
    record(treasurer, seller_coop.slug, 100)
    client.force_login(seller_owner)
    page = client.get(f"/my/cooperatives/{seller_coop.slug}/fees/")
    assert page.status_code == 200
    assert "IBAN" in page.content.decode()
    listing = client.get(f"/my/cooperatives/{seller_coop.slug}/invoices/")
    assert f"/my/cooperatives/{seller_coop.slug}/fees/" in listing.content.decode()
    month = accepted.accepted_at.strftime("%Y-%m")
    sheet = client.get(f"/my/cooperatives/{seller_coop.slug}/fees.csv", {"month": month})
    rows = list(csv.reader(io.StringIO(sheet.content.decode())))
    assert rows[0] == ["date", "kind", "memo", "currency", "due", "paid", "owed"]
    assert [row[1] for row in rows[1:]] == ["invoice_issued", "fee_paid"]
    assert float(rows[-1][6]) == (accepted.fee_amount - 100) / 100
