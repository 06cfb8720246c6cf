import pytest

from cooperatives.models import LegalForm, Sector
from cooperatives.state import VerificationStatus
from tests.factories import CooperativeFactory, MembershipFactory
from tests.frontend.helpers import HTMX, browser_for, elements, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):  # type: ignore[no-untyped-def]
    return {
        "imprenta": CooperativeFactory(
            name="Imprenta Recuperada del Oeste",
            country="AR",
            sector=Sector.PRINTING,
            legal_form=LegalForm.RECUPERATED,
            is_recuperated=True,
            verification_status=VerificationStatus.VERIFIED,
            city="Morón",
        ),
        "catadores": CooperativeFactory(
            name="Catadores do Leste",
            country="BR",
            sector=Sector.RECYCLING,
            legal_form=LegalForm.WORKER,
            city="Recife",
            description="Coleta seletiva e triagem.",
        ),
        "almacen": CooperativeFactory(
            name="Almacén Popular",
            country="UY",
            sector=Sector.FOOD,
            legal_form=LegalForm.CONSUMER,
            verification_status=VerificationStatus.VERIFIED,
            city="Salto",
        ),
        "suspended": CooperativeFactory(
            name="Cooperativa Suspendida",
            country="AR",
            verification_status=VerificationStatus.SUSPENDED,
        ),
    }


def names_in(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {cooperative.name for cooperative in response.context["page"].object_list}


def test_directory_lists_visible_cooperatives_with_badges(client, network):
    response = client.get("/cooperatives/")
    assert response.status_code == 200
    assert names_in(response) == {
        "Imprenta Recuperada del Oeste",
        "Catadores do Leste",
        "Almacén Popular",
    }
    html = text(response)
    assert 'class="badge badge-verified"' in html
    assert 'class="badge badge-recuperated"' in html
    assert "<html" in html and 'id="results"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=br", {"Catadores do Leste"}),
        ("sector=food", {"Almacén Popular"}),
        ("legal_form=recuperated", {"Imprenta Recuperada del Oeste"}),
        ("verified=true", {"Imprenta Recuperada del Oeste", "Almacén Popular"}),
        ("recuperated=true", {"Imprenta Recuperada del Oeste"}),
        ("search=triagem", {"Catadores do Leste"}),
        ("search=salto", {"Almacén Popular"}),
        ("country=AR&verified=true&recuperated=true", {"Imprenta Recuperada del Oeste"}),
    ],
)
def test_filters_work_as_a_plain_get_form(client, network, query, expected):
    response = client.get(f"/cooperatives/?{query}")
    assert response.status_code == 200
    assert names_in(response) == expected


def test_the_filter_form_keeps_what_was_chosen(client, network):
    html = text(client.get("/cooperatives/?country=BR&verified=true&search=leste"))
    assert '<option value="BR" selected>' in html
    inputs = {attrs.get("name"): attrs for tag, attrs in elements(html).tags if tag == "input"}
    assert "checked" in inputs["verified"] and inputs["verified"]["value"] == "true"
    assert "checked" not in inputs["recuperated"]
    assert inputs["search"]["value"] == "leste"


def test_nonsense_filters_are_ignored_not_a_server_error(client, network):
    response = client.get("/cooperatives/?sector=spaceships&verified=maybe&page=lots")
    assert response.status_code == 200
    assert len(names_in(response)) == 3


def test_htmx_gets_only_the_results_and_the_url_keeps_the_filters(client, network):
    response = client.get("/cooperatives/?country=UY", **HTMX)
    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="results"')
    assert "Almacén Popular" in html and "Catadores do Leste" not in html
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
