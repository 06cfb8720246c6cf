"""A key's lookup is kept in the cache (no query per request for it), and whatever ends a key or
changes its owner takes effect on the very next request all the same."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services, tokens
from accounts.models import ApiToken, User
from accounts.selectors import token_cache_key
from tests.accounts.test_tokens import me, with_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db) -> str:  # type: ignore[no-untyped-def]
    user = UserFactory(email="rosa@huella.coop", language="es")
    key = services.token_create(user=user).key
    assert me(key) == 200  # now cached
    return key


def token_queries(key: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert me(key) == 200
    return [q["sql"] for q in captured.captured_queries if "accounts_apitoken" in q["sql"]]


def test_a_cached_key_is_not_read_again_and_its_copy_holds_no_password_hash(key):
    assert token_queries(key) == []
    cached = cache.get(token_cache_key(tokens.key_hash(key)))
    assert "password" not in cached.user.__dict__
    # What needs the password still gets it (read when asked).
    assert cached.user.password == User.objects.get(pk=cached.user_id).password


def test_revoking_a_cached_key_ends_it_at_once(key):
    token = ApiToken.objects.get(key_hash=tokens.key_hash(key))
    services.token_revoke(token=token, actor=token.user)
    assert me(key) == 401


def test_signing_out_everywhere_ends_every_cached_key(key):
    other = services.token_create(user=User.objects.get(email="rosa@huella.coop")).key
    assert me(other) == 200
    services.tokens_revoke_all_for(User.objects.get(email="rosa@huella.coop"), reason="test")
    assert (me(key), me(other)) == (401, 401)


def test_a_new_password_ends_the_cached_keys(key):
    user = User.objects.get(email="rosa@huella.coop")
    user.set_password("another long passphrase")
    user.save()  # as the admin does: no service call
    assert me(key) == 401


def test_a_deactivated_owner_cannot_use_a_cached_key(key):
    user = User.objects.get(email="rosa@huella.coop")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert me(key) == 401


def test_an_expiry_moved_earlier_ends_a_cached_key(key):
    token = ApiToken.objects.get(key_hash=tokens.key_hash(key))
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert me(key) == 401


def test_a_new_language_is_spoken_on_the_next_request(key):
    user = User.objects.get(email="rosa@huella.coop")
    services.user_update_profile(user=user, language="pt-br")
    assert with_key(key).get("/api/v1/me/")["Content-Language"] == "pt-br"


def test_a_deleted_owner_leaves_no_cached_key(key):
    User.objects.get(email="rosa@huella.coop").delete()
    assert me(key) == 401


def test_without_the_cache_every_request_reads_the_key(key, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    assert len(token_queries(key)) == 1
