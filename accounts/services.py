import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import tokens
from accounts.models import ApiToken, LoginAttempt, User, normalize_email
from core.errors import DomainError, NotFound

logger = logging.getLogger(__name__)

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


# API tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once: only its hash is stored


@transaction.atomic
def token_create(*, user: User, name: str = "") -> NewToken:
    """Make an API key for `user`, valid API_TOKEN_TTL_DAYS. Expired and password-stale keys
    go; past API_TOKEN_MAX_PER_USER live keys, the oldest are revoked."""
    now = timezone.now()
    fingerprint = tokens.password_fingerprint(user.password)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time
    stale = ApiToken.objects.filter(user=user).filter(
        Q(expires_at__lte=now) | ~Q(password_fingerprint=fingerprint)
    )
    stale.delete()
    keep = settings.API_TOKEN_MAX_PER_USER - 1
    surplus = list(
        ApiToken.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)[max(0, keep) :]
    )
    if surplus:
        ApiToken.objects.filter(id__in=surplus).delete()
    key = tokens.new_key()
    token = ApiToken.objects.create(
        user=user,
        key_hash=tokens.key_hash(key),
        prefix=key[: tokens.PREFIX_LENGTH],
        name=name.strip(),
        password_fingerprint=fingerprint,
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return NewToken(token=token, key=key)


def user_token(*, user: User) -> str:
    """A new API key for `user` (registration, sign-in for programs)."""
    return token_create(user=user).key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> None:
    """A person revokes one of their own keys (another's is not theirs to see: 404)."""
    if token.user_id != actor.pk:
        raise NotFound(_("No such token."))
    ApiToken.objects.filter(pk=token.pk).delete()


@transaction.atomic
def tokens_revoke_all_for(user: User, *, reason: str) -> int:
    """End every API key of `user`: password change and reset, "sign out everywhere", an
    account closed. Returns how many were live."""
    count, _deleted = ApiToken.objects.filter(user=user).delete()
    if count:
        logger.info("Revoked %s API tokens of user %s: %s", count, user.pk, reason)
    return count


def token_touch(token: ApiToken) -> None:
    """Note when a key was last used, at most once a minute (a write on every request would
    cost more than the answer to tell)."""
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


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


def user_export(*, user: User) -> dict[str, Any]:
    """Everything Minga holds that is about a person or was written by them, as JSON-ready
    values: profile, memberships, orders they placed and what they did to orders, messages,
    reports and appeals.

    Accounts sit below every other app; a person's data spans them all, so this asks their
    selectors at call time.
    """
    from moderation.selectors import moderation_export_for_user
    from orders.selectors import orders_export_for_user

    memberships = user.memberships.select_related("cooperative").order_by("created_at", "id")
    return {
        "format": "minga-personal-data/1",
        "exported_at": timezone.now(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "is_moderator": user.is_moderator,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "memberships": [
            {
                "cooperative": membership.cooperative.slug,
                "cooperative_name": membership.cooperative.name,
                "role": membership.role,
                "joined_at": membership.created_at,
            }
            for membership in memberships
        ],
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
    try:
        user_authenticate(email=user.email, password=password, request=request)
    except ValidationError as exc:
        raise ValidationError({"password": [_("This is not your password.")]}) from exc
    user_erase(user=user)


def user_erase(*, user: User) -> None:
    """The deletion itself, for `user_delete` and for staff in the admin: the same rules (no
    cooperative left without an owner), the same anonymising, the same tombstone."""
    from cooperatives.services import memberships_leave_all
    from moderation.services import reports_forget_reporter
    from orders.services import orders_anonymise_actor

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        memberships_leave_all(user=user)
        orders_anonymise_actor(user=user)
        reports_forget_reporter(user=user)
        tokens_revoke_all_for(user, reason="account deleted")
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
