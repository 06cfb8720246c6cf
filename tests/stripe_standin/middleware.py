"""Middlewares: fault injection (outermost) and idempotency replay."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web
from localstripe.errors import UserError

from tests.stripe_standin.state import STATE, SavedResponse, json_response


def stripe_error(status: int, error_type: str, message: str) -> web.Response:
    return json_response({"error": {"type": error_type, "message": message}}, status=status)


@web.middleware
async def fault_middleware(request: web.Request, handler):
    if request.path.startswith("/_minga/"):
        # Test hooks answer without an API key and are never faulted.
        try:
            return await request.match_info.handler(request)
        except UserError as exc:
            return exc.to_response()
    fault = STATE.take_fault(request)
    if fault is None:
        return await handler(request)
    if fault.mode == "delay":
        await asyncio.sleep(fault.delay)
        return await handler(request)
    if fault.mode == "error":
        response = stripe_error(fault.status, "api_error", "Simulated Stripe outage (stand-in).")
        return response
    if fault.mode == "drop":
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=599)
    # drop_after: the request runs (and its idempotent result is saved), the answer is lost.
    response = await handler(request)
    if request.transport is not None:
        request.transport.abort()
    return response


# Refusals Stripe decides while running a request (not while validating its parameters): like
# Stripe, the stand-in saves them under the key and replays them for as long as it keeps keys, so
# the same key never succeeds later (a transfer to a restricted account stays refused under its
# key after the seller fixes the account).
EXECUTED_REFUSALS = frozenset({"insufficient_capabilities_for_transfer", "balance_insufficient"})


def _is_saved(status: int, body: bytes) -> bool:
    """Stripe saves the result of every request that started executing: successes, declines
    (402) and refusals made while executing; not parameter errors, conflicts or outages."""
    if 200 <= status < 300 or status == 402:
        return True
    if status != 400:
        return False
    try:
        code = json.loads(body).get("error", {}).get("code")
    except (ValueError, AttributeError):
        return False
    return code in EXECUTED_REFUSALS


@web.middleware
async def idempotency_middleware(request: web.Request, handler):
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or not request.path.startswith("/v1/"):
        return await handler(request)
    from localstripe import server as ls_server

    params = await ls_server.get_post_data(request, remove_auth=False) or {}
    fingerprint = (request.method, request.path, json.dumps(params, sort_keys=True))
    scope = (ls_server.get_api_key(request) or "", key)
    saved = STATE.idempotency.get(scope)
    if saved is not None:
        if saved.fingerprint != fingerprint:
            return stripe_error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to execute "
                "a different request.",
            )
        return web.Response(
            body=saved.body,
            status=saved.status,
            content_type="application/json",
            headers={"Idempotent-Replayed": "true", "Idempotency-Key": key},
        )
    if scope in STATE.in_flight:
        return stripe_error(
            409,
            "idempotency_error",
            "There is currently another in-progress request using this idempotent key (that "
            "probably means you submitted twice, and the other request is still going through):"
            f" {key}. Please try again later.",
        )
    STATE.in_flight.add(scope)
    try:
        response = await handler(request)
    finally:
        STATE.in_flight.discard(scope)
    body = getattr(response, "body", None)
    if isinstance(body, bytes) and _is_saved(response.status, body):
        STATE.idempotency[scope] = SavedResponse(fingerprint, response.status, body)
    response.headers["Idempotency-Key"] = key
    return response
