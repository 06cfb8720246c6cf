"""Reads of accounts shared by the API, the authentication class and the admin."""

import copy
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken, User
from core import read_ahead, statements


def token_cache_key(key_hash: str) -> str:
    return f"accounts:token:{key_hash}"


def _token_read(key_hash: str) -> ApiToken | None:
    """The token with its owner, when it was made under the owner's current password."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
    if token is None:
        return None
    if token.password_fingerprint != tokens.password_fingerprint(token.user.password):
        return None
    return token


def token_cacheable(token: ApiToken) -> ApiToken:
    """A copy of the token whose owner has no password hash (a deferred field: read from the
    database if something asks), so the cache never holds one."""
    owner = copy.copy(token.user)
    owner.__dict__.pop("password", None)
    cacheable = copy.copy(token)  # Django copies the related-object cache with the instance
    cacheable._state.fields_cache["user"] = owner
    return cacheable


def token_get_live(key: str) -> ApiToken | None:
    """The key's token, with its owner, while it is live: not expired, made under the owner's
    current password, and the owner active. One indexed query, or none while the token is in
    the cache (API_TOKEN_CACHE_SECONDS): revoking a token, deleting or saving it and saving its
    owner (password, activity, language...) remove the cached copy at once
    (accounts/token_cache.py)."""
    key_hash = tokens.key_hash(key)
    seconds = settings.API_TOKEN_CACHE_SECONDS
    token = read_ahead.get(token_cache_key(key_hash)) if seconds else None
    if token is None:
        token = _token_read(key_hash)
        if token is None:
            return None
        if seconds:
            cache.set(token_cache_key(key_hash), token_cacheable(token), seconds)
    if token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    return token


def token_list_for(user: User) -> QuerySet[ApiToken]:
    """A person's live keys, newest first."""
    return ApiToken.objects.filter(
        user=user,
        expires_at__gt=timezone.now(),
        password_fingerprint=tokens.password_fingerprint(user.password),
    ).order_by("-created_at", "-id")


def user_get(user_id: Any) -> User | None:
    """`User.objects.get(pk=user_id)` (None when there is none), its statement compiled once per
    database connection: a signed-in page reads its user on every request, and the ORM's query
    cost more to build and compile than to run. Same SQL, same conversion of the values, the
    same instance."""
    pk = User._meta.pk.get_prep_value(user_id)  # type: ignore[union-attr]  # an int, as the ORM's
    found = statements.instances(User, "user by pk", _user_by_pk, pk=pk)
    return found[0] if found else None


def _user_by_pk(pk: int) -> QuerySet[User]:
    """The statement of `user_get`."""
    return User._default_manager.filter(pk=pk)
