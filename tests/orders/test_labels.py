"""Every (order status × payment status) pair has one label, in people's words (orders/labels.py):
an unpaid card order is never "Paid by card", a refunded one never "Cancelled · Paid"."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from orders.labels import PaymentFacts, combined_label, order_label, payment_state
from orders.models import Checkout, Order
from orders.state import OrderStatus, PaymentStatus

O, P = OrderStatus, PaymentStatus  # noqa: E741
OPEN = {O.PLACED: "Placed", O.ACCEPTED: "Accepted", O.FULFILLED: "Fulfilled"}
OPEN |= {O.COMPLETED: "Completed"}
CLOSED = {O.DECLINED: "Declined", O.CANCELLED: "Cancelled"}


def _expected(order_status: str, payment_status: str) -> str:
    name = {**OPEN, **CLOSED}[order_status]
    is_open = order_status in OPEN
    payment = {
        P.BY_INVOICE: "Not paid yet" if is_open else "",
        P.PENDING: "Awaiting payment" if is_open else "Not charged",
        P.FAILED: "Awaiting payment" if is_open else "Not charged",
        P.SUCCEEDED: "Paid by card" if is_open else "Refund under way",
        P.REFUNDED: "Refunded",
    }[payment_status]
    return f"{name} · {payment}" if payment else name


def _facts(payment_status: str, **extra: object) -> PaymentFacts:
    method = "invoice" if payment_status == P.BY_INVOICE else "stripe"
    values: dict = {"is_paid": payment_status in (P.SUCCEEDED, P.REFUNDED), **extra}
    return PaymentFacts(method=method, payment_status=payment_status, **values)


@pytest.mark.parametrize("payment_status", PaymentStatus.values)
@pytest.mark.parametrize("order_status", OrderStatus.values)
def test_every_order_and_payment_status_pair_has_one_label(
    order_status: str, payment_status: str
) -> None:
    with translation.override("en"):
        label = combined_label(order_status, payment_state(order_status, _facts(payment_status)))
    assert label == _expected(order_status, payment_status)
    if payment_status != P.SUCCEEDED:
        assert "Paid by card" not in label
    if order_status in CLOSED:
        assert "Paid" not in label


@pytest.mark.parametrize(
    ("order_status", "payment_status", "extra", "expected"),
    [
        (O.PLACED, P.PENDING, {"is_expired": True}, "Placed · Payment expired"),
        (O.CANCELLED, P.FAILED, {"is_expired": True}, "Cancelled · Payment expired"),
        (O.CANCELLED, P.SUCCEEDED, {"refund_status": "pending"}, "Cancelled · Refund under way"),
        (O.CANCELLED, P.SUCCEEDED, {"refund_status": "succeeded"}, "Cancelled · Refunded"),
        (O.DECLINED, P.SUCCEEDED, {"refund_status": "succeeded"}, "Declined · Refunded"),
        (O.ACCEPTED, P.BY_INVOICE, {"is_paid": True}, "Accepted · Paid"),
        (O.COMPLETED, P.BY_INVOICE, {"is_paid": True}, "Completed · Paid"),
    ],
)
def test_expiry_refunds_and_paid_invoices(
    order_status: str, payment_status: str, extra: dict, expected: str
) -> None:
    facts = _facts(payment_status, **extra)
    with translation.override("en"):
        assert combined_label(order_status, payment_state(order_status, facts)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "Cancelado · Reembolsado"), ("pt-br", "Cancelado · Reembolsado")],
)
def test_the_label_is_translated(language: str, expected: str) -> None:
    facts = _facts(P.REFUNDED)
    with translation.override(language):
        assert combined_label(O.CANCELLED, payment_state(O.CANCELLED, facts)) == expected


@pytest.mark.django_db
def test_a_stored_card_order_is_awaiting_payment_until_the_grace_period_ends(
    buyer_coop, seller_coop, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PAYMENT_GRACE_MINUTES = 30
    checkout = Checkout.objects.create(
        buyer=buyer_coop,
        idempotency_key="k",
        request_fingerprint="f",
        status="awaiting_payment",
        payment_method="stripe",
        payment_status=P.PENDING,
        currency="EUR",
        total_amount=1000,
        fee_amount=10,
    )
    order = Order.objects.create(
        checkout=checkout,
        buyer=buyer_coop,
        seller=seller_coop,
        payment_method="stripe",
        currency="EUR",
        total_amount=1000,
        fee_bps=100,
        fee_amount=10,
        seller_amount=990,
    )
    now = timezone.now()
    with translation.override("en"):
        assert order_label(order, now=now) == "Placed · Awaiting payment"
        assert order_label(order, now=now + timedelta(minutes=31)) == "Placed · Payment expired"
        # cancelled by the buyer within the grace period: not charged, not "expired"
        order.status, order.closed_at = O.CANCELLED, now
        assert order_label(order, now=now + timedelta(minutes=31)) == "Cancelled · Not charged"
        # cancelled by the expiry run
        order.closed_at = now + timedelta(minutes=31)
        assert order_label(order, now=now + timedelta(minutes=31)) == (
            "Cancelled · Payment expired"
        )
