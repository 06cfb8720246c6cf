"""Webhooks: recorded, signed at delivery time, optionally held and delivered one by one."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout
from localstripe import resources as ls
from localstripe import webhooks as ls_webhooks

from tests.stripe_standin.state import STATE, now

logger = logging.getLogger("stripe_standin")


_background: set[asyncio.Future[None]] = set()


def schedule_webhook(event: ls.Event) -> None:
    STATE.events.append(event.id)
    if not STATE.hold_webhooks:
        task = asyncio.ensure_future(_deliver_later(event, STATE.generation))
        _background.add(task)
        task.add_done_callback(_background.discard)


async def _deliver_later(event: ls.Event, generation: int) -> None:
    await asyncio.sleep(STATE.delivery_delay)
    if generation == STATE.generation:
        await deliver(event)


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    signature = hmac.new(
        secret.encode(), b"%d.%s" % (timestamp, payload), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


async def deliver(event: ls.Event) -> list[dict[str, Any]]:
    """Send `event` to every registered endpoint that wants it; log and return each attempt."""
    envelope = event._export()
    envelope.setdefault("pending_webhooks", 1)
    envelope.setdefault("request", {"id": None, "idempotency_key": None})
    payload = json.dumps(envelope, indent=2, sort_keys=True).encode()
    results = []
    for endpoint_id, endpoint in list(ls_webhooks._webhooks.items()):
        if endpoint.events is not None and event.type not in endpoint.events:
            continue
        header = sign(payload, endpoint.secret, now())
        record: dict[str, Any] = {
            "event": event.id,
            "type": event.type,
            "object_id": event.data["object"].get("id"),
            "endpoint": endpoint_id,
            "url": endpoint.url,
            "signature": header,
            "payload": payload.decode(),
            "status": None,
            "error": None,
            "at": time.time(),
        }
        headers = {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": header}
        try:
            async with (
                ClientSession(timeout=ClientTimeout(total=30)) as session,
                session.post(endpoint.url, data=payload, headers=headers) as response,
            ):
                record["status"] = response.status
                await response.read()
        except (ClientError, TimeoutError) as exc:
            record["error"] = str(exc) or type(exc).__name__
        STATE.deliveries.append(record)
        results.append(record)
        logger.info("webhook %s %s -> %s", event.type, endpoint.url, record["status"])
    return results
