"""Reads for moderators and for the sellers who follow decisions about them.

Every list keeps a constant number of queries whatever its length.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import MODERATORS_GROUP, User
from cooperatives.models import Cooperative, Membership, VerificationRequest
from marketplace.models import Listing
from marketplace.state import ListingStatus
from moderation.models import (
    APPEALABLE_ACTIONS,
    DECISION_ACTIONS,
    SELLER_VISIBLE_ACTIONS,
    STATUS_CHANGING_ACTIONS,
    ActionKind,
    Appeal,
    ModerationAction,
    Report,
)
from moderation.permissions import can_view_decisions_of
from moderation.state import ReportStatus

ADVERSE_ACTIONS = [
    ActionKind.LISTING_REJECT,
    ActionKind.LISTING_SUSPEND,
    ActionKind.COOPERATIVE_REJECT,
    ActionKind.COOPERATIVE_SUSPEND,
]
PRIOR_DECISIONS_SHOWN = 3


def cooperative_ids_of(user: Any) -> frozenset[int]:
    """The cooperatives a user belongs to, i.e. where a moderator has a conflict of interest."""
    if not (user and user.is_authenticated):
        return frozenset()
    return frozenset(Membership.objects.filter(user=user).values_list("cooperative_id", flat=True))


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) as an annotation, without a GROUP BY on the outer query."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .annotate(_group=Value(1))
            .values("_group")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _with_review_record(queryset: QuerySet[Listing]) -> QuerySet[Listing]:
    """Listings with their seller, prior decisions and the seller's record of adverse ones."""
    decisions = ModerationAction.objects.filter(action__in=DECISION_ACTIONS).select_related("actor")
    return (
        queryset.select_related("cooperative", "category")
        .prefetch_related(
            Prefetch(
                "moderation_actions",
                queryset=decisions.order_by("-created_at", "-id"),
                to_attr="prior_decisions",
            )
        )
        .annotate(
            seller_adverse_decisions=_count(
                ModerationAction.objects.filter(action__in=ADVERSE_ACTIONS).filter(
                    Q(listing__cooperative=OuterRef("cooperative"))
                    | Q(cooperative=OuterRef("cooperative"))
                )
            ),
            queued_at=Coalesce("submitted_at", "updated_at"),
        )
    )


def listing_review_queue(*, status: str = ListingStatus.PENDING_REVIEW) -> QuerySet[Listing]:
    """Listings in one status, oldest submission first, with the seller's record of decisions."""
    queryset = _with_review_record(Listing.objects.filter(status=status))
    return queryset.order_by(F("queued_at").asc(), "id")


def listing_get_for_review(listing_id: int) -> Listing:
    """One listing, whatever its status, as the review queue shows it."""
    listing = _with_review_record(Listing.objects.filter(pk=listing_id)).first()
    if listing is None:
        raise Http404("No listing with this id.")
    return listing


def listing_get_for_moderation(listing_id: int) -> Listing:
    listing = Listing.objects.select_related("cooperative").filter(pk=listing_id).first()
    if listing is None:
        raise Http404("No listing with this id.")
    return listing


def cooperative_get_for_moderation(slug: str) -> Cooperative:
    cooperative = Cooperative.objects.filter(slug=slug).first()
    if cooperative is None:
        raise Http404("No cooperative with this slug.")
    return cooperative


def verification_request_queue(
    *, status: str = VerificationRequest.Status.PENDING
) -> QuerySet[VerificationRequest]:
    """Verification requests, oldest first, with their documents and the cooperative."""
    return (
        VerificationRequest.objects.filter(status=status)
        .select_related("cooperative", "submitted_by", "decided_by")
        .prefetch_related("documents")
        .order_by("created_at", "id")
    )


def action_list() -> QuerySet[ModerationAction]:
    """The log, newest first."""
    return ModerationAction.objects.select_related(
        "actor", "listing", "listing__cooperative", "cooperative"
    ).order_by("-created_at", "-id")


def action_get(action_id: int) -> ModerationAction:
    action = action_list().filter(pk=action_id).first()
    if action is None:
        raise Http404("No moderation action with this id.")
    return action


# Reports ------------------------------------------------------------------------------------


