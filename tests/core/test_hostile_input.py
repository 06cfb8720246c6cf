"""Hostile input from anyone, signed in or not: a clear 400 (or 413) naming what was wrong, never
a 500. Run on SQLite and PostgreSQL (PostgreSQL refuses NUL in text, where SQLite stored it)."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from cooperatives.models import Role
from core.api.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from core.views import bad_request
from marketplace.models import Listing
from tests.accounts.helpers import register
from tests.conftest import client_for
from tests.factories import CategoryFactory, CooperativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    cache.clear()


# -- A `%` in a filter value -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["category", "currency"])
@pytest.mark.parametrize("value", ["%s", "%(x)s", "%d%%", "100%"])
def test_a_percent_sign_in_a_filter_is_a_400_naming_it(api: Any, name: str, value: str) -> None:
    response = api.get("/api/v1/listings/", {name: value})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [name]
    assert value.upper() in body[name][0].upper()  # quoted back as it was typed


def test_the_catalogue_page_survives_the_same_filter() -> None:
    response = Client().get("/catalogue/", {"category": "%s", "currency": "%s"})
    assert response.status_code in (200, 400)


# -- JSON nested deep ----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_deep_json_to_anonymous_registration_is_a_400(api: Any, body: str) -> None:
    response = api.post("/api/v1/auth/register/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_just_deep_enough_is_still_read(api: Any) -> None:
    nested: Any = "x"
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    assert not json_depth_exceeds({"name": nested}, MAX_JSON_DEPTH)
    assert json_depth_exceeds([nested, [[nested]]], MAX_JSON_DEPTH)
    response = api.post(
        "/api/v1/auth/register/",
        json.dumps({"email": "a@example.coop", "password": "x", "name": nested}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "name" in response.json()  # judged as a field, not refused as a body


def _json_operations() -> list[tuple[str, str]]:
    """Every API operation that takes a JSON body, from the URLconf's DRF views."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                route = prefix + str(pattern.pattern)
                if view is None or not route.startswith("api/v1/"):
                    continue
                parsers = getattr(view, "parser_classes", None) or []
                if not any(p.media_type == "application/json" for p in parsers):
                    continue
                for method in ("post", "put", "patch"):
                    if hasattr(view, method):
                        found.append((method, route))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


JSON_OPERATIONS = _json_operations()


def test_the_walk_finds_the_json_operations() -> None:
    assert ("post", "api/v1/auth/register/") in JSON_OPERATIONS
    assert ("patch", "api/v1/cooperatives/<slug:slug>/") in JSON_OPERATIONS
    assert len(JSON_OPERATIONS) > 20


@pytest.fixture
def owner_world(db: Any) -> dict[str, Any]:
    coop = CooperativeFactory(name="Cooperativa Profunda")
    owner = MembershipFactory(cooperative=coop, role=Role.OWNER).user
    return {"coop": coop, "owner": owner}


def _fill(route: str, coop: Any) -> str:
    import re

    path = re.sub(r"<slug:\w+>", coop.slug, route)
    path = re.sub(r"<str:\w+>", "token", path)
    path = re.sub(r"<int:\w+>", "1", path)
    return "/" + path


