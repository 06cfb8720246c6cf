"""The lifecycle of a credit line change: applied at once, or pending a second committee member
above the four-eyes threshold (docs/credit.md, "Four eyes")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions


class LineRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second committee member")
    APPLIED = "applied", _("Applied")


LINE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({LineRequestStatus.PENDING}), LineRequestStatus.APPLIED),
}


def ensure_line_transition(action: str, current: str) -> str:
    return transitions.ensure_transition(
        LINE_TRANSITIONS,
        action,
        current,
        statuses=LineRequestStatus,
        refusal=_("A credit line change cannot be %(action)s while it is %(current)s."),
        action_labels={"approve": _("approved")},
    )
