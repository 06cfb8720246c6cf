"""What Minga records about card settlement: the checkout's payment, a transfer to each seller, the
refunds and transfer reversals of cancelled orders, and every Stripe event handled.

A row is written (status `pending`) and committed BEFORE the Stripe call it stands for, with an
idempotency key derived from its id, so a crash or a lost answer between the two is repaired by
calling again: Stripe answers with the object it already created. A row unique per order (a
transfer, a refund) is what makes "exactly one per order" a database guarantee.

These models belong to the `orders` app (imported from `orders/models.py`, so they name its
models by label: the two modules do not import each other).
"""

from django.db import models
from django.db.models import F, Q


class Payment(models.Model):
    """The checkout's card payment: one Stripe PaymentIntent for the checkout's total.

    Its status is the checkout's `payment_status` (one place, moved through
    `PAYMENT_TRANSITIONS`); this row keeps what Stripe told us about it."""

    checkout = models.OneToOneField(
        "orders.Checkout", on_delete=models.PROTECT, related_name="payment"
    )
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    amount_refunded = models.BigIntegerField(
        default=0, help_text="What Stripe says was refunded on the charge (charge.refunded)."
    )
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"],
                condition=~Q(stripe_payment_intent_id=""),
                name="payment_intent_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount_refunded__gte=0, amount_refunded__lte=F("amount")),
                name="payment_amounts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"Payment of checkout {self.checkout_id}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled (the order closed before it was sent)"


class Transfer(models.Model):
    """The seller's share of a paid order (total − solidarity fee), sent to its connected account.

    Unique per order; written in the transaction that marks the payment succeeded, sent after it
    commits with the key `order:{id}:transfer`."""

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="transfer")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transfers")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    destination = models.CharField(max_length=255, blank=True, help_text="Connected account id.")
    status = models.CharField(
        max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_transfer_id"],
                condition=~Q(stripe_transfer_id=""),
                name="transfer_stripe_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values), name="transfer_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=TransferStatus.PAID) | ~Q(stripe_transfer_id=""),
                name="transfer_paid_has_stripe_id",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer for order {self.order_id} ({self.status})"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Refund(models.Model):
    """A cancelled or declined paid order's total, given back to the buyer (key `refund:{id}`).

    Unique per order, and each is the order's total, so the refunds of a checkout never add up to
    more than its charge."""

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="refund")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_refund_id"],
                condition=~Q(stripe_refund_id=""),
                name="refund_stripe_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=RefundStatus.values), name="refund_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Refund for order {self.order_id} ({self.status})"


class TransferReversal(models.Model):
    """The seller's share of a refunded order taken back from its account (key `reversal:{id}`).

    Unique per transfer, for the transfer's whole amount."""

    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="reversal")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    stripe_reversal_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_reversal_id"],
                condition=~Q(stripe_reversal_id=""),
                name="reversal_stripe_id_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="reversal_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=RefundStatus.values), name="reversal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Reversal of transfer {self.transfer_id} ({self.status})"


class StripeEvent(models.Model):
    """Every webhook event handled, written in the same transaction as its effect: a redelivered
    event finds its row and does nothing."""

    stripe_event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    account = models.CharField(max_length=255, blank=True, help_text="Connect events only.")
    livemode = models.BooleanField(default=False)
    event_created_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["type", "-received_at"], name="stripeevent_type_received")]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_event_id}"
