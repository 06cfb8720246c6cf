"""The error answers of the OpenAPI schema, declared once for every app's views: the body is
`{detail, code}` (codes: `core.errors.ERROR_CODES`) or a message per field."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from core.api.serializers import ErrorSerializer, ValidationErrorSerializer
from core.uploads import IMAGE_CONTENT_TYPES


def error(description: str) -> OpenApiResponse:
    """A `{detail, code}` answer, described for one operation when the shared text is too vague."""
    return OpenApiResponse(ErrorSerializer, description=description)


NOT_FOUND = error("No such object, or not visible to you.")
FORBIDDEN = error("Signed in, but not allowed.")
CONFLICT = error("Not allowed in the current state; `code` says why.")
INVALID = OpenApiResponse(ValidationErrorSerializer, description="A message per invalid field.")
UNAUTHENTICATED = error("Sign in first.")
THROTTLED = error("Too many requests; try again later.")

REFUSALS = {
    400: INVALID,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
    429: THROTTLED,
}


def refusals(*statuses: int) -> dict[int, OpenApiResponse]:
    """The shared answers of these error statuses, in this order, for an operation's
    `responses`: each view names the refusals it can answer, their bodies are stated here."""
    return {status: REFUSALS[status] for status in statuses}


# The refusals of a write to an object: invalid, sign in, not allowed, not visible, wrong state.
WRITE_REFUSALS = refusals(400, 401, 403, 404, 409)


# The types a private document may have (core.uploads.check_document accepts these).
DOCUMENT_TYPES = ["application/pdf", *IMAGE_CONTENT_TYPES.values()]


def private_file_responses(what: str) -> dict:  # type: ignore[type-arg]
    """The answers of a view serving a private document (`core.storage.private_file_response`):
    its bytes in the type it was stored with, or with object storage a redirect; 404 for anyone
    who may not see it. `what` names it in the redirect's description."""
    return {
        **{(200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_TYPES},
        302: OpenApiResponse(
            description="With object storage (docs/deployment.md): a redirect to the "
            f"{what} at a signed URL that works for a few minutes."
        ),
        404: NOT_FOUND,
    }
