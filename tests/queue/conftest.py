"""A real Celery worker for the tests of tests/queue: `celery -A config worker` in a subprocess, on
Redis (MINGA_TEST_REDIS_URL, default redis://127.0.0.1:6379/2), against this test's PostgreSQL
database and the Stripe stand-in. Without Redis the tests skip with the reason (they fail when
MINGA_REQUIRE_REDIS=1, as in CI).

Each pytest-xdist worker uses its own Redis database (the base number plus its index) and each
test its own queue, so parallel runs never take one another's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import kombu.pools
import pytest
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"


def redis_url() -> str:
    """The base URL, its database number moved on by the pytest-xdist worker's index."""
    url = os.environ.get("MINGA_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, db = url.rpartition("/")
    return f"{base}/{(int(db or 0) + int(worker[2:])) % 16}"


def wait_for(check: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


class Worker:
    """One `celery -A config worker` process (solo pool: the task runs in that very process)."""

    def __init__(self, env: dict[str, str], queue: str, log: Path) -> None:
        self.env, self.queue, self.log = env, queue, log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> Worker:
        self.starts += 1
        with self.log.open("a") as log:
            log.write(f"\n---- start {self.starts}\n")
        output = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "-Q", self.queue, "-n", f"{self.queue}-{self.starts}@%h", "--without-mingle",
             "--without-gossip", "--loglevel", "INFO"],
            cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        output.close()
        wait_for(self._ready, timeout=60, what=f"the Celery worker to start ({self.log})")
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the Celery worker exited: {self.log.read_text()[-3000:]}")
        return self.log.read_text().count(" ready.") >= self.starts

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, the task in hand is neither finished nor acknowledged."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def redis_or_skip(url: str) -> Any:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"needs Redis at {url} for a real Celery worker ({exc})"
        if os.environ.get("MINGA_REQUIRE_REDIS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return client


def _reset_producer() -> None:
    """Close the app's broker connections; the next publish opens new ones with the conf."""
    kombu.pools.reset()  # the producer pools, kept per connection by kombu
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_factory(
    transactional_db: None, stripe_standin: Any, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    """Start workers on a fresh queue (call it, with extra environment if need be); the test's
    own enqueuing goes to that queue instead of running eagerly. Stopped after the test."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process shares the test database: needs PostgreSQL")
    url = redis_url()
    client = redis_or_skip(url)
    queue = f"minga-test-{uuid.uuid4().hex[:10]}"
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "STRIPE_SECRET_KEY": stripe_standin.secret_key,
        "STRIPE_PUBLISHABLE_KEY": stripe_standin.publishable_key,
        "STRIPE_WEBHOOK_SECRET": stripe_standin.webhook_secret,
        "STRIPE_API_BASE": stripe_standin.url,
        "STRIPE_IDEMPOTENCY_NAMESPACE": "",
        "TASK_MAX_RETRIES": "3",
        "TASK_RETRY_BACKOFF_MAX_SECONDS": "2",
    }
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    _reset_producer()  # the test's enqueuing connects to this broker from now on
    workers: list[Worker] = []

    def start(**env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        worker = Worker({**base_env, **env}, queue, log)
        workers.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        conf.update(saved)
        _reset_producer()
        client.delete(queue)


@pytest.fixture
def celery_worker(celery_worker_factory: Callable[..., Worker]) -> Worker:
    return celery_worker_factory()
