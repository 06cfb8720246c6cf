"""Reports, appeals and the append-only log of every moderation decision."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from cooperatives.state import VerificationStatus
from core.append_only import AppendOnlyError, AppendOnlyModel  # noqa: F401 (AppendOnlyError: re-exported)
from core.models import exactly_one_of, one_of_choices
from marketplace.models import Listing
from marketplace.state import ListingStatus
from moderation.state import (  # noqa: F401 (AppealOutcome, ReportOutcome: re-exported)
    REPORT_LIFECYCLE,
    AppealOutcome,
    AppealStatus,
    ReportOutcome,
    ReportStatus,
)


class ActionKind(models.TextChoices):
    LISTING_APPROVE = "listing_approve", _("Listing approved")
    LISTING_REJECT = "listing_reject", _("Listing rejected")
    LISTING_SUSPEND = "listing_suspend", _("Listing suspended")
    LISTING_REINSTATE = "listing_reinstate", _("Listing reinstated")
    COOPERATIVE_VERIFY = "cooperative_verify", _("Cooperative verified")
    COOPERATIVE_REJECT = "cooperative_reject", _("Verification rejected")
    COOPERATIVE_SUSPEND = "cooperative_suspend", _("Cooperative suspended")
    COOPERATIVE_REINSTATE = "cooperative_reinstate", _("Cooperative reinstated")
    REPORT_RESOLVE = "report_resolve", _("Report resolved: action taken")
    REPORT_DISMISS = "report_dismiss", _("Report dismissed")
    APPEAL_FILE = "appeal_file", _("Appeal filed")
    APPEAL_UPHOLD = "appeal_uphold", _("Appeal upheld: the decision stands")
    APPEAL_OVERTURN = "appeal_overturn", _("Appeal overturned the decision")


# Decisions a seller may contest once, while they are still in force.
APPEALABLE_ACTIONS = frozenset(
    {
        ActionKind.LISTING_REJECT,
        ActionKind.LISTING_SUSPEND,
        ActionKind.COOPERATIVE_REJECT,
        ActionKind.COOPERATIVE_SUSPEND,
    }
)
# Moderator decisions that change the status of a listing or a cooperative (what a report can
# link to as "the action taken").
DECISION_ACTIONS = frozenset(
    {
        ActionKind.LISTING_APPROVE,
        ActionKind.LISTING_REJECT,
        ActionKind.LISTING_SUSPEND,
        ActionKind.LISTING_REINSTATE,
        ActionKind.COOPERATIVE_VERIFY,
        ActionKind.COOPERATIVE_REJECT,
        ActionKind.COOPERATIVE_SUSPEND,
        ActionKind.COOPERATIVE_REINSTATE,
    }
)
# Rows after which a listing or cooperative is where a moderator put it.
STATUS_CHANGING_ACTIONS = DECISION_ACTIONS | {ActionKind.APPEAL_OVERTURN}
# What the seller's cooperative is told about (and what it sees in its list of decisions).
SELLER_VISIBLE_ACTIONS = DECISION_ACTIONS | {
    ActionKind.APPEAL_UPHOLD,
    ActionKind.APPEAL_OVERTURN,
}

EXACTLY_ONE_TARGET = exactly_one_of("listing", "cooperative")


def _target(model: type[models.Model], related_name: str) -> Any:
    """The listing or the cooperative a row is about (`EXACTLY_ONE_TARGET`): the other is NULL, and
    neither is deleted while the row names it."""
    return models.ForeignKey(
        model, on_delete=models.PROTECT, null=True, blank=True, related_name=related_name
    )


class OnListingOrCooperative:
    """A row about one listing or one cooperative (`EXACTLY_ONE_TARGET`): the action log and the
    reports."""

    listing: Any
    listing_id: int | None
    cooperative: Any

    @property
    def target(self) -> Listing | Cooperative:
        return self.listing if self.listing_id else self.cooperative  # type: ignore[no-any-return]

    @property
    def affected_cooperative(self) -> Cooperative:
        """The cooperative a decision is about: the listing's seller, or the cooperative itself."""
        return self.listing.cooperative if self.listing_id else self.cooperative  # type: ignore[no-any-return]


def target_status_label(code: str, *, is_listing: bool) -> str:
    """A listing's or a cooperative's status code as people read it ("Pendiente de revisión")."""
    choices = ListingStatus if is_listing else VerificationStatus
    return str(choices(code).label) if code in choices.values else code


