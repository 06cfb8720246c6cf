"""docker-compose.yml and the Dockerfile cannot run here (no Docker daemon); these tests read them
instead, and have `docker compose config` (or Debian's docker-compose v1) check the file, so a renamed setting or a forgotten variable is caught before anyone
types `docker compose up`. The file is validated against the Compose Specification's JSON schema,
the one `docker compose config` checks it with (tests/core/compose-spec.json, from
github.com/compose-spec/compose-spec, schema/compose-spec.json at 170098b, Apache-2.0)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from jsonschema import Draft7Validator

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
REQUIRED_APP_ENVIRONMENT = {
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
}
# Read by gunicorn or by Django itself rather than by config/settings.
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY", "MIGRATE_ON_START"}
MINGA_SERVICES = ("migrate", "app", "worker", "beat")


def settings_variables() -> set[str]:
    """Every environment variable config/settings reads, with or without a default."""
    pattern = re.compile(
        r"""(?:os\.environ\.get|os\.getenv|env_bool|env_int|env_list)\(\s*["']([A-Z0-9_]+)["']"""
    )
    found: set[str] = set()
    for module in (ROOT / "config" / "settings").glob("*.py"):
        found |= set(pattern.findall(module.read_text()))
    return found


def app_environment() -> dict[str, str]:
    environment = SERVICES["app"]["environment"]
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def published_ports(service: dict) -> list[str]:  # type: ignore[type-arg]
    return [str(port) for port in service.get("ports", [])]


def test_the_file_is_valid_by_the_compose_specification():
    schema = json.loads((ROOT / "tests" / "core" / "compose-spec.json").read_text())
    errors = sorted(Draft7Validator(schema).iter_errors(COMPOSE), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_every_dependency_and_anchor_names_a_service_that_exists():
    """What the schema cannot say and `docker compose config` refuses: a dependency on nothing."""
    for name, service in SERVICES.items():
        depends = service.get("depends_on", {})
        assert set(depends) <= set(SERVICES), (name, depends)
        for dependency, condition in depends.items() if isinstance(depends, dict) else []:
            assert condition["condition"] in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[dependency], (name, dependency)


def test_the_services_and_where_they_come_from():
    assert set(SERVICES) == {
        "db",
        "redis",
        "minio",
        "buckets",
        "migrate",
        "app",
        "worker",
        "beat",
        "proxy",
        "stripe",
    }
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["minio"]["image"].startswith("minio/minio")
    assert SERVICES["proxy"]["image"].startswith("caddy:")
    for name in MINGA_SERVICES:
        assert SERVICES[name]["build"]["context"] == "."
        assert SERVICES[name]["image"] == SERVICES["app"]["image"], name
    assert (ROOT / SERVICES["app"]["build"].get("dockerfile", "Dockerfile")).is_file()
    stripe_build = SERVICES["stripe"]["build"]
    stripe_context = ROOT / stripe_build["context"]
    assert (stripe_context / stripe_build.get("dockerfile", "Dockerfile")).is_file()


def test_ports_publish_the_proxy_minio_and_the_stripe_stand_in_only():
    """`--scale app=3` works only if no app container claims a host port; the proxy does."""
    assert published_ports(SERVICES["proxy"]) == ["8000:8000"]
    assert published_ports(SERVICES["stripe"]) == ["8420:8420"]
    # Browsers follow signed URLs to MinIO (MINGA_S3_PUBLIC_ENDPOINT_URL).
    assert published_ports(SERVICES["minio"]) == ["9000:9000"]
    for name in ("db", "redis", "buckets", *MINGA_SERVICES):
        assert published_ports(SERVICES[name]) == [], name
    assert SERVICES["app"]["expose"] == ["8000"]


def test_the_proxy_balances_over_every_app_container():
    caddyfile = (ROOT / "tools" / "Caddyfile").read_text()
    mount = SERVICES["proxy"]["volumes"][0]
    assert mount.startswith("./tools/Caddyfile:/etc/caddy/Caddyfile")
    # `dynamic a` re-reads the DNS name `app`: every scaled container, not the first one found.
    assert re.search(r"dynamic a \{\s*name app\s*port 8000", caddyfile)
    assert "lb_policy round_robin" in caddyfile
    assert app_environment()["NUM_PROXIES"].endswith("1}")


def test_app_worker_and_beat_share_one_environment_and_wait_for_migrations():
    for name in MINGA_SERVICES:
        environment = {k: str(v) for k, v in SERVICES[name]["environment"].items()}
        assert {k: v for k, v in environment.items() if k != "MIGRATE_ON_START"} == {
            k: v for k, v in app_environment().items() if k != "MIGRATE_ON_START"
        }, name
    assert app_environment()["MIGRATE_ON_START"] == "false"
    assert SERVICES["migrate"]["environment"]["MIGRATE_ON_START"] == "true"
    for name in ("app", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["buckets"]["condition"] == "service_completed_successfully"
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert (ROOT / "config" / "celery.py").is_file()


def test_minio_gets_both_buckets_and_the_app_uses_them():
    environment = app_environment()
    assert "minga-media" in environment["AWS_STORAGE_BUCKET_NAME"]
    assert "minga-private" in environment["MINGA_S3_PRIVATE_BUCKET"]
    assert "http://minio:9000" in environment["MINGA_S3_ENDPOINT_URL"]
    assert "http://localhost:9000" in environment["MINGA_S3_PUBLIC_ENDPOINT_URL"]
    script = " ".join(SERVICES["buckets"]["entrypoint"])
    assert "mc mb --ignore-existing" in script
    assert '"minga/$$MEDIA_BUCKET" "minga/$$PRIVATE_BUCKET"' in script
    buckets = SERVICES["buckets"]["environment"]
    assert buckets["MEDIA_BUCKET"] == environment["AWS_STORAGE_BUCKET_NAME"]
    assert buckets["PRIVATE_BUCKET"] == environment["MINGA_S3_PRIVATE_BUCKET"]
    assert SERVICES["minio"]["environment"]["MINIO_ROOT_USER"] == environment["AWS_ACCESS_KEY_ID"]


def test_the_app_gets_every_variable_it_needs():
    environment = app_environment()
    missing = REQUIRED_APP_ENVIRONMENT - set(environment)
    assert not missing, f"docker-compose.yml does not set {sorted(missing)} for the app"
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert (
        environment["DATABASE_URL"].startswith("postgres://")
        and "@db:5432/" in environment["DATABASE_URL"]
    )
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert "http://stripe:8420" in environment["STRIPE_API_BASE"]


def test_the_app_sets_no_variable_that_nothing_reads():
    """A typo in a variable name would silently fall back to a default."""
    unknown = set(app_environment()) - settings_variables() - READ_OUTSIDE_SETTINGS
    assert not unknown, f"nothing reads {sorted(unknown)}"


def test_the_default_secret_key_is_long_enough_for_the_production_profile():
    default = re.fullmatch(r"\$\{SECRET_KEY:-(.+)\}", app_environment()["SECRET_KEY"])
    assert default is not None, "SECRET_KEY comes from the environment, with a laptop default"
    assert len(default.group(1)) >= 50


def test_the_app_waits_for_healthy_db_and_redis():
    depends = SERVICES["app"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert "healthcheck" in SERVICES["db"] and "healthcheck" in SERVICES["redis"]


def test_the_image_collects_static_files_migrates_on_start_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "config.wsgi"' in dockerfile
    assert "EXPOSE 8000" in dockerfile
    entrypoint = ROOT / "tools" / "docker-entrypoint.sh"
    assert "migrate --noinput" in entrypoint.read_text()
    assert 'exec "$@"' in entrypoint.read_text()
    assert "MIGRATE_ON_START:-true" in entrypoint.read_text()
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_the_stripe_stand_in_serves_localstripe_on_8420():
    dockerfile = (ROOT / "tools" / "stripe-standin" / "Dockerfile").read_text()
    assert "localstripe" in dockerfile
    assert "EXPOSE 8420" in dockerfile and '"--port", "8420"' in dockerfile


def test_compose_runs_the_extended_stand_in_and_it_delivers_webhooks_to_the_app():
    """Plain localstripe has no Connect: onboarding and transfers need Minga's extension."""
    stripe = SERVICES["stripe"]
    dockerfile = (ROOT / stripe["build"]["dockerfile"]).read_text()
    assert "tests/stripe_standin/" in dockerfile and '"--port", "8420"' in dockerfile
    environment = stripe["environment"]
    assert environment["STANDIN_WEBHOOK_URL"] == "http://proxy:8000/api/v1/payments/stripe/webhook/"
    assert "proxy" in app_environment()["ALLOWED_HOSTS"]
    assert environment["STRIPE_WEBHOOK_SECRET"] == app_environment()["STRIPE_WEBHOOK_SECRET"]
    assert "localhost:8420/js.stripe.com/v3/" in app_environment()["STRIPE_JS_URL"]


def test_the_redis_client_is_installed_for_the_cache_compose_configures():
    """REDIS_URL switches the cache to Django's Redis backend, which needs the redis package."""
    from django.core.cache.backends.redis import RedisCache

    client = RedisCache("redis://redis:6379/0", {})._cache  # imports redis; connects lazily
    assert client._servers == ["redis://redis:6379/0"]


def compose_command() -> list[str] | None:
    """`docker compose` where the plugin is installed, else Debian's `docker-compose` (v1.29, which
    reads the Compose Specification too); None on a machine with neither."""
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def compose_config(
    command: list[str], compose_file: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--project-directory", str(ROOT), "-f", str(compose_file), "config", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COMPOSE_PROJECT_NAME": "minga"},
    )


def test_compose_config_accepts_the_file_and_refuses_a_broken_copy(tmp_path):
    """`docker compose config` itself (or docker-compose v1's), not only the schema: CI installs
    Debian's docker-compose and sets MINGA_REQUIRE_COMPOSE, so there this test cannot skip."""
    command = compose_command()
    if command is None:
        if os.environ.get("MINGA_REQUIRE_COMPOSE"):
            pytest.fail(
                "MINGA_REQUIRE_COMPOSE is set but neither `docker compose` nor docker-compose is installed"
            )
        pytest.skip("no docker compose here (apt-get install docker-compose)")
    checked = compose_config(command, ROOT / "docker-compose.yml", "--services")
    assert checked.returncode == 0, checked.stderr
    assert set(checked.stdout.split()) == set(SERVICES)

    broken = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    broken["services"]["app"]["depends_on"]["cache"] = {"condition": "service_healthy"}
    broken_file = tmp_path / "docker-compose.yml"
    broken_file.write_text(yaml.safe_dump(broken))
    refused = compose_config(command, broken_file, "-q")
    assert refused.returncode != 0
    assert "cache" in refused.stderr
