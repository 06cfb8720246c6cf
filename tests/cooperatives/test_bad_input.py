"""Bad input to every endpoint of accounts and cooperatives: a 4xx whose JSON body names the field
and the problem, and nothing half-written left behind (rows and files)."""

import struct
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from cooperatives.models import Cooperative, Invitation, Membership, Role, VerificationDocument
from cooperatives.state import VerificationStatus
from tests.accounts.helpers import register
from tests.conftest import client_for
from tests.cooperatives.helpers import gif_bytes, jpeg_bytes, pdf_upload, png_bytes, truncated_jpeg
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

NEW_COOP = {"name": "Cooperativa Nueva", "legal_form": "worker", "sector": "food", "country": "UY"}


def _files(root: Path) -> int:
    return sum(1 for path in root.rglob("*") if path.is_file()) if root.exists() else 0


def state() -> dict[str, Any]:
    """Everything a failed request must leave as it found it: the people, every row of every
    cooperatives table, field by field, and the stored files."""
    return {
        "users": User.objects.count(),
        **{
            model._meta.label: list(model.objects.order_by("pk").values_list())
            for model in apps.get_app_config("cooperatives").get_models()
        },
        "media_files": _files(Path(settings.MEDIA_ROOT)),
        "private_files": _files(Path(settings.PRIVATE_MEDIA_ROOT)),
    }