@dataclass
class ReportGroup:
    """Reports on one item, shown as one line of the moderators' queue."""

    listing: Listing | None
    cooperative: Cooperative | None
    count: int
    first_reported_at: datetime
    last_reported_at: datetime
    reports: list[Report] = field(default_factory=list)

    @property
    def report_id(self) -> int:
        """The report to resolve for the whole group (its oldest)."""
        return self.reports[0].pk

    @property
    def reasons(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for report in self.reports:
            counts[report.reason] = counts.get(report.reason, 0) + 1
        return counts


def report_group_keys(*, status: str = ReportStatus.OPEN) -> QuerySet[Any]:
    """One row per reported item: (listing_id, cooperative_id, count, first and last report)."""
    return (
        Report.objects.filter(status=status)
        .values("listing_id", "cooperative_id")
        .annotate(
            count=Count("id"),
            first_reported_at=Min("created_at"),
            last_reported_at=Max("created_at"),
        )
        .order_by("-count", "first_reported_at", F("listing_id").asc(nulls_last=True))
    )


def report_groups(
    keys: list[dict[str, Any]], *, status: str = ReportStatus.OPEN
) -> list[ReportGroup]:
    """Expand a page of group keys into groups with their reports, in three queries."""
    listing_ids = [key["listing_id"] for key in keys if key["listing_id"]]
    cooperative_ids = [key["cooperative_id"] for key in keys if key["cooperative_id"]]
    reports = (
        Report.objects.filter(status=status)
        .filter(Q(listing_id__in=listing_ids) | Q(cooperative_id__in=cooperative_ids))
        .select_related("reporter", "listing", "listing__cooperative", "cooperative")
        .order_by("created_at", "id")
    )
    by_target: dict[tuple[int | None, int | None], list[Report]] = {}
    for report in reports:
        by_target.setdefault((report.listing_id, report.cooperative_id), []).append(report)
    groups = []
    for key in keys:
        members = by_target.get((key["listing_id"], key["cooperative_id"]), [])
        if not members:
            continue
        groups.append(
            ReportGroup(
                listing=members[0].listing,
                cooperative=members[0].cooperative,
                count=len(members),
                first_reported_at=key["first_reported_at"],
                last_reported_at=key["last_reported_at"],
                reports=members,
            )
        )
    return groups


def report_get_for_moderation(report_id: int) -> Report:
    report = (
        Report.objects.select_related("listing", "listing__cooperative", "cooperative")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404("No report with this id.")
    return report


# Appeals and decisions as the seller sees them ----------------------------------------------


def appeal_queue(*, status: str | None = None) -> QuerySet[Appeal]:
    """Appeals for moderators, oldest first."""
    queryset = Appeal.objects.select_related(
        "decision",
        "decision__actor",
        "decision__listing",
        "decision__listing__cooperative",
        "decision__cooperative",
        "cooperative",
        "appellant",
        "resolved_by",
    ).order_by("created_at", "id")
    return queryset.filter(status=status) if status else queryset


def appeal_get_for_moderation(appeal_id: int) -> Appeal:
    appeal = appeal_queue().filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404("No appeal with this id.")
    return appeal


def _cooperatives_followed_by(user: Any, cooperative: Cooperative | None) -> Q:
    if cooperative is not None:
        if not can_view_decisions_of(user, cooperative):
            raise Http404("No cooperative with this slug.")
        return Q(cooperative=cooperative)
    return Q(cooperative_id__in=cooperative_ids_of(user))


def appeal_list_for_member(user: Any, cooperative: Cooperative | None = None) -> QuerySet[Appeal]:
    """The appeals of one cooperative (or of all the user's cooperatives), newest first."""
    return (
        Appeal.objects.filter(_cooperatives_followed_by(user, cooperative))
        .select_related(
            "decision",
            "decision__listing",
            "decision__listing__cooperative",
            "decision__cooperative",
            "cooperative",
        )
        .order_by("-created_at", "-id")
    )


def decision_list_for_cooperative(
    user: Any, cooperative: Cooperative | None = None
) -> QuerySet[ModerationAction]:
    """Decisions about a cooperative and its listings, newest first, with their appeal if any."""
    if cooperative is not None:
        if not can_view_decisions_of(user, cooperative):
            raise Http404("No cooperative with this slug.")
        ids: Any = [cooperative.pk]
    else:
        ids = cooperative_ids_of(user)
    later_decisions = ModerationAction.objects.filter(
        action__in=STATUS_CHANGING_ACTIONS, pk__gt=OuterRef("pk")
    ).filter(
        Q(listing_id__isnull=False, listing_id=OuterRef("listing_id"))
        | Q(cooperative_id__isnull=False, cooperative_id=OuterRef("cooperative_id"))
    )
    return (
        ModerationAction.objects.filter(action__in=SELLER_VISIBLE_ACTIONS)
        .filter(Q(cooperative_id__in=ids) | Q(listing__cooperative_id__in=ids))
        .select_related("listing", "listing__cooperative", "cooperative", "contested_by")
        .annotate(is_superseded=Exists(later_decisions))
        .order_by("-created_at", "-id")
    )


def is_appealable(decision: ModerationAction, *, now: datetime | None = None) -> bool:
    """A rejection or suspension still in force, not appealed yet, within the appeal period.

    `decision` comes from `decision_list_for_cooperative` (it carries `is_superseded`).
    """
    if decision.action not in APPEALABLE_ACTIONS or hasattr(decision, "contested_by"):
        return False
    if getattr(decision, "is_superseded", False):
        return False
    deadline = appeal_deadline(decision)
    if deadline is None or (now or timezone.now()) > deadline:
        return False
    target = decision.listing if decision.listing_id else decision.cooperative
    current = target.status if isinstance(target, Listing) else target.verification_status  # type: ignore[union-attr]
    return current == decision.to_status


def appeal_deadline(decision: ModerationAction) -> datetime | None:
    """Rejections and suspensions can be appealed for a while (a setting); others never."""
    if decision.action not in APPEALABLE_ACTIONS:
        return None
    return decision.created_at + timedelta(days=settings.MODERATION_APPEAL_WINDOW_DAYS)


# Where a report or an appeal stands, in its author's export: its status and the course every
# resolvable has (`Resolvable`: filed, resolved, the moderator's note; not who resolved it).
EXPORTED_COURSE = ("status", "created_at", "resolved_at", "resolution_note")


def moderation_export_for_user(*, user: Any) -> dict[str, list[Any]]:
    """What moderation holds that a person wrote: the reports they filed, the appeals they made."""
    reports = Report.objects.filter(reporter=user).order_by("created_at", "id")
    appeals = Appeal.objects.filter(appellant=user).order_by("created_at", "id")
    return {
        "reports": list(
            reports.values(
                "id", "listing_id", "cooperative__slug", "reason", "details", *EXPORTED_COURSE
            )
        ),
        "appeals": list(
            appeals.values("id", "decision_id", "cooperative__slug", "statement", *EXPORTED_COURSE)
        ),
    }


# For the pages ------------------------------------------------------------------------------


def cooperative_list_for_moderation(*, status: str) -> QuerySet[Cooperative]:
    """Cooperatives in one verification status, by name (suspended ones included)."""
    return Cooperative.objects.filter(verification_status=status).order_by("name", "id")


def decision_list_about(cooperative: Cooperative) -> QuerySet[ModerationAction]:
    """The log rows about a cooperative and its listings, newest first (for moderators)."""
    return action_list().filter(Q(cooperative=cooperative) | Q(listing__cooperative=cooperative))


def decision_get_for_cooperative(
    user: Any, cooperative: Cooperative, decision_id: int
) -> ModerationAction:
    """One decision of `decision_list_for_cooperative` (a 404 for anyone who may not see it)."""
    decision = decision_list_for_cooperative(user, cooperative).filter(pk=decision_id).first()
    if decision is None:
        raise Http404("No decision with this id.")
    return decision


def moderator_list() -> QuerySet[User]:
    """Everyone who moderates, and anyone who ever took a logged decision, by name."""
    return (
        User.objects.filter(
            Q(is_superuser=True)
            | Q(groups__name=MODERATORS_GROUP)
            | Q(moderation_actions__isnull=False)
        )
        .distinct()
        .order_by("name", "id")
    )
