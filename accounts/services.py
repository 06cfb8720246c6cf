import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import token_cache, tokens
from accounts.models import ApiToken, LoginAttempt, User, normalize_email
from accounts.selectors import token_cache_key, token_cacheable
from core.email import send_email
from core.errors import DomainError, NotFound, TryLater
from core.reference import validate_time_zone
from core.text import clean_one_line

logger = logging.getLogger(__name__)

BAD_CREDENTIALS = gettext_lazy("Unable to sign in with this e-mail and password.")
FORMER_MEMBER_NAME = "Former member"
FORMER_MEMBER_EMAIL = "former-member@minga.invalid"


# The words of a lockout, in the reader's language, for the API and the sign-in page alike.
LOCKED_OUT = gettext_lazy(
    "Too many failed sign-ins for this e-mail address. For your safety, signing in is paused: "
    "try again in %(minutes)s minutes."
)


class AccountLocked(TryLater):
    """Too many failed sign-ins for an e-mail address: refused for a while, even the right password."""

    code = "account_locked"

    def wait_detail(self, minutes: int) -> str:
        return str(LOCKED_OUT) % {"minutes": minutes}


@transaction.atomic
def user_register(*, email: str, password: str, name: str, language: str = "") -> User:
    """Create an account; the e-mail must be new (case-insensitively) and the password strong."""
    email = normalize_email(email)
    name = clean_one_line("name", name)
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
    user_send_confirmation(user=user)
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
        if settings.API_TOKEN_CACHE_SECONDS:  # the cached copy learns it too
            cache.set(
                token_cache_key(token.key_hash),
                token_cacheable(token),
                settings.API_TOKEN_CACHE_SECONDS,
            )


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    name: str | None = None,
    language: str | None = None,
    time_zone: str | None = None,
) -> User:
    if name is not None:
        user.name = clean_one_line("name", name)
    if language is not None:
        user.language = language
    if time_zone is not None:
        try:
            validate_time_zone(time_zone)
        except ValidationError as exc:
            raise ValidationError({"time_zone": exc.messages}) from exc
        user.time_zone = time_zone
    user.save(update_fields=["name", "language", "time_zone"])
    return user


def user_adopt_time_zone(*, user: User, time_zone: str) -> None:
    """A person without a zone of their own takes the zone of the cooperative they join."""
    if not user.time_zone and time_zone:
        user.time_zone = time_zone
        User.objects.filter(pk=user.pk, time_zone="").update(time_zone=time_zone)
        token_cache.forget_keys(
            list(ApiToken.objects.filter(user=user).values_list("key_hash", flat=True))
        )


# Passwords and credentials ------------------------------------------------------------------


def user_revoke_credentials(*, user: User) -> None:
    """After a password change or reset: every API token of the person is deleted. Their other
    browser sessions end by themselves (Django checks each session against the password hash)."""
    tokens_revoke_all_for(user, reason="password changed")


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    """A new password (already validated by the form), and every old credential revoked."""
    user.set_password(password)
    user.save(update_fields=["password"])
    user_revoke_credentials(user=user)
    return user


# E-mail confirmation ------------------------------------------------------------------------

CONFIRMATION_SALT = "accounts.email-confirmation"


def confirmation_token(user: User) -> str:
    """A signed link token for this account and this address: a changed address voids it."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)


def user_send_confirmation(*, user: User) -> None:
    """E-mail the confirmation link, after commit, in the person's language."""
    url = settings.SITE_URL + reverse("frontend:confirm-email", args=[confirmation_token(user)])
    language = user.language or translation.get_language() or settings.LANGUAGE_CODE
    email, name = user.email, user.name

    def send() -> None:
        with translation.override(language):
            subject = _("Confirm your e-mail address for Minga")
            body = render_to_string(
                "accounts/confirmation_email.txt",
                {"name": name, "url": url, "days": settings.EMAIL_CONFIRMATION_GRACE_DAYS},
            )
        send_email(to=email, subject=subject, body=body)

    transaction.on_commit(send, robust=True)


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Confirm the address a link was sent to; refused (400) when the link is forged, older than
    EMAIL_CONFIRMATION_LINK_DAYS or for an address the account no longer has."""
    invalid = ValidationError(
        _("This confirmation link is not valid any more. Ask for a new one on your account page."),
        code="invalid_confirmation",
    )
    try:
        data = signing.loads(
            token,
            salt=CONFIRMATION_SALT,
            max_age=timedelta(days=settings.EMAIL_CONFIRMATION_LINK_DAYS),
        )
    except signing.BadSignature as exc:
        raise invalid from exc
    user = User.objects.select_for_update().filter(pk=data.get("user"), is_active=True).first()
    if user is None or normalize_email(user.email) != normalize_email(str(data.get("email"))):
        raise invalid
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user


def is_confirmation_overdue(user: Any) -> bool:
    """An address left unconfirmed past EMAIL_CONFIRMATION_GRACE_DAYS after sign-up: the account
    still signs in and reads everything, but cannot commit money (check out) or publish."""
    if getattr(user, "email_confirmed_at", True) is not None:
        return False
    grace = timedelta(days=settings.EMAIL_CONFIRMATION_GRACE_DAYS)
    return bool(user.date_joined + grace <= timezone.now())


class EmailUnconfirmed(DomainError):
    code = "email_unconfirmed"


def ensure_email_confirmed(user: Any) -> None:
    """Refuse (409 `email_unconfirmed`) what an overdue unconfirmed account may not do."""
    if is_confirmation_overdue(user):
        raise EmailUnconfirmed(
            _(
                "Confirm your e-mail address first: open the link we sent you, or ask for a new "
                "one on your account page."
            )
        )


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
    user_revoke_credentials(user=user)
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
