"""Tasks done by a real Celery worker on Redis (tests/queue/conftest.py): a webhook's transfer is
sent by the worker, and a worker killed in the middle of a transfer leaves it to be done exactly
once when a worker comes back."""

import time
from pathlib import Path
from typing import Any

import pytest
import redis

from orders.models import Transfer
from tests.conftest import client_for
from tests.orders.stripe_helpers import card_paid_at_stripe, relay, transfers_at_stripe
from tests.queue.conftest import redis_url, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("worker"),
]


def paid_by_webhook(standin: Any, buyer: Any, buyer_owner: Any) -> tuple[int, Any]:
    """A card checkout paid at Stripe, and its success webhook relayed to the app; returns the
    checkout id and the seller."""
    checkout_id, seller, event_id = card_paid_at_stripe(standin, buyer, buyer_owner)
    response = relay(standin, client_for(buyer_owner), event_id)
    assert response.status_code == 200, response.content
    return checkout_id, seller


def transfer_sent_by_the_worker(
    standin: Any, checkout_id: int, worker_log: Path, timeout: int
) -> dict[str, Any]:
    """Once the worker has paid the checkout's seller (and logged the task): the one transfer
    Stripe holds for the checkout."""
    transfer = Transfer.objects.get(order__checkout_id=checkout_id)
    wait_for(
        lambda: Transfer.objects.filter(pk=transfer.pk, status="paid").exists(),
        timeout=timeout,
        what="the worker to pay the seller",
    )
    (sent,) = transfers_at_stripe(standin, checkout_id)
    assert "orders.tasks.settle" in worker_log.read_text()
    return sent


def test_the_worker_sends_the_transfer_a_webhook_committed(
    celery_worker: Any, stripe_standin: Any, buyer_coop: Any, buyer_owner: Any
) -> None:
    checkout_id, seller = paid_by_webhook(stripe_standin, buyer_coop, buyer_owner)
    # The webhook answered without calling Stripe; the worker does it.
    sent = transfer_sent_by_the_worker(stripe_standin, checkout_id, celery_worker.log, timeout=60)
    assert (sent["destination"], sent["amount"]) == (seller.stripe_account_id, 10_100 - 152)


def test_a_worker_killed_in_the_middle_of_a_transfer_leaves_it_done_exactly_once(
    celery_worker_factory: Any, stripe_standin: Any, buyer_coop: Any, buyer_owner: Any
) -> None:
    # A short visibility timeout: the unacknowledged message of the killed worker is delivered
    # again seconds later instead of after an hour.
    env = {"CELERY_VISIBILITY_TIMEOUT": "8"}
    worker = celery_worker_factory(**env)
    # Stripe takes 4 s to answer the first transfer: the worker is killed while it waits.
    stripe_standin.fail("delay", path="/v1/transfers", method="POST", count=1, delay=4)
    checkout_id, _seller = paid_by_webhook(stripe_standin, buyer_coop, buyer_owner)
    transfer = Transfer.objects.get(order__checkout_id=checkout_id)
    # The hook seen from outside: the task has counted its attempt and is calling Stripe.
    wait_for(
        lambda: Transfer.objects.filter(pk=transfer.pk, attempts__gte=1).exists(),
        timeout=60,
        what="the worker to start the transfer",
    )
    started = time.monotonic()
    worker.kill()
    transfer.refresh_from_db()
    assert transfer.status == "pending"

    # A starting worker gives back the unacknowledged messages older than the visibility timeout
    # (later, only kombu's periodic sweep would): start it once the killed worker's message is.
    time.sleep(max(0.0, started + 8 + 1 - time.monotonic()))
    worker.start()  # the same queue; the message comes back after the visibility timeout
    wait_for(
        lambda: Transfer.objects.filter(pk=transfer.pk, status="paid").exists(),
        timeout=90,
        what="the restarted worker to finish the transfer",
    )
    (sent,) = transfers_at_stripe(stripe_standin, checkout_id)  # exactly one at Stripe
    transfer.refresh_from_db()
    assert transfer.stripe_transfer_id == sent["id"]
    assert sent["amount"] == transfer.amount == 10_100 - 152
    assert not Transfer.objects.exclude(status="paid").exists()
    # Nothing left at the broker: the message was acknowledged once done.
    broker = redis.Redis.from_url(redis_url())
    wait_for(
        lambda: broker.llen(worker.queue) == 0 and broker.hlen("unacked") == 0,
        timeout=30,
        what="the broker to have nothing left",
    )
