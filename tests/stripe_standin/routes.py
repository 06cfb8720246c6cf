"""Routes of the new resources, and the test hooks under `/_minga/`."""

from __future__ import annotations

import contextlib
import json
import secrets
from typing import Any

from aiohttp import web
from localstripe import resources as ls
from localstripe import webhooks as ls_webhooks
from localstripe.errors import UserError

from tests.stripe_standin.patches import fail_refund
from tests.stripe_standin.resources import Account, Dispute, Transfer, TransferReversal
from tests.stripe_standin.state import (
    ACCOUNT_LINK_TTL_SECONDS,
    STATE,
    Fault,
    bad_request,
    emit,
    json_response,
    list_of,
    now,
)
from tests.stripe_standin.webhooks import deliver


async def read_params(request: web.Request) -> dict[str, Any]:
    from localstripe import server as ls_server

    data = await ls_server.get_post_data(request) or {}
    return dict(data)


def query_params(request: web.Request) -> dict[str, Any]:
    from localstripe import server as ls_server

    return dict(ls_server.unflatten_data(request.query) or {})


async def create_account_link(request: web.Request) -> web.Response:
    data = await read_params(request)
    data.pop("expand", None)
    account = data.pop("account", None)
    refresh_url = data.pop("refresh_url", None)
    return_url = data.pop("return_url", None)
    link_type = data.pop("type", None)
    data.pop("collect", None)
    data.pop("collection_options", None)
    if data:
        raise UserError(400, "Unexpected " + ", ".join(data.keys()))
    Account._api_retrieve(account if isinstance(account, str) else "")
    for name, value in (("refresh_url", refresh_url), ("return_url", return_url)):
        if not (isinstance(value, str) and value.startswith(("http://", "https://"))):
            raise bad_request(f"Invalid URL: {name}", param=name)
    if link_type not in ("account_onboarding", "account_update"):
        raise bad_request("Invalid type", param="type")
    token = secrets.token_urlsafe(16)
    created = now()
    link = {
        "account": account,
        "refresh_url": refresh_url,
        "return_url": return_url,
        "expires_at": created + ACCOUNT_LINK_TTL_SECONDS,
        "used": False,
    }
    STATE.account_links[token] = link
    base = STATE.public_url or f"{request.scheme}://{request.host}"
    return json_response(
        {
            "object": "account_link",
            "created": created,
            "expires_at": link["expires_at"],
            "url": f"{base.rstrip('/')}/_minga/connect/onboarding/{token}",
        }
    )


async def create_reversal(request: web.Request) -> web.Response:
    data = await read_params(request)
    expand = data.pop("expand", None)
    reversal = TransferReversal(transfer=request.match_info["id"], **data)
    return json_response(reversal._export(expand=expand))


async def list_reversals(request: web.Request) -> web.Response:
    transfer = Transfer._api_retrieve(request.match_info["id"])
    data = query_params(request)
    result = list_of(
        TransferReversal,
        request.path,
        transfer=transfer.id,
        limit=data.get("limit"),
        starting_after=data.get("starting_after"),
    )
    return json_response(result._export())


async def retrieve_reversal(request: web.Request) -> web.Response:
    reversal = TransferReversal._api_retrieve(request.match_info["reversal"])
    if reversal.transfer != request.match_info["id"]:
        raise UserError(404, "Not Found")
    return json_response(reversal._export())


async def hook_json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        data = await request.json()
    except json.JSONDecodeError as exc:
        raise bad_request("Hook bodies are JSON") from exc
    if not isinstance(data, dict):
        raise bad_request("Hook bodies are JSON objects")
    return data


async def hook_reset(request: web.Request) -> web.Response:
    STATE.reset()
    return json_response({"reset": True})


