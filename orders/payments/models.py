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


def movement_constraints(
    stripe_id_field: str, statuses: list[str], *, unique_where: Q | None = None
) -> list[models.BaseConstraint]:
    """What every money movement's table guarantees: a positive amount, a known status, and a
    Stripe object recorded on one row at most (of the rows `unique_where` selects, if given)."""
    return [
        models.UniqueConstraint(
            fields=[stripe_id_field],
            condition=~Q(**{stripe_id_field: ""}) & (unique_where or Q()),
            name="%(class)s_stripe_id_unique",
        ),
        models.CheckConstraint(condition=Q(amount__gt=0), name="%(class)s_amount_positive"),
        models.CheckConstraint(condition=Q(status__in=statuses), name="%(class)s_status_valid"),
    ]


class MoneyMovement(models.Model):
    """What every record of money Minga asks Stripe to move keeps: how much, how many calls, and
    Stripe's last refusal or outage message."""

    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    attempts = models.PositiveIntegerField(default=0, help_text="Calls made to Stripe.")
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled (the order closed before it was sent)"


class Transfer(MoneyMovement):
    """The seller's share of a paid order (total − solidarity fee), sent to its connected account.

    Unique per order; written in the transaction that marks the payment succeeded, sent after it
    commits. Its idempotency key is `order:{id}:transfer` for the first attempt and
    `order:{id}:transfer:{n}` for attempt n: Stripe keeps a refusal under its key for 24 hours, so
    once Stripe refused (a restricted account), the retry after the seller fixed it must use a new
    key; a lost answer or an outage is retried under the same key."""

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="transfer")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transfers")
    destination = models.CharField(max_length=255, blank=True, help_text="Connected account id.")
    status = models.CharField(
        max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    key_attempt = models.PositiveIntegerField(
        default=1, help_text="The attempt number in the idempotency key; a refusal moves it on."
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta(MoneyMovement.Meta):
        constraints = [
            *movement_constraints("stripe_transfer_id", TransferStatus.values),
            models.CheckConstraint(
                condition=~Q(status=TransferStatus.PAID) | ~Q(stripe_transfer_id=""),
                name="transfer_paid_has_stripe_id",
            ),
            models.CheckConstraint(condition=Q(key_attempt__gte=1), name="transfer_key_attempt"),
        ]

    def __str__(self) -> str:
        return f"Transfer for order {self.order_id} ({self.status})"


class RefundStatus(models.TextChoices):
    """The status of every settlement record (refunds and transfer reversals)."""

    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    # A refund Stripe could not make, paid to the buyer another way by a person (refunds only:
    # `orders/payments/state.py`).
    PAID_OUTSIDE = "paid_outside", "Paid outside Stripe"


class Settlement(MoneyMovement):
    """Money given back after a paid order closed: a refund to the buyer or a reversal of the
    seller's transfer (and whatever the next rail adds). Written `pending` in the transaction that
    closes the order, sent after it commits by `execution.settlement_send` with the key
    `{kind}:{id}`, then `succeeded` with Stripe's id, or `failed` and the order flagged."""

    status = models.CharField(
        max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    stripe_id = models.CharField(max_length=255, blank=True, help_text="Stripe's object id.")
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta(MoneyMovement.Meta):
        abstract = True
        constraints = movement_constraints("stripe_id", RefundStatus.values)

    @property
    def settled_order_id(self) -> int:
        raise NotImplementedError


class RefundSource(models.TextChoices):
    """Who made a refund: Minga (a paid order closed) or someone at Stripe (the dashboard)."""

    MINGA = "minga", "Asked by Minga"
    OUTSIDE = "outside", "Made at Stripe, outside Minga"


BY_MINGA = Q(source=RefundSource.MINGA)
OUTSIDE = Q(source=RefundSource.OUTSIDE)


class Refund(Settlement):
    """Money of an order given back to the buyer's card.

    Minga's own (`source` minga, key `refund:{id}`): a cancelled or declined paid order's total,
    less what was already refunded outside; one per order at most. Made outside Minga (`source`
    outside, Stripe's dashboard): recorded from the webhook once Stripe says it succeeded, one row
    per order it covers (Stripe refunds the checkout's one charge, split over its orders), so a
    Stripe refund may have several rows, one per order at most. Together an order's refunds never
    add up to more than its total.

    Stripe may report a refund that succeeded `failed` later (the buyer's card was closed): the
    row goes `failed`, its entry is reversed and `key_attempt` moves on, so the retry sends it
    again as a new Stripe refund (`refund:{id}:{n}`); attempts before `key_attempt` each
    succeeded and then failed, or Stripe refused them outright (`refused_attempts`: no refund
    made, nothing posted); each send uses its own key.

    A failed refund a person paid to the buyer another way (a bank transfer) is closed
    `paid_outside` with their reason and the payment's reference, and posted like a refund."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    source = models.CharField(
        max_length=16, choices=RefundSource.choices, default=RefundSource.MINGA
    )
    key_attempt = models.PositiveIntegerField(
        default=1,
        help_text="The attempt being sent or made: 1 + the times Stripe reported this refund "
        "failed after it succeeded (each attempt has its key `refund:{id}[:{n}]` and entries).",
    )
    refused_attempts = models.JSONField(
        default=list,
        blank=True,
        help_text="The attempts Stripe refused outright: no refund was made, nothing posted.",
    )
    paid_outside_at = models.DateTimeField(null=True, blank=True)
    paid_outside_reason = models.TextField(blank=True)
    paid_outside_reference = models.CharField(
        max_length=200, blank=True, help_text="The bank transfer's (or receipt's) reference."
    )

    class Meta(Settlement.Meta):
        constraints = [
            *movement_constraints("stripe_id", RefundStatus.values, unique_where=BY_MINGA),
            models.CheckConstraint(condition=Q(key_attempt__gte=1), name="refund_key_attempt"),
            models.UniqueConstraint(
                fields=["order"], condition=BY_MINGA, name="refund_once_by_minga"
            ),
            models.UniqueConstraint(
                fields=["stripe_id", "order"], condition=OUTSIDE, name="refund_outside_once"
            ),
            models.CheckConstraint(
                condition=Q(source__in=RefundSource.values), name="refund_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RefundStatus.PAID_OUTSIDE) | Q(paid_outside_at__isnull=False),
                name="refund_paid_outside_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Refund for order {self.order_id} ({self.status})"

    @property
    def settled_order_id(self) -> int:
        return self.order_id

    @property
    def is_outside(self) -> bool:
        return self.source == RefundSource.OUTSIDE


class TransferReversal(Settlement):
    """The seller's share of a refunded order taken back from its account (key `reversal:{id}`).

    Unique per transfer, for the transfer's whole amount."""

    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="reversal")

    def __str__(self) -> str:
        return f"Reversal of transfer {self.transfer_id} ({self.status})"

    @property
    def settled_order_id(self) -> int:
        return self.transfer.order_id


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
