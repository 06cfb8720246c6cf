"""The OpenAPI schema: every operation lists the errors it can answer, with their body.

Views document their own answers with `extend_schema`; this class adds the errors that come from
the framework around them, unless the view documented that status itself:

- 400 for operations that take a body or query parameters (a message per field; malformed JSON is
  `{detail, code: "parse_error"}`), or path parameters (a NUL character in the path is
  `{detail, code: "invalid_path"}`, core.middleware),
- 401 and 403 wherever a client authenticates (no or a bad token; not allowed, or no CSRF token on
  a session write),
- 404 where the path names an object, or a page of a list can be past the end,
- 415 where there is a body (a media type the operation does not parse),
- 429 where a throttle counts the requests, and on the writes of views that take files
  (`counts_uploads = True`: the services count uploads per person and per cooperative,
  `core.uploads.upload_rate_check`).

The schema fuzzing (tests/fuzz) holds each answer to this list.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from core.api.serializers import ErrorSerializer, ValidationErrorSerializer

WITH_BODY = ("POST", "PUT", "PATCH")

DEFAULT_ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        ValidationErrorSerializer,
        description="Invalid input: a list of messages per field (`non_field_errors` for the "
        'rest); malformed JSON is `{"detail", "code": "parse_error"}`, a NUL character in the '
        'path `{"detail", "code": "invalid_path"}`.',
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description="Sign in first (`not_authenticated`), or the token is not valid "
        "(`authentication_failed`).",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Signed in, but not allowed (`permission_denied`); session writes also "
        "need the CSRF token.",
    ),
    404: OpenApiResponse(
        ErrorSerializer, description="No such object or page, or not visible to you (`not_found`)."
    ),
    415: OpenApiResponse(
        ErrorSerializer,
        description="The body's media type is not one this operation reads "
        "(`unsupported_media_type`).",
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests (`throttled`); `Retry-After` says when to try again.",
    ),
}


class MingaAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status_code in self._framework_errors():
            key = str(status_code)
            if key not in responses:
                responses[key] = self._get_response_for_code(
                    DEFAULT_ERRORS[status_code], key, direction=direction
                )
        return responses

    def _framework_errors(self) -> list[int]:
        view = self.view
        has_body = self.method in WITH_BODY and self.get_request_serializer() is not None
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        names_object = "{" in self.path
        paginated = self._is_list_view() and self._get_paginator() is not None
        authenticates = bool(getattr(view, "authentication_classes", None))
        throttled = bool(getattr(view, "throttle_classes", None)) and bool(
            getattr(view, "throttle_scope", None)
        )
        throttled = throttled or (getattr(view, "counts_uploads", False) and has_body)
        errors = []
        if has_body or has_query or names_object:
            errors.append(400)
        if authenticates:
            errors += [401, 403]
        if names_object or paginated:
            errors.append(404)
        if has_body:
            errors.append(415)
        if throttled:
            errors.append(429)
        return errors
