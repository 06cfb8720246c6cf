from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.text import validate_one_line

MODERATORS_GROUP = "moderators"


def normalize_email(email: str) -> str:
    """E-mail is the login and compares case-insensitively: we keep it lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=normalize_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail", max_length=254, unique=True)
    name = models.CharField(max_length=150, validators=[validate_one_line])
    language = models.CharField(
        max_length=10, blank=True, help_text="Preferred language for pages and e-mail."
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person opened the confirmation link."
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="IANA zone the pages show times in; blank until the person joins a "
        "cooperative (its zone), then theirs to change.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_moderator(self) -> bool:
        """Moderators are superusers or members of the `moderators` group."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return MODERATORS_GROUP in self.group_names

    @property
    def group_names(self) -> frozenset[str]:
        """The names of the user's groups, read once per user object (the menu asks for the
        moderators and the credit committee on every page)."""
        cached = getattr(self, "_group_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._group_names = cached
        return cached

    def remember_group_names(self, names: Iterable[str]) -> None:
        """For a reader that read the user's groups with other rows in one query."""
        self._group_names = frozenset(names)


class LoginAttempt(models.Model):
    """Failed sign-ins of one e-mail address (normalised), whether or not an account has it.

    Counting per address, not per account, answers the same for unknown addresses, so a lockout
    message never tells whether an account exists.
    """

    email = models.CharField(max_length=254, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.failures} failed sign-ins for {self.email}"


class ApiToken(models.Model):
    """An API key of one person (`Authorization: Token <key>`). Only the key's SHA-256 and its
    first characters (to tell keys apart in a list) are stored: the key is shown once, when it
    is made, and a copy of the database signs nobody in.

    A key ends at `expires_at` (API_TOKEN_TTL_DAYS after it was made), when its owner revokes
    it or signs out with it, and when the password changes: `password_fingerprint` is taken from
    the password hash at creation, so any change of password (any path, the admin and a reset
    included) ends every older key, as Django does for sessions.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_recent")]

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user.email}"
