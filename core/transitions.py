"""The one transition helper of every lifecycle (each app's `state.py`).

A lifecycle is a table `action -> (allowed from, to)`; a status changes only through
`ensure_transition`, which returns the target status or refuses with a 409
`transition_not_allowed` whose message names the action and the current status as people say
them (the app's translated labels), never their codes."""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db.models import TextChoices

from core.errors import TransitionNotAllowed

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Table = Mapping[str, tuple[frozenset[str], str]]


def ensure_transition(
    table: Table,
    action: str,
    current: str,
    *,
    statuses: type[TextChoices],
    refusal: "str | _StrPromise",
    action_labels: "Mapping[str, str | _StrPromise] | None" = None,
) -> str:
    """The status `action` leads to from `current`, or a refusal: `refusal` is a translated text
    with `%(action)s` and/or `%(current)s`."""
    allowed_from, target = table[action]
    if current not in allowed_from:
        labels = action_labels or {}
        raise TransitionNotAllowed(
            refusal
            % {
                "action": str(labels.get(action, action)),
                "current": str(dict(statuses.choices).get(current, current)),
            }
        )
    return target


class Lifecycle:
    """A lifecycle declared once, in its app's `state.py`: its statuses, the refusal (a translated
    text with `%(action)s` and/or `%(current)s`), its table `action -> (allowed from, to)` and the
    actions as people say them. `ensure` is the app's `ensure_*_transition`."""

    def __init__(
        self,
        statuses: type[TextChoices],
        *,
        refusal: "str | _StrPromise",
        table: Mapping[str, tuple[Iterable[str], str]],
        labels: "Mapping[str, str | _StrPromise] | None" = None,
    ) -> None:
        self.statuses = statuses
        self.refusal = refusal
        self.table: dict[str, tuple[frozenset[str], str]] = {
            action: (frozenset(allowed_from), target)
            for action, (allowed_from, target) in table.items()
        }
        self.labels = dict(labels or {})

    @classmethod
    def closing(
        cls,
        statuses: type[TextChoices],
        *,
        refusal: "str | _StrPromise",
        closes: Mapping[str, str],
        labels: "Mapping[str, str | _StrPromise] | None" = None,
    ) -> "Lifecycle":
        """A row that waits in its first status until one action closes it, each action to its
        own status (`closes`: action -> status): a request for quotes, a draft order, a payment
        notice, a credit line change, a clearing run, a report, an appeal."""
        return cls(statuses, refusal=refusal, table=closing_table(statuses, closes), labels=labels)

    def ensure(self, action: str, current: str) -> str:
        """The status `action` leads to from `current`, or a 409 naming both as people say them."""
        return ensure_transition(
            self.table,
            action,
            current,
            statuses=self.statuses,
            refusal=self.refusal,
            action_labels=self.labels,
        )

    def allows(self, action: str, current: str) -> bool:
        return current in self.table[action][0]


def closing_table(statuses: type[TextChoices], closes: Mapping[str, str]) -> Table:
    """`action -> (allowed from, to)` of a lifecycle whose every action closes its first status."""
    waiting = frozenset({next(iter(statuses))})
    return {action: (waiting, target) for action, target in closes.items()}
