"""API keys end: they expire, a password change and sign-out revoke them, their owner lists and
revokes them, and the database holds only their hash."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services, tokens
from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factory's


def new_key(api: APIClient, user, **extra) -> dict:  # type: ignore[no-untyped-def]
    body = {"email": user.email, "password": PASSWORD, **extra}
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def with_key(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def me(key: str) -> int:
    return with_key(key).get("/api/v1/me/").status_code


@pytest.fixture
def ana(db):  # type: ignore[no-untyped-def]
    return UserFactory(email="ana@huella.coop")


def test_the_key_is_shown_once_and_only_its_hash_is_stored(ana):
    body = new_key(APIClient(), ana, name="stock sync")
    key = body["token"]
    assert set(body) == {"token", "id", "expires_at"}
    assert me(key) == 200
    row = ApiToken.objects.get(pk=body["id"])
    stored = [str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert key not in stored
    assert row.key_hash == tokens.key_hash(key)
    assert row.prefix == key[:8]
    assert row.name == "stock sync"


def test_each_sign_in_makes_a_new_key_and_the_old_ones_keep_working(ana):
    first = new_key(APIClient(), ana)["token"]
    second = new_key(APIClient(), ana)["token"]
    assert first != second
    assert me(first) == me(second) == 200


def test_a_key_expires_after_the_configured_days(ana, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    body = new_key(APIClient(), ana)
    row = ApiToken.objects.get(pk=body["id"])
    assert timedelta(days=7) - timedelta(minutes=1) < row.expires_at - timezone.now()
    assert me(body["token"]) == 200
    row.expires_at = timezone.now() - timedelta(seconds=1)
    row.save()
    response = with_key(body["token"]).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_password_change_ends_every_key_whatever_the_path(ana):
    """The review changed a password: the session ended, the old key still answered 200."""
    key = new_key(APIClient(), ana)["token"]
    ana.set_password("another long passphrase 7")
    ana.save()  # any path: a reset page, the shell, a future form
    assert me(key) == 401
    assert services.token_create(user=ana).key  # a new key works under the new password
    assert ApiToken.objects.filter(user=ana).count() == 1  # the stale one is gone


def test_staff_setting_a_password_in_the_admin_revokes_the_keys(ana):
    key = new_key(APIClient(), ana)["token"]
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = staff.post(
        f"/admin/accounts/user/{ana.pk}/password/",
        {"password1": "a new long passphrase 8", "password2": "a new long passphrase 8"},
    )
    assert response.status_code == 302
    assert me(key) == 401
    assert not ApiToken.objects.filter(user=ana).exists()


def test_revoke_all_is_one_call_for_password_resets(ana):
    keys = [services.token_create(user=ana).key for _ in range(3)]
    other = services.token_create(user=UserFactory()).key
    assert services.tokens_revoke_all_for(ana, reason="password reset") == 3
    assert [me(key) for key in keys] == [401, 401, 401]
    assert me(other) == 200


def test_signing_out_with_a_key_revokes_it(ana):
    used = new_key(APIClient(), ana)["token"]
    kept = new_key(APIClient(), ana)["token"]
    assert with_key(used).post("/api/v1/auth/logout/").status_code == 204
    assert me(used) == 401
    assert me(kept) == 200


def test_signing_out_everywhere_revokes_every_key(ana):
    keys = [new_key(APIClient(), ana)["token"] for _ in range(2)]
    browser = APIClient()
    browser.force_login(ana)
    response = browser.post("/api/v1/auth/logout/", {"everywhere": True}, format="json")
    assert response.status_code == 204
    assert [me(key) for key in keys] == [401, 401]
    assert browser.get("/api/v1/me/").status_code in (401, 403)


def test_the_owner_lists_their_live_keys(ana, django_assert_max_num_queries):
    current = new_key(APIClient(), ana, name="laptop")
    new_key(APIClient(), ana, name="phone")
    expired = services.token_create(user=ana, name="old")
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now())
    services.token_create(user=UserFactory(), name="someone else's")
    client = with_key(current["token"])
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["phone", "laptop"]
    assert [row["is_current"] for row in rows] == [False, True]
    assert rows[1]["prefix"] == current["token"][:8]
    assert "token" not in rows[0] and "key_hash" not in rows[0]


def test_the_owner_revokes_one_key_and_nobody_else_can(ana):
    laptop = new_key(APIClient(), ana, name="laptop")
    phone = new_key(APIClient(), ana, name="phone")
    intruder = with_key(services.token_create(user=UserFactory()).key)
    assert intruder.delete(f"/api/v1/auth/tokens/{laptop['id']}/").status_code == 404
    assert me(laptop["token"]) == 200
    assert (
        with_key(phone["token"]).delete(f"/api/v1/auth/tokens/{laptop['id']}/").status_code == 204
    )
    assert me(laptop["token"]) == 401
    assert me(phone["token"]) == 200


def test_a_person_keeps_at_most_the_configured_number_of_keys(ana, settings):
    settings.API_TOKEN_MAX_PER_USER = 3
    keys = [services.token_create(user=ana).key for _ in range(4)]
    assert [me(key) for key in keys] == [401, 200, 200, 200]


def test_keys_of_a_deactivated_person_stop_answering(ana):
    key = services.token_create(user=ana).key
    ana.is_active = False
    ana.save()
    assert me(key) == 401
