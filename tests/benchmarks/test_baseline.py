"""The benchmarks' baseline: a constant body with no database work, not mounted unless asked."""

import pytest
from rest_framework.test import APIRequestFactory

from core.api.bench import BASELINE_BODY, BenchBaselineView

pytestmark = pytest.mark.django_db


def test_the_baseline_is_not_served_unless_the_benchmarks_ask_for_it(client):
    assert client.get("/api/v1/_bench/baseline/").status_code == 404


def test_the_baseline_answers_a_constant_body_without_touching_the_database(
    django_assert_num_queries,
):
    request = APIRequestFactory().get("/api/v1/_bench/baseline/")
    with django_assert_num_queries(0):
        response = BenchBaselineView.as_view()(request)
    assert response.status_code == 200
    assert response.data == BASELINE_BODY
