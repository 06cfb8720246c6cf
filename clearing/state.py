"""The lifecycle of a clearing run: proposed, then executed once (docs/credit.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    EXECUTED = "executed", _("Executed")


# action -> (allowed from, to).
RUN_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "execute": (frozenset({RunStatus.PROPOSED}), RunStatus.EXECUTED),
}


def ensure_run_transition(action: str, current: str) -> str:
    return transitions.ensure_transition(
        RUN_TRANSITIONS,
        action,
        current,
        statuses=RunStatus,
        refusal=_("A clearing run cannot be %(action)s while it is %(current)s."),
        action_labels={"execute": _("executed")},
    )
