"""The lifecycle of a credit line change: applied at once, or pending a second committee member
above the four-eyes threshold (docs/credit.md, "Four eyes")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions


class LineRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second committee member")
    APPLIED = "applied", _("Applied")


LINE_LIFECYCLE = transitions.Lifecycle.closing(
    LineRequestStatus,
    refusal=_("A credit line change cannot be %(action)s while it is %(current)s."),
    closes={"approve": LineRequestStatus.APPLIED},
    labels={"approve": _("approved")},
)
ensure_line_transition = LINE_LIFECYCLE.ensure
