from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.api.serializers import VerificationDocumentSerializer
from cooperatives.models import Cooperative, VerificationRequest
from cooperatives.state import VerificationStatus
from core.api.fields import QueryChoiceField
from core.api.serializers import ReadOnlyModelSerializer
from marketplace.models import Listing
from marketplace.state import ListingStatus
from moderation import selectors
from moderation.models import (
    DECISION_ACTIONS,
    ActionKind,
    Appeal,
    AppealOutcome,
    ModerationAction,
    Report,
    ReportOutcome,
    ReportReason,
)
from moderation.services import GIVE_A_REASON, NOT_IN_CATALOGUE
from moderation.state import AppealStatus, ReportStatus

# Inputs -------------------------------------------------------------------------------------


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Shown to the cooperative.",
    )


class ReasonRequiredInputSerializer(serializers.Serializer):
    """To reject or suspend: the reason is required (moderation.services.REASON_REQUIRED), and
    the schema says so."""

    reason = serializers.CharField(
        max_length=2000,
        help_text="Shown to the cooperative, which may appeal.",
        error_messages={"required": GIVE_A_REASON, "blank": GIVE_A_REASON},
    )


class ReportInputSerializer(serializers.Serializer):
    """Only the shape: what may be reported is `moderation.services.report_create`'s rule, the
    same for the pages. An unknown id answers as a listing out of the catalogue does, so the
    answer does not tell whether a hidden listing exists."""

    listing = serializers.PrimaryKeyRelatedField(
        queryset=Listing.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of a listing in the catalogue; give it or `cooperative`.",
        error_messages={"does_not_exist": NOT_IN_CATALOGUE},
    )
    # Suspended cooperatives are hidden from people outside them (as on the pages, where their
    # profile is a 404): to the API they do not exist.
    cooperative = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Cooperative.objects.exclude(verification_status=VerificationStatus.SUSPENDED),
        required=False,
        allow_null=True,
        help_text="Slug of a cooperative; give it or `listing`.",
    )
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReportResolveInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReportOutcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    decision = serializers.PrimaryKeyRelatedField(
        queryset=ModerationAction.objects.filter(action__in=DECISION_ACTIONS),
        required=False,
        allow_null=True,
        help_text="With `action_taken`: the id of the decision taken on the reported item.",
    )


class AppealInputSerializer(serializers.Serializer):
    # An id, not a related field: a decision that does not exist is a 404, as in every path
    # that names an object (a 400 would refuse a request the schema allows).
    action = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of the decision (a rejection or suspension) being appealed; 404 when "
        "there is none.",
    )
    statement = serializers.CharField(max_length=5000)


class AppealResolveInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices)
    note = serializers.CharField(max_length=2000, help_text="Shown to the cooperative.")


class ReviewQueueQuerySerializer(serializers.Serializer):
    status = QueryChoiceField(
        choices=ListingStatus.choices,
        default=ListingStatus.PENDING_REVIEW,
        help_text="Which listings to show; the review queue (pending_review) by default.",
    )
    cooperative = serializers.SlugField(required=False, help_text="Only this seller's listings.")


class ReportQueueQuerySerializer(serializers.Serializer):
    status = QueryChoiceField(choices=ReportStatus.choices, default=ReportStatus.OPEN)


class VerificationQueueQuerySerializer(serializers.Serializer):
    status = QueryChoiceField(
        choices=VerificationRequest.Status.choices, default=VerificationRequest.Status.PENDING
    )


class AppealQueueQuerySerializer(serializers.Serializer):
    status = QueryChoiceField(choices=AppealStatus.choices, default=AppealStatus.OPEN)


class CooperativeQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(
        required=False, help_text="Slug of one of your cooperatives; all of them by default."
    )


# Outputs ------------------------------------------------------------------------------------


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()


class CooperativeBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    verification_status = serializers.CharField()
    is_verified = serializers.BooleanField()


class ListingBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    cooperative = CooperativeBriefSerializer()


class ModerationActionSerializer(ReadOnlyModelSerializer):
    """A row of the log, as moderators see it."""

    actor = UserBriefSerializer()
    action = serializers.ChoiceField(choices=ActionKind.choices)
    listing = ListingBriefSerializer(allow_null=True)
    cooperative = CooperativeBriefSerializer(allow_null=True)

    class Meta:
        model = ModerationAction
        fields = [
            "id",
            "action",
            "actor",
            "listing",
            "cooperative",
            "report",
            "appeal",
            "from_status",
            "to_status",
            "reason",
            "created_at",
        ]


class PriorDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=ActionKind.choices)
    reason = serializers.CharField()
    actor = serializers.CharField(source="actor.name")
    created_at = serializers.DateTimeField()


class ReviewQueueListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField()
    category = serializers.CharField(source="category.name")
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField()
    status_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    queued_at = serializers.DateTimeField()
    cooperative = CooperativeBriefSerializer()
    prior_decisions_count = serializers.SerializerMethodField()
    prior_decisions = serializers.SerializerMethodField()
    seller_adverse_decisions = serializers.IntegerField(
        help_text="Rejections and suspensions of the seller and its listings so far."
    )
    can_decide = serializers.SerializerMethodField(
        help_text="False when you are a member of the seller (conflict of interest)."
    )

    def get_prior_decisions_count(self, listing: Listing) -> int:
        return len(listing.prior_decisions)  # type: ignore[attr-defined]

    @extend_schema_field(PriorDecisionSerializer(many=True))
    def get_prior_decisions(self, listing: Listing) -> list[dict[str, Any]]:
        latest = listing.prior_decisions[: selectors.PRIOR_DECISIONS_SHOWN]  # type: ignore[attr-defined]
        return PriorDecisionSerializer(latest, many=True).data  # type: ignore[return-value]

    def get_can_decide(self, listing: Listing) -> bool:
        return listing.cooperative_id not in self.context["conflicts"]


class ReportSerializer(ReadOnlyModelSerializer):
    reporter = UserBriefSerializer(allow_null=True)
    outcome = serializers.ChoiceField(choices=ReportOutcome.choices, allow_null=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "listing",
            "cooperative",
            "reporter",
            "reason",
            "details",
            "status",
            "outcome",
            "created_at",
            "resolved_at",
            "resolution_note",
            "decision",
        ]


class ReportCreatedSerializer(ReadOnlyModelSerializer):
    """What the reporter gets back."""

    # null when a listing was reported (the schema said a string: the fuzzing's finding).
    cooperative = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Report
        fields = ["id", "listing", "cooperative", "reason", "details", "status", "created_at"]


class ReportGroupSerializer(serializers.Serializer):
    report_id = serializers.IntegerField(help_text="Resolve this report to close the group.")
    listing = ListingBriefSerializer(allow_null=True)
    cooperative = CooperativeBriefSerializer(allow_null=True)
    count = serializers.IntegerField()
    reasons = serializers.DictField(child=serializers.IntegerField())
    first_reported_at = serializers.DateTimeField()
    last_reported_at = serializers.DateTimeField()
    can_decide = serializers.SerializerMethodField()
    reports = ReportSerializer(many=True)

    def get_can_decide(self, group: selectors.ReportGroup) -> bool:
        cooperative = group.listing.cooperative if group.listing else group.cooperative
        return cooperative.pk not in self.context["conflicts"]  # type: ignore[union-attr]


