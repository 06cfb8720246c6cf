import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_schema_generates_without_warnings(tmp_path, capsys):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    assert "/api/v1/cooperatives/{slug}/members/" in out.read_text()


def test_docs_page_is_served(client):
    assert client.get("/api/docs/").status_code == 200


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_api_path_is_a_json_404_for_writes_too(client):
    response = client.post("/api/v1/nothing-here/", {"a": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_crash_in_the_api_answers_json(client, monkeypatch):
    from cooperatives import selectors

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "cooperative_list_visible_to", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/cooperatives/")
    assert response.status_code == 500
    assert response.json()["code"] == "error"
    assert "boom" not in response.content.decode()


def _operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def test_every_operation_documents_its_error_answers_with_the_error_body():
    """The schema fuzzing holds each answer to the schema: the framework's errors must be there."""
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in _operations():
        responses = operation["responses"]
        label = f"{method} {path}"
        if path != "/api/v1/payments/stripe/webhook/":  # Stripe signs it; no user authenticates
            for status in ("401", "403"):
                assert responses[status]["content"]["application/json"]["schema"] == error, label
        if "{" in path:
            assert "404" in responses, label
        if "requestBody" in operation:
            assert {"400", "415"} <= set(responses), label


def test_the_error_body_always_has_a_code():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}
