"""Settings shared by every profile; every value that differs between machines comes from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MINGA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-key-change-me-for-anything-public")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "core",
    "accounts",
    "cooperatives",
    "marketplace",
    "ledger",
    "quotes",
    "credit",
    "moderation",
    "orders",
    "clearing",
    "flows",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.i18n.ReaderMiddleware",  # the person's language and zone (core.i18n.reader_activate)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.CSPMiddleware",  # django-csp's, the site's policy built once
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'minga.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's default random_page_cost (4) models spinning disks: with it, the planner scans
    # the whole listing table for a search rather than use the full-text index (a typo search at
    # 100,000 listings took 180 ms of queries; at 1.1, the usual value for SSDs and for databases
    # that fit in memory, 14 ms). Set DATABASE_RANDOM_PAGE_COST="" to keep the server's own value.
    _random_page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
    if _random_page_cost:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c random_page_cost={float(_random_page_cost)}"
        )
    # Parameters bound by the server, and a statement run five times on a connection prepared
    # there, so PostgreSQL stops parsing and planning every statement of every request (checkout
    # 58 -> 76 orders/s in `make bench`; the whole suite passes with it: docs/orders.md, "Checkout
    # cost"). DATABASE_SERVER_SIDE_BINDING=false turns it off; behind PgBouncer in transaction
    # mode, set DATABASE_PREPARE_THRESHOLD="" (no prepared statements, still server-bound).
    if env_bool("DATABASE_SERVER_SIDE_BINDING", True):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["server_side_binding"] = True
        _threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
        _options["prepare_threshold"] = int(_threshold) if _threshold else None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated failed sign-ins lock an e-mail address: this many failures within the window lock it
# for LOGIN_LOCKOUT_MINUTES, whatever password comes next (the API and the sign-in page alike).
LOGIN_LOCKOUT_FAILURES = env_int("LOGIN_LOCKOUT_FAILURES", 5)
LOGIN_LOCKOUT_WINDOW_MINUTES = env_int("LOGIN_LOCKOUT_WINDOW_MINUTES", 15)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# E-mail confirmation (docs/security.md): an unconfirmed account works fully for this many days
# after sign-up, then may not check out or publish until it confirms. The link lasts LINK_DAYS.
EMAIL_CONFIRMATION_GRACE_DAYS = env_int("EMAIL_CONFIRMATION_GRACE_DAYS", 7)
EMAIL_CONFIRMATION_LINK_DAYS = env_int("EMAIL_CONFIRMATION_LINK_DAYS", 14)
# Password reset links (Django's tokens: single use, as the password they were made for changes)
# last this long; at most PASSWORD_RESET_PER_ADDRESS e-mails per address per hour are sent.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 2 * 60 * 60)
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
# API keys (`POST /api/v1/auth/token/`) end this many days after they were made (a fixed term,
# not sliding: a stolen key is useful for a bounded time however much it is used), and each
# person keeps at most API_TOKEN_MAX_PER_USER (making one more revokes the oldest).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
API_TOKEN_MAX_PER_USER = env_int("API_TOKEN_MAX_PER_USER", 20)
# How long a token lookup is kept in the cache (0: read every request). Revoking or deleting a
# token and saving its owner remove the cached copy at once (accounts/token_cache.py).
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 60)
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "frontend:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("pt-br", "Português (Brasil)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Verification documents are never public: they live outside MEDIA_ROOT and are served by a
# view that checks permissions.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(PRIVATE_MEDIA_ROOT),
            "base_url": "/private-media-is-not-served/",
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Object storage (docs/deployment.md): with AWS_STORAGE_BUCKET_NAME set, listing images and logos
# go to that bucket and verification documents to MINGA_S3_PRIVATE_BUCKET, another one, through
# django-storages. No object is public: the permission-checked views answer with a redirect to a
# URL signed for MINGA_S3_SIGNED_URL_SECONDS (core/storage.py). Keys: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the machine's role when they are unset.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
S3_PRIVATE_BUCKET = os.environ.get("MINGA_S3_PRIVATE_BUCKET", "")
if S3_PRIVATE_BUCKET and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured(
        "MINGA_S3_PRIVATE_BUCKET is set without AWS_STORAGE_BUCKET_NAME: set both (media and "
        "private documents in buckets) or neither (both on this machine's disk)."
    )
# An S3-compatible server other than AWS (MinIO); the public one is how browsers reach it.
S3_ENDPOINT_URL = os.environ.get("MINGA_S3_ENDPOINT_URL", "")
S3_PUBLIC_ENDPOINT_URL = os.environ.get("MINGA_S3_PUBLIC_ENDPOINT_URL", "")
S3_REGION = os.environ.get("MINGA_S3_REGION", "us-east-1")
# Long enough for a slow page to load its images, short enough that a URL passed on soon dies.
S3_SIGNED_URL_SECONDS = env_int("MINGA_S3_SIGNED_URL_SECONDS", 300)
if not 1 <= S3_SIGNED_URL_SECONDS <= 604_800:
    raise ImproperlyConfigured(
        "MINGA_S3_SIGNED_URL_SECONDS must be between 1 and 604800 (7 days, S3's longest)."
    )
# Empty: boto3 looks for credentials itself (a machine's role, ~/.aws).
S3_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")


def s3_storage(bucket: str, gate_url: str) -> dict[str, object]:
    """The STORAGES entry of one bucket reached through signed URLs only."""
    options: dict[str, object] = {
        "bucket_name": bucket,
        "gate_url": gate_url,
        "region_name": S3_REGION,
        "querystring_expire": S3_SIGNED_URL_SECONDS,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    if S3_ENDPOINT_URL:
        options |= {"endpoint_url": S3_ENDPOINT_URL, "addressing_style": "path"}
    if S3_PUBLIC_ENDPOINT_URL:
        options["public_endpoint_url"] = S3_PUBLIC_ENDPOINT_URL
    if S3_ACCESS_KEY_ID:
        options |= {"access_key": S3_ACCESS_KEY_ID, "secret_key": S3_SECRET_ACCESS_KEY}
    return {"BACKEND": "core.storage.SignedS3Storage", "OPTIONS": options}


if AWS_STORAGE_BUCKET_NAME:
    STORAGES |= {
        "default": s3_storage(AWS_STORAGE_BUCKET_NAME, MEDIA_URL),
        "private": s3_storage(S3_PRIVATE_BUCKET, "/private-media-is-not-served/"),
    }
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Listing images and logos are answered by Django after a visibility check (docs/security.md).
# Behind nginx, set this to an `internal` location aliasing MEDIA_ROOT (e.g. /internal-media/):
# Django then answers with X-Accel-Redirect and the web server sends the bytes.
MEDIA_ACCEL_REDIRECT_PREFIX = os.environ.get("MEDIA_ACCEL_REDIRECT_PREFIX", "")

# What one uploaded image may cost, judged from its header before decoding (docs/security.md):
# pixels it declares, how elongated it is, and how many pixels are ever decoded (a larger JPEG is
# decoded at 1/2, 1/4 or 1/8 scale; a larger PNG or WebP is refused). Uploads per minute are the
# `uploads` (per person) and `uploads_cooperative` throttle rates below.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
MAX_IMAGE_ASPECT_RATIO = env_int("MAX_IMAGE_ASPECT_RATIO", 20)
MAX_IMAGE_DECODED_PIXELS = env_int("MAX_IMAGE_DECODED_PIXELS", 16_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Minga <no-reply@minga.localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How sellers pay the platform their solidarity fee (shown as text on their fees page).
PLATFORM_BANK_DETAILS = os.environ.get(
    "PLATFORM_BANK_DETAILS", "Minga platform, IBAN ES00 0000 0000 0000 0000 0000, BIC MINGESXX"
)

STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
STRIPE_API_VERSION = os.environ.get("STRIPE_API_VERSION", "2025-03-31.basil")
# Sellers' `account.updated` events come from a Connect webhook endpoint with its own signing
# secret; it may point at the same URL as the platform endpoint.
STRIPE_CONNECT_WEBHOOK_SECRET = os.environ.get("STRIPE_CONNECT_WEBHOOK_SECRET", "")
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env_int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300)
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 2)
STRIPE_TIMEOUT_SECONDS = env_int("STRIPE_TIMEOUT_SECONDS", 20)
# Stripe.js, loaded by the pages that take a card; the CSP allows scripts and frames from its
# origin only (a local stand-in serves its own copy: point this at it).
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
# Prefix of every idempotency key, for databases that share one Stripe account (a staging copy,
# test runs against Stripe's test mode): without it their ids, hence their keys, would collide.
STRIPE_IDEMPOTENCY_NAMESPACE = os.environ.get("STRIPE_IDEMPOTENCY_NAMESPACE", "")
# The platform account's country (ISO 3166-1): sellers elsewhere get Express accounts under the
# "recipient" service agreement (transfers only). Empty: every seller gets the full agreement.
STRIPE_PLATFORM_COUNTRY = os.environ.get("STRIPE_PLATFORM_COUNTRY", "").upper()
# A card checkout whose payment has not succeeded this long after it was placed is cancelled and
# its stock put back (`manage.py expire_pending_payments`, cron every few minutes).
PAYMENT_GRACE_MINUTES = env_int("PAYMENT_GRACE_MINUTES", 60)

# The solidarity fee kept by the exchange, in basis points of each order's total (150 = 1.5 %).
SOLIDARITY_FEE_BPS = env_int("SOLIDARITY_FEE_BPS", 150)
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 14)
# How long a seller has to appeal a moderation decision that is still in force.
MODERATION_APPEAL_WINDOW_DAYS = env_int("MODERATION_APPEAL_WINDOW_DAYS", 30)
# Orders fulfilled this many days ago are completed by `manage.py complete_stale_orders` (cron).
ORDER_AUTO_COMPLETE_DAYS = env_int("ORDER_AUTO_COMPLETE_DAYS", 14)


def url_origin(url: str) -> str:
    """`https://js.stripe.com` of `https://js.stripe.com/v3/`; empty for an empty URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content Security Policy (django-csp 4): no inline script or style anywhere, nothing from other
