"""The history rows of requests, quotes and agreements (`quotes.models.StatusEvent`)."""

from typing import Any, TypeVar

from quotes.models import StatusEvent

Event = TypeVar("Event", bound=StatusEvent)


def log_status_change(
    model: type[Event], action: str, before: str, after: str, actor: Any, **about: Any
) -> Event:
    """One row of history: what `action` took `about` (its request, quote or agreement) from
    `before` to `after`, and who did it (None: the periodic job)."""
    return model._default_manager.create(
        action=action, from_status=before, to_status=after, actor=actor, **about
    )
