from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from accounts.models import User, normalize_email


@transaction.atomic
def user_register(*, email: str, password: str, name: str, language: str = "") -> User:
    """Create an account; the e-mail must be new (case-insensitively) and the password strong."""
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["An account with this e-mail already exists."]})
    candidate = User(email=email, name=name.strip())
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, name=name.strip(), language=language)
    except IntegrityError as exc:  # a concurrent registration with the same e-mail won the race
        raise ValidationError({"email": ["An account with this e-mail already exists."]}) from exc
    return user


def user_token(*, user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
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
