"""Reads of cooperatives shared by the API, the pages and the admin."""

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cooperatives.models import (
    Cooperative,
    Invitation,
    Membership,
    PayoutDetails,
    Role,
    VerificationDocument,
    VerificationRequest,
)
from cooperatives.permissions import (
    can_view_cooperative,
    can_view_payout_details,
    can_view_private_data,
    is_member,
    is_moderator,
    remember_role,
)
from cooperatives.state import VerificationStatus


def cooperative_list_visible_to(user: Any) -> QuerySet[Cooperative]:
    """Every cooperative but the suspended ones; members and moderators also see their suspended ones."""
    queryset = Cooperative.objects.all()
    if is_moderator(user):
        return queryset
    visible = ~Q(verification_status=VerificationStatus.SUSPENDED)
    if user is not None and user.is_authenticated:
        visible |= Q(memberships__user=user)
    return queryset.filter(visible).distinct()


def cooperative_get_visible(
    user: Any, slug: str, may: Callable[[Any, Cooperative], bool] | None = None
) -> Cooperative:
    """The cooperative by slug when the user may see it and, when given, `may(user, it)` holds
    (manage its listings, read its payout details...); else a 404, never a 403."""
    cooperative = Cooperative.objects.filter(slug=slug).first()
    if cooperative is None or not can_view_cooperative(user, cooperative):
        raise Http404("No cooperative with this slug.")
    if may is not None and not may(user, cooperative):
        raise Http404("No cooperative with this slug.")
    return cooperative


def cooperatives_solely_owned_by(user: Any) -> list[Cooperative]:
    """The cooperatives where `user` is the only owner: they cannot leave, or be deleted, before
    naming another owner there."""
    other_owner = Membership.objects.filter(cooperative=OuterRef("pk"), role=Role.OWNER).exclude(
        user=user
    )
    return list(
        Cooperative.objects.filter(memberships__user=user, memberships__role=Role.OWNER)
        .exclude(Exists(other_owner))
        .order_by("name")
    )


def cooperative_list_for_member(user: Any) -> QuerySet[Cooperative]:
    if not (user and user.is_authenticated):
        return Cooperative.objects.none()
    return Cooperative.objects.filter(memberships__user=user).order_by("name")


def membership_list_for_user(user: Any) -> QuerySet[Membership]:
    """The user's own memberships with their cooperatives, for "my cooperatives"."""
    if not (user and user.is_authenticated):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("cooperative")
        .order_by("cooperative__name", "cooperative_id")
    )


def invitation_get_by_token(token: str) -> Invitation | None:
    """The invitation behind an e-mailed link: whoever holds the token may read what it offers."""
    return (
        Invitation.objects.filter(token=token).select_related("cooperative", "invited_by").first()
    )


def membership_list(*, user: Any, cooperative: Cooperative) -> QuerySet[Membership]:
    if not can_view_private_data(user, cooperative):
        raise Http404("No cooperative with this slug.")
    return cooperative.memberships.select_related("user").order_by("id")


def membership_get(*, user: Any, cooperative: Cooperative, membership_id: int) -> Membership:
    membership = (
        membership_list(user=user, cooperative=cooperative).filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404("No member with this id in this cooperative.")
    return membership


def invitation_list_open(*, user: Any, cooperative: Cooperative) -> QuerySet[Invitation]:
    if not can_view_private_data(user, cooperative):
        raise Http404("No cooperative with this slug.")
    return cooperative.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("id")


def invitation_get_open(*, user: Any, cooperative: Cooperative, invitation_id: int) -> Invitation:
    invitation = (
        invitation_list_open(user=user, cooperative=cooperative).filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404("No open invitation with this id.")
    invitation.cooperative = cooperative
    return invitation


def verification_request_list(
    *, user: Any, cooperative: Cooperative
) -> QuerySet[VerificationRequest]:
    """A cooperative's verification requests, newest first: for its members and moderators."""
    if not can_view_private_data(user, cooperative):
        raise Http404("No cooperative with this slug.")
    return (
        cooperative.verification_requests.select_related("cooperative")
        .prefetch_related("documents")
        .order_by("-created_at", "-id")
    )


def verification_document_get(
    *, user: Any, cooperative: Cooperative, document_id: int
) -> VerificationDocument:
    if not can_view_private_data(user, cooperative):
        raise Http404("No cooperative with this slug.")
    document = VerificationDocument.objects.filter(
        pk=document_id, request__cooperative=cooperative
    ).first()
    if document is None:
        raise Http404("No document with this id.")
    return document


def payout_details_get(*, user: Any, cooperative: Cooperative) -> PayoutDetails | None:
    """The cooperative's payout details for its members and moderators (404 for others); None
    when none are entered yet."""
    if not can_view_payout_details(user, cooperative):
        raise Http404("No cooperative with this slug.")
    return payout_details_of(cooperative)


def payout_details_of(cooperative: Cooperative) -> PayoutDetails | None:
    """The details printed for buyers (on invoices and order pages); the caller has decided the
    reader may see that cooperative's order."""
    return PayoutDetails.objects.filter(cooperative=cooperative).first()


def memberships_export_for_user(*, user: Any) -> dict[str, list[Any]]:
    """This app's part of a person's data export (flows.people.user_export)."""
    memberships = user.memberships.select_related("cooperative").order_by("created_at", "id")
    return {
        "memberships": [
            {
                "cooperative": membership.cooperative.slug,
                "cooperative_name": membership.cooperative.name,
                "role": membership.role,
                "joined_at": membership.created_at,
            }
            for membership in memberships
        ]
    }


def cooperative_get_for_member(*, user: Any, slug: str) -> Cooperative:
    """One of the user's own cooperatives by slug; anyone else's (or none) is a 404, never a 403:
    a cart, an order list or an export of another cooperative is not there for them. The one
    helper for "my cooperative by slug" of the API, the pages and the flows."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return cooperative_of_member(user, cooperative_with_role(slug=slug, user_id=user_id).first())


def cooperative_with_role(*, slug: str, user_id: int | None) -> QuerySet[Cooperative]:
    """The cooperative with this slug and, given a user, the user's role in it (`viewer_role`):
    one query, not two (`cooperative_get_for_member`'s statement)."""
    cooperatives = Cooperative.objects.filter(slug=slug)
    if user_id is None:
        return cooperatives
    own = Membership.objects.filter(cooperative=OuterRef("pk"), user_id=user_id)
    return cooperatives.annotate(viewer_role=Subquery(own.values("role")[:1]))


def cooperative_of_member(user: Any, cooperative: Cooperative | None) -> Cooperative:
    """The cooperative `cooperative_with_role` found, when the user is one of its members
    (the role it read is remembered); otherwise a 404."""
    if cooperative is not None and hasattr(cooperative, "viewer_role"):
        remember_role(user, cooperative.pk, cooperative.viewer_role)
    if cooperative is None or not is_member(user, cooperative):
        raise Http404("No cooperative with this slug among yours.")
    return cooperative


def cooperative_find_by_slug(slug: str) -> Cooperative | None:
    """Any cooperative by its slug, or None: for filters over rows the caller already sees (a
    statement's counterparty), never to show the cooperative itself."""
    return Cooperative.objects.filter(slug=slug).first()
