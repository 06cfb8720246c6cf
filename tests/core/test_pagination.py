"""`page_size` is what the schema says, an integer given once: anything else is a 400 naming it
(the schema fuzzing's `negative_data_rejection` found it quietly replaced by the default)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["page_size=true", "page_size=2&page_size=3", "page_size=1.5"])
def test_a_page_size_that_is_not_one_integer_is_a_400(api, query):
    response = api.get(f"/api/v1/cooperatives/?{query}")
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_an_integer_page_size_is_taken(api):
    assert api.get("/api/v1/cooperatives/?page_size=2").status_code == 200
