from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperatives.models import Cooperative, private_storage
from core.models import MoneyOf, acting_user, one_of_choices
from core.text import validate_multi_line, validate_one_line
from marketplace.state import ImportStatus, ListingStatus

MAX_PRICE_AMOUNT = 10**12  # ten billion in a two-decimal currency: anything above is a typo
MAX_STOCK = 10**9


class Category(models.Model):
    """A node of the category tree. `path` is the materialised path of slugs, so a subtree is a
    prefix match and needs no recursion."""

    name = models.CharField(max_length=120, validators=[validate_one_line])
    name_es = models.CharField(max_length=120, blank=True, validators=[validate_one_line])
    name_pt_br = models.CharField(max_length=120, blank=True, validators=[validate_one_line])
    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class ListingKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    KG = "kg", _("kg")
    G = "g", _("g")
    LITRE = "litre", _("litre")
    M = "m", _("m")
    M2 = "m2", _("m²")
    M3 = "m3", _("m³")
    HOUR = "hour", _("hour")
    DAY = "day", _("day")
    MONTH = "month", _("month")
    LOT = "lot", _("lot")


def unit_name(unit: str) -> str:
    """A unit code ("lot") as the reader says it ("lote"); an unknown code is shown as it is."""
    return str(Unit(unit).label) if unit in Unit.values else unit


def unit_quantity(quantity: int, unit: str) -> str:
    """A quantity with its unit, in the reader's language and grammatical number ("3 lotes")."""
    count = {"count": quantity}
    phrases = {
        Unit.PIECE: ngettext("%(count)s piece", "%(count)s pieces", quantity),
        Unit.KG: ngettext("%(count)s kg", "%(count)s kg", quantity),
        Unit.G: ngettext("%(count)s g", "%(count)s g", quantity),
        Unit.LITRE: ngettext("%(count)s litre", "%(count)s litres", quantity),
        Unit.M: ngettext("%(count)s m", "%(count)s m", quantity),
        Unit.M2: ngettext("%(count)s m²", "%(count)s m²", quantity),
        Unit.M3: ngettext("%(count)s m³", "%(count)s m³", quantity),
        Unit.HOUR: ngettext("%(count)s hour", "%(count)s hours", quantity),
        Unit.DAY: ngettext("%(count)s day", "%(count)s days", quantity),
        Unit.MONTH: ngettext("%(count)s month", "%(count)s months", quantity),
        Unit.LOT: ngettext("%(count)s lot", "%(count)s lots", quantity),
    }
    phrase = phrases.get(unit)  # type: ignore[call-overload]
    return phrase % count if phrase else f"{quantity} {unit}"


class DeliveryMode(models.TextChoices):
    PICKUP = "pickup", _("Pickup")
    SHIPPING = "shipping", _("Shipping")
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")


# What the public list filters on, carried in its covering indexes.
BROWSE_COLUMNS = [
    "category_id",
    "cooperative_id",
    "kind",
    "price_amount",
    "currency",
    "stock",
    "published_at",
    "delivers_pickup",
    "delivers_shipping",
    "delivers_on_site",
    "delivers_remote",
]


