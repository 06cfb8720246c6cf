"""Requests for quotes, quotes (immutable versions), agreements and standing orders.

Money is integers of minor units + an ISO 4217 code; shares are basis points (10,000 = 100 %).
Payment terms (days until due, the share of the total sold on credit) are stored on the quote
version and the agreement, and copied to the order they become (`orders.Order.payment_terms_days`).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cooperatives.models import Cooperative, Side, private_storage
from core.models import (
    PRIVATE_FILE_EXTENSIONS,
    MoneyOf,
    acting_user,
    exactly_one_of,
    one_of_choices,
)
from marketplace.models import Category, Listing
from quotes.state import AgreementStatus, DraftStatus, QuoteStatus, RfqStatus

MAX_QUANTITY = 1_000_000
MAX_COUNTERS = 3
BPS = [MinValueValidator(0), MaxValueValidator(10_000)]


class Visibility(models.TextChoices):
    PRIVATE = "private", "Invited cooperatives only"
    OPEN = "open", "Open to a category and region"


class Rfq(models.Model):
    """A buyer cooperative's request for quotes."""

    buyer = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="rfqs")
    title = models.CharField(max_length=200)
    specification = models.TextField(max_length=10_000)
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit = models.CharField(max_length=8)
    delivery_place = models.CharField(max_length=300)
    delivery_date = models.DateField()
    answers_due_at = models.DateTimeField()
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.CharField(max_length=120, blank=True)
    invited = models.ManyToManyField(Cooperative, blank=True, related_name="rfq_invitations")
    is_single_award = models.BooleanField(default=True)
    max_counters = models.PositiveSmallIntegerField(
        default=MAX_COUNTERS, validators=[MaxValueValidator(10)]
    )
    status = models.CharField(max_length=12, choices=RfqStatus.choices, default=RfqStatus.OPEN)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            one_of_choices("status", RfqStatus, name="rfq_status_valid"),
            one_of_choices("visibility", Visibility, name="rfq_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.title


# The type of an attachment, by the extension of the name Minga stores it under (rfq_publish names
# the file after the type the upload check found; the sender's name is only shown).
ATTACHMENT_TYPES = {extension: kind for kind, extension in PRIVATE_FILE_EXTENSIONS.items()} | {
    "webp": "image/webp"
}


class RfqAttachment(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="attachments")
    # Private, as verification documents and payment proofs are: served only through the
    # download that checks who may read the request (quotes.selectors.attachment_get_visible).
    file = models.FileField(upload_to="rfqs/%Y/%m/", storage=private_storage)
    name = models.CharField(max_length=200)
    # Kept at upload, so listing a request's files never asks the storage (a HEAD each on S3).
    size = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="In bytes; null when the file was gone when it was read."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def content_type(self) -> str:
        extension = str(self.file.name).rpartition(".")[2].lower()
        return ATTACHMENT_TYPES.get(extension, "application/octet-stream")


class Quote(models.Model):
    """One seller's answer to a request; what was offered lives in its versions."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="quotes")
    seller = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="quotes")
    status = models.CharField(
        max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED
    )
    awarded_version = models.ForeignKey(
        "QuoteVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    awarded_quantity = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rfq_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rfq", "seller"], name="quote_one_per_seller"),
            one_of_choices("status", QuoteStatus, name="quote_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Quote of {self.seller} for {self.rfq}"


class QuoteVersion(models.Model):
    """What one side offered at one moment. Never changed once written: a counter is a new row."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    author_side = models.CharField(max_length=8, choices=Side.choices)
    currency = models.CharField(max_length=3)
    total_amount = models.BigIntegerField()
    valid_until = models.DateField()
    lead_time_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(3650)])
    payment_terms_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(365)])
    credit_share_bps = models.PositiveIntegerField(default=0, validators=BPS)
    note = models.TextField(blank=True, max_length=2000)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quote_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "number"], name="quoteversion_number_unique"),
            models.CheckConstraint(
                condition=Q(credit_share_bps__lte=10_000), name="quoteversion_credit_share_range"
            ),
            models.CheckConstraint(
                condition=Q(total_amount__gte=0), name="quoteversion_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote} v{self.number}"

    total = MoneyOf("total_amount")


class QuoteLine(models.Model):
    version = models.ForeignKey(QuoteVersion, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit = models.CharField(max_length=8)
    unit_price_amount = models.BigIntegerField(validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price_amount__gte=0), name="quoteline_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class StatusEvent(models.Model):
    """A status change: who, when, from, to, why."""

    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = acting_user()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class QuoteEvent(StatusEvent):
    """A status change of a request or a quote."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="events")
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )


class RfqMessage(models.Model):
    """A message of the thread between the buyer and one seller about one request."""

    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="messages")
    seller = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    author_side = models.CharField(max_length=8, choices=Side.choices)
    author = acting_user()
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message on {self.rfq_id} ({self.author_side})"


class BuyerGroup(models.Model):
    """A named group of buyers a seller manages (e.g. the members of a federation)."""

    seller = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="buyer_groups")
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(Cooperative, related_name="buyer_group_memberships")

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A seller's negotiated conditions for one buyer or one buyer group; versioned: a new
    version supersedes the previous one of the same `series`."""

    seller = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="agreements")
    buyer = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    buyer_group = models.ForeignKey(
        BuyerGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    name = models.CharField(max_length=200)
    series = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    currency = models.CharField(max_length=3)
    payment_terms_days = models.PositiveSmallIntegerField(validators=[MaxValueValidator(365)])
    credit_share_bps = models.PositiveIntegerField(default=0, validators=BPS)
    early_payment_discount_bps = models.PositiveIntegerField(default=0, validators=BPS)
    early_payment_days = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateField()
    valid_until = models.DateField()
    review_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED
    )
    seller_accepted_at = models.DateTimeField(null=True, blank=True)
    buyer_accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of("buyer", "buyer_group"),
                name="agreement_one_buyer_or_group",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="agreement_dates_in_order",
            ),
            one_of_choices("status", AgreementStatus, name="agreement_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementPrice(models.Model):
    """One row of an agreement's price list: for a listing or a category, from `min_quantity`
    units, a fixed unit price or a discount on the public price."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="prices")
    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    min_quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    fixed_price_amount = models.BigIntegerField(null=True, blank=True)
    discount_bps = models.PositiveIntegerField(null=True, blank=True, validators=BPS)

    class Meta:
        ordering = ["agreement_id", "min_quantity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_of("listing", "category"),
                name="agreementprice_listing_or_category",
            ),
            models.CheckConstraint(
                condition=exactly_one_of("fixed_price_amount", "discount_bps"),
                name="agreementprice_fixed_or_discount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ≥ {self.min_quantity}"


class AgreementEvent(StatusEvent):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")


class Schedule(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class StandingOrder(models.Model):
    """A buyer's repeated order under an agreement: one draft per period."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="standing_orders"
    )
    buyer = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    schedule = models.CharField(max_length=8, choices=Schedule.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Standing order {self.pk} ({self.schedule})"


class StandingOrderLine(models.Model):
    standing_order = models.ForeignKey(
        StandingOrder, on_delete=models.CASCADE, related_name="lines"
    )
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )

    def __str__(self) -> str:
        return f"{self.quantity} × {self.listing_id}"


class StandingOrderDraft(models.Model):
    """The order drafted for one period; `period_start` is unique per standing order, so a
    re-run of the job never drafts twice."""

    standing_order = models.ForeignKey(
        StandingOrder, on_delete=models.CASCADE, related_name="drafts"
    )
    period_start = models.DateField()
    status = models.CharField(
        max_length=12, choices=DraftStatus.choices, default=DraftStatus.DRAFTED
    )
    lines = models.JSONField(default=list)
    has_out_of_stock = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["standing_order_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["standing_order", "period_start"], name="draft_one_per_period"
            ),
            one_of_choices("status", DraftStatus, name="draft_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.period_start} of {self.standing_order_id}"
