# Minga under gunicorn, static files served by whitenoise. Built and run by docker-compose.yml.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MINGA_VAR_DIR=/data \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes do not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected (and compressed, with hashed names) into the image; whitenoise serves
# them. The secret and the service addresses here exist only for this build step (nothing
# connects): production settings refuse to start without a long secret, PostgreSQL and Redis.
RUN export SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
        DATABASE_URL=postgres://build@localhost:5432/build REDIS_URL=redis://localhost:6379/0 \
    && python manage.py collectstatic --noinput --verbosity 0 \
    && python manage.py compile_translations --verbosity 0

RUN groupadd --system minga \
    && useradd --system --gid minga --home-dir /app --no-create-home minga \
    && mkdir -p /data/media /data/private \
    && chown -R minga:minga /data \
    && chmod +x tools/docker-entrypoint.sh
USER minga

EXPOSE 8000
VOLUME ["/data"]

# The proxy header tells Django the request is HTTPS, so SECURE_SSL_REDIRECT leaves it alone.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD \
    python -c "import urllib.request as u; r = u.Request('http://127.0.0.1:8000/healthz', headers={'X-Forwarded-Proto': 'https'}); u.urlopen(r, timeout=4)"

# Migrations run on every start (they are idempotent), then gunicorn takes over the process.
ENTRYPOINT ["tools/docker-entrypoint.sh"]
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
