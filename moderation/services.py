"""Every moderation write: decisions on listings and cooperatives, reports, appeals.

Each decision locks the row it changes, checks the transition in the lifecycle table, writes one
`ModerationAction` in the same transaction and e-mails the cooperative after commit. Services
check permissions themselves, so the API, the pages and the admin obey the same rules.
"""

from collections.abc import Container
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cooperatives import state as cooperative_state
from cooperatives.models import Cooperative, VerificationRequest
from cooperatives.permissions import is_moderator
from core.errors import DomainError, NotPermitted, TransitionNotAllowed
from marketplace.models import Listing
from marketplace.services import listing_transition
from marketplace.state import ListingStatus
from moderation import permissions
from moderation.models import (
    APPEALABLE_ACTIONS,
    DECISION_ACTIONS,
    STATUS_CHANGING_ACTIONS,
    ActionKind,
    Appeal,
    AppealOutcome,
    ModerationAction,
    Report,
    ReportOutcome,
    target_status_label,
)
from moderation.notifications import notify_after_commit, notify_cooperative
from moderation.selectors import appeal_deadline
from moderation.state import (
    APPEAL_LIFECYCLE,
    REPORT_LIFECYCLE,
    ReportStatus,
    ensure_appeal_transition,
    ensure_report_transition,
)
from orders.services import orders_flag_for_suspended_cooperative

LISTING_ACTIONS = {
    "approve": ActionKind.LISTING_APPROVE,
    "reject": ActionKind.LISTING_REJECT,
    "suspend": ActionKind.LISTING_SUSPEND,
    "reinstate": ActionKind.LISTING_REINSTATE,
}
COOPERATIVE_ACTIONS = {
    "verify": ActionKind.COOPERATIVE_VERIFY,
    "reject": ActionKind.COOPERATIVE_REJECT,
    "suspend": ActionKind.COOPERATIVE_SUSPEND,
    "reinstate": ActionKind.COOPERATIVE_REINSTATE,
}
S = ListingStatus
# Decisions that take something away need a reason the seller can read (and contest).
REASON_REQUIRED = frozenset({"reject", "suspend"})
# A listing may be reported while it is in the catalogue: published, by a cooperative in good
# standing (marketplace.permissions.can_view_listing for everyone).
# Who may not decide: someone who is not a moderator, a moderator who is a member of the cooperative.
LISTING_REFUSALS = (
    gettext_lazy("Only moderators may decide on listings."),
    gettext_lazy("You are a member of this listing's cooperative: another moderator decides."),
)
COOPERATIVE_REFUSALS = (
    gettext_lazy("Only moderators may decide on cooperatives."),
    gettext_lazy("You are a member of this cooperative: another moderator decides."),
)
NOT_IN_CATALOGUE = gettext_lazy("Only listings in the catalogue can be reported.")


ALREADY_APPEALED = gettext_lazy("This decision was already appealed; one appeal each.")
GIVE_A_REASON = gettext_lazy("Give a reason: the cooperative will read it.")


def _require_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [GIVE_A_REASON]})
    return reason


def _decision_reason(
    decision: str,
    known: Container[str],
    actor: User,
    cooperative: Cooperative,
    reason: str,
    refusals: tuple[Any, Any],
) -> str:
    """Refuse a decision not in `known`, then (with `refusals`) someone who is not a moderator
    and a moderator who is a member of `cooperative`; return the reason, required where the
    decision takes something away."""
    if decision not in known:
        raise ValueError(f"Unknown decision {decision!r}")
    not_moderator, conflict = refusals
    if not permissions.can_moderate(actor):
        raise NotPermitted(str(not_moderator))
    if not permissions.can_decide_on_cooperative(actor, cooperative):
        raise NotPermitted(str(conflict))
    return _require_reason(reason) if decision in REASON_REQUIRED else (reason or "").strip()


def _flag_open_orders(cooperative: Cooperative, actor: User) -> None:
    """Leave a suspended cooperative's open orders to a person instead of cancelling them."""
    orders_flag_for_suspended_cooperative(cooperative=cooperative, actor=actor)


