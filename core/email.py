"""The one way Minga sends e-mail: every message goes through `send_emails`, which hands them to
the `core.tasks.send_emails` task (a worker, or in-process when no broker is configured); the task
calls `deliver_emails`, which makes the subject one line, sends over one connection, and logs and
records (`EmailFailure`, listed in the admin) every message the mail server did not take. Callers
run it after commit; a failure never undoes what was committed."""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError

from core.models import EmailFailure
from core.text import one_line

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


def _record(email: Email, error: Exception) -> None:
    logger.error("E-mail to %s (%r) was not sent: %r", email.to, email.subject, error)
    try:
        EmailFailure.objects.create(
            recipient=email.to[:254], subject=one_line(email.subject)[:300], error=repr(error)
        )
    except DatabaseError:
        logger.exception("Could not record the failed e-mail to %s", email.to)


def send_emails(emails: Iterable[Email]) -> int:
    """Queue the e-mails (each to its one recipient) for the worker; return how many."""
    from core import tasks  # core.tasks imports this module

    messages = [{"to": e.to, "subject": e.subject, "body": e.body} for e in emails]
    if messages:
        tasks.send_emails.delay(messages, batch=uuid.uuid4().hex)
    return len(messages)


def deliver_emails(emails: Iterable[Email]) -> int:
    """Send each e-mail to its one recipient now; return how many the mail server took."""
    emails = list(emails)
    if not emails:
        return 0
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception as exc:  # the mail server is down: none of them leaves
        for email in emails:
            _record(email, exc)
        return 0
    try:
        for email in emails:
            message = EmailMessage(
                subject=one_line(email.subject),
                body=email.body,
                to=[email.to],
                connection=connection,
            )
            try:
                sent += message.send()
            except Exception as exc:
                _record(email, exc)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Could not close the mail connection")
    return sent


def send_email(*, to: str, subject: str, body: str) -> bool:
    return send_emails([Email(to, subject, body)]) == 1
