"""Helpers for page tests: sign-in clients, htmx headers, images and small HTML probes."""

import io
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

HTMX = {"HTTP_HX_REQUEST": "true"}


def browser_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def png_upload(name: str = "logo.png", size: tuple[int, int] = (300, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d5e4a").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "estatuto.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def catalogue_of_new_rows(export: bytes, count: int, sku: str, title: str = "") -> str:
    """A catalogue CSV to import: the header of a cooperative's export (`export`, its bytes) and
    its first row copied `count` times as new listings (no id; the SKU, and the title when given,
    from `str.format` with the row's number)."""
    header, row = export.decode("utf-8-sig").splitlines()[:2]
    columns = header.split(",")
    lines = [header]
    for number in range(count):
        values = row.split(",")
        values[columns.index("id")] = ""
        values[columns.index("sku")] = sku.format(number)
        if title:
            values[columns.index("title")] = title.format(number)
        lines.append(",".join(values))
    return "\n".join(lines)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The messages queued during the (last) request of this response."""
    return [str(message) for message in get_messages(response.wsgi_request)]


class Elements(HTMLParser):
    """Collects start tags with their attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_bodies.append(data)


def elements(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def row_legends(response: Any) -> list[str]:
    """The labels of a form's rows (quote lines, agreement prices, standing-order lines), as a
    screen reader announces each one."""
    return [
        unescape(label).strip()
        for label in re.findall(
            r'<fieldset class="quote-line">\s*<legend>(.*?)</legend>', response.content.decode()
        )
    ]
