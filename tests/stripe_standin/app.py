"""localstripe, extended with what Minga's payments need (see the package docstring).

localstripe keeps its state in module globals (`resources.store`, `webhooks._webhooks`, one aiohttp
`server.app`), so there is one stand-in per process: `configure()` patches and extends it once and
returns that app. Nothing is written to disk (localstripe's CLI pickles its store to a fixed /tmp
file; here the store lives in memory and `POST /_minga/reset` empties it).

The extensions follow Stripe's documented behaviour where it matters to Minga and stay small
elsewhere:

- Connect: `/v1/accounts` (Express), `/v1/account_links` (a link to a stand-in onboarding page that
  completes the account and redirects to `return_url`, or to `refresh_url` when stale or used),
  `/v1/transfers` (`destination` must have the `transfers` capability active; `source_transaction`
  must be a charge in the same currency with enough left), `/v1/transfers/{id}/reversals`.
- PaymentIntents accept `transfer_group` (copied to their charge), confirm accepts Stripe's test
  payment methods (`pm_card_visa`, `pm_card_visa_chargeDeclined`, ...), `latest_charge` is an id
  unless expanded, lists filter on `created`.
- Refunds never exceed what is left of the charge and emit `charge.refunded` and `refund.created`;
  `POST /_minga/refunds/{id}/fail` fails one later (`refund.updated`, `charge.refund.updated`,
  `refund.failed`), and the charge's `amount_refunded` no longer counts it.
- Idempotency: a POST with an `Idempotency-Key` already seen (per API key) replays the saved
  response when its parameters match, and fails with `idempotency_error` when they differ.
  Like Stripe, only executed requests are saved (2xx, 402 card errors, and refusals decided while
  executing, e.g. a transfer to an account without the transfers capability), not requests
  refused while validating their parameters.
- Webhooks are signed with a fresh timestamp at each delivery, can be held and delivered one by one
  in any order, and every attempt is logged.
- Stripe.js: the page's `confirmPayment` / `confirmCardPayment` pay with the card typed into
  localstripe's fake element (`stripe_js.py`).
- Faults: `/v1/` requests can answer 5xx, be dropped before or after executing, or be delayed.
"""

from __future__ import annotations

from aiohttp import web

from tests.stripe_standin.middleware import fault_middleware, idempotency_middleware
from tests.stripe_standin.patches import patch_localstripe
from tests.stripe_standin.routes import add_routes
from tests.stripe_standin.state import STATE
from tests.stripe_standin.stripe_js import add_stripe_js

_app: web.Application | None = None


def configure(*, public_url: str | None = None) -> web.Application:
    """Patch localstripe, add Minga's routes and middlewares, and return its (single) app."""
    global _app
    STATE.public_url = public_url
    if _app is not None:
        return _app
    patch_localstripe()
    from localstripe import server as ls_server

    app = ls_server.app
    app.middlewares.insert(0, idempotency_middleware)
    app.middlewares.insert(0, fault_middleware)
    add_routes(app, ls_server)
    add_stripe_js(app)
    _app = app
    return app