def _log(**fields: Any) -> ModerationAction:
    return ModerationAction.objects.create(**fields)


def _notify_decision(decision: ModerationAction) -> None:
    notify_cooperative(
        decision.affected_cooperative,
        "decision",
        {"decision": decision, "appeal_deadline": appeal_deadline(decision)},
    )


def _record_decision(
    actor: User, kind: str, reason: str, from_status: str, to_status: str, **target: Any
) -> ModerationAction:
    """Log a decision on its `listing=` or `cooperative=` and tell the cooperative."""
    statuses = {"from_status": from_status, "to_status": to_status}
    action = _log(actor=actor, action=kind, reason=reason, **statuses, **target)
    _notify_decision(action)
    return action


# Listings -----------------------------------------------------------------------------------


@transaction.atomic
def listing_decide(
    *, listing: Listing, decision: str, actor: User, reason: str = ""
) -> ModerationAction:
    """approve, reject, suspend or reinstate a listing; the log and the seller learn why."""
    reason = _decision_reason(
        decision, LISTING_ACTIONS, actor, listing.cooperative, reason, LISTING_REFUSALS
    )
    locked = Listing.objects.select_for_update().get(pk=listing.pk)
    from_status = locked.status
    updated = listing_transition(listing=locked, action=decision, actor=actor, reason=reason)
    return _record_decision(
        actor, LISTING_ACTIONS[decision], reason, from_status, updated.status, listing=updated
    )


def listing_approve(*, listing: Listing, actor: User) -> ModerationAction:
    return listing_decide(listing=listing, decision="approve", actor=actor)


def listing_reject(*, listing: Listing, actor: User, reason: str) -> ModerationAction:
    return listing_decide(listing=listing, decision="reject", actor=actor, reason=reason)


def listing_suspend(*, listing: Listing, actor: User, reason: str) -> ModerationAction:
    return listing_decide(listing=listing, decision="suspend", actor=actor, reason=reason)


def listing_reinstate(*, listing: Listing, actor: User, reason: str = "") -> ModerationAction:
    return listing_decide(listing=listing, decision="reinstate", actor=actor, reason=reason)


# Cooperatives -------------------------------------------------------------------------------


def _apply_cooperative_transition(cooperative: Cooperative, action: str) -> Cooperative:
    """Move a locked cooperative through the verification table."""
    if action == "reinstate":
        action = _reinstatement(cooperative)
    target = cooperative_state.ensure_transition(action, cooperative.verification_status)
    cooperative.verification_status = target
    fields = ["verification_status", "updated_at"]
    if target == cooperative_state.VerificationStatus.VERIFIED and cooperative.verified_at is None:
        cooperative.verified_at = timezone.now()
        fields.append("verified_at")
    cooperative.save(update_fields=fields)
    return cooperative


def _reinstatement(cooperative: Cooperative) -> str:
    """`reinstate` to verified only if the cooperative was verified when it was suspended."""
    before = (
        ModerationAction.objects.filter(
            cooperative=cooperative, action=ActionKind.COOPERATIVE_SUSPEND
        )
        .order_by("-id")
        .values_list("from_status", flat=True)
        .first()
    )
    if before == cooperative_state.VerificationStatus.VERIFIED:
        return "reinstate"
    return "reinstate_unverified"


def _close_pending_request(
    cooperative: Cooperative, *, status: str, actor: User, reason: str
) -> None:
    request = (
        VerificationRequest.objects.select_for_update()
        .filter(cooperative=cooperative, status=VerificationRequest.Status.PENDING)
        .first()
    )
    if request is None:
        return
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


