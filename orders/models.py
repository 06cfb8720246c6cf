"""Carts, checkouts, orders and what hangs off them. Money is integers of minor units + currency."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from cooperatives.models import Cooperative
from core.models import MoneyOf, acting_user, one_of_choices
from core.money import Money
from marketplace.models import Listing
from orders.events import EventKind, event_label
from orders.receivables.state import InvoiceStatus
from orders.state import (
    OPEN_STATUSES,
    CheckoutStatus,
    OrderStatus,
    PaymentStatus,
)

MAX_QUANTITY = 1_000_000
# No line, order or checkout may exceed this many minor units (10^13 in a two-decimal currency):
# it keeps every sum far inside a 64-bit integer and catches typos.
MAX_AMOUNT = 10**15
MAX_CART_LINES = 100


class Cart(models.Model):
    """The one open cart of a buyer cooperative; its row is the lock that orders cart changes."""

    cooperative = models.OneToOneField(Cooperative, on_delete=models.CASCADE, related_name="cart")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Cart of {self.cooperative}"


class CartLine(models.Model):
    """A listing in a cart, with the unit price the buyer saw when adding it."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey(
        Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seller = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=8)
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit_price_amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    added_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seller_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "listing"], name="cartline_one_per_listing"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cartline_quantity_in_range",
            ),
            models.CheckConstraint(
                condition=Q(unit_price_amount__gte=0), name="cartline_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    unit_price = MoneyOf("unit_price_amount")

    @property
    def line_total(self) -> Money:
        return self.unit_price.times(self.quantity)


class Checkout(models.Model):
    """One buyer's request to order a cart (in one currency); it splits into one order per seller.

    `idempotency_key` is unique per buyer cooperative so a retried request finds the first result.
    """

    buyer = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="checkouts")
    created_by = acting_user()
    idempotency_key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=CheckoutStatus.choices)
    # A rail's code (`orders.payments.rails.RAILS`): the registry is the one list of rails, so
    # neither choices nor a check constraint here (a new rail needs no migration; docs/payments.md).
    payment_method = models.CharField(max_length=16)
    payment_status = models.CharField(max_length=16, choices=PaymentStatus.choices)
    currency = models.CharField(max_length=3)
    total_amount = models.BigIntegerField()
    fee_amount = models.BigIntegerField()
    delivery_address = models.TextField(blank=True, max_length=1000)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="checkout_idempotency_key_per_buyer"
            ),
            models.CheckConstraint(
                condition=Q(
                    total_amount__gte=0, fee_amount__gte=0, fee_amount__lte=F("total_amount")
                ),
                name="checkout_amounts_consistent",
            ),
            one_of_choices("status", CheckoutStatus, name="checkout_status_valid"),
            one_of_choices("payment_status", PaymentStatus, name="checkout_payment_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Checkout {self.pk} of {self.buyer}"

    total = MoneyOf("total_amount")


class Order(models.Model):
    """What one buyer cooperative ordered from one seller cooperative in one checkout.

    `total_amount` is what the buyer pays (the sum of the lines); the solidarity fee is taken from
    it, so `fee_amount + seller_amount == total_amount` always (a database constraint).
    """

    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="purchases")
    seller = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="sales")
    status = models.CharField(
        max_length=16, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    # A rail's code (`orders.payments.rails.RAILS`): the registry is the one list of rails, so
    # neither choices nor a check constraint here (a new rail needs no migration; docs/payments.md).
    payment_method = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    total_amount = models.BigIntegerField()
    fee_bps = models.PositiveIntegerField(validators=[MaxValueValidator(10_000)])
    fee_amount = models.BigIntegerField()
    seller_amount = models.BigIntegerField()
    delivery_address = models.TextField(blank=True, max_length=1000)
    note = models.TextField(blank=True, max_length=2000)
    placed_by = acting_user()
    placed_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was completed, declined or cancelled."
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    is_flagged = models.BooleanField(default=False)
    flag_reason = models.TextField(blank=True)
    # Agreed terms, when a quote or an agreement set them (else the seller's usual ones): days
    # from placing until payment is due, and the share of the total sold on credit. The invoice's
    # due date reads them.
    payment_terms_days = models.PositiveSmallIntegerField(null=True, blank=True)
    credit_share_bps = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10_000)]
    )
    quote_version = models.ForeignKey(
        "quotes.QuoteVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-placed_at"], name="order_buyer_placed"),
            models.Index(fields=["seller", "-placed_at"], name="order_seller_placed"),
            models.Index(fields=["status", "fulfilled_at"], name="order_status_fulfilled"),
        ]
        constraints = [
            one_of_choices("status", OrderStatus, name="order_status_valid"),
            models.CheckConstraint(
                condition=~Q(buyer=F("seller")), name="order_buyer_is_not_seller"
            ),
            models.CheckConstraint(
                condition=Q(total_amount__gte=0, fee_amount__gte=0, seller_amount__gte=0),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_amount=F("fee_amount") + F("seller_amount")),
                name="order_fee_plus_seller_is_total",
            ),
            models.CheckConstraint(condition=Q(fee_bps__lte=10_000), name="order_fee_bps_in_range"),
            # An awarded quote version becomes one order, once (awarding again is a replay).
            models.UniqueConstraint(
                fields=["quote_version"],
                condition=Q(quote_version__isnull=False),
                name="order_one_per_quote_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.pk} ({self.buyer} ← {self.seller})"

    total = MoneyOf("total_amount")
    fee = MoneyOf("fee_amount")
    seller_share = MoneyOf("seller_amount")

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def is_seller_suspended(self) -> bool:
        """An open order whose seller was suspended: it cannot go on, and its buyer may cancel."""
        return self.seller.is_suspended and self.status in OPEN_STATUSES


class OrderLine(models.Model):
    """A copy of what was ordered, as it was at checkout: later catalogue edits do not touch it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey(
        Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines"
    )
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=8)
    unit_price_amount = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    line_total_amount = models.BigIntegerField()
    is_stock_tracked = models.BooleanField(
        default=False, help_text="Stock was taken from the listing, so it is put back on cancel."
    )

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, unit_price_amount__gte=0),
                name="orderline_quantity_and_price_valid",
            ),
            models.CheckConstraint(
                condition=Q(line_total_amount=F("unit_price_amount") * F("quantity")),
                name="orderline_total_is_price_times_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderEvent(models.Model):
    """Append-only: every status change, and every other act on an order worth a line in its
    timeline (payment marked, invoice issued, flag). `from_status == to_status` for the latter."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = acting_user(blank=True)
    actor_side = models.CharField(max_length=16, blank=True, help_text="buyer, seller or empty.")
    note = models.TextField(blank=True)
    reference = models.CharField(
        max_length=255,
        blank=True,
        help_text="A provider's id (pi_, tr_, re_…) or a document number. Provider ids are shown "
        "only in the admin and the API, never on a page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order_id", "created_at", "id"]
        constraints = [one_of_choices("action", EventKind, name="orderevent_action_valid")]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"

    @property
    def label(self) -> str:
        return event_label(self.action)


class Message(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="messages")
    author = acting_user()
    author_side = models.CharField(max_length=16)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk} on order {self.order_id}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class InvoiceSequence(models.Model):
    """The counter of a seller cooperative's invoice numbers for one year, locked to take one."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=20)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="invoicesequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Invoice(models.Model):
    """An invoice or credit note issued by the seller; party details are copied at issue time
    because a document, once numbered, never changes."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=16, choices=InvoiceKind.choices)
    seller = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=40)
    credits = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    issued_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    total_amount = models.BigIntegerField()
    fee_bps = models.PositiveIntegerField()
    fee_amount = models.BigIntegerField()
    seller_amount = models.BigIntegerField()
    seller_name = models.CharField(max_length=200)
    seller_tax_id = models.CharField(max_length=40, blank=True)
    seller_address = models.CharField(max_length=300, blank=True)
    seller_city = models.CharField(max_length=120, blank=True)
    seller_country = models.CharField(max_length=2)
    buyer_name = models.CharField(max_length=200)
    buyer_tax_id = models.CharField(max_length=40, blank=True)
    buyer_address = models.CharField(max_length=300, blank=True)
    buyer_city = models.CharField(max_length=120, blank=True)
    buyer_country = models.CharField(max_length=2)
    delivery_address = models.TextField(blank=True)
    # As a receivable (orders/receivables): what the buyer owes, by when, and what it paid.
    due_date = models.DateField(null=True, blank=True)
    amount_due = models.BigIntegerField(default=0)
    amount_paid = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )

    class Meta:
        ordering = ["seller_id", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "year", "sequence"], name="invoice_sequence_unique"
            ),
            models.UniqueConstraint(fields=["order", "kind"], name="invoice_one_kind_per_order"),
            one_of_choices("kind", InvoiceKind, name="invoice_kind_valid"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0, amount_paid__lte=F("amount_due")),
                name="invoice_never_overpaid",
            ),
            one_of_choices("status", InvoiceStatus, name="invoice_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def amount_left(self) -> int:
        return self.amount_due - self.amount_paid


# Receivables' records live beside their services; they are models of this app.
# Card settlement's records live beside the payments code; they are models of this app.
from orders.payments.models import (  # noqa: E402
    Payment,
    Refund,
    RefundSource,
    RefundStatus,
    StripeEvent,
    Transfer,
    TransferReversal,
    TransferStatus,
)
from orders.receivables.models import (  # noqa: E402
    FeePayment,
    InvoiceEvent,
    InvoicePayment,
    InvoiceReminder,
    OrderCreditPayment,
    PaymentNotice,
)

__all__ = [
    "MAX_AMOUNT",
    "MAX_CART_LINES",
    "MAX_QUANTITY",
    "Cart",
    "CartLine",
    "Checkout",
    "FeePayment",
    "Invoice",
    "InvoiceEvent",
    "InvoiceKind",
    "InvoicePayment",
    "InvoiceReminder",
    "InvoiceSequence",
    "Message",
    "Order",
    "OrderCreditPayment",
    "OrderEvent",
    "OrderLine",
    "Payment",
    "PaymentNotice",
    "Refund",
    "RefundSource",
    "RefundStatus",
    "StripeEvent",
    "Transfer",
    "TransferReversal",
    "TransferStatus",
]
