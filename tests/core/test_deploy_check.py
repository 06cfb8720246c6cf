"""The production profile passes Django's deployment checklist with no warning, and refuses to
start without a strong secret, a shared cache or a server database, or with files in buckets
without a private one for documents."""

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


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
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


def _production_check(*options: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`manage.py check` under the production settings, with a strong secret key unless `env`
    names another."""
    env = {"SECRET_KEY": secrets.token_urlsafe(64), **env}
    return run_manage("check", *options, DJANGO_SETTINGS_MODULE="config.settings.production", **env)


def test_check_deploy_prints_no_warning():
    result = _production_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="true",  # the production profile ignores it
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_production_refuses_to_start_without_a_strong_secret_key():
    result = _production_check(SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


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


BUCKETS = {"AWS_STORAGE_BUCKET_NAME": "minga-media", "MINGA_S3_PRIVATE_BUCKET": "minga-private"}


def test_production_takes_object_storage_with_two_buckets():
    result = _production_check("--deploy", "--fail-level", "WARNING", **BUCKETS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_object_storage_without_a_private_bucket():
    """Verification documents would otherwise land in the media bucket."""
    result = _production_check(AWS_STORAGE_BUCKET_NAME="minga-media")
    assert result.returncode != 0
    assert "without MINGA_S3_PRIVATE_BUCKET" in result.stderr


def test_production_refuses_one_bucket_for_media_and_documents():
    result = _production_check(
        AWS_STORAGE_BUCKET_NAME="minga-files", MINGA_S3_PRIVATE_BUCKET="minga-files"
    )
    assert result.returncode != 0
    assert "must differ from AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_production_refuses_serving_files_from_disk_while_they_are_in_buckets():
    result = _production_check(MEDIA_ACCEL_REDIRECT_PREFIX="/internal-media/", **BUCKETS)
    assert result.returncode != 0
    assert "MEDIA_ACCEL_REDIRECT_PREFIX" in result.stderr


def test_every_profile_refuses_a_private_bucket_alone_or_a_signed_url_lasting_too_long():
    alone = run_manage("check", MINGA_S3_PRIVATE_BUCKET="minga-private")
    assert alone.returncode != 0
    assert "without AWS_STORAGE_BUCKET_NAME" in alone.stderr
    too_long = run_manage("check", MINGA_S3_SIGNED_URL_SECONDS="604801", **BUCKETS)
    assert too_long.returncode != 0
    assert "between 1 and 604800" in too_long.stderr