class Listing(models.Model):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="listings")
    kind = models.CharField(max_length=16, choices=ListingKind.choices)
    title = models.CharField(max_length=200, validators=[validate_one_line])
    description = models.TextField(max_length=10_000, blank=True, validators=[validate_multi_line])
    language = models.CharField(
        max_length=10, blank=True, help_text="Language of title and description."
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="listings")
    sku = models.CharField(
        max_length=64,
        blank=True,
        help_text="The seller's own reference.",
        validators=[validate_one_line],
    )
    price_amount = models.BigIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PRICE_AMOUNT)],
        help_text="Price per unit in minor units of the currency.",
    )
    currency = models.CharField(max_length=3)
    unit = models.CharField(max_length=8, choices=Unit.choices, default=Unit.PIECE)
    min_order_quantity = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_STOCK)]
    )
    stock = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_STOCK)],
        help_text="Units available now (capacity for services); empty means made to order.",
    )
    lead_time_days = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(365)]
    )
    # The seller's accepted credit share for this listing (bps); null: the cooperative's.
    credit_share_bps = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10_000)]
    )
    delivers_pickup = models.BooleanField(default=False)
    delivers_shipping = models.BooleanField(default=False)
    delivers_on_site = models.BooleanField(default=False)
    delivers_remote = models.BooleanField(default=False)
    countries_served = models.JSONField(default=list, blank=True)
    regions_served = models.CharField(max_length=300, blank=True, validators=[validate_one_line])
    status = models.CharField(
        max_length=16, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    status_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What a list shows of the listing itself, stored ready to write into a response
    # (marketplace/cards.py). Empty when stale: every save empties it in the same statement,
    # and it is rebuilt once the change is committed.
    card = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001 (NULL: not built)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="listing_status_published"
            ),
            models.Index(fields=["status", "price_amount"], name="listing_status_price"),
            models.Index(fields=["cooperative", "status"], name="listing_coop_status"),
            models.Index(fields=["category", "status"], name="listing_category_status"),
            # Covering indexes over the published catalogue: filters and orderings of the
            # public list are answered from the index alone (PostgreSQL index-only scans; on
            # SQLite they are plain partial indexes). See docs/catalogue.md.
            models.Index(
                fields=["-published_at", "-id"],
                include=[c for c in BROWSE_COLUMNS if c != "published_at"],
                condition=models.Q(status="published"),
                name="listing_browse_newest",
            ),
            models.Index(
                fields=["category", "-published_at", "-id"],
                include=[c for c in BROWSE_COLUMNS if c not in {"category_id", "published_at"}],
                condition=models.Q(status="published"),
                name="listing_browse_category",
            ),
            models.Index(
                fields=["currency", "price_amount", "id"],
                include=[c for c in BROWSE_COLUMNS if c not in {"currency", "price_amount"}],
                condition=models.Q(status="published"),
                name="listing_browse_price",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0, price_amount__lte=MAX_PRICE_AMOUNT),
                name="listing_price_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(stock__gte=0),
                name="listing_stock_not_negative",
            ),
            one_of_choices("status", ListingStatus, name="listing_status_valid"),
            models.UniqueConstraint(
                fields=["cooperative", "sku"],
                condition=~models.Q(sku=""),
                name="listing_sku_unique_per_cooperative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Any saved field may be on the card: empty it in the same statement (cards.stale_on_save
        # rebuilds it after the commit).
        self.card = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "card"}
        super().save(*args, **kwargs)

    price = MoneyOf("price_amount")

    @property
    def delivery_modes(self) -> list[str]:
        return [
            mode
            for mode, flag in (
                (DeliveryMode.PICKUP, self.delivers_pickup),
                (DeliveryMode.SHIPPING, self.delivers_shipping),
                (DeliveryMode.ON_SITE, self.delivers_on_site),
                (DeliveryMode.REMOTE, self.delivers_remote),
            )
            if flag
        ]

    @property
    def is_made_to_order(self) -> bool:
        return self.stock is None

    @property
    def is_published(self) -> bool:
        return self.status == ListingStatus.PUBLISHED


def listing_image_path(instance: "ListingImage", filename: str) -> str:
    return f"listings/{instance.listing_id}/{filename}"


class ListingImage(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to=listing_image_path, width_field="width", height_field="height"
    )
    thumbnail_small = models.ImageField(upload_to=listing_image_path, blank=True)
    thumbnail_large = models.ImageField(upload_to=listing_image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(max_length=300, blank=True, validators=[validate_one_line])
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["listing_id", "position", "id"]

    def __str__(self) -> str:
        return self.alt_text or f"Image {self.pk} of {self.listing_id}"


class ListingEvent(models.Model):
    """One change of a listing's status: who, when, from, to and why. Append-only."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="events")
    actor = acting_user(blank=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=ListingStatus.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listing_id", "at", "id"]
        indexes = [models.Index(fields=["listing", "at"], name="listing_event_listing_at")]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.from_status or '∅'} → {self.to_status} ({self.action})"


class CatalogueVersion(models.Model):
    """One row whose number goes up after every committed change a catalogue reader could notice
    (a listing, its images or stock, its seller, a category): anonymous catalogue responses are
    cached and validated (ETag, Last-Modified) against it. See marketplace/catalogue_version.py."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"catalogue version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


def catalogue_import_path(instance: "CatalogueImport", filename: str) -> str:
    return f"catalogue-imports/{instance.cooperative_id}/{timezone.now():%Y/%m}/{filename}"


class CatalogueImport(models.Model):
    """One uploaded CSV catalogue, imported by the worker (marketplace.tasks.catalogue_import).
    The file stays in the private storage; the result (counts, or the rows' errors) is kept here
    for the page that shows it."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="catalogue_imports"
    )
    actor = acting_user()
    file = models.FileField(upload_to=catalogue_import_path, storage=private_storage)
    language = models.CharField(max_length=16)
    progress_token = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    sent_back_to_review = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    row_errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.cooperative_id} ({self.status})"

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged
