"""The API's JSON parser: a body nested deeper than any request of ours is a 400, never a 500."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

# No request body of the API nests past a handful of levels; 32 leaves room for any client.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def too_deep() -> ParseError:
    return ParseError(
        _("The JSON body nests lists or objects more than %(limit)s levels deep.")
        % {"limit": MAX_JSON_DEPTH}
    )


def check_body_size(parser_context: Any) -> None:
    """A body larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 before it is read: DRF
    reads the stream itself for JSON and form bodies, so Django's own check never ran there."""
    request = (parser_context or {}).get("request")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request is None or limit is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise RequestTooLarge(
            _("The request body is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": length, "limit": limit}
        )


class JSONParser(parsers.JSONParser):
    """DRF's parser, refusing (400 `parse_error`) what nests past MAX_JSON_DEPTH: Python's
    parser raised RecursionError near 1,000 levels (a 500), and a body just under that limit
    would have crashed whatever walked it next; and (413) a body over the size limit."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        check_body_size(parser_context)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise too_deep() from exc
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise too_deep()
        return data


class FormParser(parsers.FormParser):
    """DRF's form parser, with the size limit (413)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        check_body_size(parser_context)
        return super().parse(stream, media_type, parser_context)
