"""The lifecycles of reports and appeals. The tables are the documentation.

Listings and cooperatives keep their own tables (`marketplace.state`, `cooperatives.state`); the
moderation services drive them.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved: action taken")
    DISMISSED = "dismissed", _("Dismissed")


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the decision stands")
    OVERTURNED = "overturned", _("Overturned: the decision was reversed")


def _closed_by(
    statuses: type[ReportStatus] | type[AppealStatus],
    refusal: "str | _StrPromise",
    closes: dict[str, str],
) -> transitions.Lifecycle:
    """An item that is open until one decision closes it (reports and appeals, the
    `models.Resolvable` rows): each action leads from open to its own closed status."""
    table = {action: ({statuses.OPEN}, target) for action, target in closes.items()}
    return transitions.Lifecycle(statuses, refusal=refusal, table=table)


REPORT_LIFECYCLE = _closed_by(
    ReportStatus,
    _("This report is already closed: “%(current)s”."),
    {"resolve": ReportStatus.RESOLVED, "dismiss": ReportStatus.DISMISSED},
)
APPEAL_LIFECYCLE = _closed_by(
    AppealStatus,
    _("This appeal was already decided: “%(current)s”."),
    {"uphold": AppealStatus.UPHELD, "overturn": AppealStatus.OVERTURNED},
)
ensure_report_transition = REPORT_LIFECYCLE.ensure
ensure_appeal_transition = APPEAL_LIFECYCLE.ensure
