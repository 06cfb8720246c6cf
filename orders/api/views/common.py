from typing import Any

from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_get_for_member


def member_cooperative(user: Any, slug: str) -> Cooperative:
    """The cooperative named by slug, when the user is one of its members; otherwise a 404."""
    return cooperative_get_for_member(user=user, slug=slug)


def request_locale(request: object) -> str:
    user = getattr(request, "user", None)
    return getattr(user, "language", "") or getattr(request, "LANGUAGE_CODE", "") or "en"
