"""When the database does not answer: a short 503 for people and programs, never a traceback."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

# The database refused or dropped the connection (down, restarting, failing over). A retry in a
# moment will probably work, hence 503 and not 500. Constraint and programming errors are bugs
# and stay 500s.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": "Minga is briefly unavailable; nothing was changed. Try again shortly.",
                "code": "unavailable",
            },
            status=503,
        )
    else:
        # No request context: the page must not need the database (the signed-in user, say).
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            return unavailable_response(request)
        return None


NUL = "\x00"


def nul_refusal(request: HttpRequest, field: str | None) -> HttpResponse:
    detail = _("Text may not contain NUL characters.")
    if request.path.startswith("/api/"):
        if field is None:
            return JsonResponse({"detail": detail, "code": "invalid_path"}, status=400)
        return JsonResponse({field: [detail]}, status=400)
    return defaults.bad_request(request, BadRequest(detail))


class NulCharacterMiddleware:
    """A NUL character in the path, the query string or a header is a 400 naming where it was,
    before any view runs: PostgreSQL refuses NUL in text, so an invitation token or a filter
    value carrying one was a 500. Cookies with one are dropped (a forged session cookie is no
    session). Form and JSON fields are checked by their forms and serializers (Django's and
    DRF's character fields refuse NUL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            return nul_refusal(request, None)
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return nul_refusal(request, name.replace(NUL, ""))
        for key, value in request.META.items():
            if key.startswith("HTTP_") and key != "HTTP_COOKIE" and NUL in str(value):
                return nul_refusal(request, key[5:].replace("_", "-").title())
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        return self.get_response(request)
