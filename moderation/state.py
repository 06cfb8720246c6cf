"""The lifecycles of reports and appeals. The tables are the documentation.

Listings and cooperatives keep their own tables (`marketplace.state`, `cooperatives.state`); the
moderation services drive them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved: action taken")
    DISMISSED = "dismissed", _("Dismissed")


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the decision stands")
    OVERTURNED = "overturned", _("Overturned: the decision was reversed")


# action -> (allowed from, to)
REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "resolve": (frozenset({ReportStatus.OPEN}), ReportStatus.RESOLVED),
    "dismiss": (frozenset({ReportStatus.OPEN}), ReportStatus.DISMISSED),
}

APPEAL_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "uphold": (frozenset({AppealStatus.OPEN}), AppealStatus.UPHELD),
    "overturn": (frozenset({AppealStatus.OPEN}), AppealStatus.OVERTURNED),
}


def ensure_report_transition(action: str, current: str) -> str:
    """Return the status that `action` leads a report to from `current`, or refuse it."""
    return transitions.ensure_transition(
        REPORT_TRANSITIONS,
        action,
        current,
        statuses=ReportStatus,
        refusal=_("This report is already closed: “%(current)s”."),
    )


def ensure_appeal_transition(action: str, current: str) -> str:
    """Return the status that `action` leads an appeal to from `current`, or refuse it."""
    return transitions.ensure_transition(
        APPEAL_TRANSITIONS,
        action,
        current,
        statuses=AppealStatus,
        refusal=_("This appeal was already decided: “%(current)s”."),
    )
