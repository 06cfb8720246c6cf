"""docs/security.md states the limits people and operators rely on (rates per throttle scope,
upload size, pixels, aspect ratio, API key lifetime); these tests read its tables and hold them
to the settings the code runs with, so the page cannot drift from the code. The behaviour behind
each limit is tested where it lives (tests/core/test_uploads.py, tests/accounts/test_tokens.py,
the throttle tests)."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from config.settings import base

DOC = Path(settings.BASE_DIR) / "docs" / "security.md"


def section_table(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table under `## heading`."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {heading}")
    rows: list[list[str]] = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    assert len(rows) > 2, f"no table under '## {heading}' in docs/security.md"
    return rows[2:]  # past the header and its --- line


def default_of(env: str, value: object) -> object:
    if env in os.environ:
        pytest.skip(f"{env} is set in this environment: the documented default does not apply")
    return value


def test_every_throttle_scope_is_documented_with_its_default_rate() -> None:
    documented: dict[str, str] = {}
    for scope_cell, _where, rate_cell in section_table("Throttles and sign-in lockout"):
        scope = scope_cell.strip("`")
        rate, env = re.fullmatch(r"(\S+) \(`(\w+)`\)", rate_cell).groups()  # type: ignore[union-attr]
        documented[scope] = rate
        assert rate == default_of(env, base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]), scope
    assert set(documented) == set(base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])


def _number(cell: str) -> int:
    """'10 MB' in bytes (MiB, as the code counts), '40,000,000' and '20' as they are."""
    found = re.match(r"([\d,]+)( MB)?", cell)
    assert found, cell
    number = int(found.group(1).replace(",", ""))
    return number * 1024 * 1024 if found.group(2) else number


def test_the_upload_limits_are_the_ones_the_code_applies() -> None:
    seen = set()
    for _limit, default_cell, _refused in section_table("Upload limits (what one upload may cost)"):
        env = re.search(r"\(`(MAX_\w+)`\)", default_cell)
        if env is None:
            continue
        name = env.group(1)
        seen.add(name)
        assert _number(default_cell) == default_of(name, getattr(base, name)), name
    assert seen == {
        "MAX_UPLOAD_BYTES",
        "MAX_IMAGE_PIXELS",
        "MAX_IMAGE_ASPECT_RATIO",
        "MAX_IMAGE_DECODED_PIXELS",
    }


def test_the_api_key_lifetime_and_count_are_the_ones_the_code_applies() -> None:
    rows = {what: value for what, value in section_table("API keys")}
    for what, name in (
        ("lifetime", "API_TOKEN_TTL_DAYS"),
        ("per person", "API_TOKEN_MAX_PER_USER"),
    ):
        number = re.search(rf"`{name}` \((\d+)\)", rows[what])
        assert number, f"docs/security.md, API keys, '{what}' should name `{name}` (its default)"
        assert int(number.group(1)) == default_of(name, getattr(base, name))
