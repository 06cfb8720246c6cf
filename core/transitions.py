"""The one transition helper of every lifecycle (each app's `state.py`).

A lifecycle is a table `action -> (allowed from, to)`; a status changes only through
`ensure_transition`, which returns the target status or refuses with a 409
`transition_not_allowed` whose message names the action and the current status as people say
them (the app's translated labels), never their codes."""

from collections.abc import Mapping
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
