"""Access-control proof: every URL pattern of the URLconf and every operation of the API schema,
requested as each of six personas, against the declared table (tests/access/table.txt).

A pattern or operation without a row fails `test_every_url_pattern_has_a_row` /
`test_every_api_operation_has_a_row`; a row that matches nothing fails `test_no_stale_rows`.
See docs/security.md, "Access-control table".
"""

import io
import json
import os
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from PIL import Image

from accounts.services import user_token
from marketplace.services.catalogue_csv import COLUMNS as CSV_COLUMNS
from tests.access.rows import DEFAULT_PARAMS, OUTCOMES, PERSONAS, Row, Rule
from tests.access.table import RULES, TABLE
from tests.access.world import World, build_world
from tests.cooperatives.helpers import PDF_BYTES

# The world is built once per module, so under pytest-xdist one worker runs the whole module.
# Who may do what does not depend on the database engine: CI checks the table on PostgreSQL only.
pytestmark = [pytest.mark.xdist_group("access-table"), pytest.mark.one_engine]

PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


# The URLconf and the schema --------------------------------------------------------------------


def url_patterns() -> list[tuple[str, str | None, URLPattern]]:
    """(route, namespaced name, pattern) of every URL pattern, includes walked recursively."""
    found: list[tuple[str, str | None, URLPattern]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                name = f"{namespace}{pattern.name}" if pattern.name else None
                found.append((prefix + str(pattern.pattern), name, pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def shape(path: str) -> str:
    """A route or a schema path with its parameters blanked: both spell the same URL alike."""
    path = path if path.startswith("/") else f"/{path}"
    return re.sub(r"\{[^}]+\}", "{}", PARAMETER.sub("{}", path))


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (shape(path), method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    }


def rule_for(route: str) -> Rule | None:
    return next((rule for rule in RULES if route.startswith(rule.prefix)), None)


def suggestion(route: str, method: str) -> str:
    return f"{method} | {route} | <{' '.join(PERSONAS)}>"


HOW_TO_ADD = (
    "Add to tests/access/table.txt (docs/security.md, 'Access-control table'), one row "
    f"per method the view takes, one outcome per persona out of {' '.join(OUTCOMES)}:\n"
)


def test_every_url_pattern_has_a_row() -> None:
    operations = schema_operations()
    routes_in_table = {row.route for row in TABLE}
    missing = [
        route
        for route, _, _ in url_patterns()
        if route not in routes_in_table and rule_for(route) is None
    ]
    assert not missing, (
        "URL patterns without a row. "
        + HOW_TO_ADD
        + "\n".join(
            suggestion(route, method)
            for route in missing
            for method in sorted(m for path, m in operations if path == shape(route)) or ["GET"]
        )
    )


def test_every_api_operation_has_a_row() -> None:
    rows = {(shape(row.route), row.method) for row in TABLE}
    routes = {shape(route): route for route, _, _ in url_patterns()}
    missing = sorted(schema_operations() - rows)
    assert not missing, (
        "API operations without a row in tests/access/table.txt; add:\n"
        + "\n".join(suggestion(routes.get(path, path), method) for path, method in missing)
    )


def test_no_stale_rows() -> None:
    routes = {route for route, _, _ in url_patterns()}
    operations = schema_operations()
    api_shapes = {path for path, _ in operations}
    stale = [row.key for row in TABLE if row.route not in routes and not row.optional]
    stale += [
        f"{row.key} (the schema has no {row.method} here)"
        for row in TABLE
        if shape(row.route) in api_shapes and (shape(row.route), row.method) not in operations
    ]
    stale += [
        f"rule {rule.prefix}"
        for rule in RULES
        if not any(r.startswith(rule.prefix) for r in routes)
    ]
    keys = [row.key for row in TABLE]
    stale += [f"{key} (twice)" for key in set(keys) if keys.count(key) > 1]
    assert not stale, "rows of tests/access/table.txt that match nothing:\n" + "\n".join(stale)


def test_the_table_speaks_the_vocabulary() -> None:
    for row in TABLE:
        assert row.method in {"GET", "POST", "PUT", "PATCH", "DELETE"}, row.key
        row.expected  # noqa: B018 - checks six known outcome words
    for rule in RULES:
        assert len(rule.expected) == len(PERSONAS), rule.prefix


# Requests ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end; each request
    runs in a savepoint of its own that is rolled back too, so no request sees another's writes."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def login_pages() -> tuple[str, ...]:
    return (resolve_url("frontend:login"), "/admin/login/")


def _context_values(response: HttpResponseBase) -> list[Any]:
    """Every value the page's templates were rendered with (bound forms among them)."""
    context = getattr(response, "context", None)
    if context is None:
        return []
    contexts = context if isinstance(context, ContextList) else [context]
    return [value for each in contexts for value in each.flatten().values()]


def outcome(response: HttpResponseBase) -> str:
    status = response.status_code
    request = getattr(response, "wsgi_request", None)
    said_no = request is not None and any(
        message.level >= messages.ERROR for message in messages.get_messages(request)
    )
    form_errors = any(
        isinstance(value, forms.BaseForm) and value.is_bound and value.errors
        for value in _context_values(response)
    )
    if status < 400 and (said_no or form_errors):
        return "refused"
    if 300 <= status < 400:
        return "login" if response["Location"].startswith(login_pages()) else "ok"
    if 200 <= status < 300:
        return "ok"
    named = {401: "login", 403: "forbidden", 404: "hidden", 405: "not_allowed"}
    if status in named:
        return named[status]
    if status in (400, 409, 422):
        return "invalid"
    return f"status {status}"


def row_path(row: Row, world: World) -> str:
    if row.path:
        return row.path.format(w=world)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(world.value(row.params.get(name, DEFAULT_PARAMS[name])))

    query = f"?{row.query.format(w=world)}" if row.query else ""
    return "/" + PARAMETER.sub(fill, row.route) + query


def upload(kind: str) -> SimpleUploadedFile:
    """A fresh, valid file for the `<png>`, `<pdf>` and `<csv>` body values of multipart rows."""
    if kind == "png":
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (30, 120, 60)).save(buffer, format="PNG")
        return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    if kind == "pdf":
        return SimpleUploadedFile("statute.pdf", PDF_BYTES, content_type="application/pdf")
    header = ",".join(CSV_COLUMNS)
    return SimpleUploadedFile("catalogue.csv", f"{header}\n".encode(), content_type="text/csv")


def _filled(value: object, world: World) -> object:
    """`{w...}` names filled in strings, also inside lists and objects (a quote's lines)."""
    if isinstance(value, str):
        return value.format(w=world)
    if isinstance(value, list):
        return [_filled(item, world) for item in value]
    if isinstance(value, dict):
        return {key: _filled(item, world) for key, item in value.items()}
    return value


def row_body(row: Row | None, world: World) -> dict[str, object]:
    if row is None or row.body is None:
        return {}
    body: dict[str, object] = {}
    for key, value in row.body.items():
        if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
            body[key] = upload(value[1:-1])
        else:
            body[key] = _filled(value, world)
    return body


def snapshot() -> dict[str, list[Any]]:
    """Every row of the project's own tables (the world is small): what a refused write must
    leave as it was. Sign-in attempts and when an API key was last used are left out: both are
    recorded by design, whatever the answer."""
    models = [
        model
        for label in ("accounts", "cooperatives", "marketplace", "moderation", "orders")
        for model in apps.get_app_config(label).get_models()
        if model.__name__ != "LoginAttempt"
    ]
    return {
        model.__name__: list(
            model.objects.order_by("pk").values_list(
                *(f.attname for f in model._meta.concrete_fields if f.name != "last_used_at")
            )
        )
        for model in models
    }


def request_as(
    world: World, persona: str, method: str, path: str, row: Row | None, *, token: bool = False
) -> str:
    """The outcome of one request, in a savepoint rolled back afterwards. A write that is not
    granted ("ok") must change nothing."""
    cache.clear()  # throttles count in the cache
    # The world lives in one transaction: keep the connection open across requests (healthz and
    # the end of a streamed response would close it, as after any request outside tests).
    with (
        mock.patch.object(connection, "close_if_unusable_or_obsolete"),
        transaction.atomic(),
    ):
        client = Client(enforce_csrf_checks=False)  # CSRF has its own tests (tests/core)
        user = world.user(persona)
        if user is not None and token:
            key = user_token(user=user)
            client = Client(HTTP_AUTHORIZATION=f"Token {key}")
        elif user is not None:
            client.force_login(user)
        body = row_body(row, world)
        headers = row.headers if row is not None else {}
        before = snapshot() if method in WRITES else None
        if method == "GET":
            response = client.get(path, **headers)
        elif path.startswith("/api/") and not (row is not None and row.multipart):
            response = client.generic(
                method, path, data=json.dumps(body), content_type="application/json", **headers
            )
        elif method == "POST":
            response = client.post(path, body, **headers)
        else:
            response = client.generic(method, path, **headers)
        response.close()
        result = outcome(response)
        if before is not None and result != "ok":
            changed = {name: rows for name, rows in snapshot().items() if rows != before[name]}
            assert not changed, f"{method} {path} as {persona} ({result}) changed {sorted(changed)}"
        transaction.set_rollback(True)
    return result


def _record(key: str, observed: dict[str, str]) -> None:
    """ACCESS_TABLE_OBSERVED=<file> writes what the app does instead of judging it (to draft rows)."""
    with open(os.environ["ACCESS_TABLE_OBSERVED"], "a", encoding="utf-8") as out:
        out.write(f"{key}\t{' '.join(observed[p] for p in PERSONAS)}\n")


@pytest.mark.django_db
@pytest.mark.parametrize("row", TABLE, ids=[row.key for row in TABLE])
def test_access(row: Row, world: World) -> None:
    if row.optional and row.route not in {route for route, _, _ in url_patterns()}:
        pytest.skip(f"{row.route} is not in the URLconf under these settings")
    path = row_path(row, world)
    observed = {p: request_as(world, p, row.method, path, row) for p in PERSONAS}
    if os.environ.get("ACCESS_TABLE_OBSERVED"):
        _record(row.key, observed)
        return
    wrong = {
        p: f"expected {row.expected[p]}, got {observed[p]}"
        for p in PERSONAS
        if observed[p] != row.expected[p]
    }
    assert not wrong, f"{row.method} {path}: {wrong}"


API_ROWS = [row for row in TABLE if row.route.startswith("api/v1/")]


@pytest.mark.django_db
@pytest.mark.parametrize("row", API_ROWS, ids=[row.key for row in API_ROWS])
def test_a_token_gets_what_a_session_gets(row: Row, world: World) -> None:
    """The API takes a token as well as a session: the same table holds for both."""
    path = row_path(row, world)
    for persona in ("outsider", "member", "admin", "moderator"):
        got = request_as(world, persona, row.method, path, row, token=True)
        assert got == row.expected[persona], f"{row.method} {path} as {persona} with a token"


def rule_paths(rule: Rule) -> list[tuple[str, str]]:
    """(route, path) of each pattern the rule covers, with its parameters filled in."""
    app_label = next(iter(admin.site._registry))._meta.app_label
    fillers = {"app_label": app_label, "url": "nothing-here/"}
    rows = {row.route for row in TABLE}
    paths = []
    for route, name, pattern in url_patterns():
        if rule_for(route) is not rule or route in rows:
            continue
        kwargs = {key: fillers.get(key, "1") for key in pattern.pattern.regex.groupindex}
        if name is None:
            paths.append((route, "/" + rule.prefix + "nothing-here/"))
        else:
            paths.append((route, reverse(name, kwargs=kwargs)))
    return paths


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES, ids=[rule.prefix for rule in RULES])
def test_access_rule(rule: Rule, world: World) -> None:
    wrong = []
    for route, path in rule_paths(rule):
        for persona in PERSONAS:
            got = request_as(world, persona, "GET", path, None)
            if got != rule.expected[persona]:
                wrong.append(
                    f"{route} ({path}) as {persona}: expected {rule.expected[persona]}, got {got}"
                )
    assert not wrong, "\n".join(wrong)
