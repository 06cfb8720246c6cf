from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.permissions import is_member, is_moderator
from core.api.serializers import ReadOnlyModelSerializer
from core.reference import currency_codes
from core.text import validate_multi_line, validate_one_line
from marketplace import selectors
from marketplace.models import (
    MAX_PRICE_AMOUNT,
    MAX_STOCK,
    Category,
    DeliveryMode,
    Listing,
    ListingEvent,
    ListingImage,
    ListingKind,
    Unit,
)

_DATETIME_FIELD = serializers.DateTimeField()


def _datetime(value: Any) -> str | None:
    return None if value is None else _DATETIME_FIELD.to_representation(value)


def _absolute(request: Any, url: str) -> str:
    return request.build_absolute_uri(url) if request else url


class CategoryNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="category.id")
    slug = serializers.SlugField(source="category.slug")
    name = serializers.CharField(source="category.name")
    name_es = serializers.CharField(source="category.name_es")
    name_pt_br = serializers.CharField(source="category.name_pt_br")
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The name in the request's language."
    )
    path = serializers.CharField(source="category.path")
    depth = serializers.IntegerField(source="category.depth")
    children = serializers.SerializerMethodField()

    def get_label(self, node: selectors.CategoryNode) -> str:
        return selectors.category_label(node.category)

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/CategoryNode"}})
    def get_children(self, node: selectors.CategoryNode) -> list[dict[str, Any]]:
        return CategoryNodeSerializer(node.children, many=True, context=self.context).data  # type: ignore[return-value]


class CategorySummarySerializer(ReadOnlyModelSerializer):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "label", "path"]

    def get_label(self, category: Category) -> str:
        return selectors.category_label(category)


class SellerSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    country = serializers.CharField()
    is_verified = serializers.BooleanField()
    is_recuperated = serializers.BooleanField()


class ListingImageSerializer(ReadOnlyModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_small_url = serializers.SerializerMethodField()
    thumbnail_large_url = serializers.SerializerMethodField()

    class Meta:
        model = ListingImage
        fields = [
            "id",
            "url",
            "thumbnail_small_url",
            "thumbnail_large_url",
            "width",
            "height",
            "alt_text",
            "position",
        ]

    def _url(self, file: Any) -> str | None:
        return _absolute(self.context.get("request"), file.url) if file else None

    def get_url(self, image: ListingImage) -> str | None:
        return self._url(image.image)

    def get_thumbnail_small_url(self, image: ListingImage) -> str | None:
        return self._url(image.thumbnail_small)

    def get_thumbnail_large_url(self, image: ListingImage) -> str | None:
        return self._url(image.thumbnail_large)


class ListingSerializer(ReadOnlyModelSerializer):
    """A listing as lists show it: the price formatted for the reader, the seller and a thumbnail."""

    cooperative = serializers.SlugField(source="cooperative.slug", read_only=True)
    seller = SellerSummarySerializer(source="cooperative", read_only=True)
    category = CategorySummarySerializer(read_only=True)
    price_display = serializers.SerializerMethodField(
        help_text="The price formatted for the request's language (Accept-Language)."
    )
    delivery_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=DeliveryMode.choices), read_only=True
    )
    is_made_to_order = serializers.BooleanField(read_only=True)
    thumbnail_url = serializers.SerializerMethodField(
        help_text="The first image's 400 px thumbnail, or null."
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            "cooperative",
            "seller",
            "kind",
            "title",
            "description",
            "language",
            "category",
            "sku",
            "price_amount",
            "currency",
            "price_display",
            "unit",
            "min_order_quantity",
            "stock",
            "is_made_to_order",
            "lead_time_days",
            "credit_share_bps",
            "delivery_modes",
            "countries_served",
            "regions_served",
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "thumbnail_url",
        ]

    def get_price_display(self, listing: Listing) -> str:
        return listing.price.format(translation.get_language() or settings.LANGUAGE_CODE)

    def get_thumbnail_url(self, listing: Listing) -> str | None:
        images = list(listing.images.all())  # prefetched in position order
        if not images or not images[0].thumbnail_small:
            return None
        return _absolute(self.context.get("request"), images[0].thumbnail_small.url)

    def to_representation(self, listing: Listing) -> dict[str, Any]:
        """The same fields as declared above, built directly: lists render up to 100 listings
        and DRF's generic field machinery is most of their time. test_serializers pins both
        to the same output."""
        seller = listing.cooperative
        category = listing.category
        return {
            "id": listing.pk,
            "cooperative": seller.slug,
            "seller": {
                "slug": seller.slug,
                "name": seller.name,
                "country": seller.country,
                "is_verified": seller.is_verified,
                "is_recuperated": seller.is_recuperated,
            },
            "kind": listing.kind,
            "title": listing.title,
            "description": listing.description,
            "language": listing.language,
            "category": {
                "id": category.pk,
                "slug": category.slug,
                "name": category.name,
                "label": selectors.category_label(category),
                "path": category.path,
            },
            "sku": listing.sku,
            "price_amount": listing.price_amount,
            "currency": listing.currency,
            "price_display": self.get_price_display(listing),
            "unit": listing.unit,
            "min_order_quantity": listing.min_order_quantity,
            "stock": listing.stock,
            "is_made_to_order": listing.is_made_to_order,
            "lead_time_days": listing.lead_time_days,
            "credit_share_bps": listing.credit_share_bps,
            "delivery_modes": [str(mode) for mode in listing.delivery_modes],
            "countries_served": listing.countries_served,
            "regions_served": listing.regions_served,
            "status": listing.status,
            "published_at": _datetime(listing.published_at),
            "created_at": _datetime(listing.created_at),
            "updated_at": _datetime(listing.updated_at),
            "thumbnail_url": self.get_thumbnail_url(listing),
        }

    def to_representation_generic(self, listing: Listing) -> dict[str, Any]:
        """DRF's own rendering of the declared fields (what to_representation must equal)."""
        return super().to_representation(listing)


