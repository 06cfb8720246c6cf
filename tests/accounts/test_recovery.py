"""Accounts people can recover: password reset by e-mail, password change, e-mail confirmation
with a grace period. A new password ends every other way in (API tokens, other sessions)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from accounts import services
from accounts.models import ApiToken, User
from accounts.services import token_create
from marketplace.services import listing_submit
from orders.services import checkout_place
from tests.conftest import client_for
from tests.factories import ListingFactory, UserFactory
from tests.frontend.helpers import text

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"  # tests/factories.py UserFactory
NEW = "telar-de-los-andes-2026"


@pytest.fixture(autouse=True)
def _fresh_counters():  # type: ignore[no-untyped-def]
    cache.clear()  # throttles and per-address counters live in the cache
    yield
    cache.clear()


def reset_link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/password/reset/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def ask_reset(client: Client, email: str) -> object:
    return client.post("/password/reset/", {"email": email})


def test_a_forgotten_password_is_reset_from_the_emailed_link_once(client):
    user = UserFactory(email="rosa@example.coop")
    token = token_create(user=user)
    response = ask_reset(client, "Rosa@Example.coop")
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rosa@example.coop"]
    link = reset_link(mail.outbox[0])

    form = client.get(link, follow=True)  # Django moves the token into the session
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/signin/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not ApiToken.objects.filter(pk=token.token.pk).exists()  # the old API token is revoked

    again = Client().get(link, follow=True)  # single use: the password it was made for changed
    assert "This link is not valid any more" in text(again)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    UserFactory(email="rosa@example.coop")
    known = ask_reset(client, "rosa@example.coop")
    unknown = ask_reset(client, "nadie@example.coop")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [message.to for message in mail.outbox] == [["rosa@example.coop"]]


def test_resets_are_throttled_per_address_with_the_same_answer(client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    UserFactory(email="rosa@example.coop")
    answers = {
        ask_reset(Client(REMOTE_ADDR=f"10.0.0.{n}"), "rosa@example.coop")["Location"]
        for n in range(4)
    }
    assert answers == {"/password/reset/sent/"}
    assert len(mail.outbox) == 2  # a flood from many clients cannot flood her inbox


def test_resets_are_throttled_per_client(client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"password_reset": "2/hour"})
    statuses = [ask_reset(client, f"persona{n}@example.coop").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_changing_the_password_keeps_this_session_and_ends_the_others():
    user = UserFactory()
    token = token_create(user=user)
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    wrong = here.post(
        "/my/account/password/",
        {"old_password": "not it", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and not User.objects.get(pk=user.pk).check_password(NEW)
    response = here.post(
        "/my/account/password/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Other devices and API tokens must sign in again" in text(response)
    assert User.objects.get(pk=user.pk).check_password(NEW)
    assert here.get("/my/account/").status_code == 200
    assert elsewhere.get("/my/account/").status_code == 302  # signed out: back to sign-in
    assert not ApiToken.objects.filter(pk=token.token.pk).exists()
    assert client_for_token(token.key).get("/api/v1/me/").status_code == 401


def client_for_token(key: str):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


# E-mail confirmation ---------------------------------------------------------------------------


def test_signing_up_sends_a_link_that_confirms_the_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/signup/",
            {
                "name": "Rosa Quispe",
                "email": "rosa@example.coop",
                "password": NEW,
                "password_again": NEW,
            },
        )
    user = User.objects.get(email="rosa@example.coop")
    assert user.email_confirmed_at is None
    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/confirm/[^\s]+/)", message.body).group(1)  # type: ignore[union-attr]
    response = client.get(path, follow=True)
    assert "is confirmed" in text(response)
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_a_forged_or_stale_confirmation_link_is_refused(settings):
    user = UserFactory(email_confirmed_at=None)
    token = services.confirmation_token(user)
    with pytest.raises(Exception, match="not valid any more"):
        services.user_confirm_email(token=token[:-2] + "xx")
    user.email = "otra@example.coop"  # the link was for the old address
    user.save()
    with pytest.raises(Exception, match="not valid any more"):
        services.user_confirm_email(token=token)
    assert User.objects.get(pk=user.pk).email_confirmed_at is None


def test_unconfirmed_accounts_work_fully_during_the_grace_period_then_cannot_commit(
    buyer_coop, buyer_owner, seller_owner, settings
):
    settings.EMAIL_CONFIRMATION_GRACE_DAYS = 7
    listing = ListingFactory(cooperative=seller_owner.memberships.get().cooperative, status="draft")
    for user in (buyer_owner, seller_owner):
        user.email_confirmed_at = None
        user.date_joined = timezone.now() - timedelta(days=6)
        user.save()
    assert not services.is_confirmation_overdue(buyer_owner)

    for user in (buyer_owner, seller_owner):
        user.date_joined = timezone.now() - timedelta(days=8)
        user.save()
    with pytest.raises(services.EmailUnconfirmed):
        checkout_place(
            buyer=buyer_coop, actor=buyer_owner, idempotency_key="k", payment_method="invoice"
        )
    with pytest.raises(services.EmailUnconfirmed):
        listing_submit(listing=listing, actor=seller_owner)
    response = client_for(buyer_owner).post(
        "/api/v1/checkout/",
        {"cooperative": buyer_coop.slug, "payment_method": "invoice"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k2",
    )
    assert response.status_code == 409 and response.json()["code"] == "email_unconfirmed"
    page = Client()
    page.force_login(buyer_owner)
    assert "cannot check out or publish" in text(page.get("/my/account/"))
