"""docker-compose.yml and the Dockerfile cannot run here; these tests read them instead, so a
renamed setting or a forgotten variable is caught before anyone types `docker compose up`."""

import re
from pathlib import Path

import yaml
from django.conf import settings

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
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}


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


def test_the_four_services_and_where_they_come_from():
    assert set(SERVICES) == {"db", "redis", "app", "stripe"}
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["app"]["build"]["context"] == "."
    assert (ROOT / SERVICES["app"]["build"].get("dockerfile", "Dockerfile")).is_file()
    stripe_build = SERVICES["stripe"]["build"]
    stripe_context = ROOT / stripe_build["context"]
    assert (stripe_context / stripe_build.get("dockerfile", "Dockerfile")).is_file()


def test_ports_publish_the_app_and_the_stripe_stand_in_only():
    assert published_ports(SERVICES["app"]) == ["8000:8000"]
    assert published_ports(SERVICES["stripe"]) == ["8420:8420"]
    # The database and Redis are reached over the compose network, never from outside.
    assert published_ports(SERVICES["db"]) == []
    assert published_ports(SERVICES["redis"]) == []


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
    assert environment["STANDIN_WEBHOOK_URL"] == "http://app:8000/api/v1/payments/stripe/webhook/"
    assert environment["STRIPE_WEBHOOK_SECRET"] == app_environment()["STRIPE_WEBHOOK_SECRET"]
    assert "localhost:8420/js.stripe.com/v3/" in app_environment()["STRIPE_JS_URL"]


def test_the_redis_client_is_installed_for_the_cache_compose_configures():
    """REDIS_URL switches the cache to Django's Redis backend, which needs the redis package."""
    from django.core.cache.backends.redis import RedisCache

    client = RedisCache("redis://redis:6379/0", {})._cache  # imports redis; connects lazily
    assert client._servers == ["redis://redis:6379/0"]
