"""The lifecycle of a clearing run: proposed, then executed once (docs/credit.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    EXECUTED = "executed", _("Executed")


RUN_LIFECYCLE = transitions.Lifecycle.closing(
    RunStatus,
    refusal=_("A clearing run cannot be %(action)s while it is %(current)s."),
    closes={"execute": RunStatus.EXECUTED},
    labels={"execute": _("executed")},
)
ensure_run_transition = RUN_LIFECYCLE.ensure
