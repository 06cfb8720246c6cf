"""Uploads cost bounded work (core/uploads.py): hostile images are refused from their header, or
with a 400 naming the field, before they cost seconds and gigabytes; large JPEGs are decoded at a
reduced scale; and each person and each cooperative may upload only so many files a minute, on
the API and on the pages alike. The hostile files are built here, a few kilobytes each."""

import io
import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.uploads import open_image
from tests.conftest import client_for
from tests.cooperatives.helpers import PDF_BYTES
from tests.factories import ListingFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png(width: int, height: int, *, before_pixels: bytes = b"") -> bytes:
    """A valid greyscale PNG, all black, its rows compressed in slices (40 million rows are a
    few dozen kilobytes); `before_pixels` are chunks placed between the header and the pixels."""
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    rows_per_slice = max(1, 1_000_000 // len(row))
    parts = [
        compressor.compress(row * min(rows_per_slice, height - start))
        for start in range(0, height, rows_per_slice)
    ]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + before_pixels
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def inflating(kind: bytes) -> bytes:
    """A compressed text (zTXt) or colour-profile (iCCP) chunk of ~2 kB that inflates to 2 MB,
    past Pillow's 1 MB limit per chunk."""
    inflated = zlib.compress(b"a" * 2_000_000, 9)
    if kind == b"zTXt":
        return chunk(b"zTXt", b"Comment\x00\x00" + inflated)
    return chunk(b"iCCP", b"profile\x00\x00" + inflated)


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, format="JPEG", quality=30)
    return buffer.getvalue()


def as_upload(data: bytes, name: str = "picture.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def listing(seller_coop):  # type: ignore[no-untyped-def]
    return ListingFactory(cooperative=seller_coop, status="draft", published_at=None)


def add_image(client: Any, listing: Any, data: bytes, name: str = "picture.png") -> Any:
    return client.post(
        f"/api/v1/listings/{listing.pk}/images/",
        {"image": as_upload(data, name)},
        format="multipart",
    )


def create_with_logo(client: Any, data: bytes) -> Any:
    body = {"name": "Nueva", "legal_form": "worker", "sector": "food", "country": "AR"}
    body["logo"] = as_upload(data)
    return client.post("/api/v1/cooperatives/", body, format="multipart")


def send_document(client: Any, cooperative: Any, data: bytes) -> Any:
    return client.post(
        f"/api/v1/cooperatives/{cooperative.slug}/verification/",
        {"documents": [as_upload(data, "statute.png")]},
        format="multipart",
    )


# Hostile images ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
def test_inflating_metadata_is_a_400_naming_the_field_everywhere(
    kind, seller_owner, seller_coop, listing
):  # type: ignore[no-untyped-def]
    """A 2 kB PNG whose text or colour profile inflates past Pillow's limit was a 500 on
    listing images, logos and verification documents."""
    hostile = png(8, 8, before_pixels=inflating(kind))
    assert len(hostile) < 20_000
    client = client_for(seller_owner)
    for response, field in (
        (add_image(client, listing, hostile), "image"),
        (create_with_logo(client, hostile), "logo"),
        (send_document(client, seller_coop, hostile), "documents"),
    ):
        assert response.status_code == 400, response.content
        assert "embedded text or colour-profile" in " ".join(response.json()[field])
    assert not listing.images.exists()
    assert not seller_coop.verification_requests.exists()


def test_a_one_pixel_wide_strip_is_refused_from_its_header(seller_owner, listing):  # type: ignore[no-untyped-def]
    """1×40,000,000 px is inside the pixel limit and ~80 kB on the wire; decoding and
    re-encoding it took seconds and gigabytes. The header's aspect ratio refuses it."""
    strip = png(1, 40_000_000)
    assert len(strip) < 200_000
    response = add_image(client_for(seller_owner), listing, strip)
    assert response.status_code == 400
    assert "1×40000000" in response.json()["image"][0]
    assert "at most 20 times the other" in response.json()["image"][0]


def test_the_aspect_ratio_limit_is_a_setting(settings, seller_owner, listing):  # type: ignore[no-untyped-def]
    banner = png(400, 40)
    assert add_image(client_for(seller_owner), listing, banner).status_code == 201
    settings.MAX_IMAGE_ASPECT_RATIO = 5
    response = add_image(client_for(seller_owner), listing, banner)
    assert response.status_code == 400
    assert "at most 5 times" in response.json()["image"][0]


def test_a_png_over_the_decoding_limit_is_refused_before_decoding(settings, seller_owner, listing):  # type: ignore[no-untyped-def]
    settings.MAX_IMAGE_DECODED_PIXELS = 100 * 100
    response = add_image(client_for(seller_owner), listing, png(101, 100))
    assert response.status_code == 400
    assert "PNG and WebP images may have at most 10000 pixels" in response.json()["image"][0]


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(settings):  # type: ignore[no-untyped-def]
    """JPEG can be decoded at 1/2, 1/4 or 1/8 scale: a photo over the decoding limit is
    accepted, and never held in memory at full size."""
    settings.MAX_IMAGE_DECODED_PIXELS = 1000 * 1000
    validated = open_image(as_upload(jpeg(2400, 1600), "photo.jpg"))
    assert validated.image.size == (1200, 800)  # 1.92 Mpx declared, 0.96 Mpx decoded
    # Stored at most 600 px wide: decoded at 1/4, still covering what is kept.
    validated = open_image(as_upload(jpeg(2400, 1600), "photo.jpg"), fit=600)
    assert validated.image.size == (600, 400)


def test_listing_images_keep_their_stored_size_from_a_reduced_decoding(seller_owner, listing):  # type: ignore[no-untyped-def]
    response = add_image(client_for(seller_owner), listing, jpeg(5000, 2500), "photo.jpg")
    assert response.status_code == 201, response.content
    image = listing.images.get()
    assert (image.width, image.height) == (2400, 1200)


# Rates ------------------------------------------------------------------------------------------


def set_rates(settings, **rates: str) -> None:  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **rates,
        },
    }


