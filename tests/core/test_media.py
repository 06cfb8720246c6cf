"""Uploaded files come back as what they are: images inline, anything else a download, never
sniffed, never run as a page of our origin."""

import io

import pytest
from django.conf import settings
from PIL import Image


@pytest.fixture
def media_file():
    created = []

    def make(name: str, content: bytes):
        path = settings.MEDIA_ROOT / "checks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        created.append(path)
        return f"/media/checks/{name}"

    yield make
    for path in created:
        path.unlink(missing_ok=True)


def webp_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1d5e4a").save(buffer, format="WEBP")
    return buffer.getvalue()


def test_an_image_is_shown_inline_with_its_type_and_never_sniffed(client, media_file):
    response = client.get(media_file("logo.webp", webp_bytes()))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "script-src" not in policy


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("script.js", b"alert(1)"),
        ("no-extension", b"<script>alert(1)</script>"),
    ],
)
def test_anything_else_is_a_download_that_cannot_run(client, media_file, name, content):
    response = client.get(media_file(name, content))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_no_path_leaves_the_media_folder(client, media_file):
    media_file("logo.webp", webp_bytes())
    for url in ("/media/checks/../../../etc/passwd", "/media/%2e%2e/%2e%2e/etc/passwd"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert b"root:" not in response.content


def test_private_documents_are_not_under_media(client):
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert client.get("/private-media-is-not-served/anything.pdf").status_code == 404
