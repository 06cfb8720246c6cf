"""Every boolean and choice filter of the API refuses a value it cannot read with a 400 naming
the filter, instead of ignoring it (and answering as if nothing had been asked)."""

import re
from typing import Any

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator

from cooperatives.models import Role
from cooperatives.state import VerificationStatus
from tests.conftest import client_for
from tests.factories import CooperativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

INVALID = "maybe"


def _is_closed(schema: dict[str, Any]) -> bool:
    """A boolean, or a value (or list of values) from a fixed set."""
    items = schema.get("items", {})
    return schema.get("type") == "boolean" or "enum" in schema or "enum" in items


def closed_filters() -> list[tuple[str, str, tuple[str, ...]]]:
    """(path, filter, required query parameters) of every GET of the schema with a boolean or
    choice query parameter; paths naming an object by id are left out (they are not lists)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or re.search(r"\{(?!slug\})\w+\}", path):
            continue
        query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        required = tuple(p["name"] for p in query if p.get("required"))
        for parameter in query:
            if _is_closed(parameter.get("schema", {})):
                found.append((path, parameter["name"], required))
    return sorted(found)


CLOSED_FILTERS = closed_filters()


def test_the_walk_finds_the_filters_of_every_list() -> None:
    names = {(path, name) for path, name, _required in CLOSED_FILTERS}
    for expected in [
        ("/api/v1/cooperatives/", "verified"),
        ("/api/v1/cooperatives/", "recuperated"),
        ("/api/v1/cooperatives/", "sector"),
        ("/api/v1/listings/", "in_stock"),
        ("/api/v1/listings/", "verified"),
        ("/api/v1/listings/", "kind"),
        ("/api/v1/listings/", "delivery"),
        ("/api/v1/orders/", "role"),
        ("/api/v1/orders/", "status"),
        ("/api/v1/moderation/listings/", "status"),
        ("/api/v1/moderation/actions/", "action"),
    ]:
        assert expected in names


@pytest.fixture
def moderating_owner(moderator: Any) -> tuple[Any, Any]:
    """A moderator who also owns a cooperative: every list answers them."""
    coop = CooperativeFactory(name="Cooperativa Filtrada")
    MembershipFactory(cooperative=coop, user=moderator, role=Role.OWNER)
    return moderator, coop


@pytest.mark.parametrize(("path", "name", "required"), CLOSED_FILTERS)
def test_an_unreadable_filter_value_is_a_400_naming_it(
    moderating_owner: tuple[Any, Any], path: str, name: str, required: tuple[str, ...]
) -> None:
    cache.clear()
    user, coop = moderating_owner
    query = dict.fromkeys(required, coop.slug)  # the required parameters name a cooperative
    query[name] = INVALID
    response = client_for(user).get(path.replace("{slug}", coop.slug), query)
    assert response.status_code == 400, (path, name, response.content[:300])
    assert name in response.json(), response.json()


def test_verified_means_verified(api: Any) -> None:
    verified = CooperativeFactory(
        name="Cooperativa Verificada", verification_status=VerificationStatus.VERIFIED
    )
    unverified = CooperativeFactory(name="Cooperativa Sin Verificar")

    def slugs(value: str) -> set[str]:
        response = api.get("/api/v1/cooperatives/", {"verified": value})
        assert response.status_code == 200, response.content
        return {row["slug"] for row in response.json()["results"]}

    assert slugs("true") == slugs("1") == slugs("TRUE") == {verified.slug}
    assert slugs("false") == slugs("0") == {unverified.slug}
    assert slugs("") == {verified.slug, unverified.slug}
    for value in ("yes", "maybe", "2", "on"):
        response = api.get("/api/v1/cooperatives/", {"verified": value})
        assert response.status_code == 400
        assert list(response.json()) == ["verified"]
