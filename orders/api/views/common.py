from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import Http404

from cooperatives.models import Cooperative, Membership
from cooperatives.permissions import is_member, remember_role


def member_cooperative(user: Any, slug: str) -> Cooperative:
    """The cooperative named by slug, when the user is one of its members; otherwise a 404 (a
    cart or an order list of another cooperative is not there for them)."""
    cooperatives = Cooperative.objects.filter(slug=slug)
    if getattr(user, "is_authenticated", False):
        # The person's role comes with the cooperative: one query, not two.
        own = Membership.objects.filter(cooperative=OuterRef("pk"), user=user)
        cooperatives = cooperatives.annotate(viewer_role=Subquery(own.values("role")[:1]))
    cooperative = cooperatives.first()
    if cooperative is not None and hasattr(cooperative, "viewer_role"):
        remember_role(user, cooperative.pk, cooperative.viewer_role)
    if cooperative is None or not is_member(user, cooperative):
        raise Http404("No cooperative with this slug among yours.")
    return cooperative


def request_locale(request: object) -> str:
    user = getattr(request, "user", None)
    return getattr(user, "language", "") or getattr(request, "LANGUAGE_CODE", "") or "en"
