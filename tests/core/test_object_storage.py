"""Media and verification documents in S3-compatible buckets (docs/deployment.md), against a
local S3 server (tests/s3_standin.py): files land in their bucket, nothing is readable there
without a signed URL, signed URLs expire, and only the permission-checked views hand them out."""

import io
import time
from typing import Any

import pytest
import requests
from django.test import Client
from PIL import Image

from marketplace.services.images import encode_listing_image, store_listing_image
from tests.cooperatives.helpers import PDF_BYTES, pdf_upload
from tests.factories import CategoryFactory, ListingFactory
from tests.s3_standin import MEDIA_BUCKET, PRIVATE_BUCKET, S3Server

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _image(listing: Any) -> Any:
    return store_listing_image(listing, encode_listing_image(Image.new("RGB", (64, 48))))


def _document(owner: Any, coop: Any) -> tuple[str, str]:
    """A verification request with one PDF: the document's URL in Minga and its key in the bucket."""
    from cooperatives.models import VerificationDocument

    client = _client(owner)
    response = client.post(
        f"/api/v1/cooperatives/{coop.slug}/verification/", {"documents": [pdf_upload()]}
    )
    assert response.status_code == 201, response.content
    document = VerificationDocument.objects.get()
    url = f"/api/v1/cooperatives/{coop.slug}/verification/documents/{document.pk}/"
    return url, document.file.name


def test_a_listing_image_lands_in_the_media_bucket_and_is_served_through_its_gate(
    s3_storages: S3Server, seller_coop: Any, outsider: Any
) -> None:
    image = _image(ListingFactory(cooperative=seller_coop, category=CategoryFactory()))
    stored = set(s3_storages.keys(MEDIA_BUCKET))
    assert {image.image.name, image.thumbnail_small.name, image.thumbnail_large.name} <= stored
    assert s3_storages.keys(PRIVATE_BUCKET) == []
    # Pages link to Minga's own address, never to the bucket.
    assert image.image.url == f"/media/{image.image.name}"

    response = _client(outsider).get(image.image.url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(f"{s3_storages.url}/{MEDIA_BUCKET}/")
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200, fetched.content
    assert fetched.headers["Content-Type"] == "image/webp"
    assert fetched.headers["Cache-Control"] == "public, max-age=300"
    assert Image.open(io.BytesIO(fetched.content)).size == (64, 48)


def test_an_image_of_a_hidden_listing_is_a_404_at_the_gate_for_an_outsider(
    s3_storages: S3Server, seller_coop: Any, seller_member: Any, outsider: Any
) -> None:
    image = _image(
        ListingFactory(cooperative=seller_coop, category=CategoryFactory(), status="draft")
    )
    assert _client(outsider).get(image.image.url).status_code == 404
    assert _client(None).get(image.image.url).status_code == 404
    response = _client(seller_member).get(image.image.url)
    assert response.status_code == 302
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.status_code == 200, fetched.content
    assert fetched.headers["Cache-Control"] == "private, no-store"
    # The bucket itself answers nobody without a signature.
    bare = f"{s3_storages.url}/{MEDIA_BUCKET}/{image.image.name}"
    assert requests.get(bare, timeout=10).status_code == 403


def test_a_verification_document_is_in_the_private_bucket_and_readable_only_by_signed_url(
    s3_storages: S3Server, seller_coop: Any, seller_owner: Any, outsider: Any
) -> None:
    url, key = _document(seller_owner, seller_coop)
    assert s3_storages.keys(PRIVATE_BUCKET) == [key]
    assert s3_storages.keys(MEDIA_BUCKET) == []

    bare = f"{s3_storages.url}/{PRIVATE_BUCKET}/{key}"
    assert requests.get(bare, timeout=10).status_code == 403

    assert _client(outsider).get(url).status_code == 404
    response = _client(seller_owner).get(url)
    assert response.status_code == 302
    signed = response["Location"]
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200, fetched.content
    assert fetched.content == PDF_BYTES
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert "statute.pdf" in fetched.headers["Content-Disposition"]
    # A signature is for one object: put on another key, it opens nothing.
    other = signed.replace(key, key.rsplit("/", 1)[0] + "/other.pdf")
    assert requests.get(other, timeout=10).status_code == 403


def test_a_signed_url_stops_working_once_it_expires(
    s3_storages: S3Server, settings: Any, seller_coop: Any, seller_owner: Any
) -> None:
    private = settings.STORAGES["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": {**private["OPTIONS"], "querystring_expire": 1}},
    }
    url, _ = _document(seller_owner, seller_coop)
    signed = _client(seller_owner).get(url)["Location"]
    assert "X-Amz-Expires=1" in signed
    time.sleep(2.1)
    expired = requests.get(signed, timeout=10)
    assert expired.status_code == 403
    assert b"expired" in expired.content
