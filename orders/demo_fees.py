"""Demo data of the solidarity fee: the seller of the first demo invoice has paid part of the fee
it owes (recorded by the demo's administrator, a superuser and so a treasurer)."""

from django.contrib.auth import get_user_model

from cooperatives.demo import ADMIN_EMAIL
from orders.models import Invoice, InvoiceKind, Order
from orders.receivables import fees


def seed_fees(placed: list[Order]) -> None:
    treasurer = get_user_model().objects.filter(email__iexact=ADMIN_EMAIL).first()
    if treasurer is None:
        return
    for invoice in Invoice.objects.filter(order__in=placed, kind=InvoiceKind.INVOICE):
        seller = invoice.order.seller
        owed = fees.fee_owed(seller, invoice.currency)
        if owed > 1:
            fees.fee_payment_record(
                seller=seller,
                actor=treasurer,
                currency=invoice.currency,
                amount=owed // 2,
                reference="Demo fee transfer",
                idempotency_key="demo-fee",
            )
            return
