"""Personas and markers shared by every test folder."""

import os
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import MODERATORS_GROUP
from cooperatives.models import Role
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory, user_in_group

# The Stripe stand-in's fixtures: stripe_standin_server, stripe_standin, stripe_backend.
# The S3 stand-in's: s3_server, s3_storages.
pytest_plugins = ["tests.stripe_standin.fixtures", "tests.s3_standin"]


def pytest_configure(config: pytest.Config) -> None:
    """Compile the .po catalogues (pure Python) before any test reads a translation: once, in
    the main process; pytest-xdist's workers start after it and find the .mo files up to date."""
    if hasattr(config, "workerinput"):
        return
    from core.management.commands.compile_translations import compile_all

    compile_all()


# pytest-django's fixtures that open the test database (a test without any of them and without
# the django_db marker gives the same result on SQLite and PostgreSQL: marked one_engine).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


# The one file of the tests marked `faults` (.ci/run's FAULT_ARGS).
FAULT_TESTS = "tests/core/test_faults.py"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that open no database `one_engine`. Skip PostgreSQL tests on SQLite with a
    reason; in CI's PostgreSQL run, a skip is a failure.

    Under pytest-xdist, the `faults` tests are left out: they stop the PostgreSQL the other
    workers are using. `make test` runs them afterwards, alone (`-p no:xdist -m faults`), and CI
    collects only their file for that step (FAULT_ARGS), so they must live in it."""
    if hasattr(config, "workerinput"):
        faults = [item for item in items if "faults" in item.keywords]
        elsewhere = [item.nodeid for item in faults if not item.nodeid.startswith(FAULT_TESTS)]
        if elsewhere:
            raise pytest.UsageError(f"fault tests belong in {FAULT_TESTS}: {elsewhere}")
        if faults:
            config.hook.pytest_deselected(items=faults)
            items[:] = [item for item in items if "faults" not in item.keywords]
    for item in items:
        if not DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())) and (
            not item.get_closest_marker("django_db")
        ):
            item.add_marker(pytest.mark.one_engine)  # opens no database: the same on any engine
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _site_language_after_each_test() -> Any:
    """A page request activates its reader's language and zone for the thread (LocaleMiddleware,
    core.i18n.reader_activate), and they stay active after the response: without this, a test
    after a Spanish page would read its own messages in Spanish, and results would depend on the
    order tests run in."""
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _no_catalogue_response_cache(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests run inside a transaction that never commits, so the catalogue version (bumped after
    commit) does not move: cached catalogue responses would outlive the test's own edits. The
    tests of that cache (tests/marketplace/test_http_cache.py) turn it on and run the commits'
    callbacks. Likewise the typo corrections (one test's dictionary is not the next one's):
    their test turns them on with an empty cache."""
    settings.CATALOGUE_RESPONSE_CACHE_SECONDS = 0
    settings.SEARCH_CORRECTION_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _require_postgres_when_asked(request: pytest.FixtureRequest) -> None:
    if os.environ.get("MINGA_REQUIRE_POSTGRES") and "postgres" in request.keywords:
        assert connection.vendor == "postgresql", "this run must use PostgreSQL"


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """An empty cache before and after the test: throttle counters, upload counts and cached
    figures live in the cache, which outlives a test's database rollback. A test file asks for it
    with `pytest.mark.usefixtures("fresh_cache")`."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SELECT statements Django compiles from here on."""
    compiled: list[str] = []
    as_sql = SQLCompiler.as_sql

    def counting(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        sql, params = as_sql(self, *args, **kwargs)
        compiled.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return compiled


@pytest.fixture
def cache_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The keys each read asked the cache for, in order (one list per round trip), from an
    empty cache."""
    calls: list[list[str]] = []
    inside: list[bool] = []  # a backend's get_many may call its own get for each key
    backend = caches["default"]
    get, get_many = backend.get, backend.get_many

    def spy_get(key: str, *args: Any, **kwargs: Any) -> Any:
        if not inside:
            calls.append([key])
        return get(key, *args, **kwargs)

    def spy_get_many(keys: Iterable[str], *args: Any, **kwargs: Any) -> Any:
        calls.append(list(keys))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", spy_get)
    monkeypatch.setattr(backend, "get_many", spy_get_many)
    cache.clear()
    yield calls
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def seller_coop(db):  # type: ignore[no-untyped-def]
    return CooperativeFactory(name="Cooperativa Textil La Huella", country="AR")


@pytest.fixture
def buyer_coop(db):  # type: ignore[no-untyped-def]
    return CooperativeFactory(name="Coop Consumo Montevideo", country="UY")


def _member(name: str, cooperative: str, role: str) -> Any:
    """A fixture `name`: a person with `role` in the cooperative of the fixture `cooperative`."""

    @pytest.fixture(name=name)
    def fixture(request: pytest.FixtureRequest) -> Any:
        return MembershipFactory(cooperative=request.getfixturevalue(cooperative), role=role).user

    return fixture


seller_owner = _member("seller_owner", "seller_coop", Role.OWNER)
seller_admin = _member("seller_admin", "seller_coop", Role.ADMIN)
seller_member = _member("seller_member", "seller_coop", Role.MEMBER)
buyer_owner = _member("buyer_owner", "buyer_coop", Role.OWNER)
buyer_admin = _member("buyer_admin", "buyer_coop", Role.ADMIN)
buyer_member = _member("buyer_member", "buyer_coop", Role.MEMBER)


@pytest.fixture
def spanish_seller(stripe_standin):  # type: ignore[no-untyped-def]
    """A seller in a country where Stripe Connect has accounts, and its owner; the stand-in
    runs."""
    cooperative = CooperativeFactory(name="Textil Madrid", country="ES")
    return cooperative, MembershipFactory(cooperative=cooperative, role=Role.OWNER).user


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return UserFactory(name="Outsider")


@pytest.fixture
def moderator(db):  # type: ignore[no-untyped-def]
    return user_in_group(MODERATORS_GROUP, name="Moderator")