class ModerationAction(OnListingOrCooperative, AppendOnlyModel):
    """Who did what to which listing or cooperative, when, from which status to which, and why.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them
    too (migration 0002), so not even raw SQL rewrites the log.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        help_text="The moderator who decided (for a filed appeal, the appellant).",
    )
    action = models.CharField(max_length=32, choices=ActionKind.choices)
    listing = _target(Listing, "moderation_actions")
    cooperative = _target(Cooperative, "moderation_actions")
    report = models.ForeignKey(
        "Report", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    appeal = models.ForeignKey(
        "Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    append_only_name = "The moderation log"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=EXACTLY_ONE_TARGET, name="moderation_action_exactly_one_target"
            ),
            one_of_choices("action", ActionKind, name="moderation_action_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_appealable_kind(self) -> bool:
        return self.action in APPEALABLE_ACTIONS

    @property
    def from_status_label(self) -> str:
        return target_status_label(self.from_status, is_listing=self.listing_id is not None)

    @property
    def to_status_label(self) -> str:
        return target_status_label(self.to_status, is_listing=self.listing_id is not None)


class ReportReason(models.TextChoices):
    MISLEADING = "misleading", _("Misleading")
    PROHIBITED = "prohibited", _("Prohibited goods or services")
    NOT_A_COOPERATIVE = "not_a_cooperative", _("Not a cooperative")
    FRAUD = "fraud", _("Fraud or scam")
    OFFENSIVE = "offensive", _("Offensive")
    OTHER = "other", _("Other")


class Resolvable(models.Model):
    """What a moderator closes with a note: a report, an appeal (when, by whom, what they wrote)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        abstract = True


class Report(OnListingOrCooperative, Resolvable):
    """A signed-in user's complaint about a listing or a cooperative."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reports"
    )
    listing = _target(Listing, "reports")
    cooperative = _target(Cooperative, "reports")
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    decision = models.ForeignKey(
        ModerationAction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_reports",
        help_text="The decision taken on the reported item, when there was one.",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_created")]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_TARGET, name="report_exactly_one_target"),
            one_of_choices("reason", ReportReason, name="report_reason_valid"),
            one_of_choices("status", ReportStatus, name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.OPEN, resolved_by__isnull=True)
                | (~Q(status=ReportStatus.OPEN) & Q(resolved_by__isnull=False)),
                name="report_resolved_by_iff_closed",
            ),
            # One open report per person and item: a second one adds nothing but noise.
            models.UniqueConstraint(
                fields=["reporter", "listing"],
                condition=Q(status=ReportStatus.OPEN),
                name="report_one_open_per_reporter_listing",
            ),
            models.UniqueConstraint(
                fields=["reporter", "cooperative"],
                condition=Q(status=ReportStatus.OPEN),
                name="report_one_open_per_reporter_cooperative",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.target}: {self.get_reason_display()}"

    @property
    def outcome(self) -> str | None:
        return REPORT_LIFECYCLE.outcome_of(self.status)


class Appeal(Resolvable):
    """A seller contests one decision, once; another moderator than the decider resolves it."""

    decision = models.OneToOneField(
        ModerationAction, on_delete=models.PROTECT, related_name="contested_by"
    )
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    # A copy of decision.actor, so the database itself refuses a resolution by the same person.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            one_of_choices("status", AppealStatus, name="appeal_status_valid"),
            models.CheckConstraint(
                condition=Q(resolved_by__isnull=True) | ~Q(resolved_by=F("decided_by")),
                name="appeal_resolver_is_not_the_decider",
            ),
            models.CheckConstraint(
                condition=Q(status=AppealStatus.OPEN, resolved_by__isnull=True)
                | (~Q(status=AppealStatus.OPEN) & Q(resolved_by__isnull=False)),
                name="appeal_resolved_by_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal {self.pk} against {self.decision.get_action_display()} ({self.status})"


class ListingModeration(Listing):
    """Listings as the admin's moderation screen shows them: decisions are actions."""

    class Meta:
        proxy = True
        verbose_name = "listing to moderate"
        verbose_name_plural = "listings to moderate"


class CooperativeModeration(Cooperative):
    """Cooperatives as the admin's moderation screen shows them: decisions are actions."""

    class Meta:
        proxy = True
        verbose_name = "cooperative to moderate"
        verbose_name_plural = "cooperatives to moderate"
