"""The schema says exactly what the API accepts (issue #13, finding 12): what the schema fuzzing
with every check on (`make fuzz`) found accepted though forbidden, or refused though allowed."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.conftest import client_for
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema, ref):  # type: ignore[no-untyped-def]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def _query_parameter(schema, path, name):  # type: ignore[no-untyped-def]
    parameters = schema["paths"][path]["get"]["parameters"]
    return next(p for p in parameters if p["name"] == name)


def test_one_line_text_is_a_pattern_that_refuses_what_the_server_refuses(schema, outsider):  # type: ignore[no-untyped-def]
    pattern = _component(schema, {"$ref": "PatchedMeRequest"})["properties"]["name"]["pattern"]
    # ECMA-262 \uXXXX escapes read the same in Python's re.
    assert re.search(pattern, "Lucía Fernández")
    for bad in ["Lucía\nFernández", "Lucía\x00", "\u202eaicuL", " \u3000 "]:
        assert not re.search(pattern, bad)
        response = client_for(outsider).patch("/api/v1/me/", {"name": bad}, format="json")
        assert response.status_code == 400, bad


def test_the_password_of_delete_me_is_documented(schema):  # type: ignore[no-untyped-def]
    body = schema["paths"]["/api/v1/me/"]["delete"]["requestBody"]
    assert body["required"] is True
    fields = _component(schema, body["content"]["application/json"]["schema"])
    assert fields["required"] == ["password"]
    assert "415" in schema["paths"]["/api/v1/me/"]["delete"]["responses"]


def test_the_buyer_cooperative_of_cart_and_orders_is_a_required_slug(schema):  # type: ignore[no-untyped-def]
    for path in ["/api/v1/cart/", "/api/v1/orders/"]:
        cooperative = _query_parameter(schema, path, "cooperative")
        assert cooperative["required"] is True
        assert cooperative["schema"]["minLength"] == 1
        assert cooperative["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"


def test_the_trade_report_year_has_the_bounds_the_server_checks(schema, seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    path = "/api/v1/cooperatives/{slug}/reports/trade/"
    year = _query_parameter(schema, path, "year")["schema"]
    assert (year["minimum"], year["maximum"]) == (2000, 2100)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/reports/trade/"
    assert client_for(seller_owner).get(url, {"year": 2101}).status_code == 400
    assert client_for(seller_owner).get(url, {"year": 2100}).status_code == 200


def test_country_is_an_enum_of_iso_codes_in_either_case(schema, outsider):  # type: ignore[no-untyped-def]
    body = schema["paths"]["/api/v1/cooperatives/"]["post"]["requestBody"]
    country = _component(schema, body["content"]["application/json"]["schema"])["properties"][
        "country"
    ]
    codes = set(_component(schema, country)["enum"])
    assert {"UY", "uy", "BR", "br"} <= codes
    assert "00" not in codes and "XX" not in codes


def test_a_required_reason_is_documented_as_more_than_spaces(schema, moderator):  # type: ignore[no-untyped-def]
    """To reject or suspend, the reason is required; to approve it is not."""
    path = "/api/v1/moderation/listings/{listing_id}/%s/"
    reject = schema["paths"][path % "reject"]["post"]["requestBody"]["content"]
    fields = _component(schema, reject["application/json"]["schema"])
    assert fields["required"] == ["reason"]
    assert not re.search(fields["properties"]["reason"]["pattern"], " \t ")
    approve = schema["paths"][path % "approve"]["post"]["requestBody"]["content"]
    assert "required" not in _component(schema, approve["application/json"]["schema"])


def test_id_filters_of_the_moderation_log_are_integers(schema):  # type: ignore[no-untyped-def]
    for name in ["moderator", "listing"]:
        filter_ = _query_parameter(schema, "/api/v1/moderation/actions/", name)["schema"]
        assert filter_ == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_appealing_a_decision_that_does_not_exist_is_a_404(seller_owner):  # type: ignore[no-untyped-def]
    response = client_for(seller_owner).post(
        "/api/v1/appeals/", {"action": 987654, "statement": "Please."}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_files_are_taken_as_multipart_only(schema, seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    """A urlencoded form cannot carry a file: it is a 415, and the schema offers multipart only."""
    for path in [
        "/api/v1/listings/{listing_id}/images/",
        "/api/v1/cooperatives/{slug}/catalogue/import/",
        "/api/v1/cooperatives/{slug}/verification/",
    ]:
        assert list(schema["paths"][path]["post"]["requestBody"]["content"]) == [
            "multipart/form-data"
        ], path
    listing = ListingFactory(cooperative=seller_coop)
    response = client_for(seller_owner).generic(
        "POST",
        f"/api/v1/listings/{listing.pk}/images/",
        "image=photo.jpg",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415


def test_a_filed_report_documents_its_cooperative_as_nullable(schema):  # type: ignore[no-untyped-def]
    """A report on a listing answers `cooperative: null`; the schema said a string."""
    created = schema["paths"]["/api/v1/reports/"]["post"]["responses"]["201"]["content"]
    fields = _component(schema, created["application/json"]["schema"])["properties"]
    assert fields["cooperative"]["nullable"] is True
    assert fields["listing"]["nullable"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/moderation/listings/",
        "/api/v1/moderation/reports/",
        "/api/v1/moderation/verification-requests/",
        "/api/v1/moderation/appeals/",
    ],
)
def test_a_blank_status_on_a_moderation_queue_is_refused_not_the_default(path, moderator):  # type: ignore[no-untyped-def]
    api = client_for(moderator)
    assert api.get(path).status_code == 200  # left out: the queue's default
    response = api.get(path, {"status": ""})
    assert response.status_code == 400 and "status" in response.json()