class VerificationDocumentLinkSerializer(VerificationDocumentSerializer):
    url = serializers.SerializerMethodField(help_text="Download (moderators and members only).")

    class Meta(VerificationDocumentSerializer.Meta):
        fields = [*VerificationDocumentSerializer.Meta.fields, "url"]

    def get_url(self, document: Any) -> str:
        path = (
            f"/api/v1/cooperatives/{document.request.cooperative.slug}"
            f"/verification/documents/{document.pk}/"
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class VerificationQueueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cooperative = CooperativeBriefSerializer()
    legal_form = serializers.CharField(source="cooperative.legal_form")
    country = serializers.CharField(source="cooperative.country")
    tax_id = serializers.CharField(source="cooperative.tax_id")
    submitted_by = UserBriefSerializer(allow_null=True)
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    documents = VerificationDocumentLinkSerializer(many=True)
    can_decide = serializers.SerializerMethodField()

    def get_can_decide(self, request: VerificationRequest) -> bool:
        return request.cooperative_id not in self.context["conflicts"]


class AppealDecisionSerializer(serializers.Serializer):
    """The contested decision, as the seller sees it (moderators are not named to sellers)."""

    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=ActionKind.choices)
    listing = serializers.SerializerMethodField()
    cooperative = serializers.CharField(source="affected_cooperative.slug")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_listing(self, decision: ModerationAction) -> dict[str, Any] | None:
        if not decision.listing_id:
            return None
        return {"id": decision.listing.pk, "title": decision.listing.title}  # type: ignore[union-attr]


class AppealSerializer(ReadOnlyModelSerializer):
    """An appeal as the appellant's cooperative sees it."""

    decision = AppealDecisionSerializer()
    cooperative = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Appeal
        fields = [
            "id",
            "decision",
            "cooperative",
            "statement",
            "status",
            "created_at",
            "resolved_at",
            "resolution_note",
        ]


class ModeratorAppealSerializer(AppealSerializer):
    """An appeal as moderators see it: who appealed, who decided, whether you may resolve it."""

    appellant = UserBriefSerializer()
    decided_by = UserBriefSerializer(source="decision.actor")
    resolved_by = UserBriefSerializer(allow_null=True)
    can_decide = serializers.SerializerMethodField(
        help_text="False when you took the decision or are a member of the cooperative."
    )

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "appellant",
            "decided_by",
            "resolved_by",
            "can_decide",
        ]

    def get_can_decide(self, appeal: Appeal) -> bool:
        user = self.context["request"].user
        return (
            appeal.decided_by_id != user.pk
            and appeal.cooperative_id not in self.context["conflicts"]
        )


class AppealBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    resolution_note = serializers.CharField()


class DecisionSerializer(ReadOnlyModelSerializer):
    """A decision about the seller's cooperative or its listings, and whether it can be appealed."""

    action = serializers.ChoiceField(choices=ActionKind.choices)
    listing = serializers.SerializerMethodField()
    cooperative = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()
    is_appealable = serializers.SerializerMethodField()
    appeal_deadline = serializers.SerializerMethodField()

    class Meta:
        model = ModerationAction
        fields = [
            "id",
            "action",
            "listing",
            "cooperative",
            "from_status",
            "to_status",
            "reason",
            "created_at",
            "appeal",
            "is_appealable",
            "appeal_deadline",
        ]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_listing(self, decision: ModerationAction) -> dict[str, Any] | None:
        if not decision.listing_id:
            return None
        listing = decision.listing
        return {"id": listing.pk, "title": listing.title, "status": listing.status}  # type: ignore[union-attr]

    def get_cooperative(self, decision: ModerationAction) -> str:
        return decision.affected_cooperative.slug

    @extend_schema_field(AppealBriefSerializer(allow_null=True))
    def get_appeal(self, decision: ModerationAction) -> dict[str, Any] | None:
        appeal = getattr(decision, "contested_by", None)
        return AppealBriefSerializer(appeal).data if appeal else None  # type: ignore[return-value]

    def get_is_appealable(self, decision: ModerationAction) -> bool:
        return selectors.is_appealable(decision)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_appeal_deadline(self, decision: ModerationAction) -> Any:
        deadline = selectors.appeal_deadline(decision)
        return serializers.DateTimeField().to_representation(deadline) if deadline else None
