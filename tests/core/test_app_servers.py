"""Several app servers (docs/deployment.md): two gunicorn instances on different ports share the
same PostgreSQL, Redis and S3 stand-in, and a seller walks through them alternately. What one
server did, the other sees: the session, an uploaded image, an import (done by a real Celery
worker, its progress reported by the other), a throttle; and a Stripe webhook received by one has
its transfer done by the worker.

Marked `servers` (and `postgres`): it runs in CI's PostgreSQL run and needs Redis
(MINGA_TEST_REDIS_URL, as for the worker tests of tests/queue, whose fixtures it uses); without it
it skips, and fails where MINGA_REQUIRE_REDIS=1 (CI).
"""

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from PIL import Image

from tests.factories import CategoryFactory, ListingFactory, MembershipFactory, UserFactory
from tests.frontend.helpers import catalogue_of_new_rows
from tests.orders.stripe_helpers import (
    WEBHOOK,
    card_paid_at_stripe,
    sink_delivery,
    transfers_at_stripe,
)
from tests.queue.conftest import (  # the fixtures of a real Celery worker
    celery_worker_factory,  # noqa: F401
    redis_or_skip,
    redis_url,
    wait_for,
)
from tests.queue.test_worker import transfer_sent_by_the_worker
from tests.s3_standin import MEDIA_BUCKET, S3Server

