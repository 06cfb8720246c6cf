"""Domain errors: a rule of the business refused the request (answered as 409, or 404/403).

The detail is a translated text (`gettext`, or `gettext_lazy` for constants): clients read it in
the request's language and branch on the untranslated `code`."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class DomainError(Exception):
    """A request that is well formed but not allowed by the current state of things."""

    status_code = 409
    code = "conflict"

    def __init__(self, detail: "str | _StrPromise", *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


class NotPermitted(DomainError):
    status_code = 403
    code = "permission_denied"


class NotFound(DomainError):
    """The object does not exist, or is not for this user to see (answered as 404)."""

    status_code = 404
    code = "not_found"