class ListingDetailSerializer(ListingSerializer):
    """One listing: every image; the seller's members also read why its status is what it is."""

    images = ListingImageSerializer(many=True, read_only=True)
    status_reason = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(ListingSerializer.Meta):
        fields = [*ListingSerializer.Meta.fields, "images", "status_reason", "submitted_at"]

    def to_representation(self, listing: Listing) -> dict[str, Any]:
        data = super().to_representation(listing)
        request = self.context.get("request")
        data["images"] = ListingImageSerializer(
            listing.images.all(), many=True, context={"request": request}
        ).data
        data["status_reason"] = self.get_status_reason(listing)
        data["submitted_at"] = _datetime(listing.submitted_at)
        return data

    def to_representation_generic(self, listing: Listing) -> dict[str, Any]:
        return serializers.ModelSerializer.to_representation(self, listing)

    def get_status_reason(self, listing: Listing) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if is_moderator(user) or is_member(user, listing.cooperative):
            return listing.status_reason
        return ""


def _check_currency(value: str) -> str:
    code = value.strip().upper()
    if code not in currency_codes():
        raise serializers.ValidationError(
            _("'%(value)s' is not an ISO 4217 currency code.") % {"value": value}
        )
    return code


class ListingWriteSerializer(serializers.Serializer):
    """What a seller sends to create (all required fields) or edit (any subset) a listing."""

    cooperative = serializers.SlugField(
        help_text="Slug of the seller cooperative (on create only; you must be its owner or admin)."
    )
    kind = serializers.ChoiceField(choices=ListingKind.choices)
    # The model's text checks, here too: the schema then states them (core.api.schema).
    title = serializers.CharField(max_length=200, validators=[validate_one_line])
    description = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, validators=[validate_multi_line]
    )
    language = serializers.ChoiceField(
        choices=[("", "unknown"), *settings.LANGUAGES],
        required=False,
        allow_blank=True,
        help_text="Language of the title and description; defaults to the cooperative's.",
    )
    category = serializers.CharField(max_length=80, help_text="Category slug or id.")
    sku = serializers.CharField(
        max_length=64, required=False, allow_blank=True, validators=[validate_one_line]
    )
    price_amount = serializers.IntegerField(
        min_value=1, max_value=MAX_PRICE_AMOUNT, help_text="Price per unit in minor units."
    )
    currency = serializers.CharField(min_length=3, max_length=3, help_text="ISO 4217 code.")
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    min_order_quantity = serializers.IntegerField(min_value=1, max_value=MAX_STOCK, required=False)
    stock = serializers.IntegerField(
        min_value=0,
        max_value=MAX_STOCK,
        required=False,
        allow_null=True,
        help_text="Units available now (capacity for services); null means made to order.",
    )
    lead_time_days = serializers.IntegerField(min_value=0, max_value=365, required=False)
    credit_share_bps = serializers.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        allow_null=True,
        help_text="Share of the price accepted in mutual credit (bps); null: the cooperative's.",
    )
    delivery_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=DeliveryMode.choices),
        required=False,
        max_length=len(DeliveryMode.values),
    )
    countries_served = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), required=False, max_length=250
    )
    regions_served = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[validate_one_line]
    )

    def validate_currency(self, value: str) -> str:
        return _check_currency(value)


class ListingUpdateSerializer(ListingWriteSerializer):
    cooperative = None  # type: ignore[assignment]
    confirm_price_change = serializers.BooleanField(
        required=False,
        help_text="Set true to change the price by a factor of 50 or more; without it such a "
        "change is refused with 409 `price_change_unconfirmed` (a slip of the decimal separator "
        "is more likely than a decision).",
    )


class ListingImageInputSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 10 MB and 40 megapixels.")
    alt_text = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[validate_one_line]
    )


class ListingImageUpdateSerializer(serializers.Serializer):
    alt_text = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[validate_one_line]
    )
    position = serializers.IntegerField(
        min_value=0, max_value=99, required=False, help_text="0 is the cover."
    )


class ListingEventSerializer(ReadOnlyModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ListingEvent
        fields = ["id", "action", "from_status", "to_status", "reason", "actor", "at"]

    def get_actor(self, event: ListingEvent) -> str | None:
        return event.actor.name if event.actor else None


class CatalogueImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, UTF-8; see docs/catalogue.md for the columns.")
    dry_run = serializers.BooleanField(
        default=False, help_text="Check the file and report what would change, writing nothing."
    )


class CatalogueImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    sent_back_to_review = serializers.IntegerField()
    total = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line of the file (the header is line 1).")
    column = serializers.CharField()
    message = serializers.CharField()


class CatalogueImportErrorSerializer(serializers.Serializer):
    """A refused file: `detail`, `code` and every bad row in `errors`; when the form itself is
    invalid (no file), a list of messages per field instead, as for any 400."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    errors = RowErrorSerializer(many=True, required=False)  # type: ignore[assignment]
