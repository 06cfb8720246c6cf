from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cooperatives.models import Invitation, Membership, Role
from tests.factories import UserFactory
from tests.frontend.helpers import browser_for, messages_of, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(seller_coop, seller_owner):  # type: ignore[no-untyped-def]
    return Invitation.objects.create(
        cooperative=seller_coop, email="rosa@example.coop", role=Role.ADMIN, invited_by=seller_owner
    )


def test_from_invitation_email_to_membership(
    seller_coop, seller_owner, django_capture_on_commit_callbacks
):
    """The whole path a person takes: invited on the page, signs up from the link, joins."""
    with django_capture_on_commit_callbacks(execute=True):
        browser_for(seller_owner).post(
            f"/my/cooperatives/{seller_coop.slug}/invitations/",
            {"email": "rosa@example.coop", "role": "admin"},
        )
    link = next(word for word in mail.outbox[0].body.split() if "/invitations/" in word)
    path = link[link.index("/invitations/") :]

    visitor = Client()
    page = text(visitor.get(path))
    assert "invited rosa@example.coop to join as Admin" in page
    assert f"/signup/?next={path}" in page

    visitor.post(
        f"/signup/?next={path}",
        {
            "name": "Rosa Quispe",
            "email": "rosa@example.coop",
            "password": "telar-de-los-andes-42",
            "password_again": "telar-de-los-andes-42",
            "next": path,
        },
    )
    assert "Join Cooperativa Textil La Huella" in text(visitor.get(path))
    response = visitor.post(path, follow=True)
    assert response.redirect_chain[-1][0] == f"/my/cooperatives/{seller_coop.slug}/"
    assert "Welcome to Cooperativa Textil La Huella. Your role: Admin." in text(response)
    membership = Membership.objects.get(user__email="rosa@example.coop")
    assert membership.cooperative == seller_coop and membership.role == Role.ADMIN


def test_anonymous_accept_goes_to_sign_in(client, invitation):
    response = client.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=/invitations/")
    assert not Membership.objects.filter(user__email="rosa@example.coop").exists()


def test_someone_else_is_warned_and_cannot_accept(invitation, outsider):
    browser = browser_for(outsider)
    page = text(browser.get(f"/invitations/{invitation.token}/"))
    assert "This invitation is for rosa@example.coop" in page
    response = browser.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert messages_of(response) == ["This invitation was sent to another e-mail address."]
    assert not Membership.objects.filter(user=outsider, cooperative=invitation.cooperative).exists()


def test_withdrawn_invitation_says_so(client, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save()
    assert "This invitation was withdrawn." in text(client.get(f"/invitations/{invitation.token}/"))
    rosa = UserFactory(email="rosa@example.coop")
    response = browser_for(rosa).post(f"/invitations/{invitation.token}/", follow=True)
    assert "This invitation was withdrawn." in text(response)
    assert not Membership.objects.filter(user=rosa).exists()


def test_expired_invitation_says_so(invitation):
    invitation.expires_at = timezone.now() - timedelta(days=1)
    invitation.save()
    rosa = UserFactory(email="rosa@example.coop")
    browser = browser_for(rosa)
    assert "This invitation has expired." in text(browser.get(f"/invitations/{invitation.token}/"))
    browser.post(f"/invitations/{invitation.token}/")
    assert not Membership.objects.filter(user=rosa).exists()


def test_accepting_twice_is_a_message(invitation):
    rosa = UserFactory(email="rosa@example.coop")
    browser = browser_for(rosa)
    browser.post(f"/invitations/{invitation.token}/")
    response = browser.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert messages_of(response)[-1] == "This invitation was already accepted."


def test_unknown_token_is_404(client, db):
    assert client.get("/invitations/not-a-real-token/").status_code == 404
    assert client.post("/invitations/not-a-real-token/").status_code == 404
