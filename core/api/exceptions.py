"""One JSON shape for every API error: `{detail, code}` for domain errors, missing objects and
refused requests; a message per field for validation errors (DRF's own shape)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        refusal = Response(exc.body(), status=exc.status_code)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:  # a refusal that ends: say when (RFC 9110, section 10.2.3)
            refusal["Retry-After"] = str(retry_after)
        return refusal
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # DRF answers 401/403/404/405/415/429 and parse errors with `{detail}`; add the machine code
    # so clients branch on `code` for every error, as they do for domain errors.
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"} and "code" not in data:
        code = getattr(data["detail"], "code", None)
        if code is None and isinstance(exc, APIException):
            code = exc.default_code
        response.data = {"detail": data["detail"], "code": code or "error"}
    return response


CONFLICT_RESPONSE_STATUS = status.HTTP_409_CONFLICT
