"""The records of receivables (models of the orders app, imported by orders.models)."""

from django.db import models
from django.db.models import Q

from core.models import acting_user, one_of_choices, private_file_name
from orders.receivables.state import (
    InvoiceStatus,
    NoticeStatus,
    PaymentRail,
    ReminderKind,
)


def payment_constraints(name: str, scope: str) -> list[models.BaseConstraint]:
    """More than zero, a known rail, an Idempotency-Key used once per `scope`."""
    return [
        models.CheckConstraint(condition=Q(amount__gt=0), name=f"{name}_positive"),
        one_of_choices("rail", PaymentRail, name=f"{name}_rail_valid"),
        models.UniqueConstraint(
            fields=[scope, "idempotency_key"],
            condition=~Q(idempotency_key=""),
            name=f"{name}_idempotency_key_per_{scope}",
        ),
    ]


class RecordedPayment(models.Model):
    """What every recorded payment holds: how much, when, by which rail, who recorded it."""

    amount = models.BigIntegerField()
    paid_on = models.DateField()
    reference = models.CharField(max_length=120, blank=True)
    rail = models.CharField(max_length=20, choices=PaymentRail.choices)
    recorded_by = acting_user()
    idempotency_key = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class InvoicePayment(RecordedPayment):
    """Money the seller says it received against an invoice; never more than what is left."""

    invoice = models.ForeignKey("orders.Invoice", on_delete=models.PROTECT, related_name="payments")

    class Meta:
        ordering = ["invoice_id", "created_at", "id"]
        constraints = payment_constraints("invoicepayment", "invoice")

    def __str__(self) -> str:
        return f"{self.amount} on {self.invoice_id}"


class OrderCreditPayment(RecordedPayment):
    """Part of an order settled in mutual credit before its invoice exists (at checkout, or by
    `POST /credit/payments/` with `order`): its credit transfer is posted at once (key
    `order_credit:{id}`) and the invoice, once issued, counts it as paid (docs/credit.md)."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order_id", "created_at", "id"]
        constraints = payment_constraints("ordercreditpayment", "order")

    def __str__(self) -> str:
        return f"{self.amount} in credit on order {self.order_id}"


class InvoiceEvent(models.Model):
    """Append-only: every status change of an invoice as a receivable."""

    invoice = models.ForeignKey("orders.Invoice", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    amount = models.BigIntegerField(default=0)
    actor = acting_user(blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"


def proof_path(instance: "PaymentNotice", filename: str) -> str:
    return private_file_name(f"payment-proofs/{instance.invoice_id}", instance.proof_content_type)


def _private_storage():  # type: ignore[no-untyped-def]
    from cooperatives.models import private_storage

    return private_storage()


class PaymentNotice(models.Model):
    """The buyer says it paid, with a proof; the seller confirms it (recording the payment) or
    rejects it with a reason."""

    invoice = models.ForeignKey(
        "orders.Invoice", on_delete=models.PROTECT, related_name="payment_notices"
    )
    amount = models.BigIntegerField()
    paid_on = models.DateField()
    reference = models.CharField(max_length=120, blank=True)
    rail = models.CharField(max_length=20, choices=PaymentRail.choices)
    proof = models.FileField(upload_to=proof_path, storage=_private_storage)
    proof_name = models.CharField(max_length=255)
    proof_content_type = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    sent_by = acting_user()
    sent_at = models.DateTimeField(auto_now_add=True)
    decided_by = acting_user(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    payment = models.OneToOneField(
        InvoicePayment, on_delete=models.PROTECT, null=True, blank=True, related_name="notice"
    )

    class Meta:
        ordering = ["invoice_id", "sent_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="paymentnotice_positive"),
            one_of_choices("status", NoticeStatus, name="paymentnotice_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Notice {self.pk} on invoice {self.invoice_id}"


class InvoiceReminder(models.Model):
    """One row per invoice and kind: the reminder was sent, and is never sent again."""

    invoice = models.ForeignKey(
        "orders.Invoice", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "kind"], name="invoicereminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of invoice {self.invoice_id}"


class FeePayment(RecordedPayment):
    """Money a seller sent the platform against the solidarity fee it owes in that currency
    (invoice orders' fees; card orders' fees are kept from the transfer). Recorded by a platform
    treasurer when the transfer arrives; never more than is owed (docs/receivables.md, "The
    solidarity fee")."""

    seller = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.PROTECT, related_name="fee_payments"
    )
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["seller_id", "created_at", "id"]
        constraints = payment_constraints("feepayment", "seller")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} fee from {self.seller_id}"


__all__ = [
    "FeePayment",
    "InvoiceEvent",
    "InvoicePayment",
    "InvoiceReminder",
    "InvoiceStatus",
    "PaymentNotice",
]
