"""GET /api/v1/ledger/journal/?cooperative=: a cooperative's own entries, for its members."""

import pytest

from tests.conftest import client_for
from tests.ledger.test_core import invoice

pytestmark = pytest.mark.django_db
URL = "/api/v1/ledger/journal/"


def test_a_member_reads_the_cooperatives_own_lines(seller_coop, buyer_coop, buyer_member):
    invoice(seller_coop, buyer_coop, memo="Invoice LH-2026-1")
    response = client_for(buyer_member).get(URL, {"cooperative": buyer_coop.slug})
    assert response.status_code == 200
    [entry] = response.json()["results"]
    assert entry["kind"] == "invoice_issued"
    assert entry["memo"] == "Invoice LH-2026-1"
    assert entry["currency"] == "ARS"
    assert entry["lines"] == [
        {"account_kind": "payable", "rail": "", "amount": -10_000, "counterparty": seller_coop.slug}
    ]


def test_others_get_404_and_a_missing_cooperative_400(
    seller_coop, buyer_coop, outsider, moderator, seller_member
):
    invoice(seller_coop, buyer_coop)
    for user in (outsider, moderator, seller_member):
        assert client_for(user).get(URL, {"cooperative": buyer_coop.slug}).status_code == 404
    response = client_for(seller_member).get(URL)
    assert response.status_code == 400
    assert "cooperative" in response.json()


def test_pages_keep_a_constant_number_of_queries(
    seller_coop, buyer_coop, buyer_member, django_assert_max_num_queries
):
    for n in range(30):
        invoice(seller_coop, buyer_coop, key=f"invoice:{n}")
    client = client_for(buyer_member)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"cooperative": buyer_coop.slug, "page_size": 25})
    assert response.json()["count"] == 30
    assert len(response.json()["results"]) == 25