@transaction.atomic
def cooperative_decide(
    *, cooperative: Cooperative, decision: str, actor: User, reason: str = ""
) -> ModerationAction:
    """verify, reject (a verification request), suspend or reinstate a cooperative."""
    reason = _decision_reason(
        decision, COOPERATIVE_ACTIONS, actor, cooperative, reason, COOPERATIVE_REFUSALS
    )
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    from_status = locked.verification_status
    _apply_cooperative_transition(locked, decision)
    if decision == "verify":
        _close_pending_request(
            locked, status=VerificationRequest.Status.APPROVED, actor=actor, reason=reason
        )
    elif decision in {"reject", "suspend"}:
        # A suspended cooperative's pending request would otherwise sit in the queue, undecidable.
        _close_pending_request(
            locked, status=VerificationRequest.Status.REJECTED, actor=actor, reason=reason
        )
    if decision == "suspend":
        _flag_open_orders(locked, actor)
    return _record_decision(
        actor,
        COOPERATIVE_ACTIONS[decision],
        reason,
        from_status,
        locked.verification_status,
        cooperative=locked,
    )


def cooperative_verify(
    *, cooperative: Cooperative, actor: User, reason: str = ""
) -> ModerationAction:
    return cooperative_decide(
        cooperative=cooperative, decision="verify", actor=actor, reason=reason
    )


def cooperative_reject(*, cooperative: Cooperative, actor: User, reason: str) -> ModerationAction:
    return cooperative_decide(
        cooperative=cooperative, decision="reject", actor=actor, reason=reason
    )


def cooperative_suspend(*, cooperative: Cooperative, actor: User, reason: str) -> ModerationAction:
    return cooperative_decide(
        cooperative=cooperative, decision="suspend", actor=actor, reason=reason
    )


def cooperative_reinstate(
    *, cooperative: Cooperative, actor: User, reason: str = ""
) -> ModerationAction:
    return cooperative_decide(
        cooperative=cooperative, decision="reinstate", actor=actor, reason=reason
    )


def decide(
    *, target: Listing | Cooperative, decision: str, actor: User, reason: str = ""
) -> ModerationAction:
    """A decision on a listing or a cooperative: the one entry the API and the pages call."""
    if isinstance(target, Listing):
        return listing_decide(listing=target, decision=decision, actor=actor, reason=reason)
    return cooperative_decide(cooperative=target, decision=decision, actor=actor, reason=reason)


# Reports ------------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    actor: User,
    reason: str,
    details: str = "",
    listing: Listing | None = None,
    cooperative: Cooperative | None = None,
) -> Report:
    """Anyone signed in reports a published listing or a visible cooperative, once while open."""
    if (listing is None) == (cooperative is None):
        raise ValidationError(
            {"non_field_errors": [_("Report either a listing or a cooperative.")]}
        )
    if listing is not None and (listing.status != S.PUBLISHED or listing.cooperative.is_suspended):
        raise ValidationError({"listing": [NOT_IN_CATALOGUE]})
    if cooperative is not None and cooperative.is_suspended:
        raise ValidationError({"cooperative": [_("This cooperative is already suspended.")]})
    details = (details or "").strip()
    if reason == "other" and not details:
        raise ValidationError({"details": [_("Tell the moderators what is wrong.")]})
    field = "listing" if listing is not None else "cooperative"
    duplicate = Report.objects.filter(
        reporter=actor, status=ReportStatus.OPEN, **{field: listing or cooperative}
    )
    if duplicate.exists():
        raise ValidationError(
            {field: [_("You already reported this; the moderators will look at it.")]}
        )
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=actor,
                listing=listing,
                cooperative=cooperative,
                reason=reason,
                details=details,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {field: [_("You already reported this; the moderators will look at it.")]}
        ) from exc


def _same_target(decision: ModerationAction, report: Report) -> bool:
    if report.listing_id:
        return decision.listing_id == report.listing_id or (
            decision.cooperative_id == report.listing.cooperative_id  # type: ignore[union-attr]
        )
    return decision.cooperative_id == report.cooperative_id


