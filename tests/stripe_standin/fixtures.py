"""pytest plugin (registered in tests/conftest.py): the Stripe stand-in as fixtures.

- `stripe_standin_server` (session): the stand-in on a free 127.0.0.1 port, in a background thread.
- `stripe_standin`: a `StandinDriver` for one test, with the stand-in emptied and Django's
  `STRIPE_*` settings pointed at it (`STRIPE_API_BASE`, a test secret key, the webhook secret it
  signs with).
- `stripe_backend`: the same test twice, against the stand-in and against Stripe's real test mode;
  the second is skipped with a reason unless `STRIPE_SECRET_KEY` starts with `sk_test_`.

Tests using these fixtures get the `stripe` marker. Without localstripe installed they skip (and fail
in CI, where a skip would hide a broken setup).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.stripe_standin.driver import StandinDriver, StripeTestMode

if TYPE_CHECKING:
    from tests.stripe_standin.server import StandinServer

STRIPE_FIXTURES = {"stripe_standin_server", "stripe_standin", "stripe_backend"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if STRIPE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.stripe)


@pytest.fixture(scope="session")
def stripe_standin_server() -> Iterator[StandinServer]:
    try:
        import localstripe  # noqa: F401
    except ImportError:
        message = "the Stripe stand-in needs localstripe: pip install -e '.[dev]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from tests.stripe_standin.server import StandinServer

    server = StandinServer().start()
    yield server
    server.stop()


@pytest.fixture
def stripe_standin(stripe_standin_server: StandinServer, settings: Any) -> StandinDriver:
    driver = StandinDriver(stripe_standin_server.url)
    driver.reset()
    settings.STRIPE_SECRET_KEY = driver.secret_key
    settings.STRIPE_PUBLISHABLE_KEY = driver.publishable_key
    settings.STRIPE_WEBHOOK_SECRET = driver.webhook_secret
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = ""
    settings.STRIPE_API_BASE = driver.url
    settings.STRIPE_IDEMPOTENCY_NAMESPACE = ""
    return driver


@pytest.fixture(params=["standin", "stripe_test_mode"])
def stripe_backend(request: pytest.FixtureRequest, settings: Any) -> StandinDriver | StripeTestMode:
    if request.param == "standin":
        return request.getfixturevalue("stripe_standin")
    secret_key = os.environ.get("STRIPE_SECRET_KEY", "")
    if not secret_key.startswith("sk_test_"):
        pytest.skip("Stripe's test mode: set STRIPE_SECRET_KEY=sk_test_... to run against Stripe")
    settings.STRIPE_SECRET_KEY = secret_key
    settings.STRIPE_API_BASE = ""
    # Database ids restart with every test database; Stripe remembers keys for 24 hours.
    settings.STRIPE_IDEMPOTENCY_NAMESPACE = f"test-{uuid.uuid4().hex[:12]}"
    return StripeTestMode(
        secret_key,
        destination_account=os.environ.get("STRIPE_TEST_DESTINATION_ACCOUNT") or None,
        currency=os.environ.get("STRIPE_TEST_CURRENCY", "USD"),
    )
