"""Sign-in, token and sign-up throttles, and the lockout after repeated failed sign-ins: the API
and the sign-in page count together, and a locked address refuses even the right password."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import LoginAttempt
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

PASSWORD = "a long passphrase 42"
TOKEN = "/api/v1/auth/token/"
LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/auth/register/"


@pytest.fixture
def ana(db):
    user = UserFactory(email="ana@huella.coop")
    user.set_password(PASSWORD)
    user.save()
    return user


def token(email: str, password: str, client: APIClient | None = None, **extra):
    body = {"email": email, "password": password}
    return (client or APIClient()).post(TOKEN, body, format="json", **extra)


def fail(times: int, email: str = "ana@huella.coop") -> list[int]:
    return [token(email, "wrong password").status_code for _ in range(times)]


# Throttles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "path", "body"),
    [
        ("token", TOKEN, {"email": "x@example.coop", "password": "nope"}),
        ("sign_in", LOGIN, {"email": "x@example.coop", "password": "nope"}),
        ("sign_up", REGISTER, {"email": "", "password": "", "name": ""}),
    ],
)
def test_each_auth_endpoint_has_its_own_throttle(monkeypatch, scope, path, body):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {scope: "3/min"})
    client = APIClient()
    codes = [client.post(path, body, format="json").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    response = client.post(path, body, format="json")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_a_made_up_forwarded_for_header_does_not_reset_the_count(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "2/min"})
    codes = [
        token("x@example.coop", "nope", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 429]


def test_the_sign_in_page_shares_the_apis_counter(monkeypatch, client):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"sign_in": "2/min"})
    body = {"email": "x@example.coop", "password": "nope"}
    assert APIClient().post(LOGIN, body, format="json").status_code == 400
    assert APIClient().post(LOGIN, body, format="json").status_code == 400
    page = client.post("/signin/", {"username": "x@example.coop", "password": "nope"})
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()


def test_the_sign_up_page_is_throttled(monkeypatch, client):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"sign_up": "1/min"})
    data = {"name": "Ana", "email": "", "password": "", "password_again": ""}
    assert client.post("/signup/", data).status_code == 200  # a form error, counted
    response = client.post("/signup/", data)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


# Lockout --------------------------------------------------------------------------------------


def test_five_failures_lock_the_address_and_the_right_password_is_refused(ana):
    assert fail(4) == [400] * 4
    locked = token("ana@huella.coop", "wrong password")
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert "try again in 15 minutes" in locked.json()["detail"]
    assert 14 * 60 < int(locked["Retry-After"]) <= 15 * 60
    right = token("ANA@huella.coop", PASSWORD)  # any case of the address is the same address
    assert right.status_code == 429
    assert "token" not in right.json()


def test_the_lock_ends_and_then_the_right_password_works(ana):
    fail(5)
    LoginAttempt.objects.filter(email="ana@huella.coop").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    response = token("ana@huella.coop", PASSWORD)
    assert response.status_code == 200
    assert response.json()["token"]
    # A success forgets the failures: four more wrong ones do not lock again.
    assert not LoginAttempt.objects.exists()
    assert fail(4) == [400] * 4


def test_failures_outside_the_window_do_not_add_up(ana):
    fail(4)
    LoginAttempt.objects.update(window_started_at=timezone.now() - timedelta(minutes=16))
    assert fail(4) == [400] * 4
    assert token("ana@huella.coop", PASSWORD).status_code == 200


def test_the_lock_is_per_address(ana):
    other = UserFactory(email="bea@huella.coop")
    other.set_password(PASSWORD)
    other.save()
    fail(5)
    assert token("bea@huella.coop", PASSWORD).status_code == 200


def test_an_unknown_address_locks_the_same_way(db):
    """The answers never tell whether an account exists."""
    assert fail(5, "nobody@huella.coop") == [400, 400, 400, 400, 429]


def test_the_session_login_endpoint_counts_and_honours_the_lock(ana):
    fail(3)
    client = APIClient()
    bad = {"email": "ana@huella.coop", "password": "nope"}
    assert client.post(LOGIN, bad, format="json").status_code == 400
    assert client.post(LOGIN, bad, format="json").status_code == 429
    good = {"email": "ana@huella.coop", "password": PASSWORD}
    assert client.post(LOGIN, good, format="json").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_counts_and_honours_the_lock(ana):
    page = Client()
    for _ in range(4):
        response = page.post("/signin/", {"username": "ana@huella.coop", "password": "nope"})
        assert response.status_code == 200
        assert "do not match an account" in response.content.decode()
    # The fifth failure comes from the API: one counter for both.
    assert token("ana@huella.coop", "nope").status_code == 429
    response = page.post("/signin/", {"username": "ana@huella.coop", "password": PASSWORD})
    assert response.status_code == 429
    assert "signing in is paused" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_threshold_and_the_length_are_settings(ana, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    settings.LOGIN_LOCKOUT_MINUTES = 2
    assert fail(3) == [400, 400, 429]
    assert "try again in 2 minutes" in token("ana@huella.coop", PASSWORD).json()["detail"]


def test_a_locked_address_is_told_in_the_readers_language(ana):
    fail(5)
    spanish = token("ana@huella.coop", PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 429
    assert "vuelve a intentarlo en 15 minutos" in spanish.json()["detail"]
    portuguese = token("ana@huella.coop", PASSWORD, HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert "tente de novo em 15 minutos" in portuguese.json()["detail"]


def admin_sign_in(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    body = {"username": email, "password": password, "next": "/admin/"}
    return client.post("/admin/login/?next=/admin/", body)


def test_the_admin_sign_in_counts_and_honours_the_lock(ana):
    """The admin was a way around the lockout: 15 wrong passwords, then the right one signed in,
    and its failures did not count for the API."""
    ana.is_staff = ana.is_superuser = True
    ana.save()
    staff = Client()
    for _ in range(4):
        response = admin_sign_in(staff, "ana@huella.coop", "nope")
        assert response.status_code == 200
        assert "_auth_user_id" not in staff.session
    # The admin's four failures and the API's fifth share one counter.
    assert token("ana@huella.coop", "nope").status_code == 429
    response = admin_sign_in(staff, "ana@huella.coop", PASSWORD)
    assert response.status_code == 200
    assert "signing in is paused" in response.content.decode()
    assert "_auth_user_id" not in staff.session
    assert token("ana@huella.coop", PASSWORD).status_code == 429


def test_the_admin_lets_staff_in_once_unlocked_and_still_refuses_others(ana):
    staff = Client()
    assert admin_sign_in(staff, "ana@huella.coop", PASSWORD).status_code == 200
    assert "_auth_user_id" not in staff.session  # right password, but not staff
    ana.is_staff = ana.is_superuser = True
    ana.save()
    response = admin_sign_in(staff, "ana@huella.coop", PASSWORD)
    assert response.status_code == 302
    assert staff.session["_auth_user_id"] == str(ana.pk)
