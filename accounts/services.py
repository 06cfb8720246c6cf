import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from accounts.models import LoginAttempt, User, normalize_email
from core.errors import DomainError

BAD_CREDENTIALS = gettext_lazy("Unable to sign in with this e-mail and password.")
FORMER_MEMBER_NAME = "Former member"
FORMER_MEMBER_EMAIL = "former-member@minga.invalid"


class AccountLocked(DomainError):
    """Too many failed sign-ins for an e-mail address: refused for a while, even the right password."""

    status_code = 429
    code = "account_locked"

    def __init__(self, *, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many failed sign-ins for this e-mail address. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}."
        )
        self.retry_after = retry_after


@transaction.atomic
def user_register(*, email: str, password: str, name: str, language: str = "") -> User:
    """Create an account; the e-mail must be new (case-insensitively) and the password strong."""
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [_("An account with this e-mail already exists.")]})
    candidate = User(email=email, name=name.strip())
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, name=name.strip(), language=language)
    except IntegrityError as exc:  # a concurrent registration with the same e-mail won the race
        raise ValidationError(
            {"email": [_("An account with this e-mail already exists.")]}
        ) from exc
    return user


def user_token(*, user: User) -> str:
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


@transaction.atomic
def user_update_profile(
    *, user: User, name: str | None = None, language: str | None = None
) -> User:
    if name is not None:
        user.name = name.strip()
    if language is not None:
        user.language = language
    user.save(update_fields=["name", "language"])
    return user


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def user_authenticate(*, email: str, password: str, request: HttpRequest | None) -> User:
    """Check an e-mail and password, the one way every sign-in goes (API token, API session,
    the sign-in page). LOGIN_LOCKOUT_FAILURES failures within LOGIN_LOCKOUT_WINDOW_MINUTES lock
    the address for LOGIN_LOCKOUT_MINUTES: while locked, no password is even checked.

    Raises AccountLocked (429) while locked, ValidationError (400) for wrong credentials.
    """
    key = normalize_email(email)
    now = timezone.now()
    attempt = LoginAttempt.objects.filter(email=key).first()
    if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
        raise AccountLocked(retry_after=_seconds_until(attempt.locked_until, now))
    user = authenticate(request, username=key, password=password)
    if user is None:
        locked_until = _record_failure(key)
        if locked_until is not None:
            raise AccountLocked(retry_after=_seconds_until(locked_until, timezone.now()))
        raise ValidationError(BAD_CREDENTIALS, code="invalid_credentials")
    if attempt is not None:
        LoginAttempt.objects.filter(email=key).delete()
    return user  # type: ignore[return-value]


@transaction.atomic
def _record_failure(key: str) -> datetime | None:
    """Count one failure of `key` (locked row: parallel guesses all count); the lock's end when
    this failure locks the address."""
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_WINDOW_MINUTES)
    lock = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    # Rows nobody has touched for a window and a lock only grow the table.
    LoginAttempt.objects.filter(updated_at__lt=now - window - lock).exclude(email=key).delete()
    attempt, _created = LoginAttempt.objects.select_for_update().get_or_create(
        email=key, defaults={"window_started_at": now}
    )
    expired_lock = attempt.locked_until is not None and attempt.locked_until <= now
    if expired_lock or attempt.window_started_at <= now - window:
        attempt.failures = 0
        attempt.window_started_at = now
        attempt.locked_until = None
    attempt.failures += 1
    if attempt.failures >= settings.LOGIN_LOCKOUT_FAILURES:
        attempt.locked_until = now + lock
    attempt.save()
    return attempt.locked_until


# People's data -------------------------------------------------------------------------------


def former_member() -> User:
    """The one placeholder account that records of deleted people point at: it cannot sign in,
    belongs to nothing, and shows as "Former member" wherever a name is shown."""
    user, created = User.objects.get_or_create(
        email=FORMER_MEMBER_EMAIL, defaults={"name": FORMER_MEMBER_NAME, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def user_profile_export(*, user: User) -> dict[str, Any]:
    """The account's own part of a person's data export (flows.people.user_export)."""
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "is_moderator": user.is_moderator,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def user_check_password(*, user: User, password: str, request: HttpRequest | None) -> None:
    """A destructive request confirmed with the person's password, counted like a sign-in."""
    try:
        user_authenticate(email=user.email, password=password, request=request)
    except ValidationError as exc:
        raise ValidationError({"password": [_("This is not your password.")]}) from exc


def user_remove(*, user: User) -> None:
    """The account's own part of a deletion (flows.people.user_erase), on a locked row whose
    memberships, orders and reports were already let go: the token goes, then the row, unless
    the append-only moderation log names the person: then it stays as an anonymous tombstone
    that can never sign in."""
    Token.objects.filter(user=user).delete()
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError):
        _make_tombstone(user)


def _make_tombstone(user: User) -> None:
    user.email = f"deleted-{user.pk}@minga.invalid"
    user.name = FORMER_MEMBER_NAME
    user.language = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
