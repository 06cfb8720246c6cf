"""E-mail about moderation decisions: sent after commit, each message in its recipient's language."""

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import User
from cooperatives.models import MANAGING_ROLES, Cooperative
from core.email import Email, send_emails
from core.timezones import written_for


def managers_of(cooperative: Cooperative) -> list[User]:
    """The people who answer for a cooperative: its active owners and admins."""
    return list(
        User.objects.filter(
            memberships__cooperative=cooperative,
            memberships__role__in=MANAGING_ROLES,
            is_active=True,
        )
        .order_by("id")
        .distinct()
    )


def render_message(user: User, template: str, context: dict[str, Any]) -> Email:
    """Render `moderation/email/<template>.txt` in the user's language and zone (its dates are
    the reader's): first line is the subject."""
    with written_for(user.language, user.time_zone):
        text = render_to_string(
            f"moderation/email/{template}.txt",
            {**context, "recipient": user, "site_url": settings.SITE_URL},
        )
    subject, _, body = text.strip().partition("\n")
    # Template tags leave blank lines behind; a paragraph break is one blank line.
    body = re.sub(r"\n[ \t]*(\n[ \t]*)+", "\n\n", body.strip())
    return Email(to=user.email, subject=subject, body=body + "\n")


def _send(recipients: Iterable[User], template: str, context: dict[str, Any]) -> None:
    # The decision stands whether or not the mail server answers; core.email records failures.
    send_emails(render_message(user, template, context) for user in recipients if user.email)


def notify_after_commit(recipients: Iterable[User], template: str, context: dict[str, Any]) -> None:
    """Queue the e-mail for when the surrounding transaction commits (never for a rollback)."""
    recipients = list(recipients)
    transaction.on_commit(lambda: _send(recipients, template, context))


def notify_cooperative(cooperative: Cooperative, template: str, context: dict[str, Any]) -> None:
    notify_after_commit(managers_of(cooperative), template, {**context, "cooperative": cooperative})
