"""The stand-in's Stripe.js: localstripe's `localstripe-v3.js` plus `stripe_js_extension.js`.

localstripe's script draws a fake card element (plain inputs) but its `confirmCardPayment` ignores
the card: it only completes a 3-D Secure step of a PaymentIntent the server already confirmed, and
it has no `confirmPayment` at all. The extension gives the page Stripe.js's documented behaviour
for both (`confirmPayment({elements, confirmParams: {return_url}})` redirects to the return URL
with `redirect_status=succeeded`; `confirmCardPayment(secret, {payment_method: {card}})` resolves
with the PaymentIntent), using the route below, which confirms the PaymentIntent with the card
typed into the fake element (a 3-D Secure test card still asks through localstripe's dialog).

Like Stripe's own publishable-key calls, the route needs the PaymentIntent's client secret. It
lives under `/js.stripe.com/`, which localstripe serves without a secret key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp import web
from localstripe import resources as ls
from localstripe.errors import UserError

from tests.stripe_standin.state import bad_request, json_response

STRIPE_JS_PATH = "/js.stripe.com/v3/"
CONFIRM_PATH = "/js.stripe.com/v3/_minga/payment_intents/{id}/confirm"
EXTENSION = Path(__file__).with_name("stripe_js_extension.js")


def _script() -> str:
    original = Path(ls.__file__).with_name("localstripe-v3.js").read_text(encoding="utf-8")
    return original + "\n" + EXTENSION.read_text(encoding="utf-8")


@web.middleware
async def stripe_js_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    """Serve the extended script where localstripe serves its own."""
    if request.method == "GET" and request.path == STRIPE_JS_PATH:
        return web.Response(text=_script(), content_type="application/javascript")
    return await handler(request)


async def confirm_with_card(request: web.Request) -> web.Response:
    """`{key, client_secret, card: {number, exp_month, exp_year, cvc}}` (sent as text, like
    localstripe's own script, so the browser needs no CORS preflight)."""
    try:
        data = json.loads(await request.text())
    except json.JSONDecodeError as exc:
        raise bad_request("The body is not JSON.") from exc
    intent_id = request.match_info["id"]
    if not str(data.get("key", "")).startswith("pk_"):
        raise UserError(401, "Unauthorized")
    intent = ls.PaymentIntent._api_retrieve(intent_id)
    if data.get("client_secret") != intent.client_secret:
        raise UserError(401, "Unauthorized")
    card = data.get("card") or {}
    method = ls.PaymentMethod(
        type="card",
        card={field: card.get(field, "") for field in ("number", "exp_month", "exp_year", "cvc")},
    )
    try:
        ls.PaymentIntent._api_confirm(intent_id, payment_method=method.id)
    except UserError as error:  # a declined card: 402 with Stripe's error, as Stripe.js gets
        return error.to_response()
    return json_response(ls.PaymentIntent._api_retrieve(intent_id)._export())


def add_stripe_js(app: web.Application) -> None:
    app.middlewares.insert(0, stripe_js_middleware)
    app.router.add_post(CONFIRM_PATH, confirm_with_card)
