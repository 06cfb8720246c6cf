"""The lifecycle of a clearing run: proposed, then executed once (docs/credit.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    EXECUTED = "executed", _("Executed")


# action -> (allowed from, to); execution is not built yet (docs/credit.md says what it will do).
RUN_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "execute": (frozenset({RunStatus.PROPOSED}), RunStatus.EXECUTED),
}