# origins but Stripe's. Every page, the admin and the API docs satisfy it (tests/core/test_security.py).
_STRIPE_JS_ORIGIN = url_origin(STRIPE_JS_URL)
_STRIPE = [_STRIPE_JS_ORIGIN] if _STRIPE_JS_ORIGIN else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *_STRIPE],
        # Stripe.js draws card fields and 3-D Secure challenges in frames, and calls its API.
        "frame-src": [*_STRIPE, "https://hooks.stripe.com"] if _STRIPE else [NONE],
        "connect-src": [SELF, *_STRIPE, "https://api.stripe.com"] if _STRIPE else [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Same-origin by default; production sets the rest (HSTS, secure cookies) in production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Catalogue review: "unverified" (listings of unverified cooperatives wait for a moderator,
# verified cooperatives publish at once) or "all" (every listing is reviewed before publication).
LISTING_REVIEW_POLICY = os.environ.get("LISTING_REVIEW_POLICY", "unverified").strip().lower()
if LISTING_REVIEW_POLICY not in {"unverified", "all"}:
    raise ImproperlyConfigured("LISTING_REVIEW_POLICY must be 'unverified' or 'all'.")
# Whether editing the title, description, category or images of a published listing sends it
# back to review even when its cooperative may publish without review.
LISTING_EDIT_NEEDS_REVIEW = env_bool("LISTING_EDIT_NEEDS_REVIEW", True)
CATALOGUE_IMPORT_MAX_ROWS = env_int("CATALOGUE_IMPORT_MAX_ROWS", 5000)
# Listing lists count at most this many matches (the page links stop there); see docs/catalogue.md.
LISTING_COUNT_LIMIT = env_int("LISTING_COUNT_LIMIT", 10_000)
# A search ranks at most this many matches (and counts up to it): marketplace/search.py.
SEARCH_CANDIDATE_LIMIT = env_int("SEARCH_CANDIDATE_LIMIT", 1_000)
# How long the typo corrections of a word are kept in the cache.
SEARCH_CORRECTION_CACHE_SECONDS = env_int("SEARCH_CORRECTION_CACHE_SECONDS", 600)
# How long an anonymous catalogue response is kept in the cache (0: never). A change to the
# catalogue makes it stale at once whatever this says (marketplace/http_cache.py).
CATALOGUE_RESPONSE_CACHE_SECONDS = env_int("CATALOGUE_RESPONSE_CACHE_SECONDS", 300)

# Mounts /api/v1/_bench/baseline/, a constant JSON body without the database: the ceiling the
# benchmarks compare with (benchmarks/README.md). Off everywhere but `make bench`.
BENCH_BASELINE = env_bool("MINGA_BENCH_BASELINE", False)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions are read from the shared cache and written through to the database: a signed-in
    # page no longer reads its session row. Only with a cache every app server shares: in each
    # process's memory, a session ended in one worker would live on in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The task queue (config/celery.py, docs/operations.md "Tasks and the beat schedule"). The broker
# is REDIS_URL unless CELERY_BROKER_URL says otherwise; with neither, every task runs eagerly in the
# process that enqueues it (after commit), so `make run` needs nothing else running.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
# The queue tasks go to and workers take from ("celery"); tests give each run its own.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_RESULT_BACKEND = None  # nothing waits on a result: tasks write what they did to the database
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A task is acknowledged when it has finished, not when it starts: a worker killed in the middle
# leaves the message to be delivered again (tasks are idempotent), after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How often a failing task is tried again (exponential backoff, capped) before it is recorded as a
# core.TaskFailure that admins see in the Django admin.
TASK_MAX_RETRIES = env_int("TASK_MAX_RETRIES", 6)
TASK_RETRY_BACKOFF_MAX_SECONDS = env_int("TASK_RETRY_BACKOFF_MAX_SECONDS", 600)
# The periodic jobs, run by `celery -A config beat` (one beat per installation). Adding one is a
# task in the owning app's tasks.py and one line here; its management command stays a manual tool.
CELERY_BEAT_SCHEDULE = {
    "expire-pending-payments": {"task": "orders.tasks.expire_pending_payments", "schedule": 300},
    "retry-transfers": {"task": "orders.tasks.retry_transfers", "schedule": 600},
    "complete-stale-orders": {
        "task": "orders.tasks.complete_stale_orders",
        "schedule": crontab(hour=2, minute=30),
    },
    "reconcile-stripe": {
        "task": "orders.tasks.reconcile_stripe",
        "schedule": crontab(hour=3, minute=15),
    },
    "ledger-check": {"task": "orders.tasks.ledger_check", "schedule": crontab(hour=3, minute=45)},
    "send-invoice-reminders": {
        "task": "orders.tasks.send_invoice_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "close-expired-quotes": {
        "task": "quotes.tasks.close_expired_quotes",
        "schedule": crontab(minute=20),
    },
    "draft-standing-orders": {
        "task": "quotes.tasks.draft_standing_orders",
        "schedule": crontab(minute=40),
    },
    "monthly-clearing": {
        "task": "clearing.tasks.clearing_run_monthly",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ReaderTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",  # refuses bodies nested too deep (400, not a 500)
        "core.api.parsers.FormParser",  # and both refuse bodies over the size limit (413)
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.MingaAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # Rates per client (the signed-in user, else the address): see docs/security.md.
    "DEFAULT_THROTTLE_RATES": {
        "sign_in": os.environ.get("THROTTLE_SIGN_IN", "10/min"),
        "token": os.environ.get("THROTTLE_TOKEN", "10/min"),
        "sign_up": os.environ.get("THROTTLE_SIGN_UP", "20/hour"),
        "password_reset": os.environ.get("THROTTLE_PASSWORD_RESET", "10/hour"),
        "confirmation": os.environ.get("THROTTLE_CONFIRMATION", "5/hour"),
        "reports": os.environ.get("THROTTLE_REPORTS", "10/hour"),
        "messages": os.environ.get("THROTTLE_MESSAGES", "120/hour"),
        "checkout": os.environ.get("THROTTLE_CHECKOUT", "30/hour"),
        "exports": os.environ.get("THROTTLE_EXPORTS", "20/hour"),
        "uploads": os.environ.get("THROTTLE_UPLOADS", "20/min"),
        "uploads_cooperative": os.environ.get("THROTTLE_UPLOADS_COOPERATIVE", "40/min"),
    },
    # How many proxies in front of the app append to X-Forwarded-For. 0 trusts only the socket's
    # address: a client cannot dodge its throttle by sending a made-up X-Forwarded-For header.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Minga API",
    "DESCRIPTION": "A solidarity-economy exchange: cooperatives trading with cooperatives.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar): the CSP allows no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the public validator: it would send the schema's address to a third party.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ListingStatusEnum": "marketplace.state.ListingStatus",
        "LanguageEnum": LANGUAGES,
        "ReportStatusEnum": "moderation.state.ReportStatus",
        "ReportOutcomeEnum": "moderation.models.ReportOutcome",
        "AppealStatusEnum": "moderation.state.AppealStatus",
        "AppealOutcomeEnum": "moderation.models.AppealOutcome",
        "OrderStatusEnum": "orders.state.OrderStatus",
        "OrderEventKindEnum": "orders.events.EventKind",
        "ModerationActionKindEnum": "moderation.models.ActionKind",
        "ListingKindEnum": "marketplace.models.ListingKind",
        "InvoiceKindEnum": "orders.models.InvoiceKind",
        "CheckoutStatusEnum": "orders.state.CheckoutStatus",
        "PaymentStatusEnum": "orders.state.PaymentStatus",
        "PaymentMethodEnum": "orders.payments.rails.choices",
        "PaymentRailEnum": "orders.receivables.state.PaymentRail",
        "ManualPaymentRailEnum": "orders.receivables.state.MANUAL_RAILS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Mutual credit (docs/credit.md): a credit line deeper than this (minor units) needs a second
# member of the credit committee to confirm it before it takes effect.
CREDIT_FOUR_EYES_THRESHOLD = int(os.environ.get("CREDIT_FOUR_EYES_THRESHOLD", "100000000"))
# The suggested credit line: this share (basis points) of a cooperative's sales over the last
# twelve months in the currency (833: about one month's), never deeper than the cap (minor units).
CREDIT_SUGGESTED_LINE_SHARE_BPS = int(os.environ.get("CREDIT_SUGGESTED_LINE_SHARE_BPS", "833"))
CREDIT_SUGGESTED_LINE_CAP = int(os.environ.get("CREDIT_SUGGESTED_LINE_CAP", "100000000"))
# The monthly clearing run (clearing.tasks.clearing_run_monthly) proposes a run per currency;
# with this set it also executes it (otherwise the committee reviews and executes it).
CLEARING_AUTO_EXECUTE = os.environ.get("CLEARING_AUTO_EXECUTE", "").lower() in ("1", "true", "yes")
