"""One registry of error codes (`core.errors.ERROR_CODES`, read from core/error_codes.toml),
documented in docs/api.md: every `code` the project can answer with is in it, and the
documentation lists exactly its codes."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework import exceptions

from core.errors import ERROR_CODES

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["core", "accounts", "cooperatives", "marketplace", "moderation", "orders", "flows"]
PACKAGES += ["frontend", "config"]
# Field-level validation (400, a message per field) carries codes that never reach the body:
# a ValidationError, or core.reference's validators' one refusal.
FIELD_ERRORS = {"ValidationError", "_refuse_unknown"}
ROW = re.compile(r"^\| `([a-z_]+)` \| (\d{3}) \|", re.MULTILINE)


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def codes_in(tree: ast.AST) -> set[str]:
    """`code="..."` passed to an error, `code = "..."` in an error class, `{"code": "..."}` in a
    body, and the first argument of a checkout line's `Problem(...)`."""
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) not in FIELD_ERRORS:
            found |= {_text(kw.value) for kw in node.keywords if kw.arg == "code"}
            if _name(node) == "Problem" and node.args:
                found.add(_text(node.args[0]))
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    getattr(target, "id", "") == "code" for target in statement.targets
                ):
                    found.add(_text(statement.value))
        elif isinstance(node, ast.Dict):
            found |= {
                _text(value)
                for key, value in zip(node.keys, node.values, strict=True)
                if _text(key) == "code"
            }
    return {code for code in found if code}


def raised_codes() -> dict[str, str]:
    """Every code written in the project's code → the first file that writes it."""
    where: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for code in codes_in(ast.parse(path.read_text(encoding="utf-8"))):
                where.setdefault(code, str(path.relative_to(ROOT)))
    return where


def documented_codes() -> dict[str, int]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    return {code: int(status) for code, status in ROW.findall(section)}


def test_every_code_raised_is_in_the_registry() -> None:
    missing = {code: path for code, path in raised_codes().items() if code not in ERROR_CODES}
    assert not missing, f"add these codes to core/error_codes.toml and docs/api.md: {missing}"


@pytest.mark.parametrize(
    "error",
    [
        exceptions.ParseError,
        exceptions.AuthenticationFailed,
        exceptions.NotAuthenticated,
        exceptions.PermissionDenied,
        exceptions.NotFound,
        exceptions.MethodNotAllowed,
        exceptions.UnsupportedMediaType,
        exceptions.Throttled,
    ],
)
def test_the_frameworks_codes_are_in_the_registry(error: type[exceptions.APIException]) -> None:
    assert ERROR_CODES[str(error.default_code)][0] == error.status_code


def test_docs_list_exactly_the_registry() -> None:
    documented = documented_codes()
    assert documented == {code: status for code, (status, _) in ERROR_CODES.items()}


def test_the_scan_finds_codes_where_they_are_written() -> None:
    """The scan itself: a code in each of the shapes the project uses is found."""
    source = """
class Locked(DomainError):
    code = "a_class"
raise DomainError("no", code="a_call")
raise ValidationError("bad", code="a_field_code")
body = {"detail": "x", "code": "a_body"}
Problem("a_problem", "text")
"""
    assert codes_in(ast.parse(source)) == {"a_class", "a_call", "a_body", "a_problem"}
