"""Serve the stand-in: `python -m tests.stripe_standin --host 0.0.0.0 --port 8420`.

For docker-compose and manual runs. Point the app at it with `STRIPE_API_BASE=http://<host>:8420`
and any `STRIPE_SECRET_KEY=sk_test_...`; `--webhook-url` registers the app's webhook endpoint,
signed with `--webhook-secret` (the app's `STRIPE_WEBHOOK_SECRET`). State lives in memory only.
"""

import argparse
import logging
import os

from aiohttp import web


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.stripe_standin", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("STANDIN_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("STANDIN_PORT", "8420")))
    parser.add_argument(
        "--public-url",
        default=os.environ.get("STANDIN_PUBLIC_URL") or None,
        help="base address browsers use for account links (default: the request's host)",
    )
    parser.add_argument("--webhook-url", default=os.environ.get("STANDIN_WEBHOOK_URL") or None)
    parser.add_argument(
        "--webhook-secret",
        default=os.environ.get("STRIPE_WEBHOOK_SECRET") or "whsec_minga_standin",
    )
    parser.add_argument(
        "--webhook-delay",
        type=float,
        default=float(os.environ.get("STANDIN_WEBHOOK_DELAY", "1.0")),
        help="seconds between an event and its delivery",
    )
    args = parser.parse_args()

    from localstripe import webhooks

    from tests.stripe_standin.app import configure
    from tests.stripe_standin.state import STATE

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = configure(public_url=args.public_url)
    STATE.delivery_delay = STATE.default_delivery_delay = args.webhook_delay
    if args.webhook_url:
        STATE.startup_webhooks["we_minga"] = (args.webhook_url, args.webhook_secret)
        webhooks.register_webhook("we_minga", args.webhook_url, args.webhook_secret, None)
    web.run_app(app, host=args.host, port=args.port, access_log=logging.getLogger("aiohttp"))


if __name__ == "__main__":
    main()
