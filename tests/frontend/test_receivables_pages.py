"""Receivables pages: the seller sees the receivable, records a partial payment, the buyer sends
a payment notice with a proof, the seller confirms it, and the statement's balance is what the
invoice page says is left."""

import pytest

from ledger.models import AccountKind, EntryKind
from ledger.services import LineSpec, account_for, entry_post
from orders import services as order_services
from orders.models import Invoice, InvoiceKind
from tests.factories import ListingFactory
from tests.frontend.helpers import browser_for, messages_of, pdf_upload, text
from tests.frontend.ordering import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(seller_coop, buyer_coop, buyer_owner, seller_owner):  # type: ignore[no-untyped-def]
    listing = ListingFactory(
        cooperative=seller_coop, title="Remeras", price_amount=1_000_00, currency="ARS", stock=10
    )
    order = place_order(buyer_owner, buyer_coop, listing, quantity=3)
    order_services.order_accept(order=order, actor=seller_owner)
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)
    # What the ledger lane posts on issue (same key: a no-op once orders post it themselves).
    entry_post(
        kind=EntryKind.INVOICE_ISSUED,
        currency="ARS",
        key=f"invoice:{invoice.pk}",
        lines=[
            LineSpec(account_for(seller_coop, "ARS", AccountKind.RECEIVABLE), 300_000, buyer_coop),
            LineSpec(account_for(buyer_coop, "ARS", AccountKind.PAYABLE), -300_000, seller_coop),
        ],
    )
    return invoice


def test_partial_payment_notice_and_statement(invoice, seller_owner, buyer_owner, seller_coop):
    seller = browser_for(seller_owner)
    listed = text(seller.get(f"/my/cooperatives/{seller_coop.slug}/invoices/"))
    assert invoice.number in listed
    done = seller.post(
        f"/invoices/{invoice.pk}/payments/",
        {"amount": "1000.00", "rail": "bank_transfer", "reference": "T-1", "paid_on": ""},
        follow=True,
    )
    assert "The payment is recorded." in messages_of(done)
    buyer = browser_for(buyer_owner)
    sent = buyer.post(
        f"/invoices/{invoice.pk}/notices/",
        {"amount": "1500.00", "rail": "bank_transfer", "proof": pdf_upload("comprobante.pdf")},
        follow=True,
    )
    assert "The seller is told" in " ".join(messages_of(sent))
    notice = invoice.payment_notices.get()
    confirmed = seller.post(f"/payment-notices/{notice.pk}/confirm/", follow=True)
    assert "Confirmed: the payment is recorded." in messages_of(confirmed)
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (250_000, "partly_paid")
    page = text(seller.get(f"/invoices/{invoice.pk}/"))
    assert "Partly paid" in page
    statement = text(seller.get(f"/my/cooperatives/{seller_coop.slug}/statement/"))
    assert "500.00" in statement  # 3000.00 invoiced − 2500.00 paid
    csv_text = seller.get(f"/my/cooperatives/{seller_coop.slug}/statement.csv").content.decode()
    assert csv_text.strip().splitlines()[-1].endswith(",500.00")


def test_too_much_is_refused_on_the_form(invoice, seller_owner):
    page = browser_for(seller_owner).post(
        f"/invoices/{invoice.pk}/payments/", {"amount": "9000.00", "rail": "bank_transfer"}
    )
    assert "more than is left" in text(page)
    assert Invoice.objects.get(pk=invoice.pk).amount_paid == 0
