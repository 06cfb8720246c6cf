import pytest
from django.contrib.auth import get_user_model

from tests.factories import UserFactory
from tests.frontend.helpers import browser_for, text

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Rosa Quispe",
        "email": "Rosa@Example.coop",
        "password": "telar-de-los-andes-42",
        "password_again": "telar-de-los-andes-42",
    }
    data.update(overrides)
    return data


def test_signup_page_renders_with_labelled_fields(client):
    response = client.get("/signup/")
    assert response.status_code == 200
    html = text(response)
    for field in ("name", "email", "password", "password_again"):
        assert f'for="id_{field}"' in html


def test_signup_creates_the_account_signs_in_and_goes_on(client):
    response = client.post("/signup/", signup_data(next="/cooperatives/"), follow=True)
    assert response.redirect_chain[-1][0] == "/cooperatives/"
    user = get_user_model().objects.get(email="rosa@example.coop")
    assert response.wsgi_request.user == user
    assert "Welcome to Minga, Rosa Quispe." in text(response)


def test_signup_ignores_a_next_that_leaves_the_site(client):
    response = client.post("/signup/", signup_data(next="https://evil.example/"))
    assert response.status_code == 302
    assert response["Location"] == "/my/cooperatives/"


def test_signup_with_a_taken_email_is_a_form_error_not_a_crash(client):
    UserFactory(email="rosa@example.coop")
    response = client.post("/signup/", signup_data())
    assert response.status_code == 200
    assert "An account with this e-mail already exists." in text(response)
    assert get_user_model().objects.filter(email__iexact="rosa@example.coop").count() == 1


def test_signup_applies_the_password_validators(client):
    response = client.post("/signup/", signup_data(password="12345678", password_again="12345678"))
    assert response.status_code == 200
    assert "This password is entirely numeric." in text(response)
    assert not get_user_model().objects.filter(email="rosa@example.coop").exists()


def test_signup_wants_the_same_password_twice(client):
    response = client.post("/signup/", signup_data(password_again="something-else-entirely"))
    assert "The two passwords differ." in text(response)


def test_sign_in_with_the_email_in_any_case(client):
    user = UserFactory(email="ana@example.coop")
    response = client.post(
        "/signin/", {"username": "ANA@example.coop", "password": PASSWORD}, follow=True
    )
    assert response.wsgi_request.user == user
    assert response.redirect_chain[-1][0] == "/my/cooperatives/"
    assert "You are signed in." in text(response)


def test_sign_in_with_a_wrong_password_says_so(client):
    UserFactory(email="ana@example.coop")
    response = client.post("/signin/", {"username": "ana@example.coop", "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in text(response)
    assert not response.wsgi_request.user.is_authenticated


def test_sign_out_is_a_post(outsider):
    browser = browser_for(outsider)
    assert browser.get("/signout/").status_code == 405
    response = browser.post("/signout/", follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "You are signed out." in text(response)


def test_navigation_follows_who_is_signed_in(client, outsider, moderator):
    anonymous = text(client.get("/"))
    assert "Sign in" in anonymous and "My cooperatives" not in anonymous
    member = text(browser_for(outsider).get("/"))
    assert "My cooperatives" in member and 'action="/signout/"' in member
    assert "/moderation/" not in member
    assert "/moderation/" in text(browser_for(moderator).get("/"))


def test_moderation_page_is_for_moderators_only(client, outsider, moderator):
    assert client.get("/moderation/").status_code == 404
    assert browser_for(outsider).get("/moderation/").status_code == 404
    assert browser_for(moderator).get("/moderation/").status_code == 200
