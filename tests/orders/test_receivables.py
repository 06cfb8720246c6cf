"""Receivables: an invoice's due date, partial and final payments, payment notices, reminders,
aging and the statement read from the ledger (orders/receivables)."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ledger.selectors import totals_by_currency
from orders.models import Invoice, InvoiceKind, Order
from orders.receivables import services
from orders.receivables.models import InvoiceReminder
from orders.selectors import invoice_issued_on
from tests.conftest import client_for
from tests.cooperatives.helpers import pdf_upload
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(seller_owner, buyer_owner, buyer_coop, listing):  # type: ignore[no-untyped-def]
    """An accepted invoice order of 2 × 1250.00 ARS: its invoice asks 250000 minor units."""
    order = place_order(buyer_owner, buyer_coop, listing)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    return Invoice.objects.get(order_id=order["id"], kind=InvoiceKind.INVOICE)


def pay(user, invoice, amount, key=None, **body):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client_for(user).post(
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount": amount, "reference": "Transferencia 4471", **body},
        format="json",
        **headers,
    )


def test_an_invoice_is_due_after_the_sellers_payment_terms(invoice, seller_coop):
    assert invoice.amount_due == 250_000
    assert invoice.amount_paid == 0
    assert invoice.status == "open"
    assert invoice.due_date == invoice_issued_on(invoice) + timedelta(days=30)


def test_an_invoice_is_dated_on_its_sellers_day_not_the_servers(  # type: ignore[no-untyped-def]
    seller_owner, buyer_owner, buyer_coop, listing, monkeypatch
):
    """Accepted at 01:30 UTC on 1 January, it is still 31 December in Buenos Aires: the invoice
    belongs to the seller's old year and its 30 days count from the 31st."""
    order = place_order(buyer_owner, buyer_coop, listing)
    moment = datetime(2027, 1, 1, 1, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    invoice = Invoice.objects.get(order_id=order["id"], kind=InvoiceKind.INVOICE)
    assert invoice.year == 2026 and "-2026-" in invoice.number
    assert invoice_issued_on(invoice) == date(2026, 12, 31)
    assert invoice.due_date == date(2027, 1, 30)


def test_a_sellers_own_terms_set_the_due_date(seller_owner, buyer_owner, buyer_coop, listing):
    listing.cooperative.payment_terms_days = 10
    listing.cooperative.save()
    order = place_order(buyer_owner, buyer_coop, listing)
    act(seller_owner, order["id"], "accept")
    invoice = Invoice.objects.get(order_id=order["id"], kind=InvoiceKind.INVOICE)
    assert invoice.due_date == invoice_issued_on(invoice) + timedelta(days=10)


def test_a_partial_then_a_final_payment(invoice, seller_owner, buyer_owner):
    first = pay(seller_owner, invoice, 100_000)
    assert first.status_code == 201, first.content
    assert first.json()["invoice"]["status"] == "partly_paid"
    assert first.json()["invoice"]["amount_left"] == 150_000
    assert Order.objects.get(pk=invoice.order_id).paid_at is None
    final = pay(seller_owner, invoice, 150_000)
    assert final.json()["invoice"]["status"] == "paid"
    assert Order.objects.get(pk=invoice.order_id).paid_at is not None
    listed = client_for(buyer_owner).get(
        "/api/v1/invoices/", {"cooperative": invoice.order.buyer.slug, "role": "buyer"}
    )
    (row,) = listed.json()["results"]
    assert (row["amount_due"], row["amount_paid"], row["status"]) == (250_000, 250_000, "paid")
    assert row["due_date"] == invoice.due_date.isoformat()
    assert set(totals_by_currency().values()) <= {0}


def test_never_more_than_is_left(invoice, seller_owner):
    assert pay(seller_owner, invoice, 200_000).status_code == 201
    refused = pay(seller_owner, invoice, 50_001)
    assert refused.status_code == 409
    assert refused.json()["code"] == "overpayment"
    assert Invoice.objects.get(pk=invoice.pk).amount_paid == 200_000
    assert pay(seller_owner, invoice, 0).status_code == 400
    assert "amount" in pay(seller_owner, invoice, -5).json()


def test_a_retry_with_the_same_key_records_nothing_twice(invoice, seller_owner):
    assert pay(seller_owner, invoice, 100_000, key="k-1").status_code == 201
    again = pay(seller_owner, invoice, 100_000, key="k-1")
    assert again.status_code == 200
    assert Invoice.objects.get(pk=invoice.pk).amount_paid == 100_000
    other = pay(seller_owner, invoice, 90_000, key="k-1")
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")


def test_only_the_sellers_managers_record_payments(invoice, buyer_owner, seller_member, outsider):
    assert pay(buyer_owner, invoice, 1).status_code == 403
    assert pay(seller_member, invoice, 1).status_code == 403
    assert pay(outsider, invoice, 1).status_code == 404


def test_mark_paid_records_what_is_left(invoice, seller_owner):
    pay(seller_owner, invoice, 50_000)
    response = client_for(seller_owner).post(f"/api/v1/orders/{invoice.order_id}/mark-paid/")
    assert response.status_code == 200
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (250_000, "paid")
    assert list(invoice.payments.values_list("amount", flat=True)) == [50_000, 200_000]


def test_a_cancelled_order_credits_its_invoice_and_takes_no_payment(invoice, seller_owner):
    act(seller_owner, invoice.order_id, "cancel", reason="Sin tela.")
    invoice.refresh_from_db()
    assert invoice.status == "credited"
    refused = pay(seller_owner, invoice, 1)
    assert (refused.status_code, refused.json()["code"]) == (409, "transition_not_allowed")


def send_notice(user, invoice, amount=250_000, proof=None):  # type: ignore[no-untyped-def]
    return client_for(user).post(
        f"/api/v1/invoices/{invoice.pk}/payment-notices/",
        {"amount": amount, "reference": "Pix 88", "proof": proof or pdf_upload("comprobante.pdf")},
        format="multipart",
    )


def test_a_payment_notice_confirmed_records_the_payment(invoice, buyer_owner, seller_owner):
    sent = send_notice(buyer_owner, invoice)
    assert sent.status_code == 201, sent.content
    notice_id = sent.json()["id"]
    proof = client_for(seller_owner).get(f"/api/v1/payment-notices/{notice_id}/proof/")
    assert proof.status_code == 200
    assert b"".join(proof.streaming_content).startswith(b"%PDF-")
    assert (
        client_for(buyer_owner).post(f"/api/v1/payment-notices/{notice_id}/confirm/").status_code
        == 403
    )
    confirmed = client_for(seller_owner).post(f"/api/v1/payment-notices/{notice_id}/confirm/")
    assert confirmed.json()["status"] == "confirmed"
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (250_000, "paid")
    again = client_for(seller_owner).post(f"/api/v1/payment-notices/{notice_id}/confirm/")
    assert again.status_code == 409


def test_a_rejected_notice_says_why_and_records_nothing(invoice, buyer_owner, seller_owner):
    notice_id = send_notice(buyer_owner, invoice, amount=1000).json()["id"]
    url = f"/api/v1/payment-notices/{notice_id}/reject/"
    assert "reason" in client_for(seller_owner).post(url, {}, format="json").json()
    mail.outbox.clear()
    rejected = client_for(seller_owner).post(url, {"reason": "No llegó."}, format="json")
    assert rejected.json()["status"] == "rejected"
    assert Invoice.objects.get(pk=invoice.pk).amount_paid == 0


def test_a_notice_needs_a_real_proof(invoice, buyer_owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    refused = send_notice(buyer_owner, invoice, proof=fake)
    assert refused.status_code == 400
    assert "proof" in refused.json()
    assert send_notice(buyer_owner, invoice, amount=250_001).status_code == 409


def test_reminders_are_sent_once_per_kind(invoice, buyer_owner, django_capture_on_commit_callbacks):
    due = invoice.due_date
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_invoice_reminders", f"--today={due - timedelta(days=2)}")
        call_command("send_invoice_reminders", f"--today={due - timedelta(days=1)}")
    assert [m.subject for m in mail.outbox if buyer_owner.email in m.to] == [
        f"Invoice {invoice.number} is due on {due.isoformat()}"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_reminders_send(today=due + timedelta(days=1))
        services.invoice_reminders_send(today=due + timedelta(days=5))
    assert Invoice.objects.get(pk=invoice.pk).status == "overdue"
    assert InvoiceReminder.objects.filter(invoice=invoice).count() == 2
    overdue = [m for m in mail.outbox if "overdue" in m.subject and buyer_owner.email in m.to]
    assert len(overdue) == 1


def test_aging_buckets_by_days_late(invoice, seller_owner, buyer_owner, seller_coop, buyer_coop):
    pay(seller_owner, invoice, 50_000)
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() - timedelta(days=45))
    seller = client_for(seller_owner).get(f"/api/v1/cooperatives/{seller_coop.slug}/aging/")
    (row,) = seller.json()["rows"]
    assert (row["currency"], row["31_60"], row["total"], row["current"]) == (
        "ARS",
        200_000,
        200_000,
        0,
    )
    buyer = client_for(buyer_owner).get(
        f"/api/v1/cooperatives/{buyer_coop.slug}/aging/", {"role": "buyer"}
    )
    assert buyer.json()["rows"][0]["31_60"] == 200_000


def test_the_statement_balance_is_what_is_left(invoice, seller_owner, seller_coop, buyer_coop):
    pay(seller_owner, invoice, 100_000)
    client = client_for(seller_owner)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/statement/"
    rows = client.get(url, {"counterparty": buyer_coop.slug, "currency": "ARS"}).json()
    assert rows[-1]["balance"] == 150_000
    text = client.get(url, {"format": "csv", "counterparty": buyer_coop.slug}).content.decode()
    last = list(csv.reader(io.StringIO(text)))[-1]
    assert last[-1] == "1500.00"
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.get(url, {"format": "xml"}).status_code == 400


def test_a_proof_in_the_private_bucket_is_handed_out_by_signed_url_only(
    s3_storages, invoice, buyer_owner, seller_owner, outsider
):
    from tests.s3_standin import PRIVATE_BUCKET

    sent = send_notice(buyer_owner, invoice)
    assert sent.status_code == 201, sent.content
    (key,) = s3_storages.keys(PRIVATE_BUCKET)
    assert requests.get(f"{s3_storages.url}/{PRIVATE_BUCKET}/{key}", timeout=10).status_code == 403
    url = f"/api/v1/payment-notices/{sent.json()['id']}/proof/"
    assert client_for(outsider).get(url).status_code == 404
    answer = client_for(seller_owner).get(url)
    assert answer.status_code == 302
    fetched = requests.get(answer["Location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content.startswith(b"%PDF-")
    assert "comprobante.pdf" in fetched.headers["Content-Disposition"]


def test_a_statement_file_dates_each_entry_in_the_readers_zone():
    """The CSV and PDF say the day the statement page and its date filter say (the reader's
    zone), not UTC's: 22:30 in Montevideo on 7 December is 01:30 UTC on the 8th."""
    from datetime import UTC, datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from orders.receivables import documents

    entry = SimpleNamespace(
        occurred_at=datetime(2026, 12, 8, 1, 30, tzinfo=UTC),
        kind="invoice",
        memo="F-1",
        get_kind_display=lambda: "Invoice",
    )
    row = SimpleNamespace(entry=entry, currency="UYU", amount=150_000, balance=150_000)
    with timezone.override(ZoneInfo("America/Montevideo")):
        montevideo = documents.statement_csv([row])  # type: ignore[list-item]
    with timezone.override(ZoneInfo("Europe/Madrid")):
        madrid = documents.statement_csv([row])  # type: ignore[list-item]
    assert montevideo.splitlines()[1].startswith("2026-12-07,invoice,F-1,UYU,1500.00,")
    assert madrid.splitlines()[1].startswith("2026-12-08,")
