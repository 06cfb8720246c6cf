"""Property test (hypothesis, with the ledger): for random sequences of payments and notices,
partly refused, an invoice's amount paid never exceeds its amount due, equals what was
recorded, and the books stay balanced."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from ledger.models import AccountKind
from ledger.selectors import account_balance, totals_by_currency
from ledger.services import account_for
from orders import services as order_services
from orders.models import Invoice, InvoiceKind
from orders.receivables import services
from tests.cooperatives.helpers import PDF_BYTES
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory

_counter = itertools.count()

steps = st.lists(
    st.tuples(
        st.sampled_from(["pay", "notice", "confirm", "reject", "mark_paid", "cancel"]),
        st.integers(min_value=-5, max_value=120_000),
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_amount_paid_never_exceeds_amount_due(steps):
    with transaction.atomic():
        run = next(_counter)
        seller = CooperativeFactory(name=f"Vendedora {run}", country="AR")
        buyer = CooperativeFactory(name=f"Compradora {run}", country="UY")
        seller_owner = MembershipFactory(cooperative=seller, role="owner").user
        buyer_owner = MembershipFactory(cooperative=buyer, role="owner").user
        listing = ListingFactory(cooperative=seller, price_amount=100_000, currency="ARS")
        order_services.cart_add_item(
            cooperative=buyer, listing_id=listing.pk, quantity=3, actor=buyer_owner
        )
        order = order_services.checkout_place(
            buyer=buyer, actor=buyer_owner, idempotency_key=f"p{run}", payment_method="invoice"
        ).checkout.orders.get()
        order_services.order_accept(order=order, actor=seller_owner)
        invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)
        recorded = 0
        notices = []
        for action, amount in steps:
            invoice.refresh_from_db()
            try:
                with transaction.atomic():
                    if action == "pay":
                        services.invoice_payment_record(
                            invoice=invoice, actor=seller_owner, amount=amount
                        )
                        recorded += amount
                    elif action == "notice":
                        proof = SimpleUploadedFile("p.pdf", PDF_BYTES)
                        notices.append(
                            services.payment_notice_send(
                                invoice=invoice, actor=buyer_owner, amount=amount, proof=proof
                            )
                        )
                    elif action in ("confirm", "reject") and notices:
                        notice = notices.pop(0)
                        if action == "confirm":
                            services.payment_notice_confirm(notice=notice, actor=seller_owner)
                            recorded += notice.amount
                        else:
                            services.payment_notice_reject(
                                notice=notice, actor=seller_owner, reason="No."
                            )
                    elif action == "mark_paid":
                        left = invoice.amount_left
                        order_services.order_mark_paid(order=order, actor=seller_owner)
                        recorded += left
                    elif action == "cancel":
                        order_services.order_cancel(order=order, actor=seller_owner, reason="x")
            except (DomainError, ValidationError):
                pass
            invoice.refresh_from_db()
            assert 0 <= invoice.amount_paid <= invoice.amount_due
            assert invoice.amount_paid == recorded
            assert (invoice.status == "paid") == (
                invoice.amount_paid == invoice.amount_due and invoice.status != "credited"
            )
        receivable = account_for(seller, "ARS", AccountKind.RECEIVABLE)
        payments_side = sum(
            line.amount for line in receivable.lines.filter(entry__kind="payment_recorded")
        )
        assert payments_side == -recorded
        assert account_balance(receivable) is not None
        assert set(totals_by_currency().values()) <= {0}
        transaction.set_rollback(True)
