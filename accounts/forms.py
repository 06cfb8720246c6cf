"""Sign-in forms of the pages and of the Django admin: both check the password through
`accounts.services.user_authenticate`, so every way in counts failures and honours the lockout."""

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts import services


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, with the password checked by the accounts service (counted, and
    refused while the address is locked, the right password included)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_locked = False

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = services.user_authenticate(
                    email=email, password=password, request=self.request
                )
            except services.AccountLocked as locked:
                self.is_locked = True
                raise ValidationError(
                    services.LOCKED_OUT,
                    code="account_locked",
                    params={"minutes": locked.minutes},
                ) from locked
            except ValidationError:
                raise self.get_invalid_login_error() from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminSignInForm(LockoutAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in: the same lockout as the API and the pages, then staff only."""
