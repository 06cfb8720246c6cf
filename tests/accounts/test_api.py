import pytest

from accounts.models import User
from tests.accounts.helpers import STRONG, register

pytestmark = pytest.mark.django_db


def test_register_returns_token_that_authenticates(api):
    response = register(api)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "name", "token"}
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    me = api.get("/api/v1/me/").json()
    assert me["email"] == "ana@huella.coop"
    assert me["is_moderator"] is False
    assert me["memberships"] == []


def test_email_is_unique_case_insensitively(api):
    assert register(api).status_code == 201
    response = register(api, email="ANA@Huella.coop")
    assert response.status_code == 400
    assert "email" in response.json()
    assert User.objects.count() == 1


def test_weak_password_is_refused_with_a_message(api):
    response = register(api, password="123456")
    assert response.status_code == 400
    assert response.json()["password"]
    assert not User.objects.exists()


def test_token_with_any_case_of_email(api):
    register(api)
    response = api.post(
        "/api/v1/auth/token/", {"email": "Ana@HUELLA.coop", "password": STRONG}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"]


def test_token_with_wrong_password_is_400(api):
    register(api)
    response = api.post(
        "/api/v1/auth/token/", {"email": "ana@huella.coop", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_session_login_and_logout(client):
    client.post(
        "/api/v1/auth/register/",
        {"email": "ana@huella.coop", "password": STRONG, "name": "Ana"},
        content_type="application/json",
    )
    response = client.post(
        "/api/v1/auth/login/",
        {"email": "ana@huella.coop", "password": STRONG},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_me_lists_memberships_and_moderator_flag(moderator, seller_owner):
    from tests.conftest import client_for

    me = client_for(seller_owner).get("/api/v1/me/").json()
    assert me["memberships"][0]["role"] == "owner"
    assert client_for(moderator).get("/api/v1/me/").json()["is_moderator"] is True


def test_malformed_json_is_a_400_naming_the_problem(api):
    response = api.post("/api/v1/auth/register/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(("sent", "stored"), [("es", "es"), ("pt-BR", "pt-br"), ("", "")])
def test_me_language_is_one_of_the_sites_languages(outsider, sent, stored):
    from tests.conftest import client_for

    response = client_for(outsider).patch("/api/v1/me/", {"language": sent}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["language"] == stored
    outsider.refresh_from_db()
    assert outsider.language == stored


@pytest.mark.parametrize("sent", ["fr", "klingon", "pt-pt"])
def test_me_refuses_a_language_the_site_does_not_speak(outsider, sent):
    from tests.conftest import client_for

    outsider.language = "es"
    outsider.save()
    response = client_for(outsider).patch(
        "/api/v1/me/", {"language": sent, "name": "Otro Nombre"}, format="json"
    )
    assert response.status_code == 400
    assert "pt-br" in response.json()["language"][0]
    outsider.refresh_from_db()
    assert (outsider.language, outsider.name) == ("es", "Outsider")


def test_me_cannot_change_email_or_moderator_flag(outsider):
    from tests.conftest import client_for

    response = client_for(outsider).patch(
        "/api/v1/me/", {"email": "new@example.coop", "is_moderator": True}, format="json"
    )
    assert response.status_code == 200
    outsider.refresh_from_db()
    assert outsider.email != "new@example.coop"
    assert outsider.is_moderator is False


def test_a_wrong_token_is_a_401_with_a_code(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_a_cross_site_form_cannot_sign_a_browser_in(db):
    """Login CSRF: a form on another site posting the attacker's credentials to the API login
    must not leave the victim's browser signed in as the attacker."""
    from django.test import Client

    from tests.factories import UserFactory

    attacker = UserFactory(email="attacker@example.coop")
    credentials = {"email": attacker.email, "password": "correct horse battery staple"}
    victim = Client(enforce_csrf_checks=True)
    forged = victim.post("/api/v1/auth/login/", credentials)  # a plain form POST, no token
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["detail"]
    assert "sessionid" not in victim.cookies
    assert victim.get("/api/v1/me/").status_code in (401, 403)

    victim.get("/signin/")  # any page sets the CSRF cookie; a script of our origin can read it
    token = victim.cookies["csrftoken"].value
    signed_in = victim.post(
        "/api/v1/auth/login/",
        credentials,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert signed_in.status_code == 200
    assert victim.get("/api/v1/me/").json()["email"] == attacker.email
