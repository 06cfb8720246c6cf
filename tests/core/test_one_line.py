"""One-line fields refuse line breaks, control and direction-override characters wherever they are
typed (API, pages, admin, services), and an e-mail the mail server refuses is recorded for admins."""

import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from accounts.models import User
from cooperatives import services as cooperative_services
from cooperatives.models import Cooperative, Role
from core.email import Email, deliver_emails
from core.models import EmailFailure
from core.text import one_line, one_line_problem
from tests.accounts.helpers import register
from tests.conftest import client_for
from tests.factories import CategoryFactory, ListingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "La Huella\nBcc: everyone@example.com",
    "La\rHuella",
    "La\tHuella",
    "La Huella\x00",
    "La Huella\x1b[31m",
    "La\u2028Huella",
    "\u202eallehuH aL",  # RIGHT-TO-LEFT OVERRIDE
    "La \u2066Huella\u2069",  # LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE
    "La\u0085Huella",  # NEXT LINE (a C1 control)
]
FINE = ["Cooperativa La Huella", "Coopérative «Ñandú» 合作社", "עמותה", "O'Higgins – Ltda."]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_not_one_line(value: str) -> None:
    assert one_line_problem(value)
    assert "\n" not in one_line(value) and "\r" not in one_line(value)


@pytest.mark.parametrize("value", FINE)
def test_names_in_any_script_are_fine(value: str) -> None:
    assert not one_line_problem(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_api_refuses_them_naming_the_field(
    value: str, seller_owner: Any, seller_coop: Any
) -> None:
    client = client_for(seller_owner)
    response = client.patch(
        f"/api/v1/cooperatives/{seller_coop.slug}/", {"name": value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["name"]
    for field in ("city", "region", "address", "phone", "tax_id"):
        response = client.patch(
            f"/api/v1/cooperatives/{seller_coop.slug}/", {field: value}, format="json"
        )
        assert response.status_code == 400 and field in response.json(), (field, response.content)
    seller_coop.refresh_from_db()
    assert seller_coop.name == "Cooperativa Textil La Huella"


def test_creating_a_cooperative_refuses_them(outsider: Any) -> None:
    response = client_for(outsider).post(
        "/api/v1/cooperatives/",
        {"name": "Nueva\nCoop", "legal_form": "worker", "sector": "food", "country": "UY"},
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json()
    assert not Cooperative.objects.filter(name__startswith="Nueva").exists()


def test_registration_and_profile_refuse_them(api: Any, outsider: Any) -> None:
    response = register(api, email="new@example.coop", name="Ana\u202e")
    assert response.status_code == 400
    assert "name" in response.json()
    assert not User.objects.filter(email="new@example.coop").exists()
    response = client_for(outsider).patch("/api/v1/me/", {"name": "Ana\nB"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_listing_titles_and_alt_texts_refuse_them(seller_owner: Any, seller_coop: Any) -> None:
    listing = ListingFactory(cooperative=seller_coop, category=CategoryFactory(), status="draft")
    client = client_for(seller_owner)
    for field in ("title", "sku", "regions_served"):
        response = client.patch(f"/api/v1/listings/{listing.pk}/", {field: "A\nB"}, format="json")
        assert response.status_code == 400 and field in response.json(), (field, response.content)
    response = client.patch(
        f"/api/v1/listings/{listing.pk}/", {"description": "Line one\nLine two\x00"}, format="json"
    )
    assert response.status_code == 400
    response = client.patch(
        f"/api/v1/listings/{listing.pk}/", {"description": "Line one\n\tLine two"}, format="json"
    )
    assert response.status_code == 200  # descriptions keep their line breaks and tabs


def test_the_profile_page_refuses_them(seller_owner: Any, seller_coop: Any) -> None:
    pages = Client()
    pages.force_login(seller_owner)
    response = pages.post(
        f"/my/cooperatives/{seller_coop.slug}/edit/",
        {
            "name": "La Huella\u202e",
            "legal_form": seller_coop.legal_form,
            "sector": seller_coop.sector,
            "country": seller_coop.country,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Keep this to one line of plain text" in response.content.decode()
    seller_coop.refresh_from_db()
    assert seller_coop.name == "Cooperativa Textil La Huella"


def test_the_admin_refuses_them(seller_coop: Any) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    pages = Client()
    pages.force_login(admin)
    form = pages.get(f"/admin/cooperatives/cooperative/{seller_coop.pk}/change/")
    assert form.status_code == 200
    data = {
        field.name: getattr(seller_coop, field.attname)
        for field in Cooperative._meta.fields
        if field.editable and getattr(seller_coop, field.attname) is not None
    }
    data["logo"] = ""
    data.update(
        {
            f"memberships-{key}": value
            for key, value in {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            }.items()
        }
    )
    url = f"/admin/cooperatives/cooperative/{seller_coop.pk}/change/"
    pages.post(url, {**data, "name": "Admin Name"})
    seller_coop.refresh_from_db()
    assert seller_coop.name == "Admin Name"  # the form is valid otherwise
    response = pages.post(url, {**data, "name": "Admin\nName"})
    assert response.status_code == 200  # the form again, with the error
    seller_coop.refresh_from_db()
    assert seller_coop.name == "Admin Name"


# -- E-mail -------------------------------------------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message addressed to refuse@…"""

    def send_messages(self, email_messages: Any) -> int:
        sent = 0
        for message in email_messages:
            if any(address.startswith("refuse@") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            mail.outbox.append(message)
            sent += 1
        return sent


BACKEND = "tests.core.test_one_line.RefusingBackend"


def test_a_refused_email_is_recorded_and_the_others_still_go(settings: Any) -> None:
    settings.EMAIL_BACKEND = BACKEND
    sent = deliver_emails(
        [
            Email("ana@example.coop", "Hola", "…"),
            Email("refuse@example.coop", "Pedido\nnuevo", "…"),
            Email("bea@example.coop", "Hola", "…"),
        ]
    )
    assert sent == 2
    assert [m.to for m in mail.outbox] == [["ana@example.coop"], ["bea@example.coop"]]
    failure = EmailFailure.objects.get()
    assert (failure.recipient, failure.subject) == ("refuse@example.coop", "Pedido nuevo")
    assert "550" in failure.error


def test_an_invitation_that_cannot_be_sent_is_visible_to_admins(
    settings: Any, seller_owner: Any, seller_coop: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(seller_owner).post(
            f"/api/v1/cooperatives/{seller_coop.slug}/members/",
            {"email": "refuse@example.coop", "role": Role.MEMBER},
            format="json",
        )
    assert response.status_code == 201
    assert EmailFailure.objects.filter(recipient="refuse@example.coop").exists()
    admin = UserFactory(is_staff=True, is_superuser=True)
    pages = Client()
    pages.force_login(admin)
    listing = pages.get("/admin/core/emailfailure/")
    assert listing.status_code == 200
    assert "refuse@example.coop" in listing.content.decode()
    assert pages.get("/admin/core/emailfailure/add/").status_code == 403


def test_a_legacy_name_with_a_newline_no_longer_drops_the_email(
    seller_coop: Any, seller_owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A name stored before the rule (written by hand in the database) still reaches people."""
    Cooperative.objects.filter(pk=seller_coop.pk).update(name="La Huella\nLtda")
    seller_coop.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_services.invitation_create(
            cooperative=seller_coop,
            email="nuevo@example.coop",
            role=Role.MEMBER,
            actor=seller_owner,
        )
    assert len(mail.outbox) == 1
    assert "La Huella Ltda" in mail.outbox[0].subject
    assert not EmailFailure.objects.exists()


def test_order_and_moderation_emails_go_through_the_same_helper(
    settings: Any, seller_coop: Any, moderator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from moderation import services as moderation_services

    settings.EMAIL_BACKEND = BACKEND
    MembershipFactory(
        cooperative=seller_coop, role=Role.OWNER, user=UserFactory(email="refuse@example.coop")
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.cooperative_suspend(
            cooperative=seller_coop, actor=moderator, reason="Fake certificates."
        )
    assert EmailFailure.objects.filter(recipient="refuse@example.coop").exists()
