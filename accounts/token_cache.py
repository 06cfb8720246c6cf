"""Keeps the cached API tokens (accounts.selectors.token_get_live) true to the database: a token
deleted (revoked, signed out with, made stale by a new key, its owner deleted) or saved (a new
expiry), or an owner saved
(new password, deactivated, new language...) drops the cached copies at once, and again after
the transaction commits (a request reading between the two would otherwise cache the old row)."""

from typing import Any

from django.core.cache import cache
from django.db import transaction

from accounts.models import ApiToken, User
from accounts.selectors import token_cache_key


def forget_keys(key_hashes: list[str]) -> None:
    if not key_hashes:
        return
    keys = [token_cache_key(key_hash) for key_hash in key_hashes]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _token_changed(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    forget_keys([instance.key_hash])


def _user_saved(sender: Any, instance: User, created: bool = False, **kwargs: Any) -> None:
    if not created:
        forget_keys(list(ApiToken.objects.filter(user=instance).values_list("key_hash", flat=True)))


def connect() -> None:
    """Cache invalidation only (no flow hangs on these signals): see accounts.apps."""
    from django.db.models.signals import post_delete, post_save

    post_delete.connect(_token_changed, sender=ApiToken, dispatch_uid="minga_token_cache_delete")
    post_save.connect(_token_changed, sender=ApiToken, dispatch_uid="minga_token_cache_save")
    post_save.connect(_user_saved, sender=User, dispatch_uid="minga_token_cache_user")