async def hook_add_fault(request: web.Request) -> web.Response:
    data = await hook_json(request)
    mode = data.get("mode", "error")
    if mode not in ("error", "drop", "drop_after", "delay"):
        raise bad_request("mode must be error, drop, drop_after or delay")
    count = data.get("count")
    fault = Fault(
        mode=mode,
        path=data.get("path", "/v1/"),
        method=data.get("method"),
        status=int(data.get("status", 500)),
        delay=float(data.get("delay", 0)),
        remaining=None if count is None else int(count),
    )
    STATE.faults.append(fault)
    return json_response({"faults": len(STATE.faults)})


async def hook_clear_faults(request: web.Request) -> web.Response:
    STATE.faults.clear()
    return json_response({"faults": 0})


async def hook_register_webhook(request: web.Request) -> web.Response:
    data = await hook_json(request)
    url, secret, events = data.get("url"), data.get("secret"), data.get("events")
    if not (isinstance(url, str) and url.startswith("http")) or not isinstance(secret, str):
        raise bad_request("url and secret are required")
    if events is not None and not isinstance(events, list):
        raise bad_request("events is a list")
    endpoint_id = data.get("id") or "we_" + ls.random_id(14)
    ls_webhooks.register_webhook(endpoint_id, url, secret, events)
    return json_response({"id": endpoint_id})


async def hook_clear_webhooks(request: web.Request) -> web.Response:
    ls_webhooks._webhooks.clear()
    return json_response({"webhooks": 0})


async def hook_webhook_settings(request: web.Request) -> web.Response:
    data = await hook_json(request)
    if "hold" in data:
        STATE.hold_webhooks = bool(data["hold"])
    if "delay" in data:
        STATE.delivery_delay = float(data["delay"])
    return json_response({"hold": STATE.hold_webhooks, "delay": STATE.delivery_delay})


def event_summary(event_id: str) -> dict[str, Any]:
    event = ls.Event._api_retrieve(event_id)
    return {
        "id": event.id,
        "type": event.type,
        "object_id": event.data["object"].get("id"),
        "created": event.created,
        "deliveries": sum(1 for d in STATE.deliveries if d["event"] == event.id),
    }


async def hook_list_events(request: web.Request) -> web.Response:
    wanted = request.query.get("type")
    summaries = [event_summary(event_id) for event_id in STATE.events]
    if wanted:
        summaries = [s for s in summaries if s["type"] == wanted]
    return json_response({"data": summaries})


async def hook_deliver_event(request: web.Request) -> web.Response:
    event = ls.Event._api_retrieve(request.match_info["id"])
    return json_response({"data": await deliver(event)})


async def hook_list_deliveries(request: web.Request) -> web.Response:
    wanted = request.query.get("type")
    records = [d for d in STATE.deliveries if not wanted or d["type"] == wanted]
    return json_response({"data": records})


async def hook_sink(request: web.Request) -> web.Response:
    await request.read()
    return json_response({"received": True})


async def hook_confirm_payment_intent(request: web.Request) -> web.Response:
    data = await hook_json(request)
    outcome = data.get("outcome", "succeeded")
    methods = {"succeeded": "pm_card_visa", "failed": "pm_card_visa_chargeDeclined"}
    if outcome not in methods:
        raise bad_request("outcome must be succeeded or failed")
    intent_id = request.match_info["id"]
    with contextlib.suppress(UserError):
        # A decline answers 402 to the confirming client; the hook reports the intent instead.
        ls.PaymentIntent._api_confirm(intent_id, payment_method=methods[outcome])
    return json_response(ls.PaymentIntent._api_retrieve(intent_id)._export())


async def hook_dispute_charge(request: web.Request) -> web.Response:
    data = await hook_json(request)
    dispute = Dispute(
        charge=request.match_info["id"], amount=data.get("amount"), reason=data.get("reason")
    )
    emit("charge.dispute.created", dispute)
    return json_response(dispute._export())


