"""Reads of accounts shared by the API, the authentication class and the admin."""

from django.db.models import QuerySet
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken, User


def token_get_live(key: str) -> ApiToken | None:
    """The key's token, with its owner, while it is live: not expired, made under the owner's
    current password, and the owner active. One indexed query."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=tokens.key_hash(key), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.password_fingerprint != tokens.password_fingerprint(token.user.password):
        return None
    return token


def token_list_for(user: User) -> QuerySet[ApiToken]:
    """A person's live keys, newest first."""
    return ApiToken.objects.filter(
        user=user,
        expires_at__gt=timezone.now(),
        password_fingerprint=tokens.password_fingerprint(user.password),
    ).order_by("-created_at", "-id")
