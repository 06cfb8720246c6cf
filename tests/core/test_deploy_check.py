"""The production profile passes Django's deployment checklist with no warning, and refuses to
start without a strong secret, a shared cache or a server database."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# `check` connects to neither: these need not be reachable.
SERVICES = {
    "DATABASE_URL": "postgres://minga@127.0.0.1:5432/minga",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", *SERVICES}
    }
    environment.update(SERVICES)
    environment.update(env)
    environment = {key: value for key, value in environment.items() if value}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_prints_no_warning():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="true",  # the production profile ignores it
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_production_refuses_to_start_without_a_strong_secret_key():
    result = _manage(
        "check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="short"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _production_check(**env: str) -> subprocess.CompletedProcess[str]:
    return _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        **env,
    )


def test_production_refuses_to_start_without_a_shared_cache():
    """Without Redis each worker counts throttles alone: a limit of 10 lets 10 x workers through."""
    result = _production_check(REDIS_URL="")
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


def test_production_refuses_sqlite():
    result = _production_check(DATABASE_URL="sqlite:////tmp/minga-production.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr
    assert _production_check().returncode == 0