def test_a_person_may_upload_so_many_files_a_minute(settings, seller_owner, listing):  # type: ignore[no-untyped-def]
    set_rates(settings, uploads="2/min")
    client = client_for(seller_owner)
    small = png(40, 30)
    assert [add_image(client, listing, small).status_code for _ in range(2)] == [201, 201]
    refused = add_image(client, listing, small)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert listing.images.count() == 2
    # Logos and documents draw on the same count.
    assert create_with_logo(client, small).status_code == 429


def test_a_cooperative_may_receive_so_many_files_a_minute_from_all_its_managers(
    settings, seller_owner, seller_coop, listing, outsider
):  # type: ignore[no-untyped-def]
    set_rates(settings, uploads="100/min", uploads_cooperative="2/min")
    admin = MembershipFactory(cooperative=seller_coop, role="admin").user
    small = png(40, 30)
    # Someone who may not add images spends nothing of the cooperative's budget.
    listing.status = "published"
    listing.save()
    assert add_image(client_for(outsider), listing, small).status_code == 403
    assert add_image(client_for(seller_owner), listing, small).status_code == 201
    assert add_image(client_for(admin), listing, small).status_code == 201
    refused = send_document(client_for(admin), seller_coop, PDF_BYTES)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"


def test_page_uploads_share_the_apis_count(settings, seller_owner, listing):  # type: ignore[no-untyped-def]
    set_rates(settings, uploads="1/min")
    assert add_image(client_for(seller_owner), listing, png(40, 30)).status_code == 201
    page = Client()
    page.force_login(seller_owner)
    response = page.post(
        f"/my/listings/{listing.pk}/images/",
        {"images": [as_upload(png(40, 30))], "alt_text": ""},
        follow=True,
    )
    assert "Too many uploads for now" in response.content.decode()
    assert listing.images.count() == 1
