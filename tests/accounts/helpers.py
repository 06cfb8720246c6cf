"""Shortcuts for the tests that sign people up through the API."""

from typing import Any

STRONG = "a-long-enough-passphrase-42"


def register(api: Any, **fields: Any) -> Any:
    """Sign up through the API (`POST /api/v1/auth/register/`, JSON): Ana Pérez of La Huella with
    a strong passphrase, but for the `fields` given."""
    body = {"email": "ana@huella.coop", "password": STRONG, "name": "Ana Pérez", **fields}
    return api.post("/api/v1/auth/register/", body, format="json")