async def hook_fail_refund(request: web.Request) -> web.Response:
    data = await hook_json(request)
    reason = str(data.get("failure_reason") or "expired_or_canceled_card")
    return json_response(fail_refund(request.match_info["id"], reason)._export())


async def hook_account_state(request: web.Request) -> web.Response:
    account = Account._api_retrieve(request.match_info["id"])
    data = await hook_json(request)
    action = request.match_info["action"]
    notify = bool(data.pop("notify", True))
    if action == "onboard":
        account._onboard(notify=notify)
    elif action == "restrict":
        account._restrict(notify=notify)
    elif action == "state":
        allowed = {
            "details_submitted",
            "charges_enabled",
            "payouts_enabled",
            "transfers",
            "disabled_reason",
        }
        unexpected = set(data) - allowed
        if unexpected:
            raise bad_request("Unexpected " + ", ".join(sorted(unexpected)))
        account._set_state(notify=notify, **data)
    else:
        raise UserError(404, "Not Found")
    return json_response(account._export())


async def hook_onboarding_page(request: web.Request) -> web.Response:
    link = STATE.account_links.get(request.match_info["token"])
    if link is None:
        raise web.HTTPNotFound(text="Unknown account link")
    if link["used"] or link["expires_at"] < now():
        raise web.HTTPFound(link["refresh_url"])
    link["used"] = True
    if request.query.get("outcome", "complete") == "complete":
        Account._api_retrieve(link["account"])._onboard()
    raise web.HTTPFound(link["return_url"])


async def hook_expire_account_link(request: web.Request) -> web.Response:
    data = await hook_json(request)
    token = str(data.get("url", "")).rstrip("/").rsplit("/", 1)[-1]
    link = STATE.account_links.get(token)
    if link is None:
        raise UserError(404, "Not Found")
    link["expires_at"] = now() - 1
    return json_response({"expired": True})


def add_routes(app: web.Application, ls_server: Any) -> None:
    """Register the new resources and the hooks on localstripe's app."""
    router = app.router
    for cls in (Account, Transfer, Dispute):
        base = f"/v1/{cls.object}s"
        router.add_route("POST", base, ls_server.api_create(cls, base))
        router.add_route("GET", base + "/{id}", ls_server.api_retrieve(cls, base))
        router.add_route("POST", base + "/{id}", ls_server.api_update(cls, base))
        router.add_route("DELETE", base + "/{id}", ls_server.api_delete(cls, base))
        router.add_route("GET", base, ls_server.api_list_all(cls, base))
    router.add_post("/v1/account_links", create_account_link)
    router.add_post("/v1/transfers/{id}/reversals", create_reversal)
    router.add_get("/v1/transfers/{id}/reversals", list_reversals)
    router.add_get("/v1/transfers/{id}/reversals/{reversal}", retrieve_reversal)

    router.add_post("/_minga/reset", hook_reset)
    router.add_post("/_minga/faults", hook_add_fault)
    router.add_delete("/_minga/faults", hook_clear_faults)
    router.add_post("/_minga/webhooks", hook_register_webhook)
    router.add_delete("/_minga/webhooks", hook_clear_webhooks)
    router.add_post("/_minga/webhooks/settings", hook_webhook_settings)
    router.add_get("/_minga/events", hook_list_events)
    router.add_post("/_minga/events/{id}/deliver", hook_deliver_event)
    router.add_get("/_minga/deliveries", hook_list_deliveries)
    router.add_post("/_minga/sink", hook_sink)
    router.add_post("/_minga/payment_intents/{id}/confirm", hook_confirm_payment_intent)
    router.add_post("/_minga/charges/{id}/dispute", hook_dispute_charge)
    router.add_post("/_minga/refunds/{id}/fail", hook_fail_refund)
    router.add_post("/_minga/accounts/{id}/{action}", hook_account_state)
    router.add_get("/_minga/connect/onboarding/{token}", hook_onboarding_page)
    router.add_post("/_minga/account_links/expire", hook_expire_account_link)
