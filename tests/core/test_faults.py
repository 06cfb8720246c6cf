"""The database goes away: /healthz says so, pages and the API answer a short 503 (never a
traceback), and when it comes back the app recovers without a restart, every committed order
still there.

The simulated tests always run. The real one stops and starts the machine's PostgreSQL cluster:
it runs only with MINGA_FAULT_TESTS=1 (CI's PostgreSQL run), as it takes the server away from
anything else using it for a few seconds.
"""

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.db import connections
from django.db.utils import InterfaceError, OperationalError

from cooperatives import selectors
from orders.models import Order
from tests.factories import ListingFactory
from tests.orders.conftest import place_order

DOWN = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


def assert_friendly_503(response, *, html: bool) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    text = response.content.decode() if hasattr(response, "content") else response.text
    assert "Traceback" not in text and "OperationalError" not in text
    if html:
        assert "Minga is briefly unavailable" in text
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    else:
        assert '"code": "unavailable"' in text or '"code":"unavailable"' in text


@pytest.mark.django_db
@pytest.mark.parametrize("error", [DOWN, InterfaceError("connection already closed")])
def test_a_page_whose_database_is_gone_is_a_friendly_503(client, monkeypatch, error):
    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(selectors, "cooperative_list_visible_to", fail)
    assert_friendly_503(client.get("/cooperatives/"), html=True)
    assert_friendly_503(client.get("/api/v1/cooperatives/"), html=False)


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_does_not_answer(client, monkeypatch):
    from core import views

    def fail():  # type: ignore[no-untyped-def]
        raise DOWN

    monkeypatch.setattr(views.connection, "cursor", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(client, monkeypatch):
    """An integrity or programming error is a bug to fix, not an outage to wait out."""
    from django.db.utils import ProgrammingError

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(selectors, "cooperative_list_visible_to", fail)
    client.raise_request_exception = False
    assert client.get("/cooperatives/").status_code == 500


# The real thing -------------------------------------------------------------------------------


def local_cluster() -> tuple[str, str] | None:
    """(version, name) of the PostgreSQL cluster this run uses, when it runs on this machine."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.hostname not in {"127.0.0.1", "localhost"} or not Path("/etc/postgresql").is_dir():
        return None
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    return (versions[-1], "main") if versions else None


def cluster(action: str) -> None:
    version, name = local_cluster()  # type: ignore[misc]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def postgres_answers() -> bool:
    done = subprocess.run(
        ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"],
        check=False,
        timeout=10,
    )
    return done.returncode == 0


class OneConnectionPerRequest:
    """No keep-alive: a server thread holding a connection open would keep its database session
    (and the test database) busy after the test. And no connection pool either: Django's test
    server closes the socket after answering a `Connection: close` request, and a pooled
    `requests.Session` could send the next request down that closed socket
    ("Remote end closed connection without response"), failing the test at random."""

    headers = {"Connection": "close"}

    def get(self, url: str, **kwargs):  # type: ignore[no-untyped-def]
        return requests.get(url, headers=self.headers, **kwargs)

    def post(self, url: str, **kwargs):  # type: ignore[no-untyped-def]
        return requests.post(url, headers=self.headers, **kwargs)


@pytest.mark.postgres
@pytest.mark.faults
@pytest.mark.skipif(
    not os.environ.get("MINGA_FAULT_TESTS"),
    reason="stops the local PostgreSQL for a few seconds: set MINGA_FAULT_TESTS=1 (CI does)",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_stopped_and_started_again(
    live_server, buyer_coop, buyer_owner, seller_coop, seller_owner
):
    if local_cluster() is None:
        pytest.skip("needs the PostgreSQL cluster of this machine (pg_ctlcluster)")
    listing = ListingFactory(cooperative=seller_coop, price_amount=4_200, currency="EUR", stock=5)
    order = place_order(buyer_owner, buyer_coop, listing)  # committed: transaction=True
    web = OneConnectionPerRequest()
    assert web.get(f"{live_server.url}/healthz", timeout=10).status_code == 200
    assert web.get(f"{live_server.url}/cooperatives/", timeout=10).status_code == 200

    cluster("stop")
    try:
        assert wait_for(lambda: not postgres_answers(), timeout=15)
        health = web.get(f"{live_server.url}/healthz", timeout=10)
        assert health.status_code == 503
        assert health.json()["database"] == "down"
        assert_friendly_503(web.get(f"{live_server.url}/cooperatives/", timeout=10), html=True)
        credentials = {"email": buyer_owner.email, "password": "whatever it is"}
        api = web.post(f"{live_server.url}/api/v1/auth/token/", json=credentials, timeout=10)
        assert_friendly_503(api, html=False)
    finally:
        cluster("start")
        assert wait_for(postgres_answers, timeout=60), "PostgreSQL did not come back"
        # The test's own connection died with the server (the app's reconnect on their own):
        # closed here, so that even a failed assertion above leaves the next tests a live one.
        connections.close_all()
    assert wait_for(
        lambda: web.get(f"{live_server.url}/healthz", timeout=10).status_code == 200, timeout=30
    )
    assert web.get(f"{live_server.url}/cooperatives/", timeout=10).status_code == 200
    assert Order.objects.filter(pk=order["id"], total_amount=8_400).exists()
