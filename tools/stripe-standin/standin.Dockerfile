# The local Stripe stand-in (localstripe plus Minga's Connect, idempotency and test-hook extensions
# from tests/stripe_standin/) for docker-compose. Build from the repository root:
#   docker build -f tools/stripe-standin/standin.Dockerfile -t minga-stripe-standin .
# standin.Dockerfile.dockerignore keeps the context to the stand-in's own files.
# Environment: STRIPE_WEBHOOK_SECRET (signs webhooks), STANDIN_WEBHOOK_URL (the app's webhook
# endpoint), STANDIN_PUBLIC_URL (what browsers use for account links), STANDIN_WEBHOOK_DELAY.
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install "localstripe>=1.15,<2" \
    && useradd --system --home-dir /srv stripe
WORKDIR /srv
COPY tests/__init__.py tests/__init__.py
COPY tests/stripe_standin/ tests/stripe_standin/
USER stripe

EXPOSE 8420
CMD ["python", "-m", "tests.stripe_standin", "--host", "0.0.0.0", "--port", "8420"]
