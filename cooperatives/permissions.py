"""Who may do what with a cooperative. One place of rules; the API, pages and admin ask here."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from cooperatives.models import MANAGING_ROLES, Cooperative, Membership, Role
from core.errors import DomainError


def is_moderator(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_moderator)


def role_in(user: Any, cooperative: Cooperative) -> str | None:
    """The user's role in the cooperative, or None; cached per user object and cooperative."""
    if not (user and user.is_authenticated):
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_roles_by_cooperative", {})
    if cooperative.pk not in cache:
        if user.__dict__.get("_every_role_known"):
            return None
        cache[cooperative.pk] = (
            Membership.objects.filter(user=user, cooperative=cooperative)
            .values_list("role", flat=True)
            .first()
        )
    return cache[cooperative.pk]


def prime_roles(user: Any, cooperative_ids: Iterable[int]) -> None:
    """Read the user's roles in these cooperatives in one query, for the `role_in` calls to come
    (a list of orders from several sellers asks about each)."""
    if not (user and user.is_authenticated):
        return
    cache: dict[int, str | None] = user.__dict__.setdefault("_roles_by_cooperative", {})
    missing = set(cooperative_ids) - set(cache)
    if not missing:
        return
    cache.update(dict.fromkeys(missing))
    cache.update(
        Membership.objects.filter(user=user, cooperative__in=missing).values_list(
            "cooperative_id", "role"
        )
    )


def remember_role(user: Any, cooperative_id: int, role: str | None) -> None:
    """What `role_in` will answer for this cooperative, read by the caller with another query."""
    if user and user.is_authenticated:
        user.__dict__.setdefault("_roles_by_cooperative", {})[cooperative_id] = role


def remember_every_role(user: Any, roles: Iterable[tuple[int, str]]) -> None:
    """Every (cooperative id, role) the user has, read by the caller with their memberships:
    `role_in` then answers for any cooperative without a query (None where they have none)."""
    if user and user.is_authenticated:
        user.__dict__.setdefault("_roles_by_cooperative", {}).update(roles)
        user.__dict__["_every_role_known"] = True


def forget_roles(user: Any) -> None:
    """Drop the cached roles, so the next check reads the database (after a lock or a change)."""
    if user is not None:
        user.__dict__.pop("_roles_by_cooperative", None)
        user.__dict__.pop("_every_role_known", None)


def is_member(user: Any, cooperative: Cooperative) -> bool:
    return role_in(user, cooperative) is not None


def can_view_cooperative(user: Any, cooperative: Cooperative) -> bool:
    """Suspended cooperatives disappear from public view; their members and moderators still see them."""
    if not cooperative.is_suspended:
        return True
    return is_member(user, cooperative) or is_moderator(user)


def can_manage_cooperative(user: Any, cooperative: Cooperative) -> bool:
    return role_in(user, cooperative) in MANAGING_ROLES


def can_view_private_data(user: Any, cooperative: Cooperative) -> bool:
    """Members' e-mails, invitations and verification documents: members and moderators only."""
    return is_member(user, cooperative) or is_moderator(user)


def can_view_payout_details(user: Any, cooperative: Cooperative) -> bool:
    """The Payments page and its API: members read, moderators too (buyers read the details on
    their own invoices and order pages)."""
    return is_member(user, cooperative) or is_moderator(user)


def can_edit_payout_details(user: Any, cooperative: Cooperative) -> bool:
    return can_manage_cooperative(user, cooperative)


def can_export_cooperative(user: Any, cooperative: Cooperative) -> bool:
    """The whole of a cooperative's data (members, trade, invoices) goes to its owners only."""
    return role_in(user, cooperative) == Role.OWNER


def can_invite_member(user: Any, cooperative: Cooperative, role: str) -> bool:
    """Owners invite any role; admins invite admins and members."""
    actor_role = role_in(user, cooperative)
    if actor_role == Role.OWNER:
        return True
    return actor_role == Role.ADMIN and role != Role.OWNER


def can_change_role(user: Any, membership: Membership, new_role: str) -> bool:
    """Only owners grant or take away ownership; admins manage admins and members."""
    actor_role = role_in(user, membership.cooperative)
    if actor_role == Role.OWNER:
        return True
    if actor_role != Role.ADMIN:
        return False
    return Role.OWNER not in (membership.role, new_role)


def can_remove_member(user: Any, membership: Membership) -> bool:
    """Anyone may leave; owners remove anyone; admins remove admins and members."""
    if membership.user_id == getattr(user, "pk", None):
        return True
    actor_role = role_in(user, membership.cooperative)
    if actor_role == Role.OWNER:
        return True
    return actor_role == Role.ADMIN and membership.role != Role.OWNER


def can_request_verification(user: Any, cooperative: Cooperative) -> bool:
    return can_manage_cooperative(user, cooperative)


# What a suspended cooperative may still do, decided here once. A suspended cooperative can
# neither sell nor buy: it keeps what it needs to wind down (read, talk about and step out of its
# open orders, take its data with it, appeal) and nothing that trades, publishes or grows it.
# docs/security.md shows this table and tests/cooperatives/test_suspended.py checks the two agree
# and walks every row through the API.
SUSPENDED_MAY: dict[str, bool] = {
    # Winding down: allowed.
    "read": True,  # its profile, members, listings, orders, invoices
    "message": True,  # write in the threads of its orders
    "export": True,  # export its data and its catalogue
    "appeal": True,  # appeal the suspension (or any other decision)
    "decline_order": True,  # decline a placed order as seller
    "cancel_order": True,  # cancel an open order (as buyer, or an accepted one as seller)
    "leave": True,  # a member leaves the cooperative
    "revoke_invitation": True,  # withdraw an open invitation
    "archive_listing": True,  # take a listing out of the catalogue for good
    # Trading, publishing, growing: refused.
    "accept_order": False,
    "fulfil_order": False,
    "complete_order": False,
    "mark_paid": False,
    "edit_profile": False,  # profile, logo and payout details
    "stripe_onboarding": False,
    "create_listing": False,
    "edit_listing": False,  # prices included, and images
    "import_listings": False,
    "submit_listing": False,
    "invite_member": False,
    "change_member": False,  # change a role, remove another member
    "join": False,  # accept an invitation
    "fill_cart": False,
    "checkout": False,
    "rfq": False,  # publish a request for quotes, or counter a quote, as buyer
    "quote": False,  # answer a request for quotes (a quote, a counter) as seller
    "agreement": False,  # propose an agreement as seller, or accept one as buyer
}


def can_act_while_suspended(action: str) -> bool:
    """Whether a suspended cooperative may still do `action` (a key of SUSPENDED_MAY)."""
    return SUSPENDED_MAY[action]


def is_active_for(cooperative: Cooperative, action: str) -> bool:
    """Whether the cooperative may do `action` now: always, unless it is suspended."""
    return not cooperative.is_suspended or can_act_while_suspended(action)


def ensure_active(cooperative: Cooperative, action: str) -> None:
    """Refuse `action` with a 409 `cooperative_suspended` when the cooperative is suspended and
    the table does not let it; services call this for every write a cooperative makes."""
    if not is_active_for(cooperative, action):
        raise DomainError(
            _(
                "%(cooperative)s is suspended by the moderators: it cannot do this until it is "
                "reinstated. It can still read its data, write about its open orders, export "
                "its data and appeal."
            )
            % {"cooperative": cooperative.name},
            code="cooperative_suspended",
        )


class IsModerator(BasePermission):
    message = "Only moderators may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_moderator(request.user)
