"""The lifecycles of reports and appeals. The tables are the documentation.

Listings and cooperatives keep their own tables (`marketplace.state`, `cooperatives.state`); the
moderation services drive them.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class Closing(transitions.Lifecycle):
    """An item that is open until one decision closes it (reports and appeals, the
    `models.Resolvable` rows): each outcome a moderator may choose is one action, from open to
    its own closed status. `action_for(outcome)` is what a service takes, `outcome_of(status)`
    what a closed item says of itself."""

    def __init__(
        self,
        statuses: "type[ReportStatus] | type[AppealStatus]",
        refusal: "str | _StrPromise",
        closes: Mapping[str, tuple[str, str]],
    ) -> None:
        table = transitions.closing_table(statuses, dict(closes.values()))
        super().__init__(statuses, refusal=refusal, table=table)
        self._actions = {outcome: action for outcome, (action, _target) in closes.items()}
        self._outcomes = {target: outcome for outcome, (_action, target) in closes.items()}

    def action_for(self, outcome: str) -> str:
        return self._actions[outcome]

    def outcome_of(self, status: str) -> str | None:
        return self._outcomes.get(status)


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved: action taken")
    DISMISSED = "dismissed", _("Dismissed")


class ReportOutcome(models.TextChoices):
    """What the moderator closing a report says of it (the API's and the pages' choice)."""

    DISMISSED = "dismissed", _("Dismissed: nothing to act on")
    ACTION_TAKEN = "action_taken", _("Action taken")


REPORT_LIFECYCLE = Closing(
    ReportStatus,
    _("This report is already closed: “%(current)s”."),
    {
        ReportOutcome.ACTION_TAKEN: ("resolve", ReportStatus.RESOLVED),
        ReportOutcome.DISMISSED: ("dismiss", ReportStatus.DISMISSED),
    },
)
ensure_report_transition = REPORT_LIFECYCLE.ensure


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the decision stands")
    OVERTURNED = "overturned", _("Overturned: the decision was reversed")


class AppealOutcome(models.TextChoices):
    """What the second moderator resolving an appeal decides."""

    UPHELD = "upheld", _("Upheld: the decision stands")
    OVERTURNED = "overturned", _("Overturned: the decision is reversed")


APPEAL_LIFECYCLE = Closing(
    AppealStatus,
    _("This appeal was already decided: “%(current)s”."),
    {
        AppealOutcome.UPHELD: ("uphold", AppealStatus.UPHELD),
        AppealOutcome.OVERTURNED: ("overturn", AppealStatus.OVERTURNED),
    },
)
ensure_appeal_transition = APPEAL_LIFECYCLE.ensure
