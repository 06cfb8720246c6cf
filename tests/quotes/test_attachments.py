"""The files attached to a request for quotes: listed in the API with their download addresses,
downloaded by the buyer's members and the sellers the request is for, a 404 for everyone else."""

import importlib
import io

import pytest
import requests
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import client_for
from tests.cooperatives.helpers import PDF_BYTES, pdf_upload
from tests.factories import MembershipFactory
from tests.quotes.helpers import publish, seller

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#1d5e4a").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def attached(buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    invited, invited_owner = seller("Gráfica Patria")
    drawing = SimpleUploadedFile("plano.txt", png_bytes(), content_type="text/plain")
    rfq = publish(
        buyer_coop, buyer_owner, [invited], attachments=[pdf_upload("pliego.pdf"), drawing]
    )
    return rfq, invited_owner


def test_the_detail_lists_each_file_with_its_size_type_and_download_address(attached, buyer_owner):
    rfq, _invited_owner = attached
    body = client_for(buyer_owner).get(f"/api/v1/rfqs/{rfq.pk}/").json()
    assert body["attachments"] == ["pliego.pdf", "plano.txt"]
    pdf, png = body["attachment_files"]
    assert (pdf["name"], pdf["size"], pdf["content_type"]) == (
        "pliego.pdf",
        len(PDF_BYTES),
        "application/pdf",
    )
    # The type is what the upload check found in the bytes, not what the name or sender said.
    assert (png["name"], png["content_type"]) == ("plano.txt", "image/png")
    assert pdf["url"] == f"http://testserver/api/v1/rfqs/{rfq.pk}/attachments/{pdf['id']}/"


def test_the_size_is_kept_at_upload_so_listing_never_asks_the_storage(attached, buyer_owner):
    rfq, _invited_owner = attached
    pdf, png = rfq.attachments.order_by("pk")
    assert (pdf.size, png.size) == (len(PDF_BYTES), len(png_bytes()))
    # Gone from the storage: the listing still says how big it was (it reads the column only).
    pdf.file.storage.delete(pdf.file.name)
    body = client_for(buyer_owner).get(f"/api/v1/rfqs/{rfq.pk}/").json()
    assert [f["size"] for f in body["attachment_files"]] == [len(PDF_BYTES), len(png_bytes())]


def test_the_migration_fills_the_size_of_older_files_from_the_storage(attached):
    fill_sizes = importlib.import_module("quotes.migrations.0003_attachment_size").fill_sizes
    rfq, _invited_owner = attached
    pdf, png = rfq.attachments.order_by("pk")
    rfq.attachments.update(size=None)  # as rows written before the column
    png.file.storage.delete(png.file.name)
    fill_sizes(django_apps, None)
    pdf.refresh_from_db()
    png.refresh_from_db()
    assert (pdf.size, png.size) == (len(PDF_BYTES), None)  # a missing file stays unknown


def test_the_buyers_members_and_the_invited_seller_download_the_bytes(attached, buyer_coop):
    rfq, invited_owner = attached
    member = MembershipFactory(cooperative=buyer_coop, role="member").user
    pdf, png = rfq.attachments.order_by("pk")
    for person in (member, invited_owner):
        answer = client_for(person).get(f"/api/v1/rfqs/{rfq.pk}/attachments/{pdf.pk}/")
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == PDF_BYTES
        assert answer["Content-Type"] == "application/pdf"
        assert answer["Content-Disposition"] == 'attachment; filename="pliego.pdf"'
        assert answer["X-Content-Type-Options"] == "nosniff"
    image = client_for(invited_owner).get(f"/api/v1/rfqs/{rfq.pk}/attachments/{png.pk}/")
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png_bytes()


def test_nobody_else_learns_the_file_exists(attached, api):
    rfq, _invited_owner = attached
    pdf = rfq.attachments.order_by("pk").first()
    _uninvited, uninvited_owner = seller("Imprenta Lejana")
    url = f"/api/v1/rfqs/{rfq.pk}/attachments/{pdf.pk}/"
    for person in (uninvited_owner, MembershipFactory().user):
        assert client_for(person).get(url).status_code == 404
    assert api.get(url).status_code == 401
    other_rfq = publish(rfq.buyer, rfq.created_by, list(rfq.invited.all()))
    # Another request's number does not reach this one's file.
    moved = f"/api/v1/rfqs/{other_rfq.pk}/attachments/{pdf.pk}/"
    assert client_for(rfq.created_by).get(moved).status_code == 404


def test_the_stored_name_is_not_the_senders(attached):
    rfq, _invited_owner = attached
    for attachment in rfq.attachments.all():
        stored = attachment.file.name.rsplit("/", 1)[-1]
        assert attachment.name not in stored and stored.endswith((".pdf", ".png"))


def test_in_a_bucket_the_file_is_handed_out_by_signed_url_only(s3_storages, attached):
    from tests.s3_standin import MEDIA_BUCKET, PRIVATE_BUCKET

    rfq, invited_owner = attached
    pdf = rfq.attachments.order_by("pk").first()
    # In the private bucket, not the public media one; and there an unsigned read is refused.
    assert pdf.file.name in s3_storages.keys(PRIVATE_BUCKET)
    assert pdf.file.name not in s3_storages.keys(MEDIA_BUCKET)
    assert (
        requests.get(f"{s3_storages.url}/{PRIVATE_BUCKET}/{pdf.file.name}", timeout=10).status_code
        == 403
    )
    answer = client_for(invited_owner).get(f"/api/v1/rfqs/{rfq.pk}/attachments/{pdf.pk}/")
    assert answer.status_code == 302
    fetched = requests.get(answer["Location"], timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF_BYTES
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert 'filename="pliego.pdf"' in fetched.headers["Content-Disposition"]
