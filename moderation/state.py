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


REPORT_LIFECYCLE = transitions.Lifecycle(
    ReportStatus,
    refusal=_("This report is already closed: “%(current)s”."),
    table={
        "resolve": ({ReportStatus.OPEN}, ReportStatus.RESOLVED),
        "dismiss": ({ReportStatus.OPEN}, ReportStatus.DISMISSED),
    },
)
ensure_report_transition = REPORT_LIFECYCLE.ensure

APPEAL_LIFECYCLE = transitions.Lifecycle(
    AppealStatus,
    refusal=_("This appeal was already decided: “%(current)s”."),
    table={
        "uphold": ({AppealStatus.OPEN}, AppealStatus.UPHELD),
        "overturn": ({AppealStatus.OPEN}, AppealStatus.OVERTURNED),
    },
)
ensure_appeal_transition = APPEAL_LIFECYCLE.ensure
