"""Who may moderate what. One place of rules; the API, the pages, the admin and the services ask here.

Conflict of interest: a moderator who belongs to a cooperative (in any role) does not decide on
that cooperative, its listings, reports about them or its appeals. An appeal is resolved by another
moderator than the one who took the contested decision.
"""

from typing import Any

from rest_framework.permissions import BasePermission

from cooperatives.models import MANAGING_ROLES, Cooperative
from cooperatives.permissions import is_member, is_moderator, role_in
from marketplace.models import Listing
from moderation.models import Appeal, ModerationAction, Report


def has_conflict_of_interest(user: Any, cooperative: Cooperative) -> bool:
    """Members of a cooperative never judge it."""
    return is_member(user, cooperative)


def can_moderate(user: Any) -> bool:
    return is_moderator(user)


def can_decide_on_cooperative(user: Any, cooperative: Cooperative) -> bool:
    return is_moderator(user) and not has_conflict_of_interest(user, cooperative)


def can_decide_on_listing(user: Any, listing: Listing) -> bool:
    return can_decide_on_cooperative(user, listing.cooperative)


def can_resolve_report(user: Any, report: Report) -> bool:
    return can_decide_on_cooperative(user, report.affected_cooperative)


def can_resolve_appeal(user: Any, appeal: Appeal) -> bool:
    """A moderator without a conflict of interest who did not take the contested decision."""
    if appeal.decided_by_id == getattr(user, "pk", None):
        return False
    return can_decide_on_cooperative(user, appeal.cooperative)


def can_appeal(user: Any, decision: ModerationAction) -> bool:
    """Owners and admins of the cooperative a decision is about may contest it."""
    return role_in(user, decision.affected_cooperative) in MANAGING_ROLES


def can_view_decisions_of(user: Any, cooperative: Cooperative) -> bool:
    """The cooperative's members follow the decisions about it and their appeals; so do moderators."""
    return is_member(user, cooperative) or is_moderator(user)


class IsModerator(BasePermission):
    message = "Only moderators may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_moderate(request.user)
