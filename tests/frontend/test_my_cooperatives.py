import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from cooperatives.models import Cooperative, Invitation, Membership, Role
from cooperatives.state import VerificationStatus
from tests.factories import MembershipFactory
from tests.frontend.helpers import (
    HTMX,
    browser_for,
    elements,
    messages_of,
    pdf_upload,
    png_upload,
    text,
)

pytestmark = pytest.mark.django_db


def coop_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "Cooperativa Panificadora El Horno",
        "legal_form": "worker",
        "sector": "food",
        "country": "AR",
        "city": "La Plata",
        "founded_year": "2015",
        "member_count": "12",
        "description": "Pan de masa madre para comedores y almacenes.",
        "description_language": "es",
        "is_recuperated": "on",
    }
    data.update(overrides)
    return data


# "My cooperatives" ---------------------------------------------------------------------------


def test_my_cooperatives_needs_signing_in(client):
    response = client.get("/my/cooperatives/")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=/my/cooperatives/")


def test_my_cooperatives_lists_mine_with_my_role(seller_coop, buyer_coop, seller_admin):
    response = browser_for(seller_admin).get("/my/cooperatives/")
    html = text(response)
    assert seller_coop.name in html and "Your role: Admin" in html
    assert buyer_coop.name not in html


def test_someone_without_a_cooperative_is_told_what_to_do(outsider):
    html = text(browser_for(outsider).get("/my/cooperatives/"))
    assert "You are not a member of any cooperative yet." in html
    assert 'href="/my/new-cooperative/"' in html


# Create and edit -----------------------------------------------------------------------------


def test_create_a_cooperative_with_a_logo(outsider):
    browser = browser_for(outsider)
    assert browser.get("/my/new-cooperative/").status_code == 200
    response = browser.post("/my/new-cooperative/", coop_data(logo=png_upload()), follow=True)
    cooperative = Cooperative.objects.get(name="Cooperativa Panificadora El Horno")
    assert response.redirect_chain[-1][0] == f"/my/cooperatives/{cooperative.slug}/"
    assert Membership.objects.get(cooperative=cooperative, user=outsider).role == Role.OWNER
    assert cooperative.is_recuperated and cooperative.founded_year == 2015
    with Image.open(cooperative.logo.path) as logo:
        assert logo.format == "WEBP" and logo.size[0] == logo.size[1]
    assert "is on Minga" in text(response)