@pytest.mark.parametrize(("method", "route"), JSON_OPERATIONS)
def test_deep_json_is_never_a_server_error(
    owner_world: dict[str, Any], method: str, route: str
) -> None:
    """As an owner (so most views get as far as reading the body): never a 500."""
    client = client_for(owner_world["owner"])
    path = _fill(route, owner_world["coop"])
    response = getattr(client, method)(
        path, DEEP, content_type="application/json", HTTP_IDEMPOTENCY_KEY="deep-1"
    )
    assert response.status_code < 500, (method, path, response.content[:300])


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/cooperatives/"),
        ("patch", "/api/v1/cooperatives/{slug}/"),
        ("post", "/api/v1/cooperatives/{slug}/members/"),
        ("post", "/api/v1/cart/items/"),
        ("post", "/api/v1/listings/"),
        ("post", "/api/v1/reports/"),
    ],
)
def test_deep_json_is_a_parse_error_where_the_body_is_read(
    owner_world: dict[str, Any], method: str, path: str
) -> None:
    client = client_for(owner_world["owner"])
    path = path.format(slug=owner_world["coop"].slug)
    response = getattr(client, method)(path, DEEP_OBJECT, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "parse_error"


def test_a_json_or_form_body_over_the_size_limit_is_a_413(api: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"email": "a@example.coop", "password": "x", "name": "n" * 2000})
    response = api.post("/api/v1/auth/register/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    form = "name=" + "n" * 2000
    response = api.post(
        "/api/v1/auth/register/", form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


# -- NUL characters ------------------------------------------------------------------------------


def test_a_nul_in_an_invitation_token_is_a_400(owner_world: dict[str, Any]) -> None:
    response = client_for(owner_world["owner"]).post("/api/v1/invitations/abc%00def/accept/")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_path"
    pages = Client()
    pages.force_login(owner_world["owner"])
    assert pages.get("/invitations/abc%00def/").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"search": "yerba\x00"},
        {"cooperative": "a\x00b"},
        {"country": "A\x00"},
        {"category": "\x00"},
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(api: Any, query: dict[str, str]) -> None:
    response = api.get("/api/v1/listings/", query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_a_nul_in_a_query_parameter_of_a_page_is_a_400() -> None:
    assert Client().get("/catalogue/", {"search": "a\x00"}).status_code == 400


def test_a_nul_in_a_session_cookie_is_no_session() -> None:
    client = Client()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.get("/").status_code == 200


def test_a_nul_in_an_authorization_header_is_a_400(api: Any) -> None:
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400
    assert "Authorization" in response.json()


def test_a_nul_in_a_json_field_is_a_400_naming_it(api: Any) -> None:
    response = register(api, email="nul@example.coop", name="A\x00B")
    assert response.status_code == 400
    assert "name" in response.json()


# -- CSV cells -----------------------------------------------------------------------------------

HEADER = "sku,kind,title,description,category,price,currency,unit,stock,delivery_modes\n"


def _import(owner: Any, coop: Any, text: str) -> Any:
    upload = SimpleUploadedFile("catalogue.csv", text.encode(), content_type="text/csv")
    return client_for(owner).post(
        f"/api/v1/cooperatives/{coop.slug}/catalogue/import/", {"file": upload}, format="multipart"
    )


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Y-1,product,Yerba\x00,,hostile,10,ARS,kg,5,pickup", "title"),
        ("Y-1\x00,product,Yerba,,hostile,10,ARS,kg,5,pickup", "sku"),
        ("Y-1,product,Yerba,Buena\x00,hostile,10,ARS,kg,5,pickup", "description"),
        ("Y-1,product,Yerba,,hostile\x00,10,ARS,kg,5,pickup", "category"),
        ("Y-1,product,Yerba,,hostile,10,ARS\x00,kg,5,pickup", "currency"),
        ("Y-1,product,Yerba,,hostile,10,ARS,kg,5,pickup\x00", "delivery_modes"),
        ("Y-1,product,Yerba,,hostile,1e999999,ARS,kg,5,pickup", "price"),
        ("Y-1,product,Yerba,,hostile,-1e999999,ARS,kg,5,pickup", "price"),
        ("Y-1,product,Yerba,,hostile,1e-999999,ARS,kg,5,pickup", "price"),
        ("Y-1,product,Yerba,,hostile,NaN,ARS,kg,5,pickup", "price"),
        ("Y-1,product,Yerba,,hostile,sNaN,ARS,kg,5,pickup", "price"),
        ("Y-1,product,Yerba,,hostile,Infinity,ARS,kg,5,pickup", "price"),
        ("Y-1,product,Yerba,,hostile,10,ARS,kg,²,pickup", "stock"),
        ("Y-1,product,Yerba,,hostile,10,ARS,kg," + "9" * 5000 + ",pickup", "stock"),
        ("Y-1,product,Yerba,,hostile,10,ARS,kg,99999999999999999,pickup", "stock"),
        ("Y-1,product,Yerba\u202e,,hostile,10,ARS,kg,5,pickup", "title"),
        ('Y-1,product,"Yer\nba",,hostile,10,ARS,kg,5,pickup', "title"),
    ],
)
def test_a_hostile_csv_cell_is_a_400_naming_it(
    owner_world: dict[str, Any], row: str, column: str
) -> None:
    CategoryFactory(name="Hostile", slug="hostile")
    response = _import(owner_world["owner"], owner_world["coop"], HEADER + row + "\n")
    assert response.status_code == 400, response.content[:300]
    errors = response.json()["errors"]
    assert {(error["line"], error["column"]) for error in errors} == {(2, column)}, errors
    assert not Listing.objects.filter(cooperative=owner_world["coop"]).exists()


# -- Errors Django raises before the API -------------------------------------------------------


def test_a_host_not_allowed_answers_json_on_the_api_and_html_elsewhere() -> None:
    api = Client().get("/api/v1/listings/", HTTP_HOST="evil.example")
    assert api.status_code == 400
    assert api["Content-Type"] == "application/json"
    assert api.json()["code"] == "disallowed_host"
    page = Client().get("/catalogue/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("exception", "status", "code"),
    [
        (RequestDataTooBig(), 413, "request_too_large"),
        (TooManyFieldsSent(), 400, "too_many_fields"),
    ],
)
def test_django_refusals_answer_json_on_the_api(
    exception: Exception, status: int, code: str
) -> None:
    response = bad_request(RequestFactory().post("/api/v1/listings/"), exception)
    assert response.status_code == status
    assert json.loads(response.content)["code"] == code
    page = bad_request(RequestFactory().post("/catalogue/"), exception)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")


def test_too_many_fields_through_the_api_is_json(
    owner_world: dict[str, Any], settings: Any
) -> None:
    """A session client with CSRF checks reads the form body in Django, which raises before DRF."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner_world["owner"])
    client.cookies["csrftoken"] = "a" * 32  # so the CSRF check goes on to read the form
    body = "&".join(f"f{i}=1" for i in range(50))
    response = client.post(
        f"/api/v1/cooperatives/{owner_world['coop'].slug}/members/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_fields"
