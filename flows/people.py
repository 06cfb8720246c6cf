"""A person's data across the apps: the export (GDPR access) and the deletion of an account.

Accounts sit below every other app, and a person's data spans them all: the steps are each app's
own function, put in order here (docs/peoples-data.md)."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from cooperatives.selectors import memberships_export_for_user
from cooperatives.services import memberships_leave_all
from moderation.selectors import moderation_export_for_user
from moderation.services import reports_forget_reporter
from orders.selectors import orders_export_for_user
from orders.services import orders_anonymise_actor


def user_export(*, user: User) -> dict[str, Any]:
    """Everything Minga holds that is about a person or was written by them, as JSON-ready
    values: profile, memberships, orders they placed and what they did to orders, messages,
    reports and appeals."""
    return {
        "format": "minga-personal-data/1",
        "exported_at": timezone.now(),
        "profile": accounts.user_profile_export(user=user),
        **memberships_export_for_user(user=user),
        **orders_export_for_user(user=user),
        **moderation_export_for_user(user=user),
    }


def user_delete(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """Delete a person's account, confirmed with their password (counted like a sign-in).

    They leave every cooperative (refused, 409, while they are the only owner of one); orders,
    events, messages and checkouts stay for the cooperatives' accounts but point at "Former
    member"; reports they filed stay without a reporter. Then the account row goes, unless the
    append-only moderation log names the person (a moderator's decisions, an appeal): then it
    stays as an anonymous tombstone that can never sign in, so the log stays whole.
    """
    accounts.user_check_password(user=user, password=password, request=request)
    user_erase(user=user)


def user_erase(*, user: User) -> None:
    """The deletion itself, for `user_delete` and for staff in the admin: the same rules (no
    cooperative left without an owner), the same anonymising, the same tombstone."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        memberships_leave_all(user=user)
        orders_anonymise_actor(user=user)
        reports_forget_reporter(user=user)
        accounts.user_remove(user=user)