@transaction.atomic
def report_resolve(
    *,
    report: Report,
    actor: User,
    outcome: str,
    note: str = "",
    decision: ModerationAction | None = None,
) -> list[Report]:
    """Close every open report on the same item at once; each closure is logged."""
    if not permissions.can_moderate(actor):
        raise NotPermitted(_("Only moderators may resolve reports."))
    if not permissions.can_resolve_report(actor, report):
        raise NotPermitted(
            _("You are a member of the reported cooperative: another moderator decides.")
        )
    if outcome not in ReportOutcome.values:
        raise ValidationError(
            {"outcome": [_("Choose one of %(join)s.") % {"join": ", ".join(ReportOutcome.values)}]}
        )
    if decision is not None:
        if outcome != ReportOutcome.ACTION_TAKEN:
            raise ValidationError({"decision": [_("A dismissed report links no decision.")]})
        if decision.action not in DECISION_ACTIONS or not _same_target(decision, report):
            raise ValidationError({"decision": [_("Link a decision about the reported item.")]})
    target = (
        Q(listing_id=report.listing_id)
        if report.listing_id
        else Q(cooperative_id=report.cooperative_id)
    )
    group = list(
        Report.objects.select_for_update()
        .filter(target, Q(status=ReportStatus.OPEN) | Q(pk=report.pk))
        .order_by("pk")
    )
    state_action = REPORT_LIFECYCLE.action_for(outcome)
    now = timezone.now()
    kind = ActionKind.REPORT_RESOLVE if state_action == "resolve" else ActionKind.REPORT_DISMISS
    for item in group:
        item.status = ensure_report_transition(state_action, item.status)
        item.resolved_by = actor
        item.resolved_at = now
        item.resolution_note = note.strip()
        item.decision = decision
        item.save(
            update_fields=["status", "resolved_by", "resolved_at", "resolution_note", "decision"]
        )
        _log(
            actor=actor,
            action=kind,
            listing_id=item.listing_id,
            cooperative_id=item.cooperative_id,
            report=item,
            reason=item.resolution_note,
        )
        if item.reporter_id:
            notify_after_commit([item.reporter], "report_outcome", {"report": item})  # type: ignore[list-item]
    return group


# Appeals ------------------------------------------------------------------------------------


def _lock_target(decision: ModerationAction) -> Listing | Cooperative:
    if decision.listing_id:
        return Listing.objects.select_for_update().get(pk=decision.listing_id)
    return Cooperative.objects.select_for_update().get(pk=decision.cooperative_id or 0)


def _current_status(target: Listing | Cooperative) -> str:
    return target.status if isinstance(target, Listing) else target.verification_status


def _is_in_force(decision: ModerationAction, target: Listing | Cooperative) -> bool:
    """The decision is the latest one on its object and the object is still where it left it."""
    superseded = ModerationAction.objects.filter(
        Q(listing_id=decision.listing_id)
        if decision.listing_id
        else Q(cooperative_id=decision.cooperative_id),
        action__in=STATUS_CHANGING_ACTIONS,
        pk__gt=decision.pk,
    ).exists()
    return not superseded and _current_status(target) == decision.to_status


@transaction.atomic
def appeal_file(*, decision: ModerationAction, actor: User, statement: str) -> Appeal:
    """Owners and admins contest a rejection or suspension once, while it is in force."""
    if not permissions.can_appeal(actor, decision):
        raise NotPermitted(_("Only owners and admins of the cooperative concerned can appeal."))
    if decision.action not in APPEALABLE_ACTIONS:
        raise DomainError(
            _("Only rejections and suspensions can be appealed."), code="not_appealable"
        )
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": [_("Say why the decision should be reversed.")]})
    target = _lock_target(decision)
    if Appeal.objects.filter(decision=decision).exists():
        raise DomainError(ALREADY_APPEALED, code="already_appealed")
    deadline = appeal_deadline(decision)
    if deadline is not None and timezone.now() > deadline:
        raise DomainError(
            _("The time to appeal this decision ended on %(deadline)s.")
            % {"deadline": format(deadline, "%Y-%m-%d")},
            code="appeal_window_closed",
        )
    if not _is_in_force(decision, target):
        raise DomainError(
            _("This decision is no longer in force: there is nothing left to appeal."),
            code="decision_not_in_force",
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                decision=decision,
                cooperative=decision.affected_cooperative,
                appellant=actor,
                decided_by_id=decision.actor_id,
                statement=statement,
            )
    except IntegrityError as exc:
        raise DomainError(ALREADY_APPEALED, code="already_appealed") from exc
    _log(
        actor=actor,
        action=ActionKind.APPEAL_FILE,
        listing_id=decision.listing_id,
        cooperative_id=decision.cooperative_id,
        appeal=appeal,
        reason=statement,
    )
    return appeal


