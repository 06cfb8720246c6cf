"""The cooperative directory: filters, search, pagination and constant query counts."""

import pytest
from django.core.files.base import ContentFile

from cooperatives.models import Invitation, Role
from tests.conftest import client_for
from tests.cooperatives.helpers import directory_of_four
from tests.factories import CooperativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):  # type: ignore[no-untyped-def]
    return directory_of_four()


def slugs(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.json()
    return sorted(row["slug"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["gb-chilavert", "lecheria-del-sur", "textil-la-huella"]),
        ({"country": "ar"}, ["gb-chilavert", "textil-la-huella"]),
        ({"sector": "food"}, ["lecheria-del-sur"]),
        ({"legal_form": "recuperated"}, ["gb-chilavert"]),
        ({"recuperated": "true"}, ["gb-chilavert"]),
        ({"verified": "true"}, ["gb-chilavert"]),
        ({"verified": "false"}, ["lecheria-del-sur", "textil-la-huella"]),
        ({"search": "quesos"}, ["lecheria-del-sur"]),
        ({"search": "buenos aires"}, ["gb-chilavert"]),
        ({"search": "suspendida"}, []),
    ],
)
def test_directory_filters(api, directory, query, expected):  # type: ignore[no-untyped-def]
    expected = [slug.replace("gb-chilavert", directory["chilavert"].slug) for slug in expected]
    assert slugs(api.get("/api/v1/cooperatives/", query)) == sorted(expected)


def test_members_of_a_suspended_cooperative_still_find_it(directory):  # type: ignore[no-untyped-def]
    member = MembershipFactory(cooperative=directory["suspended"]).user
    found = slugs(client_for(member).get("/api/v1/cooperatives/", {"search": "suspendida"}))
    assert found == [directory["suspended"].slug]


def test_an_invalid_filter_value_is_a_400_naming_it(api, directory):  # type: ignore[no-untyped-def]
    response = api.get("/api/v1/cooperatives/", {"sector": "mining", "legal_form": "plc"})
    assert response.status_code == 400
    assert set(response.json()) == {"sector", "legal_form"}


def test_the_list_is_paginated(api, directory):  # type: ignore[no-untyped-def]
    body = api.get("/api/v1/cooperatives/", {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"] is None
    assert api.get("/api/v1/cooperatives/", {"page": 9}).status_code == 404


def test_directory_query_count_does_not_grow_with_the_page(  # type: ignore[no-untyped-def]
    api, django_assert_max_num_queries
):
    for n in range(3):
        CooperativeFactory(name=f"Pocas {n}").logo.save("l.webp", ContentFile(b"x"), save=True)
    with django_assert_max_num_queries(2):
        assert len(api.get("/api/v1/cooperatives/").json()["results"]) == 3
    for n in range(20):
        CooperativeFactory(name=f"Muchas {n}")
    with django_assert_max_num_queries(2):
        assert len(api.get("/api/v1/cooperatives/").json()["results"]) == 23


def test_members_and_invitations_query_counts_are_constant(  # type: ignore[no-untyped-def]
    seller_owner, seller_coop, django_assert_max_num_queries
):
    client = client_for(seller_owner)
    for n in range(15):
        MembershipFactory(cooperative=seller_coop, role=Role.MEMBER)
        Invitation.objects.create(cooperative=seller_coop, email=f"n{n}@example.coop")
    with django_assert_max_num_queries(5):
        members = client.get(f"/api/v1/cooperatives/{seller_coop.slug}/members/").json()
        assert members["count"] == 16 and len(members["results"]) == 16
    with django_assert_max_num_queries(5):
        rows = client.get(f"/api/v1/cooperatives/{seller_coop.slug}/invitations/").json()
        assert rows["count"] == 15 and len(rows["results"]) == 15


def test_members_and_invitations_come_a_page_at_a_time(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    """A federation's big cooperative has hundreds of members: the list is paginated like the
    others, and the pages together hold every member once."""
    client = client_for(seller_owner)
    for n in range(30):
        MembershipFactory(cooperative=seller_coop, role=Role.MEMBER)
        Invitation.objects.create(cooperative=seller_coop, email=f"p{n}@example.coop")
    url = f"/api/v1/cooperatives/{seller_coop.slug}/members/?page_size=20"
    first = client.get(url).json()
    second = client.get(first["next"]).json()
    assert (first["count"], len(first["results"]), len(second["results"])) == (31, 20, 11)
    ids = [m["id"] for m in first["results"] + second["results"]]
    assert len(set(ids)) == 31 and second["next"] is None
    invitations = client.get(
        f"/api/v1/cooperatives/{seller_coop.slug}/invitations/?page_size=100"
    ).json()
    assert invitations["count"] == 30 and len(invitations["results"]) == 30


def test_me_lists_every_membership_with_its_role(seller_owner, buyer_coop):  # type: ignore[no-untyped-def]
    MembershipFactory(user=seller_owner, cooperative=buyer_coop, role=Role.MEMBER)
    me = client_for(seller_owner).get("/api/v1/me/").json()
    assert {(m["cooperative"], m["role"]) for m in me["memberships"]} == {
        ("cooperativa-textil-la-huella", "owner"),
        (buyer_coop.slug, "member"),
    }


def test_description_language_is_a_site_language(seller_owner, seller_coop):  # type: ignore[no-untyped-def]
    client = client_for(seller_owner)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/"
    assert (
        client.patch(url, {"description_language": "PT-BR"}, format="json").json()[
            "description_language"
        ]
        == "pt-br"
    )
    refused = client.patch(url, {"description_language": "fr"}, format="json")
    assert refused.status_code == 400
    assert "es" in refused.json()["description_language"][0]
