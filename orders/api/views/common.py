from typing import Any

from django.http import Http404

from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_find_by_slug, cooperative_get_for_member


def member_cooperative(user: Any, slug: str) -> Cooperative:
    """The cooperative named by slug, when the user is one of its members; otherwise a 404."""
    return cooperative_get_for_member(user=user, slug=slug)


def cooperative_named(slug: str) -> Cooperative:
    """Any cooperative by its slug, or a 404; the selector or service it goes to decides what
    the user may see of it or do for it."""
    cooperative = cooperative_find_by_slug(slug)
    if cooperative is None:
        raise Http404("No cooperative with this slug.")
    return cooperative


def request_locale(request: object) -> str:
    user = getattr(request, "user", None)
    return getattr(user, "language", "") or getattr(request, "LANGUAGE_CODE", "") or "en"
