"""Sessions are read from the shared cache when there is one (REDIS_URL): a signed-in page does
not read its session row, and signing out still ends the session everywhere."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.core.test_deploy_check import run_manage

pytestmark = pytest.mark.django_db

ENGINE = "print(__import__('django.conf').conf.settings.SESSION_ENGINE)"


def test_sessions_are_cached_only_with_a_cache_every_server_shares():
    shared = run_manage("shell", "-c", ENGINE, DJANGO_SETTINGS_MODULE="config.settings.base")
    alone = run_manage(
        "shell", "-c", ENGINE, DJANGO_SETTINGS_MODULE="config.settings.base", REDIS_URL=""
    )
    # The last line: the shell may first say what it imported.
    assert shared.stdout.split()[-1] == "django.contrib.sessions.backends.cached_db", shared.stderr
    assert alone.stdout.split()[-1] == "django.contrib.sessions.backends.db", alone.stderr


def test_a_cached_session_is_not_read_from_the_database_and_signing_out_ends_it(
    settings, buyer_member
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()
    client.force_login(buyer_member)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/catalogue/")
    assert "Sign out" in page.content.decode()
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]
    client.post("/signout/")
    assert "Sign out" not in client.get("/catalogue/").content.decode()
