from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.selectors import user_get


class EmailBackend(ModelBackend):
    """Sign in by e-mail, compared case-insensitively (the manager normalises the lookup)."""

    def get_user(self, user_id: Any) -> User | None:
        """A session's user, as ModelBackend reads it, from a statement compiled once (every
        signed-in page asks: `selectors.user_get`)."""
        user = user_get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
