"""An API client signed in by token reads in its person's zone and language, as the pages do
(core.i18n.reader_activate): the token is only known inside the view, after the middleware."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services import user_token
from tests.factories import MembershipFactory
from tests.ledger.test_core import invoice

pytestmark = pytest.mark.django_db

# 22:30 in Montevideo on 7 December is 01:30 UTC on the 8th.
EVENING = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)


def token_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {user_token(user=user)}")
    return client


def csv_days(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The day of each entry in the statement's CSV, as the accountant reads it."""
    text = client.get(url, {"format": "csv"}).content.decode()
    return [line[0] for line in list(csv.reader(io.StringIO(text)))[1:]]


@pytest.fixture
def montevideo_treasurer(seller_coop, buyer_coop):  # type: ignore[no-untyped-def]
    invoice(seller_coop, buyer_coop, key="invoice:evening", memo="F-1", occurred_at=EVENING)
    return MembershipFactory(
        cooperative=seller_coop,
        role="admin",
        user__language="es",
        user__time_zone="America/Montevideo",
    ).user


def test_a_token_reader_gets_its_statement_on_its_own_day(montevideo_treasurer, seller_coop):
    client = token_client(montevideo_treasurer)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/statement/"
    [row] = client.get(url).json()
    assert row["date"] == "2026-12-07T22:30:00-03:00"
    # The day filter cuts at midnight in Montevideo: the evening entry is on the 7th.
    assert len(client.get(url, {"from": "2026-12-07", "to": "2026-12-07"}).json()) == 1
    assert client.get(url, {"from": "2026-12-08"}).json() == []
    assert csv_days(client, url) == ["2026-12-07"]


def test_a_token_reader_reads_its_saved_language_over_the_browsers(
    montevideo_treasurer, seller_coop
):
    """One rule with the pages: the language the person saved wins over Accept-Language."""
    url = f"/api/v1/cooperatives/{seller_coop.slug}/statement/"
    refused = token_client(montevideo_treasurer).get(
        url, {"format": "xml"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused["Content-Language"] == "es"


def test_a_session_reader_keeps_its_zone_and_a_reader_without_one_reads_utc(
    montevideo_treasurer, seller_coop
):
    session = Client()
    session.force_login(montevideo_treasurer)
    url = f"/api/v1/cooperatives/{seller_coop.slug}/statement/"
    assert session.get(url).json()[0]["date"] == "2026-12-07T22:30:00-03:00"
    zoneless = MembershipFactory(cooperative=seller_coop, role="member", user__time_zone="").user
    [row] = token_client(zoneless).get(url).json()
    assert row["date"] == "2026-12-08T01:30:00Z"
    assert csv_days(token_client(zoneless), url) == ["2026-12-08"]


def test_a_program_reads_and_sets_its_persons_zone(montevideo_treasurer, seller_coop):
    client = token_client(montevideo_treasurer)
    assert client.get("/api/v1/me/").json()["time_zone"] == "America/Montevideo"
    wrong = client.patch("/api/v1/me/", {"time_zone": "America/Atlantis"}, format="json")
    assert wrong.status_code == 400 and "time_zone" in wrong.json()
    moved = client.patch("/api/v1/me/", {"time_zone": "Europe/Madrid"}, format="json")
    assert moved.status_code == 200 and moved.json()["time_zone"] == "Europe/Madrid"
    [row] = client.get(f"/api/v1/cooperatives/{seller_coop.slug}/statement/").json()
    assert row["date"] == "2026-12-08T02:30:00+01:00"
