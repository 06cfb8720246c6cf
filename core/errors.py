"""Domain errors: a rule of the business refused the request (answered as 409, or 404/403).

The detail is a translated text (`gettext`, or `gettext_lazy` for constants): clients read it in
the request's language and branch on the untranslated `code`."""

import math
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

    def body(self) -> dict[str, Any]:
        """What an API answers for this refusal: `detail` and `code`, and what a refusal that
        says more (the lines of a checkout that cannot be placed...) adds."""
        return {"detail": self.detail, "code": self.code}


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


class NotPermitted(DomainError):
    status_code = 403
    code = "permission_denied"


class NotFound(DomainError):
    """The object does not exist, or is not for this user to see (answered as 404)."""

    status_code = 404
    code = "not_found"


class TryLater(DomainError):
    """A refusal that ends: answered 429 with `Retry-After` (seconds); the detail says how many
    minutes to wait, rounded up, at least one."""

    status_code = 429
    code = "throttled"

    def __init__(self, *, retry_after: int) -> None:
        self.retry_after = retry_after
        self.minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(self.wait_detail(self.minutes))

    def wait_detail(self, minutes: int) -> "str | _StrPromise":
        raise NotImplementedError


# code → (HTTP status, when): the registry of every `code` an answer's `{detail, code}` body can
# carry, kept as data in error_codes.toml (one line a code); docs/api.md ("Error codes") lists the
# same codes and tests/core/test_error_codes.py checks both against what the code raises.
ERROR_CODES: dict[str, tuple[int, str]] = {
    code: (status, when)
    for code, (status, when) in tomllib.loads(
        (Path(__file__).parent / "error_codes.toml").read_text(encoding="utf-8")
    ).items()
}
