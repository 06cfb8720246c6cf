import pytest

from tests.cooperatives.helpers import directory_of_four
from tests.factories import CooperativeFactory, MembershipFactory
from tests.frontend.helpers import HTMX, browser_for, elements, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):  # type: ignore[no-untyped-def]
    return directory_of_four()


def names_in(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {cooperative.name for cooperative in response.context["page"].object_list}


def test_directory_lists_visible_cooperatives_with_badges(client, network):
    response = client.get("/cooperatives/")
    assert response.status_code == 200
    assert names_in(response) == {"Textil La Huella", "Gráfica Chilavert", "Lechería del Sur"}
    html = text(response)
    assert 'class="badge badge-verified"' in html
    assert 'class="badge badge-recuperated"' in html
    assert "<html" in html and 'id="results"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=uy", {"Lechería del Sur"}),
        ("sector=textiles", {"Textil La Huella"}),
        ("legal_form=recuperated", {"Gráfica Chilavert"}),
        ("verified=false", {"Textil La Huella", "Lechería del Sur"}),
        ("recuperated=true", {"Gráfica Chilavert"}),
        ("search=quesos", {"Lechería del Sur"}),
        ("search=avellaneda", {"Textil La Huella"}),
        ("country=AR&verified=true&recuperated=true", {"Gráfica Chilavert"}),
    ],
)
def test_filters_work_as_a_plain_get_form(client, network, query, expected):
    response = client.get(f"/cooperatives/?{query}")
    assert response.status_code == 200
    assert names_in(response) == expected


def test_the_filter_form_keeps_what_was_chosen(client, network):
    html = text(client.get("/cooperatives/?country=UY&verified=true&search=sur"))
    assert '<option value="UY" selected>' in html
    inputs = {attrs.get("name"): attrs for tag, attrs in elements(html).tags if tag == "input"}
    assert "checked" in inputs["verified"] and inputs["verified"]["value"] == "true"
    assert "checked" not in inputs["recuperated"]
    assert inputs["search"]["value"] == "sur"


def test_nonsense_filters_are_ignored_not_a_server_error(client, network):
    response = client.get("/cooperatives/?sector=spaceships&verified=maybe&page=lots")
    assert response.status_code == 200
    assert len(names_in(response)) == 3


def test_htmx_gets_only_the_results_and_the_url_keeps_the_filters(client, network):
    response = client.get("/cooperatives/?country=UY", **HTMX)
    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="results"')
    assert "Lechería del Sur" in html and "Textil La Huella" not in html
    assert "HX-Request" in response["Vary"]
    full = text(client.get("/cooperatives/"))
    assert 'hx-push-url="true"' in full and 'hx-target="#results"' in full


def test_history_restore_gets_the_whole_page(client, network):
    response = client.get(
        "/cooperatives/?country=UY", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in text(response)


def test_pages_of_results_keep_the_filters(client, db):
    for number in range(23):
        CooperativeFactory(name=f"Cooperativa Panadera {number:02d}", country="ES")
    CooperativeFactory(name="Otra de Chile", country="CL")
    first = client.get("/cooperatives/?country=ES")
    assert len(first.context["page"].object_list) == 20
    assert "?country=ES&amp;page=2" in text(first)
    second = client.get("/cooperatives/?country=ES&page=2")
    assert names_in(second) == {
        "Cooperativa Panadera 20",
        "Cooperativa Panadera 21",
        "Cooperativa Panadera 22",
    }


def test_members_still_find_their_suspended_cooperative(network):
    member = MembershipFactory(cooperative=network["suspended"]).user
    response = browser_for(member).get("/cooperatives/?country=AR")
    assert "Cooperativa Suspendida" in names_in(response)


def test_directory_query_count_does_not_grow_with_the_page(
    client, db, django_assert_max_num_queries
):
    for number in range(20):
        CooperativeFactory(name=f"Cooperativa {number:02d}")
    with django_assert_max_num_queries(4):
        client.get("/cooperatives/")
