"""A task queued with one Redis command (`enqueue`): the message Celery would send, written by
Minga for the plain case that every checkout takes (docs/orders.md, "Checkout cost").

Celery's `apply_async` spent ~1.5 ms of CPU per call on the request path (routing, producer
pool, kombu's retrying publish) around the one `LPUSH` that queues the message (~0.2 ms). For a
task queued the plain way (Redis broker, the default queue, no routes, priorities, time limits,
expiry or publish signals, not from inside a task) this writes the same message (headers,
properties, JSON body: what `tests/queue/test_publish.py` compares with Celery's own) with that
one `LPUSH`; any other case goes through `apply_async`.
"""

import base64
import json
import os
import uuid
from typing import Any

from celery import Task
from celery.signals import after_task_publish, before_task_publish
from celery.utils.nodenames import anon_nodename

# The broker's Redis client, by process (a forked worker makes its own) and URL.
_clients: dict[tuple[int, str], Any] = {}
_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


def enqueue(task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """`task.apply_async(args, kwargs)`, with `repr`-made readable copies of the arguments
    (Celery's size-limited `saferepr` says the same of a few ids and flags, at ~30x the cost)."""
    argsrepr, kwargsrepr = repr(args), repr(kwargs)
    if not _plain(task):
        task.apply_async(args, kwargs, argsrepr=argsrepr, kwargsrepr=kwargsrepr)
        return
    app = task.app
    queue = app.conf.task_default_queue
    task_id = str(uuid.uuid4())
    body = json.dumps([list(args), kwargs, _EMBED]).encode("utf-8")
    message = {
        "body": base64.b64encode(body).decode("ascii"),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {
            "lang": "py",
            "task": task.name,
            "id": task_id,
            "shadow": None,
            "eta": None,
            "expires": None,
            "group": None,
            "group_index": None,
            "retries": 0,
            "timelimit": [None, None],
            "root_id": task_id,
            "parent_id": None,
            "argsrepr": argsrepr,
            "kwargsrepr": kwargsrepr,
            "origin": anon_nodename(),
            "ignore_result": bool(task.ignore_result),
            "replaced_task_nesting": 0,
            "stamped_headers": None,
            "stamps": {},
        },
        "properties": {
            "correlation_id": task_id,
            "reply_to": app.thread_oid,
            "argsrepr": argsrepr,
            "kwargsrepr": kwargsrepr,
            "delivery_mode": 2,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": str(uuid.uuid4()),
        },
    }
    _redis(app.conf.broker_url).lpush(queue, json.dumps(message))


def _plain(task: Task) -> bool:
    """Whether Celery would send `task` the plain way this module writes."""
    app = task.app
    conf = app.conf
    return (
        not conf.task_always_eager
        and str(conf.broker_url or "").startswith("redis://")
        and not conf.broker_transport_options.keys() - {"visibility_timeout"}
        and not conf.task_routes
        and not conf.task_queues
        and conf.task_default_exchange in (None, "", conf.task_default_queue)
        and conf.task_default_priority is None
        and not conf.task_send_sent_event
        and conf.task_serializer == "json"
        and conf.task_protocol == 2
        and task.serializer in (None, "json")
        and task.priority is None
        and task.time_limit is None
        and task.soft_time_limit is None
        and task.expires is None
        and not task.store_eager_result
        and not before_task_publish.receivers
        and not after_task_publish.receivers
        and app.current_worker_task is None
    )


def _redis(url: str) -> Any:
    key = (os.getpid(), url)
    client = _clients.get(key)
    if client is None:
        import redis

        client = _clients[key] = redis.Redis.from_url(url)
    return client