def assert_refused(response, status: int, field: str | None = None, code: str | None = None):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if field is not None:
        assert body[field], body
        assert all(isinstance(message, str) and message for message in body[field]), body
    if code is not None:
        assert body["code"] == code, body
    return body


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_with_declared_size(width: int, height: int) -> bytes:
    """A few hundred bytes that claim to be a huge 1-bit PNG: what a decompression bomb looks like
    to the code that opens it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


# --- malformed requests and unknown objects ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/auth/register/"),
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/auth/login/"),
        ("patch", "/api/v1/me/"),
        ("post", "/api/v1/cooperatives/"),
        ("patch", "/api/v1/cooperatives/{slug}/"),
        ("post", "/api/v1/cooperatives/{slug}/members/"),
        ("patch", "/api/v1/cooperatives/{slug}/members/{member}/"),
    ],
)
def test_malformed_json_is_a_400_that_says_so(seller_owner, seller_coop, method, path):  # type: ignore[no-untyped-def]
    member = MembershipFactory(cooperative=seller_coop)
    before = state()
    url = path.format(slug=seller_coop.slug, member=member.pk)
    response = getattr(client_for(seller_owner), method)(
        url, data='{"name": "Coop", ', content_type="application/json"
    )
    body = assert_refused(response, 400, code="parse_error")
    assert "JSON" in body["detail"]
    assert state() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/cooperatives/no-such-coop/"),
        ("patch", "/api/v1/cooperatives/no-such-coop/"),
        ("get", "/api/v1/cooperatives/no-such-coop/members/"),
        ("post", "/api/v1/cooperatives/no-such-coop/members/"),
        ("patch", "/api/v1/cooperatives/no-such-coop/members/1/"),
        ("delete", "/api/v1/cooperatives/no-such-coop/members/1/"),
        ("get", "/api/v1/cooperatives/no-such-coop/invitations/"),
        ("delete", "/api/v1/cooperatives/no-such-coop/invitations/1/"),
        ("get", "/api/v1/cooperatives/no-such-coop/verification/"),
        ("post", "/api/v1/cooperatives/no-such-coop/verification/"),
        ("get", "/api/v1/cooperatives/no-such-coop/verification/documents/1/"),
        ("patch", "/api/v1/cooperatives/{slug}/members/999999/"),
        ("delete", "/api/v1/cooperatives/{slug}/members/999999/"),
        ("delete", "/api/v1/cooperatives/{slug}/invitations/999999/"),
        ("get", "/api/v1/cooperatives/{slug}/verification/documents/999999/"),
        ("post", "/api/v1/invitations/no-such-token/accept/"),
        ("get", "/api/v1/cooperatives/ñandú/"),
    ],
)
def test_unknown_slugs_and_ids_are_json_404s(seller_owner, seller_coop, method, path):  # type: ignore[no-untyped-def]
    before = state()
    response = getattr(client_for(seller_owner), method)(
        path.format(slug=seller_coop.slug), data={"role": "admin"}, format="json"
    )
    body = assert_refused(response, 404, code="not_found")
    assert body["detail"]
    assert state() == before


def test_a_member_of_another_cooperative_is_not_found_through_this_one(  # type: ignore[no-untyped-def]
    seller_owner, seller_coop, buyer_member
):
    other = Membership.objects.get(user=buyer_member)
    response = client_for(seller_owner).delete(
        f"/api/v1/cooperatives/{seller_coop.slug}/members/{other.pk}/"
    )
    assert_refused(response, 404, code="not_found")
    assert Membership.objects.filter(pk=other.pk).exists()


# --- duplicates ----------------------------------------------------------------------------------


def test_duplicate_email_at_registration(api, outsider):  # type: ignore[no-untyped-def]
    before = state()
    response = register(api, email=outsider.email.upper(), name="X")
    assert_refused(response, 400, field="email")
    assert state() == before


def test_duplicate_slug_is_a_400_and_creates_nothing(outsider, seller_coop):  # type: ignore[no-untyped-def]
    before = state()
    response = client_for(outsider).post(
        "/api/v1/cooperatives/", {**NEW_COOP, "slug": seller_coop.slug}, format="json"
    )
    body = assert_refused(response, 400, field="slug")
    assert seller_coop.slug in body["slug"][0]
    assert state() == before
    assert not Membership.objects.filter(user=outsider).exists()


def test_same_name_gets_a_fresh_slug(outsider, seller_coop):  # type: ignore[no-untyped-def]
    response = client_for(outsider).post(
        "/api/v1/cooperatives/", {**NEW_COOP, "name": seller_coop.name}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["slug"] == f"{seller_coop.slug}-2"


def test_inviting_a_member_again_is_a_400(seller_owner, seller_coop, seller_member):  # type: ignore[no-untyped-def]
    before = state()
    response = client_for(seller_owner).post(
        f"/api/v1/cooperatives/{seller_coop.slug}/members/",
        {"email": seller_member.email.upper(), "role": "admin"},
        format="json",
    )
    assert_refused(response, 400, field="email")
    assert state() == before


# --- field values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "ZZ"}, "country"),  # CLDR's "unknown region", not a country
        ({"country": "EU"}, "country"),
        ({"country": "A1"}, "country"),
        ({"country": "Argentina"}, "country"),
        ({"name": ""}, "name"),
        ({"legal_form": "corporation"}, "legal_form"),
        ({"sector": "mining"}, "sector"),
        ({"founded_year": "long ago"}, "founded_year"),
        ({"founded_year": 1492}, "founded_year"),
        ({"member_count": -3}, "member_count"),
        ({"website": "not a url"}, "website"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"description_language": "klingon"}, "description_language"),
        ({"slug": "Not A Slug!"}, "slug"),
    ],
)
def test_invalid_profile_values_are_named(outsider, changes, field):  # type: ignore[no-untyped-def]
    before = state()
    response = client_for(outsider).post(
        "/api/v1/cooperatives/", {**NEW_COOP, **changes}, format="json"
    )
    assert_refused(response, 400, field=field)
    assert state() == before


def test_country_codes_are_case_insensitive_and_stored_upper(outsider):  # type: ignore[no-untyped-def]
    response = client_for(outsider).post(
        "/api/v1/cooperatives/", {**NEW_COOP, "country": "br"}, format="json"
    )
    assert response.json()["country"] == "BR"


def test_invalid_country_on_update_changes_nothing(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    before = state()
    response = client_for(seller_owner).patch(
        f"/api/v1/cooperatives/{seller_coop.slug}/",
        {"country": "XX", "city": "Rosario"},
        format="json",
    )
    assert_refused(response, 400, field="country")
    assert state() == before


@pytest.mark.parametrize("method", ["post", "patch"])
def test_invalid_role_is_named(seller_owner, seller_coop, method):  # type: ignore[no-untyped-def]
    member = MembershipFactory(cooperative=seller_coop)
    before = state()
    client = client_for(seller_owner)
    if method == "post":
        response = client.post(
            f"/api/v1/cooperatives/{seller_coop.slug}/members/",
            {"email": "new@example.coop", "role": "boss"},
            format="json",
        )
    else:
        response = client.patch(
            f"/api/v1/cooperatives/{seller_coop.slug}/members/{member.pk}/",
            {"role": "boss"},
            format="json",
        )
    assert_refused(response, 400, field="role")
    assert state() == before


def test_invitation_needs_a_valid_email(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    before = state()
    response = client_for(seller_owner).post(
        f"/api/v1/cooperatives/{seller_coop.slug}/members/",
        {"email": "not-an-email"},
        format="json",
    )
    assert_refused(response, 400, field="email")
    assert state() == before


# --- uploads: logos ------------------------------------------------------------------------------


def _create_with_logo(user, logo: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    return client_for(user).post(
        "/api/v1/cooperatives/", {**NEW_COOP, "logo": logo}, format="multipart"
    )


def test_a_logo_is_stored_reencoded(outsider):  # type: ignore[no-untyped-def]
    response = _create_with_logo(outsider, upload("logo.jpg", jpeg_bytes((300, 200)), "image/jpeg"))
    assert response.status_code == 201, response.json()
    coop = Cooperative.objects.get(slug=response.json()["slug"])
    assert coop.logo.name.endswith(".webp")
    assert response.json()["logo_url"].endswith(".webp")


BAD_LOGOS = {
    "text-renamed-png": (lambda: upload("logo.png", b"just some text, honestly\n" * 20), "not"),
    "pdf-as-logo": (lambda: upload("logo.png", pdf_upload().read(), "application/pdf"), "not"),
    "gif": (lambda: upload("logo.gif", gif_bytes(), "image/gif"), "GIF"),
    "truncated-jpeg": (
        lambda: upload("logo.jpg", truncated_jpeg(), "image/jpeg"),
        "truncated",
    ),
    "decompression-bomb": (
        lambda: upload("bomb.png", png_with_declared_size(100_000, 100_000)),
        "pixels",
    ),
}


@pytest.mark.parametrize("case", BAD_LOGOS)
def test_bad_logo_at_creation_is_named_and_creates_nothing(outsider, case):  # type: ignore[no-untyped-def]
    make_logo, words = BAD_LOGOS[case]
    logo = make_logo()
    before = state()
    body = assert_refused(_create_with_logo(outsider, logo), 400, field="logo")
    assert words.lower() in " ".join(body["logo"]).lower(), body
    assert state() == before


@pytest.mark.parametrize("case", BAD_LOGOS)
def test_bad_logo_at_update_keeps_the_old_one(seller_owner, seller_coop, case):  # type: ignore[no-untyped-def]
    make_logo, words = BAD_LOGOS[case]
    logo = make_logo()
    client = client_for(seller_owner)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/"
    good = client.patch(url, {"logo": upload("a.png", png_bytes())}, format="multipart")
    assert good.status_code == 200
    before = state()
    response = client.patch(url, {"logo": logo, "city": "Rosario"}, format="multipart")
    body = assert_refused(response, 400, field="logo")
    assert words.lower() in " ".join(body["logo"]).lower(), body
    assert state() == before
    seller_coop.refresh_from_db()
    assert seller_coop.logo.storage.exists(seller_coop.logo.name)


def test_replacing_a_logo_deletes_the_old_file(
    seller_owner, seller_coop, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    client = client_for(seller_owner)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/"
    client.patch(url, {"logo": upload("a.png", png_bytes())}, format="multipart")
    seller_coop.refresh_from_db()
    old = seller_coop.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(url, {"logo": upload("b.png", png_bytes((80, 80)))}, format="multipart")
    seller_coop.refresh_from_db()
    assert seller_coop.logo.name != old
    assert not seller_coop.logo.storage.exists(old)


@override_settings(MAX_UPLOAD_BYTES=2_000)
def test_a_logo_over_the_size_limit(outsider):  # type: ignore[no-untyped-def]
    before = state()
    big = upload("big.png", png_bytes((64, 64)) + b"\x00" * 3_000)
    body = assert_refused(_create_with_logo(outsider, big), 400, field="logo")
    assert "2000" in body["logo"][0]
    assert state() == before


@override_settings(MAX_IMAGE_PIXELS=1_000)
def test_a_logo_over_the_pixel_limit(outsider):  # type: ignore[no-untyped-def]
    """Below Pillow's own bomb threshold, above ours: the site's limit is the one that holds."""
    before = state()
    body = assert_refused(
        _create_with_logo(outsider, upload("wide.png", png_bytes((100, 20)))), 400, field="logo"
    )
    assert "pixels" in body["logo"][0]
    assert state() == before


def test_a_real_pillow_made_bomb_is_refused(outsider):  # type: ignore[no-untyped-def]
    """A 1-bit 14000×14000 PNG made by Pillow: ~25 kB on the wire, 196 megapixels (over twice
    Pillow's own bomb threshold) once opened."""
    bomb = png_bytes((14_000, 14_000), mode="1")
    assert len(bomb) < 100_000
    before = state()
    body = assert_refused(_create_with_logo(outsider, upload("bomb.png", bomb)), 400, field="logo")
    assert "pixels" in body["logo"][0]
    assert state() == before


# --- uploads: verification documents -------------------------------------------------------------


def _verify(user, coop, documents, note: str = ""):  # type: ignore[no-untyped-def]
    return client_for(user).post(
        f"/api/v1/cooperatives/{coop.slug}/verification/",
        {"documents": documents, "note": note},
        format="multipart",
    )


BAD_DOCUMENTS = {
    "text-renamed-pdf": (
        lambda: upload("statute.pdf", b"This is not a PDF.\n", "application/pdf"),
        "PDF",
    ),
    "html": (
        lambda: upload("statute.pdf", b"<html><script>alert(1)</script></html>", "text/html"),
        "PDF",
    ),
    "truncated-jpeg": (lambda: upload("scan.jpg", truncated_jpeg(), "image/jpeg"), "truncated"),
    "bomb": (lambda: upload("scan.png", png_with_declared_size(100_000, 100_000)), "pixels"),
}


@pytest.mark.parametrize("case", BAD_DOCUMENTS)
def test_bad_document_is_named_and_nothing_is_stored(seller_owner, seller_coop, case):  # type: ignore[no-untyped-def]
    make_document, words = BAD_DOCUMENTS[case]
    document = make_document()
    before = state()
    body = assert_refused(
        _verify(seller_owner, seller_coop, [pdf_upload(), document]), 400, field="documents"
    )
    assert document.name in body["documents"][0]
    assert words.lower() in body["documents"][0].lower(), body
    assert state() == before


@override_settings(MAX_UPLOAD_BYTES=100)
def test_a_document_over_the_size_limit(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    before = state()
    large = pdf_upload(content=b"%PDF-1.4\n" + b"0" * 200)
    body = assert_refused(_verify(seller_owner, seller_coop, [large]), 400, field="documents")
    assert "100 bytes" in body["documents"][0]
    assert state() == before


@pytest.mark.parametrize("count", [0, 6])
def test_one_to_five_documents(seller_owner, seller_coop, count):  # type: ignore[no-untyped-def]
    before = state()
    documents = [pdf_upload(f"d{i}.pdf") for i in range(count)]
    assert_refused(_verify(seller_owner, seller_coop, documents), 400, field="documents")
    assert state() == before


def test_verification_request_with_documents_is_stored_privately(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    response = _verify(
        seller_owner,
        seller_coop,
        [pdf_upload(), upload("acta.jpg", jpeg_bytes(), "image/jpeg")],
        note="Estatuto y acta de asamblea.",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [d["content_type"] for d in body["documents"]] == ["application/pdf", "image/jpeg"]
    seller_coop.refresh_from_db()
    assert seller_coop.verification_status == VerificationStatus.PENDING
    document = VerificationDocument.objects.first()
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path
    assert str(settings.MEDIA_ROOT) not in document.file.path


def test_a_second_pending_verification_request_is_a_409(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    assert _verify(seller_owner, seller_coop, [pdf_upload()]).status_code == 201
    before = state()
    body = assert_refused(
        _verify(seller_owner, seller_coop, [pdf_upload("again.pdf")]),
        409,
        code="transition_not_allowed",
    )
    assert "already" in body["detail"]
    assert state() == before


def test_a_verified_cooperative_cannot_ask_again(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    Cooperative.objects.filter(pk=seller_coop.pk).update(
        verification_status=VerificationStatus.VERIFIED
    )
    before = state()
    body = assert_refused(_verify(seller_owner, seller_coop, [pdf_upload()]), 409)
    assert "already verified" in body["detail"]
    assert state() == before


def test_verification_wants_multipart(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    response = client_for(seller_owner).post(
        f"/api/v1/cooperatives/{seller_coop.slug}/verification/", {"note": "x"}, format="json"
    )
    assert_refused(response, 415, code="unsupported_media_type")


# --- owners and invitations ----------------------------------------------------------------------


def test_the_last_owner_cannot_be_demoted(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    own = Membership.objects.get(user=seller_owner)
    before = state()
    response = client_for(seller_owner).patch(
        f"/api/v1/cooperatives/{seller_coop.slug}/members/{own.pk}/",
        {"role": "admin"},
        format="json",
    )
    body = assert_refused(response, 409, code="last_owner")
    assert "owner" in body["detail"]
    assert state() == before


def test_the_last_owner_cannot_leave(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    own = Membership.objects.get(user=seller_owner)
    before = state()
    response = client_for(seller_owner).delete(
        f"/api/v1/cooperatives/{seller_coop.slug}/members/{own.pk}/"
    )
    assert_refused(response, 409, code="last_owner")
    assert state() == before


def _invitation(coop, email: str, **fields: Any) -> Invitation:  # type: ignore[no-untyped-def]
    return Invitation.objects.create(cooperative=coop, email=email, role=Role.ADMIN, **fields)


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 409, "invitation_expired"),
        ({"revoked_at": timezone.now()}, 409, "invitation_revoked"),
        ({"accepted_at": timezone.now()}, 409, "invitation_used"),
    ],
    ids=["expired", "revoked", "used"],
)
def test_closed_invitations_cannot_be_accepted(seller_coop, fields, status, code):  # type: ignore[no-untyped-def]
    invitee = UserFactory(email="invitee@example.coop")
    invitation = _invitation(seller_coop, invitee.email, **fields)
    before = state()
    response = client_for(invitee).post(f"/api/v1/invitations/{invitation.token}/accept/")
    assert_refused(response, status, code=code)
    assert state() == before
    assert not Membership.objects.filter(user=invitee).exists()


def test_someone_elses_invitation_cannot_be_accepted(seller_coop, outsider):  # type: ignore[no-untyped-def]
    invitation = _invitation(seller_coop, "invitee@example.coop")
    before = state()
    response = client_for(outsider).post(f"/api/v1/invitations/{invitation.token}/accept/")
    body = assert_refused(response, 403, code="permission_denied")
    assert "another e-mail" in body["detail"]
    assert state() == before


def test_accept_needs_sign_in(api, seller_coop):  # type: ignore[no-untyped-def]
    invitation = _invitation(seller_coop, "invitee@example.coop")
    assert_refused(api.post(f"/api/v1/invitations/{invitation.token}/accept/"), 401)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_accepted_invitation_gives_its_role_once(seller_coop):  # type: ignore[no-untyped-def]
    invitee = UserFactory(email="invitee@example.coop")
    invitation = _invitation(seller_coop, "Invitee@Example.coop")
    client = client_for(invitee)
    response = client.post(f"/api/v1/invitations/{invitation.token}/accept/")
    assert response.status_code == 201
    assert response.json()["role"] == Role.ADMIN
    assert Membership.objects.get(user=invitee, cooperative=seller_coop).role == Role.ADMIN
    assert_refused(client.post(f"/api/v1/invitations/{invitation.token}/accept/"), 409)
    assert Membership.objects.filter(user=invitee).count() == 1


# --- accounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": "a-long-passphrase-42", "name": "A"}, "email"),
        ({"email": "a@example.coop", "password": "a-long-passphrase-42", "name": "  "}, "name"),
        ({"email": "a@example.coop", "password": "short", "name": "A"}, "password"),
        ({"email": "a@example.coop", "password": "a@example.coop", "name": "A"}, "password"),
        ({"email": "a@example.coop", "name": "A"}, "password"),
    ],
)
def test_registration_names_the_bad_field(api, body, field):  # type: ignore[no-untyped-def]
    before = state()
    assert_refused(api.post("/api/v1/auth/register/", body, format="json"), 400, field=field)
    assert state() == before


def test_token_for_an_inactive_account_is_refused(api):  # type: ignore[no-untyped-def]
    UserFactory(email="gone@example.coop", is_active=False)
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "gone@example.coop", "password": "correct horse battery staple"},
        format="json",
    )
    assert_refused(response, 400, field="non_field_errors")
