"""Listing images: only real JPEG/PNG/WebP, size and pixel limits, bombs refused, metadata
dropped, orientation respected, thumbnails stored, at most ten, ordered."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from marketplace.models import ListingImage
from tests.conftest import client_for
from tests.marketplace.conftest import image_bytes

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_image(client, listing, data, name="photo.jpg", **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/listings/{listing.pk}/images/",
        {"image": upload(name, data), **extra},
        format="multipart",
    )


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size, all black: a few kilobytes that decode to a lot."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 1000) for _ in range(height // 1000)]
    parts.append(compressor.compress(row * (height % 1000)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def jpeg_with_exif(size=(200, 100), orientation=1) -> bytes:  # type: ignore[no-untyped-def]
    image = Image.new("RGB", size, (250, 10, 10))
    image.paste((10, 10, 250), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SpyCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "S",
            ExifTags.GPS.GPSLatitude: (34.0, 36.0, 12.0),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (58.0, 22.0, 54.0),
        }
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def stored_files(image: ListingImage) -> list[bytes]:
    return [
        default_storage.open(field.name).read()
        for field in (image.image, image.thumbnail_large, image.thumbnail_small)
    ]


class TestUpload:
    def test_a_jpeg_is_stored_as_webp_with_two_thumbnails(self, seller_owner, draft):
        response = post_image(
            client_for(seller_owner),
            draft,
            image_bytes((2000, 1000)),
            alt_text="Bolsa de café de 1 kg",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["width"], body["height"], body["position"]) == (2000, 1000, 0)
        assert body["alt_text"] == "Bolsa de café de 1 kg"
        image = ListingImage.objects.get(pk=body["id"])
        widths = []
        for data in stored_files(image):
            opened = Image.open(io.BytesIO(data))
            assert opened.format == "WEBP"
            widths.append(opened.width)
        assert widths == [2000, 1200, 400]
        assert body["thumbnail_small_url"].endswith(image.thumbnail_small.name)

    def test_very_large_images_are_stored_smaller(self, seller_owner, draft):
        response = post_image(client_for(seller_owner), draft, image_bytes((5000, 2500), "PNG"))
        assert response.status_code == 201
        assert (response.json()["width"], response.json()["height"]) == (2400, 1200)

    def test_the_list_shows_the_first_thumbnail(self, api, seller_owner, published):
        client = client_for(seller_owner)
        first = post_image(client, published, image_bytes(color=(1, 2, 3))).json()
        post_image(client, published, image_bytes(color=(4, 5, 6)))
        published.refresh_from_db()
        published.status = "published"  # the upload sent it back to review
        published.save()
        item = api.get("/api/v1/listings/").json()["results"][0]
        assert item["thumbnail_url"] == first["thumbnail_small_url"]

    def test_exif_and_gps_are_removed(self, seller_owner, draft):
        data = jpeg_with_exif()
        assert b"SpyCam" in data
        response = post_image(client_for(seller_owner), draft, data)
        assert response.status_code == 201
        for stored in stored_files(ListingImage.objects.get(pk=response.json()["id"])):
            opened = Image.open(io.BytesIO(stored))
            assert not opened.getexif()
            assert not opened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert "exif" not in opened.info
            assert b"SpyCam" not in stored and b"Exif" not in stored

    def test_exif_orientation_is_applied(self, seller_owner, draft):
        # Orientation 6: the camera was turned; the picture must be shown rotated 90° clockwise.
        response = post_image(client_for(seller_owner), draft, jpeg_with_exif(orientation=6))
        body = response.json()
        assert (body["width"], body["height"]) == (100, 200)
        image = ListingImage.objects.get(pk=body["id"])
        stored = Image.open(io.BytesIO(stored_files(image)[0])).convert("RGB")
        top = stored.getpixel((50, 20))
        assert top[2] > 200 and top[0] < 60  # the left (blue) half is now on top

    @pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
    def test_png_and_webp_are_accepted(self, seller_owner, draft, fmt):
        response = post_image(client_for(seller_owner), draft, image_bytes(fmt=fmt), "x.bin")
        assert response.status_code == 201


class TestRefused:
    def _refused(self, client, listing, data, name="photo.jpg"):  # type: ignore[no-untyped-def]
        response = post_image(client, listing, data, name)
        assert response.status_code == 400, response.json()
        assert not ListingImage.objects.exists()
        return " ".join(response.json()["image"])

    def test_a_renamed_pdf(self, seller_owner, draft):
        pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
        message = self._refused(client_for(seller_owner), draft, pdf, "holiday.jpg")
        assert "JPEG, PNG or WebP" in message

    def test_a_gif(self, seller_owner, draft):
        message = self._refused(client_for(seller_owner), draft, image_bytes(fmt="GIF"))
        assert "GIF" in message

    def test_a_truncated_jpeg(self, seller_owner, draft):
        data = image_bytes((1600, 1200), quality=95)
        message = self._refused(client_for(seller_owner), draft, data[: len(data) // 2])
        assert "truncated" in message

    def test_a_20000_by_20000_png(self, seller_owner, draft):
        data = huge_png(20_000, 20_000)
        assert len(data) < 200_000
        message = self._refused(client_for(seller_owner), draft, data, "big.png")
        assert "pixels" in message

    def test_a_decompression_bomb(self, seller_owner, draft):
        data = huge_png(30_000, 30_000)  # 900 megapixels from about 100 KB
        message = self._refused(client_for(seller_owner), draft, data, "bomb.png")
        assert "pixels" in message

    def test_just_over_the_pixel_limit(self, settings, seller_owner, draft):
        settings.MAX_IMAGE_PIXELS = 100 * 100
        message = self._refused(client_for(seller_owner), draft, image_bytes((101, 100)))
        assert "limit" in message

    def test_a_file_over_10_mb(self, seller_owner, draft):
        data = image_bytes((64, 64)) + b"\0" * (10 * 1024 * 1024)
        message = self._refused(client_for(seller_owner), draft, data)
        assert "limit" in message

    def test_an_eleventh_image(self, seller_owner, draft):
        client = client_for(seller_owner)
        small = image_bytes((40, 30))
        for _ in range(10):
            assert post_image(client, draft, small).status_code == 201
        response = post_image(client, draft, small)
        assert response.status_code == 400
        assert "at most 10" in " ".join(response.json()["image"])
        assert draft.images.count() == 10


class TestPermissionsAndEdits:
    def test_members_get_403_and_strangers_404(self, seller_member, buyer_owner, draft):
        data = image_bytes((40, 30))
        assert post_image(client_for(seller_member), draft, data).status_code == 403
        assert post_image(client_for(buyer_owner), draft, data).status_code == 404

    def test_a_new_image_sends_a_published_listing_back_to_review(self, seller_owner, published):
        post_image(client_for(seller_owner), published, image_bytes((40, 30)))
        published.refresh_from_db()
        assert published.status == "pending_review"

    def test_reorder_and_alt_text(self, seller_owner, draft):
        client = client_for(seller_owner)
        first, second, third = (
            post_image(client, draft, image_bytes((40, 30))).json() for _ in range(3)
        )
        response = client.patch(
            f"/api/v1/listings/{draft.pk}/images/{third['id']}/",
            {"position": 0, "alt_text": "Frente"},
            format="json",
        )
        assert response.status_code == 200
        listed = client.get(f"/api/v1/listings/{draft.pk}/images/").json()
        assert [image["id"] for image in listed] == [third["id"], first["id"], second["id"]]
        assert [image["position"] for image in listed] == [0, 1, 2]
        assert listed[0]["alt_text"] == "Frente"

    def test_delete_removes_the_files_and_closes_the_gap(
        self, seller_owner, draft, django_capture_on_commit_callbacks
    ):
        client = client_for(seller_owner)
        first, second = (post_image(client, draft, image_bytes((40, 30))).json() for _ in range(2))
        image = ListingImage.objects.get(pk=first["id"])
        names = [image.image.name, image.thumbnail_large.name, image.thumbnail_small.name]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.delete(f"/api/v1/listings/{draft.pk}/images/{first['id']}/")
        assert response.status_code == 204
        assert not any(default_storage.exists(name) for name in names)
        remaining = client.get(f"/api/v1/listings/{draft.pk}/images/").json()
        assert [(i["id"], i["position"]) for i in remaining] == [(second["id"], 0)]

    def test_an_image_of_another_listing_is_404(self, seller_owner, draft, published):
        client = client_for(seller_owner)
        image = post_image(client, draft, image_bytes((40, 30))).json()
        response = client.delete(f"/api/v1/listings/{published.pk}/images/{image['id']}/")
        assert response.status_code == 404