pytestmark = [
    pytest.mark.servers,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # With the worker tests: one pytest-xdist worker, one Redis database, one at a time.
    pytest.mark.xdist_group("worker"),
]
PASSWORD = "correct horse battery staple"
SIGN_IN_LIMIT = 6
# The machine running CI is shared: a slow answer is not a wrong one.
TIMEOUT = 90


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def server_environment(s3: S3Server, var_dir: Path, **extra: str) -> dict[str, str]:
    """What every app server gets: one database, one Redis, one bucket pair, one secret."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        **s3.environment(),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "app-servers-test-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url(),
        "MINGA_VAR_DIR": str(var_dir),
        "THROTTLE_SIGN_IN": f"{SIGN_IN_LIMIT}/hour",  # a slow machine stays inside the window
        # The per-account lockout (in the database) would answer 429 first; the throttle is tested.
        "LOGIN_LOCKOUT_FAILURES": "1000",
        **extra,
    }


def queueing_environment(s3: S3Server, var_dir: Path, queue: str, **extra: str) -> dict[str, str]:
    """The servers' environment, their tasks sent to the worker's queue (not run eagerly)."""
    return server_environment(
        s3,
        var_dir,
        CELERY_BROKER_URL=redis_url(),
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        **extra,
    )


class AppServer:
    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(  # a list of arguments, no shell
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.log = log

    def wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=TIMEOUT).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@contextmanager
def app_servers(environment: dict[str, str], logs: Path) -> Iterator[list[AppServer]]:
    started = [AppServer(environment, logs / f"gunicorn-{n}.log") for n in (1, 2)]
    try:
        for server in started:
            server.wait()
        yield started
    finally:
        for server in started:
            server.stop()


def _forget_throttles(client: Any) -> None:
    """The sign-in counts of 127.0.0.1 left by an earlier run (Django's cache keys)."""
    for key in client.scan_iter("*throttle_sign_in_*"):
        client.delete(key)


@pytest.fixture
def servers(
    transactional_db: Any,
    celery_worker_factory: Any,  # noqa: F811
    s3_server: S3Server,
    tmp_path: Path,
) -> Iterator[list[AppServer]]:
    """Two app servers and a Celery worker (the base profile, as the servers) on a queue of
    this test's own."""
    client = redis_or_skip(redis_url())
    _forget_throttles(client)
    s3_server.empty()
    worker = celery_worker_factory(**server_environment(s3_server, tmp_path))
    environment = queueing_environment(s3_server, tmp_path, worker.queue)
    try:
        with app_servers(environment, tmp_path) as started:
            yield started
    finally:
        _forget_throttles(client)


def _csrf(session: requests.Session, server: AppServer) -> str:
    session.get(f"{server.url}/signin/", timeout=TIMEOUT)
    return str(session.cookies["csrftoken"])


def _sign_in(session: requests.Session, server: AppServer, email: str, password: str) -> Any:
    return session.post(
        f"{server.url}/api/v1/auth/login/",
        json={"email": email, "password": password},
        headers={"X-CSRFToken": _csrf(session, server), "Referer": server.url},
        timeout=TIMEOUT,
    )


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_seller_walks_through_two_app_servers(
    servers: list[AppServer], s3_server: S3Server
) -> None:
    one, two = servers
    seller = UserFactory(email="lucia@huella.coop")
    # The servers run the base profile's hashers (the test profile's MD5 is not among them).
    seller.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    seller.save(update_fields=["password"])
    membership = MembershipFactory(user=seller, role="owner")
    coop = membership.cooperative
    listing = ListingFactory(cooperative=coop, category=CategoryFactory(), title="Yerba mate")
    browser = requests.Session()

    # Signed in on one, signed in on the other: the session is in the shared database.
    signed_in = _sign_in(browser, one, seller.email, PASSWORD)
    assert signed_in.status_code == 200, signed_in.text
    me = browser.get(f"{two.url}/api/v1/me/", timeout=TIMEOUT)
    assert me.status_code == 200 and me.json()["email"] == seller.email

    # An image uploaded through one is served by the other, from the bucket.
    uploaded = browser.post(
        f"{one.url}/api/v1/listings/{listing.pk}/images/",
        files={"image": ("mate.png", _png(), "image/png")},
        headers={"X-CSRFToken": str(browser.cookies["csrftoken"]), "Referer": one.url},
        timeout=TIMEOUT,
    )
    assert uploaded.status_code == 201, uploaded.text
    image_url = uploaded.json()["url"]
    path = "/" + image_url.split("/", 3)[3]
    assert path.startswith("/media/listings/")
    assert path.removeprefix("/media/") in s3_server.keys(MEDIA_BUCKET)
    served = browser.get(f"{two.url}{path}", timeout=TIMEOUT, allow_redirects=False)
    assert served.status_code == 302
    image = requests.get(served.headers["Location"], timeout=TIMEOUT)
    assert image.status_code == 200
    assert Image.open(io.BytesIO(image.content)).size == (80, 60)

    # An import run by one reports its progress to the other (the shared cache).
    token = "p" * 22
    base = f"/my/cooperatives/{coop.slug}/listings"
    exported = browser.get(f"{two.url}{base}/catalogue.csv", timeout=TIMEOUT)
    rows = catalogue_of_new_rows(exported.content, 3, sku="NEW-{}")
    imported = browser.post(
        f"{one.url}{base}/import/",
        data={"progress_token": token, "csrfmiddlewaretoken": str(browser.cookies["csrftoken"])},
        files={"file": ("c.csv", rows.encode(), "text/csv")},
        headers={"Referer": one.url},
        timeout=TIMEOUT,
    )
    # The server queued the import and sent the person to the import's own page.
    assert imported.status_code == 200, imported.text[-2000:]
    assert imported.history and imported.url.startswith(f"{one.url}{base}/import/")
    assert "Catalogue import" in imported.text
    result_path = imported.url.removeprefix(one.url)

    def reported_by_two() -> str:
        progress = browser.get(f"{two.url}{base}/import/progress/{token}/", timeout=TIMEOUT)
        return progress.text if "Imported: 3 new" in progress.text else ""

    # The worker imports the file; the other server reports its progress and result.
    reported = wait_for(reported_by_two, timeout=120, what="the worker to import the catalogue")
    assert '<progress id="import-progress-bar" max="3" value="3">' in reported
    result = browser.get(f"{two.url}{result_path}", timeout=TIMEOUT)
    assert "Imported: 3 new, 0 changed, 0 unchanged." in result.text

    # A throttle counts across both: sign-ins from this address alternate between the servers,
    # and the one made above already counted.
    stranger = requests.Session()
    answers = [
        _sign_in(stranger, server, seller.email, "wrong password").status_code
        for server in [one, two] * SIGN_IN_LIMIT
    ]
    allowed = SIGN_IN_LIMIT - 1
    assert answers == [400] * allowed + [429] * (2 * SIGN_IN_LIMIT - allowed), answers


def test_a_webhook_received_by_one_server_has_its_transfer_done_by_the_worker(
    celery_worker_factory: Any,  # noqa: F811
    stripe_standin: Any,
    s3_server: S3Server,
    tmp_path: Path,
    buyer_coop: Any,
    buyer_owner: Any,
) -> None:
    worker = celery_worker_factory()
    environment = queueing_environment(
        s3_server,
        tmp_path,
        worker.queue,
        STRIPE_SECRET_KEY=stripe_standin.secret_key,
        STRIPE_PUBLISHABLE_KEY=stripe_standin.publishable_key,
        STRIPE_WEBHOOK_SECRET=stripe_standin.webhook_secret,
        STRIPE_API_BASE=stripe_standin.url,
        STRIPE_IDEMPOTENCY_NAMESPACE="",
    )
    with app_servers(environment, tmp_path) as (one, two):
        checkout_id, seller, event_id = card_paid_at_stripe(stripe_standin, buyer_coop, buyer_owner)
        delivery = sink_delivery(stripe_standin, event_id)

        def delivered_to(server: AppServer) -> requests.Response:
            return requests.post(
                f"{server.url}{WEBHOOK}",
                data=delivery["payload"],
                headers={
                    "Content-Type": "application/json",
                    "Stripe-Signature": delivery["signature"],
                },
                timeout=TIMEOUT,
            )

        # Stripe reaches one server; that server answers without calling Stripe.
        received = delivered_to(one)
        assert received.status_code == 200, received.text
        sent = transfer_sent_by_the_worker(stripe_standin, checkout_id, worker.log, timeout=120)
        assert sent["destination"] == seller.stripe_account_id
        # The same delivery again, now to the other server: nothing more is sent.
        again = delivered_to(two)
        assert again.status_code == 200, again.text
        time.sleep(2)
        assert len(transfers_at_stripe(stripe_standin, checkout_id)) == 1
