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

The schema fuzzing (tests/fuzz) holds each answer to this list, and each request to what the
schema declares, so the schema also states what drf-spectacular leaves out:

- in requests, one-line and multi-line text (core.text) as a `pattern` of the characters they
  refuse, and a required text (trimmed by DRF) as one with a character that is not whitespace,
- the body of a DELETE whose view documents one with `extend_schema(request=...)` (drf-spectacular
  only documents bodies of POST, PUT and PATCH): `DELETE /me/` takes the password.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core.api.serializers import ErrorSerializer, ValidationErrorSerializer
from core.text import MultiLineValidator, OneLineValidator

WITH_BODY = ("POST", "PUT", "PATCH")

# What core.text refuses, as the inside of an ECMA-262 character class: control characters
# (category Cc: U+0000–U+001F, U+007F–U+009F), and on one line also the line and paragraph
# separators and the bidirectional overrides and isolates.
REFUSED_CHARACTERS = {
    OneLineValidator: r"\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069",
    MultiLineValidator: r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f",
}
# What Python's str.strip() removes (str.isspace()): DRF trims text fields with it, so a required
# text of spaces alone is blank, and refused.
WHITESPACE = (
    r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)


def text_pattern(refused: str, *, non_blank: bool) -> str:
    """The pattern of a text without the `refused` characters and, if `non_blank`, with one
    character that is not whitespace."""
    if not refused:
        return f"[^{WHITESPACE}]"
    if not non_blank:
        return f"^[^{refused}]*$"
    return f"^[^{refused}]*[^{refused}{WHITESPACE}][^{refused}]*$"


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
    _direction = "response"

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        self._direction = direction  # for _insert_field_validators (nested fields share it)
        return super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-any-return]

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        """Requests only: what is stored passed these checks, and a pattern in a response would
        hold data written before a check existed to it."""
        super()._insert_field_validators(field, schema)
        if self._direction != "request" or schema.get("type") != "string" or "pattern" in schema:
            return
        refused = "".join(
            REFUSED_CHARACTERS[type(v)] for v in field.validators if type(v) in REFUSED_CHARACTERS
        )
        non_blank = (
            isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and "format" not in schema
            and "enum" not in schema
        )
        if refused or non_blank:
            schema["pattern"] = text_pattern(refused, non_blank=non_blank)

    def get_request_serializer(self) -> Any:
        # A DELETE has a body only where the view names it with extend_schema(request=...),
        # which answers before this is called: never guess one from the view.
        if self.method == "DELETE":
            return None
        return super().get_request_serializer()

    def _documents_a_delete_body(self) -> bool:
        return self.method == "DELETE" and self.get_request_serializer() is not None

    def _get_request_body(self, direction: str = "request") -> Any:
        if not self._documents_a_delete_body():
            return super()._get_request_body(direction)
        self.method = "POST"  # drf-spectacular documents bodies of POST, PUT and PATCH only
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

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
        has_body = (
            self.method in WITH_BODY and self.get_request_serializer() is not None
        ) or self._documents_a_delete_body()
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