def _overturn(decision: ModerationAction, target: Listing | Cooperative, actor: User) -> str:
    """Reverse a decision on its locked object; return the status it now has."""
    if isinstance(target, Listing):
        if decision.action == ActionKind.LISTING_REJECT:
            action = "approve" if target.status == S.PENDING_REVIEW else "overturn_rejection"
        else:
            action = "reinstate"
        return listing_transition(listing=target, action=action, actor=actor).status
    action = "verify" if decision.action == ActionKind.COOPERATIVE_REJECT else "reinstate"
    return _apply_cooperative_transition(target, action).verification_status


@transaction.atomic
def appeal_resolve(*, appeal: Appeal, actor: User, outcome: str, note: str) -> Appeal:
    """Another moderator than the decider upholds or overturns; overturning reverses the decision."""
    if not is_moderator(actor):
        raise NotPermitted(_("Only moderators may resolve appeals."))
    if appeal.decided_by_id == actor.pk:
        raise NotPermitted(_("You took this decision: another moderator resolves its appeal."))
    if not permissions.can_resolve_appeal(actor, appeal):
        raise NotPermitted(_("You are a member of this cooperative: another moderator decides."))
    if outcome not in AppealOutcome.values:
        raise ValidationError(
            {"outcome": [_("Choose one of %(join)s.") % {"join": ", ".join(AppealOutcome.values)}]}
        )
    note = _require_reason(note, field="note")
    decision = appeal.decision
    target = _lock_target(decision)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    state_action = APPEAL_LIFECYCLE.action_for(outcome)
    appeal.status = ensure_appeal_transition(state_action, appeal.status)
    from_status = to_status = ""
    if state_action == "overturn":
        if _current_status(target) != decision.to_status and not (
            decision.action == ActionKind.LISTING_REJECT
            and _current_status(target) == S.PENDING_REVIEW
        ):
            now = target_status_label(
                _current_status(target), is_listing=decision.listing_id is not None
            )
            message = (
                _(
                    "The listing changed since the decision (it is now %(status)s); "
                    "it cannot be reversed."
                )
                if decision.listing_id
                else _(
                    "The cooperative changed since the decision (it is now %(status)s); "
                    "it cannot be reversed."
                )
            )
            raise TransitionNotAllowed(message % {"status": now})
        from_status = _current_status(target)
        to_status = _overturn(decision, target, actor)
    appeal.resolved_by = actor
    appeal.resolved_at = timezone.now()
    appeal.resolution_note = note
    appeal.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    action = _log(
        actor=actor,
        action=ActionKind.APPEAL_OVERTURN
        if state_action == "overturn"
        else ActionKind.APPEAL_UPHOLD,
        listing_id=decision.listing_id,
        cooperative_id=decision.cooperative_id,
        appeal=appeal,
        from_status=from_status,
        to_status=to_status,
        reason=note,
    )
    notify_cooperative(
        appeal.cooperative,
        "appeal_outcome",
        {"appeal": appeal, "decision": decision, "action": action},
    )
    return appeal


@transaction.atomic
def reports_forget_reporter(*, user: User) -> int:
    """A person leaving Minga: the reports they filed stay for the moderators (and the decisions
    taken on them), without saying who filed them."""
    return Report.objects.filter(reporter=user).update(reporter=None)
