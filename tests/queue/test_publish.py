"""`core.publish.enqueue` writes, with one Redis command, the message Celery's `apply_async`
sends for the same call (the checkout's e-mails are queued this way), and a real worker runs it."""

import base64
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from core import publish
from orders import tasks
from tests.queue.conftest import redis_url, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ARGS = ([3, 5],)
KWARGS = {"batch": "b" * 32, "tell_seller": True, "tell_buyer": False, "is_paid": False}
# Made anew for each message (Celery's too): the task's id, in three places, and kombu's tag.
FRESH = {("headers", "id"), ("headers", "root_id"), ("properties", "correlation_id")}


def _queued(queue: str) -> list[dict[str, Any]]:
    import redis

    client = redis.Redis.from_url(redis_url())
    messages = [json.loads(raw) for raw in reversed(client.lrange(queue, 0, -1))]
    client.delete(queue)
    return messages


def _comparable(message: dict[str, Any]) -> dict[str, Any]:
    ids = {message[part][name] for part, name in FRESH}
    assert len(ids) == 1
    uuid.UUID(message["properties"].pop("delivery_tag"))
    for part, name in FRESH:
        message[part][name] = "<id>"
    message["body"] = json.loads(base64.b64decode(message["body"]))
    return message


def test_the_message_is_the_one_celery_sends(
    celery_worker_factory: Callable[..., Any],
) -> None:
    from config.celery import app

    queue = app.conf.task_default_queue
    assert publish._plain(tasks.send_orders_placed)
    tasks.send_orders_placed.apply_async(ARGS, KWARGS, argsrepr=repr(ARGS), kwargsrepr=repr(KWARGS))
    publish.enqueue(tasks.send_orders_placed, ARGS, KWARGS)

    by_celery, by_minga = (_comparable(message) for message in _queued(queue))
    assert by_minga == by_celery
    assert by_minga["body"] == [[[3, 5]], KWARGS, publish._EMBED]
    assert by_minga["properties"]["delivery_info"] == {"exchange": "", "routing_key": queue}


def test_anything_but_the_plain_case_goes_through_celery(
    celery_worker_factory: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(
        tasks.send_orders_placed, "apply_async", lambda *args, **options: sent.append(args)
    )
    monkeypatch.setattr(tasks.send_orders_placed, "priority", 5)
    publish.enqueue(tasks.send_orders_placed, ARGS, KWARGS)
    assert sent == [(ARGS, KWARGS)]


def test_a_worker_runs_the_message(celery_worker_factory: Callable[..., Any]) -> None:
    worker = celery_worker_factory()
    publish.enqueue(tasks.send_orders_placed, ([],), {"batch": uuid.uuid4().hex})
    wait_for(
        lambda: (
            "send_orders_placed" in worker.log.read_text() and "succeeded" in worker.log.read_text()
        ),
        timeout=60,
        what="the worker to run the task",
    )