def test_create_refuses_a_file_that_is_not_an_image(outsider):
    fake = SimpleUploadedFile("logo.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = browser_for(outsider).post("/my/new-cooperative/", coop_data(logo=fake))
    assert response.status_code == 200
    assert "not an image" in text(response)
    assert not Cooperative.objects.filter(name="Cooperativa Panificadora El Horno").exists()


def test_create_shows_missing_fields_next_to_them(outsider):
    response = browser_for(outsider).post("/my/new-cooperative/", coop_data(name="", country=""))
    form = response.context["form"]
    assert "name" in form.errors and "country" in form.errors
    assert Cooperative.objects.count() == 0


def test_edit_saves_the_profile_and_replaces_the_logo(seller_coop, seller_admin):
    browser = browser_for(seller_admin)
    url = f"/my/cooperatives/{seller_coop.slug}/edit/"
    form = browser.get(url).context["form"]
    assert form.initial["name"] == seller_coop.name
    data = coop_data(name="La Huella Textil", country="UY", logo=png_upload())
    response = browser.post(url, data, follow=True)
    seller_coop.refresh_from_db()
    assert seller_coop.name == "La Huella Textil" and seller_coop.country == "UY"
    assert seller_coop.logo.name.endswith(".webp")
    assert "The profile is saved." in text(response)


@pytest.mark.parametrize("page", ["edit/", "verification/"])
def test_members_and_outsiders_do_not_get_the_edit_pages(
    client, seller_coop, seller_member, outsider, moderator, page
):
    url = f"/my/cooperatives/{seller_coop.slug}/{page}"
    assert browser_for(seller_member).get(url).status_code == 404
    assert browser_for(outsider).get(url).status_code == 404
    assert browser_for(outsider).post(url, coop_data()).status_code == 404
    assert client.get(url).status_code == 302  # to the sign-in page


# Members -------------------------------------------------------------------------------------


def test_outsiders_do_not_see_the_members_page(seller_coop, seller_owner, outsider):
    response = browser_for(outsider).get(f"/my/cooperatives/{seller_coop.slug}/")
    assert response.status_code == 404
    assert seller_owner.email not in text(response)


def test_members_see_the_members_but_no_controls(seller_coop, seller_owner, seller_member):
    response = browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/")
    html = text(response)
    assert seller_owner.email in html
    assert "/role/" not in html and "Invite a member" not in html
    assert 'id="invite-heading"' not in html


def test_owner_changes_a_role(seller_coop, seller_owner, seller_member):
    membership = Membership.objects.get(user=seller_member)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{membership.pk}/role/"
    response = browser_for(seller_owner).post(url, {"role": "admin"}, follow=True)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    assert f"{seller_member.name} is now admin." in text(response)


def test_role_change_with_htmx_swaps_the_panel_with_its_message(
    seller_coop, seller_owner, seller_member
):
    membership = Membership.objects.get(user=seller_member)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{membership.pk}/role/"
    response = browser_for(seller_owner).post(url, {"role": "admin"}, **HTMX)
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="members-panel"')
    assert "is now admin." in html
    assert "<html" not in html


def test_the_last_owner_cannot_step_down_and_is_told_why(seller_coop, seller_owner):
    membership = Membership.objects.get(user=seller_owner)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{membership.pk}/role/"
    response = browser_for(seller_owner).post(url, {"role": "member"}, follow=True)
    assert response.status_code == 200
    assert "A cooperative always keeps an owner" in text(response)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_admins_are_not_offered_ownership_and_cannot_take_it(
    seller_coop, seller_owner, seller_admin, seller_member
):
    browser = browser_for(seller_admin)
    html = text(browser.get(f"/my/cooperatives/{seller_coop.slug}/"))
    member = Membership.objects.get(user=seller_member)
    options = [
        attrs.get("value")
        for tag, attrs in elements(
            html.split(f'id="role-{member.pk}"')[1].split("</select>")[0]
        ).tags
        if tag == "option"
    ]
    assert options == ["admin", "member"]
    response = browser.post(
        f"/my/cooperatives/{seller_coop.slug}/members/{member.pk}/role/", {"role": "owner"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["You may not give or take this role."]
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_a_bad_role_is_a_message(seller_coop, seller_owner, seller_member):
    member = Membership.objects.get(user=seller_member)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{member.pk}/role/"
    response = browser_for(seller_owner).post(url, {"role": "emperor"})
    assert response.status_code == 302
    assert messages_of(response) == ["Choose one of the roles."]


def test_owner_removes_a_member(seller_coop, seller_owner, seller_member):
    member = Membership.objects.get(user=seller_member)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{member.pk}/remove/"
    response = browser_for(seller_owner).post(url, follow=True)
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert f"{seller_member.name} is no longer a member." in text(response)


def test_a_member_leaves_and_lands_on_my_cooperatives(seller_coop, seller_owner, seller_member):
    member = Membership.objects.get(user=seller_member)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{member.pk}/remove/"
    response = browser_for(seller_member).post(url, **HTMX)
    assert response["HX-Redirect"] == "/my/cooperatives/"
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_members_cannot_remove_others(seller_coop, seller_owner, seller_member):
    owner = Membership.objects.get(user=seller_owner)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{owner.pk}/remove/"
    response = browser_for(seller_member).post(url)
    assert messages_of(response) == ["You may not remove this member."]
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_outsiders_cannot_act_on_members(seller_coop, seller_owner, outsider):
    owner = Membership.objects.get(user=seller_owner)
    browser = browser_for(outsider)
    base = f"/my/cooperatives/{seller_coop.slug}"
    assert browser.post(f"{base}/members/{owner.pk}/remove/").status_code == 404
    assert browser.post(f"{base}/members/{owner.pk}/role/", {"role": "member"}).status_code == 404
    assert browser.post(f"{base}/invitations/", {"email": "x@example.coop"}).status_code == 404
    assert Membership.objects.filter(pk=owner.pk, role=Role.OWNER).exists()


def test_member_actions_are_post_only(seller_coop, seller_owner):
    owner = Membership.objects.get(user=seller_owner)
    url = f"/my/cooperatives/{seller_coop.slug}/members/{owner.pk}/remove/"
    assert browser_for(seller_owner).get(url).status_code == 405


# Invitations ---------------------------------------------------------------------------------


def test_invite_sends_an_email_with_the_link_and_lists_the_invitation(
    seller_coop, seller_admin, django_capture_on_commit_callbacks
):
    browser = browser_for(seller_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"/my/cooperatives/{seller_coop.slug}/invitations/",
            {"email": "Nueva@Example.coop", "role": "member"},
            follow=True,
        )
    invitation = Invitation.objects.get(cooperative=seller_coop)
    assert invitation.email == "nueva@example.coop"
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    html = text(response)
    assert "An invitation is on its way to nueva@example.coop." in html
    assert f"/invitations/{invitation.token}/" in html  # the link to share another way


def test_inviting_a_member_again_is_a_form_error(seller_coop, seller_owner, seller_member):
    response = browser_for(seller_owner).post(
        f"/my/cooperatives/{seller_coop.slug}/invitations/",
        {"email": seller_member.email, "role": "member"},
    )
    assert response.status_code == 200
    assert "This person is already a member of the cooperative." in text(response)
    assert not Invitation.objects.exists()


def test_invite_errors_come_back_in_the_htmx_panel(seller_coop, seller_owner):
    response = browser_for(seller_owner).post(
        f"/my/cooperatives/{seller_coop.slug}/invitations/",
        {"email": "not-an-email", "role": "member"},
        **HTMX,
    )
    html = text(response)
    assert html.lstrip().startswith('<div id="members-panel"')
    assert "Enter a valid email address." in html


def test_admins_cannot_invite_owners(seller_coop, seller_admin):
    response = browser_for(seller_admin).post(
        f"/my/cooperatives/{seller_coop.slug}/invitations/",
        {"email": "boss@example.coop", "role": "owner"},
    )
    assert "You may not invite members with this role." in text(response)
    assert not Invitation.objects.exists()


def test_members_cannot_invite(seller_coop, seller_member):
    browser_for(seller_member).post(
        f"/my/cooperatives/{seller_coop.slug}/invitations/",
        {"email": "friend@example.coop", "role": "member"},
    )
    assert not Invitation.objects.exists()


def test_revoke_an_open_invitation(seller_coop, seller_owner):
    invitation = Invitation.objects.create(
        cooperative=seller_coop, email="x@example.coop", invited_by=seller_owner
    )
    url = f"/my/cooperatives/{seller_coop.slug}/invitations/{invitation.pk}/revoke/"
    response = browser_for(seller_owner).post(url, follow=True)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "The invitation to x@example.coop is withdrawn." in text(response)
    assert browser_for(seller_owner).post(url).status_code == 404  # no longer open


# Verification --------------------------------------------------------------------------------


def test_ask_for_verification_with_a_document(seller_coop, seller_owner):
    browser = browser_for(seller_owner)
    url = f"/my/cooperatives/{seller_coop.slug}/verification/"
    assert "Ask to be verified" in text(browser.get(url))
    response = browser.post(url, {"documents": [pdf_upload()], "note": "Estatuto"}, follow=True)
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == VerificationStatus.PENDING
    assert "Your documents are with the moderators." in text(response)
    html = text(browser.get(url))
    assert "estatuto.pdf" in html and "Ask to be verified" not in html


def test_verification_refuses_other_files(seller_coop, seller_owner):
    bogus = SimpleUploadedFile("estatuto.exe", b"MZ\x90\x00", content_type="application/pdf")
    response = browser_for(seller_owner).post(
        f"/my/cooperatives/{seller_coop.slug}/verification/", {"documents": [bogus]}
    )
    assert response.status_code == 200
    assert "Documents must be a PDF" in text(response)
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == VerificationStatus.UNVERIFIED


def test_verification_twice_is_a_message_not_an_error(seller_coop, seller_owner):
    seller_coop.verification_status = VerificationStatus.PENDING
    seller_coop.save()
    response = browser_for(seller_owner).post(
        f"/my/cooperatives/{seller_coop.slug}/verification/", {"documents": [pdf_upload()]}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_members_page_queries_do_not_grow_with_the_members(seller_coop, seller_owner):
    browser = browser_for(seller_owner)
    url = f"/my/cooperatives/{seller_coop.slug}/"
    browser.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for number in range(10):
        MembershipFactory(cooperative=seller_coop)
        Invitation.objects.create(cooperative=seller_coop, email=f"new{number}@example.coop")
    with CaptureQueriesContext(connection) as many:
        browser.get(url)
    assert len(many) == len(few)
