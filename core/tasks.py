"""Background tasks (Celery, config/celery.py) and the rules every task in Minga follows.

- A task takes ids (or plain JSON values), reads the state from the database and is idempotent:
  run twice, it does nothing more the second time.
- It is enqueued after commit: `transaction.on_commit(lambda: task.delay(pk))` or
  `task.delay_on_commit(pk)`, never inside a transaction that may still roll back.
- `@minga_task` retries on any exception with exponential backoff (TASK_MAX_RETRIES,
  TASK_RETRY_BACKOFF_MAX_SECONDS) and, when the retries are spent, records a `TaskFailure` that
  admins see in the Django admin. Run eagerly (no broker), it does not retry: it is recorded at
  once.
- A task whose failure a person is waiting on says so with `@minga_task(on_give_up=service)`:
  when the retries are spent, `service` is called with the task's arguments (an idempotent write
  that tells the person, e.g. marks their import failed), so nothing waits forever.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from core.email import Email, deliver_emails
from core.models import TaskFailure

logger = logging.getLogger(__name__)


class MingaTask(Task):  # type: ignore[misc]
    autoretry_for = (Exception,)
    on_give_up: Callable[..., Any] | None = None
    retry_backoff = True
    retry_jitter = True

    def __init__(self) -> None:
        super().__init__()
        self.max_retries = settings.TASK_MAX_RETRIES
        self.retry_backoff_max = settings.TASK_RETRY_BACKOFF_MAX_SECONDS

    def retry(self, *args: Any, exc: BaseException | None = None, **kwargs: Any) -> Any:
        """Run eagerly (no broker), a retry would only block the request that enqueued the task
        again and again, backoff ignored: it fails at once instead, recorded like a task whose
        retries are spent, and the periodic jobs (or their commands) pick up what it left."""
        if self.request.is_eager and exc is not None:
            raise exc
        return super().retry(*args, exc=exc, **kwargs)

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        logger.error("Task %s%r failed for good: %r", self.name, tuple(args or ()), exc)
        arguments = ", ".join(
            [repr(arg) for arg in args or ()] + [f"{k}={v!r}" for k, v in (kwargs or {}).items()]
        )
        if self.on_give_up is not None:
            try:
                self.on_give_up(*(args or ()), **(kwargs or {}))
            except Exception:  # the failure record below still tells the admins
                logger.exception("%s could not tell about its failure", self.name)
        try:
            TaskFailure.objects.create(
                task=self.name[:200],
                arguments=arguments[:10_000],
                error=repr(exc),
                attempts=self.request.retries + 1,
            )
        except DatabaseError:
            logger.exception("Could not record the failed task %s", self.name)


def minga_task(
    function: Callable[..., Any] | None = None, *, on_give_up: Callable[..., Any] | None = None
) -> Any:
    """`@shared_task` with Minga's retries and failure record (the rules above); as
    `@minga_task(on_give_up=...)`, also what tells the person when the retries are spent."""

    def register(body: Callable[..., Any]) -> Any:
        options = {} if on_give_up is None else {"on_give_up": staticmethod(on_give_up)}
        return shared_task(base=MingaTask, **options)(body)

    return register if function is None else register(function)


SENT_KEEP_SECONDS = 2 * 24 * 60 * 60


@minga_task
def send_emails(messages: list[dict[str, str]], batch: str = "") -> int:
    """Deliver e-mails composed by the caller (core.email.send_emails enqueues this, naming the
    batch). A batch delivered once is not delivered again (a redelivered message, a retry); a
    message the mail server refuses is recorded as an EmailFailure by core.email."""
    key = f"core.tasks.send_emails:{batch}"
    if batch and cache.get(key):
        return 0
    sent = deliver_emails(Email(**message) for message in messages)
    if batch:
        cache.set(key, 1, SENT_KEEP_SECONDS)
    return sent
