"""Production profile: DEBUG off, secure cookies and transport, a real secret, a shared cache and
a server database required."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    AWS_STORAGE_BUCKET_NAME,
    DATABASES,
    MEDIA_ACCEL_REDIRECT_PREFIX,
    REDIS_URL,
    S3_PRIVATE_BUCKET,
    env_bool,
    env_int,
)

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters.")

# Throttle counts and cached answers live in the cache: in each worker's memory, every limit
# would be multiplied by the number of workers (26 of 30 token requests passed a 10/min limit
# with 3 workers). SQLite serialises writers: under concurrent writes 40-70 % answered 503.
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set (e.g. redis://127.0.0.1:6379/0): the production profile needs a "
        "cache shared by every worker, or throttles count per worker."
    )
if "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://user:password@host:5432/name): the "
        "production profile refuses SQLite, which cannot take concurrent writes (and Minga's search "
        "needs PostgreSQL)."
    )

# Several app servers share no disk: their files must be in buckets, documents in one of their own.
if AWS_STORAGE_BUCKET_NAME and not S3_PRIVATE_BUCKET:
    raise ImproperlyConfigured(
        "AWS_STORAGE_BUCKET_NAME is set without MINGA_S3_PRIVATE_BUCKET: verification documents "
        "need a bucket of their own, apart from the media (docs/deployment.md)."
    )
if AWS_STORAGE_BUCKET_NAME and AWS_STORAGE_BUCKET_NAME == S3_PRIVATE_BUCKET:
    raise ImproperlyConfigured(
        "MINGA_S3_PRIVATE_BUCKET must differ from AWS_STORAGE_BUCKET_NAME: a policy opened on the "
        "media bucket must never reach verification documents."
    )
if AWS_STORAGE_BUCKET_NAME and MEDIA_ACCEL_REDIRECT_PREFIX:
    raise ImproperlyConfigured(
        "MEDIA_ACCEL_REDIRECT_PREFIX serves media from this machine's disk; with "
        "AWS_STORAGE_BUCKET_NAME set they are in the bucket: unset one of them."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Invitations must reach people: production sends through SMTP (EMAIL_HOST...) unless told otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
