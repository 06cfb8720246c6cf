"""Tasks run eagerly (no broker: the embedded default and most tests): a settlement Stripe could
not take is recorded where admins see it, and the periodic retry_transfers task sweeps it up."""

from typing import Any

import pytest
from django.conf import settings

from core.models import TaskFailure
from orders import tasks
from orders.models import Transfer
from orders.payments.execution import transfer_group
from tests.orders.test_settlement import (  # noqa: F401 (fixtures)
    market,
    pay_while_transfers_fail,
    standin,
)


def test_the_beat_schedule_names_only_tasks_that_exist() -> None:
    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_a_transfer_stripe_could_not_take_is_shown_to_admins_then_sent_by_the_periodic_retry(
    standin: Any,  # noqa: F811
    market: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    admin_client: Any,
) -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER
    checkout_id = pay_while_transfers_fail(
        standin, market, django_capture_on_commit_callbacks, "error", method="POST", status=503
    )
    assert set(Transfer.objects.values_list("status", flat=True)) == {"pending"}
    failure = TaskFailure.objects.get()
    assert failure.task == "orders.tasks.settle"
    assert "PaymentProviderUnavailable" in failure.error
    page = admin_client.get("/admin/core/taskfailure/")
    assert page.status_code == 200 and "orders.tasks.settle" in page.content.decode()

    tasks.retry_transfers.delay()  # what beat runs every ten minutes
    assert set(Transfer.objects.values_list("status", flat=True)) == {"paid"}
    sent = standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))["data"]
    assert len(sent) == 2
    tasks.retry_transfers.delay()  # idempotent: nothing more
    assert (
        len(standin.api_get("/v1/transfers", transfer_group=transfer_group(checkout_id))["data"])
        == 2
    )


def test_a_batch_of_emails_delivered_once_is_not_delivered_again(db: None) -> None:
    from django.core import mail

    from core.tasks import send_emails

    messages = [{"to": "ana@example.coop", "subject": "Hola", "body": "…"}]
    assert send_emails.delay(messages, batch="b1").get() == 1
    assert send_emails.delay(messages, batch="b1").get() == 0  # a redelivery: nothing more
    assert [m.to for m in mail.outbox] == [["ana@example.coop"]]
