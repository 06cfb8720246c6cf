"""Requests for quotes, quotes, messages, agreements and standing orders: what the API reads and
what it takes. Amounts are integers of minor units; shares are basis points (10,000 = 100 %)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.api.serializers import CooperativeRefSerializer
from cooperatives.models import Cooperative
from core.api.serializers import ReadOnlyModelSerializer
from marketplace.models import Category, Listing
from quotes.models import (
    MAX_QUANTITY,
    Agreement,
    AgreementPrice,
    BuyerGroup,
    Quote,
    QuoteLine,
    QuoteVersion,
    Rfq,
    RfqAttachment,
    RfqMessage,
    Schedule,
    StandingOrder,
    StandingOrderDraft,
    StandingOrderLine,
    Visibility,
)
from quotes.services import QuoteLineInput, QuoteTerms
from quotes.state import AgreementStatus, QuoteStatus, RfqStatus

ROLES = [("buyer", "buyer"), ("seller", "seller")]


class ListQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="One of your cooperatives.")
    role = serializers.ChoiceField(
        choices=ROLES, required=False, help_text="Its side; both by default."
    )


class RfqListQuerySerializer(ListQuerySerializer):
    status = serializers.ChoiceField(choices=RfqStatus.choices, required=False)


class AgreementListQuerySerializer(ListQuerySerializer):
    status = serializers.ChoiceField(choices=AgreementStatus.choices, required=False)


# --- requests and quotes ------------------------------------------------------------------


class RfqAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The name the file was sent with.")
    size = serializers.IntegerField(
        allow_null=True, help_text="In bytes, as uploaded; null when the stored file was gone."
    )
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField(
        help_text="Download (the buyer's members and the sellers the request is for)."
    )

    def get_url(self, attachment: RfqAttachment) -> str:
        path = f"/api/v1/rfqs/{attachment.rfq_id}/attachments/{attachment.pk}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class RfqSerializer(ReadOnlyModelSerializer):
    buyer = CooperativeRefSerializer()
    category = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", read_only=True, allow_null=True
    )
    attachments = serializers.SerializerMethodField()
    attachment_files = serializers.SerializerMethodField()

    class Meta:
        model = Rfq
        fields = [
            "id",
            "buyer",
            "title",
            "specification",
            "quantity",
            "unit",
            "delivery_place",
            "delivery_date",
            "answers_due_at",
            "visibility",
            "category",
            "region",
            "is_single_award",
            "max_counters",
            "status",
            "created_at",
            "closed_at",
            "attachments",
            "attachment_files",
        ]

    @staticmethod
    def _attached(rfq: Rfq) -> list[RfqAttachment]:
        """The request's files when they were fetched with it (the detail), else none."""
        cache = getattr(rfq, "_prefetched_objects_cache", {})
        return list(cache.get("attachments", []))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_attachments(self, rfq: Rfq) -> list[str]:
        """The attached files' names (detail only)."""
        return [attachment.name for attachment in self._attached(rfq)]

    @extend_schema_field(RfqAttachmentSerializer(many=True))
    def get_attachment_files(self, rfq: Rfq) -> list[dict[str, Any]]:
        """The attached files with their download addresses (detail only)."""
        return RfqAttachmentSerializer(  # type: ignore[return-value]
            self._attached(rfq), many=True, context=self.context
        ).data


class RfqInputSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The buyer: one of your cooperatives.")
    title = serializers.CharField(max_length=200)
    specification = serializers.CharField(max_length=10_000)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit = serializers.CharField(max_length=8)
    delivery_place = serializers.CharField(max_length=300)
    delivery_date = serializers.DateField()
    answers_due_at = serializers.DateTimeField()
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    invited = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        max_length=50,
        help_text="A private request: the slugs of the cooperatives asked.",
    )
    category = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text="An open request: the category it is for.",
    )
    region = serializers.CharField(max_length=120, required=False, allow_blank=True)
    is_single_award = serializers.BooleanField(default=True)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Multipart only; at most 5."
    )

    def validate_invited(self, slugs: list[str]) -> list[Cooperative]:
        found = list(Cooperative.objects.filter(slug__in=slugs).order_by("pk"))
        if len(found) != len(set(slugs)):
            raise serializers.ValidationError(_("Name existing cooperatives, each once."))
        return found


class QuoteLineSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = QuoteLine
        fields = ["position", "description", "quantity", "unit", "unit_price_amount"]


class QuoteVersionSerializer(ReadOnlyModelSerializer):
    lines = QuoteLineSerializer(many=True)

    class Meta:
        model = QuoteVersion
        fields = [
            "id",
            "number",
            "author_side",
            "currency",
            "total_amount",
            "valid_until",
            "lead_time_days",
            "payment_terms_days",
            "credit_share_bps",
            "note",
            "created_at",
            "lines",
        ]


class QuoteSerializer(ReadOnlyModelSerializer):
    seller = CooperativeRefSerializer()
    versions = QuoteVersionSerializer(many=True, help_text="Oldest first; award the last.")
    status = serializers.ChoiceField(choices=QuoteStatus.choices)

    class Meta:
        model = Quote
        fields = [
            "id",
            "rfq",
            "seller",
            "status",
            "awarded_version",
            "awarded_quantity",
            "created_at",
            "updated_at",
            "versions",
        ]


class QuoteLineInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit = serializers.CharField(max_length=8)
    unit_price_amount = serializers.IntegerField(min_value=0, help_text="Minor units.")


class QuoteTermsSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3)
    valid_until = serializers.DateField()
    lead_time_days = serializers.IntegerField(min_value=0, max_value=3650)
    payment_terms_days = serializers.IntegerField(min_value=0, max_value=365)
    credit_share_bps = serializers.IntegerField(min_value=0, max_value=10_000, default=0)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lines = QuoteLineInputSerializer(many=True, allow_empty=False, max_length=50)  # type: ignore[call-arg]


def quote_terms(validated: dict[str, Any]) -> QuoteTerms:
    """The terms a `QuoteTermsSerializer` validated, as the services take them."""
    values = dict(validated)
    values.pop("cooperative", None)
    lines = [QuoteLineInput(**line) for line in values.pop("lines")]
    return QuoteTerms(lines=lines, **values)


class QuoteInputSerializer(QuoteTermsSerializer):
    cooperative = serializers.SlugField(
        required=False,
        help_text="The seller, one of your cooperatives; needed only when several of yours may "
        "answer this request.",
    )


class AwardItemSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="A quote version id: the latest of its quote.")
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        required=False,
        allow_null=True,
        help_text="Part of a one-line quote (a split award); the whole quote when absent.",
    )


class AwardInputSerializer(serializers.Serializer):
    awards = AwardItemSerializer(many=True, allow_empty=False, max_length=50)  # type: ignore[call-arg]


class RfqMessageSerializer(ReadOnlyModelSerializer):
    author = serializers.SerializerMethodField()
    seller = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = RfqMessage
        fields = ["id", "seller", "author", "author_side", "body", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, message: RfqMessage) -> str | None:
        return message.author.name if message.author else None


class ThreadQuerySerializer(serializers.Serializer):
    seller = serializers.SlugField(
        required=False, help_text="The buyer names the seller whose thread it reads or writes."
    )


class RfqMessageInputSerializer(ThreadQuerySerializer):
    body = serializers.CharField(max_length=5000)


# --- agreements ---------------------------------------------------------------------------


class AgreementPriceSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    listing = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        queryset=Listing.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = AgreementPrice
        fields = ["listing", "category", "min_quantity", "fixed_price_amount", "discount_bps"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("listing") is None) == (attrs.get("category") is None):
            raise serializers.ValidationError(_("Price one listing or one category per row."))
        if (attrs.get("fixed_price_amount") is None) == (attrs.get("discount_bps") is None):
            raise serializers.ValidationError(_("Give a fixed price or a discount per row."))
        return attrs


class BuyerGroupRefSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = BuyerGroup
        fields = ["id", "name"]


AGREEMENT_TERMS = [
    "name",
    "currency",
    "payment_terms_days",
    "credit_share_bps",
    "early_payment_discount_bps",
    "early_payment_days",
    "valid_from",
    "valid_until",
    "review_on",
]


class AgreementSerializer(ReadOnlyModelSerializer):
    seller = CooperativeRefSerializer()
    buyer = CooperativeRefSerializer(allow_null=True)
    buyer_group = BuyerGroupRefSerializer(allow_null=True)
    prices = AgreementPriceSerializer(many=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "seller",
            "buyer",
            "buyer_group",
            "series",
            "version",
            *AGREEMENT_TERMS,
            "status",
            "seller_accepted_at",
            "buyer_accepted_at",
            "created_at",
            "prices",
        ]


class AgreementInputSerializer(serializers.ModelSerializer):
    cooperative = serializers.SlugField(help_text="The seller: one of your cooperatives.")
    buyer = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", queryset=Cooperative.objects.all(), required=False, allow_null=True
    )
    buyer_group = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        queryset=BuyerGroup.objects.all(), required=False, allow_null=True
    )
    replaces = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        queryset=Agreement.objects.all(),
        required=False,
        allow_null=True,
        help_text="The agreement this is a new version of (yours, as seller).",
    )
    prices = AgreementPriceSerializer(many=True, allow_empty=False, max_length=200)  # type: ignore[call-arg]

    class Meta:
        model = Agreement
        fields = ["cooperative", "buyer", "buyer_group", "replaces", *AGREEMENT_TERMS, "prices"]


class AgreementAcceptSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(
        required=False,
        help_text="The buyer (for a group agreement, the member) accepting; found from your "
        "cooperatives when absent.",
    )


# --- standing orders ----------------------------------------------------------------------


class StandingOrderLineSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="listing.title", read_only=True)

    class Meta:
        model = StandingOrderLine
        fields = ["listing", "title", "quantity"]


class StandingOrderDraftSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = StandingOrderDraft
        fields = ["id", "period_start", "status", "lines", "has_out_of_stock", "decided_at"]


class StandingOrderSerializer(ReadOnlyModelSerializer):
    buyer = CooperativeRefSerializer()
    seller = CooperativeRefSerializer(source="agreement.seller")
    lines = StandingOrderLineSerializer(many=True)
    drafts = StandingOrderDraftSerializer(many=True)

    class Meta:
        model = StandingOrder
        fields = [
            "id",
            "agreement",
            "buyer",
            "seller",
            "schedule",
            "starts_on",
            "ends_on",
            "is_active",
            "created_at",
            "lines",
            "drafts",
        ]


class StandingOrderLineInputSerializer(serializers.Serializer):
    listing = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class StandingOrderInputSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The buyer: one of your cooperatives.")
    agreement = serializers.IntegerField(help_text="An active agreement that applies to it.")
    schedule = serializers.ChoiceField(choices=Schedule.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    lines = StandingOrderLineInputSerializer(many=True, allow_empty=False, max_length=50)  # type: ignore[call-arg]
