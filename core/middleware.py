"""Middleware of our own: when the database does not answer, a short 503 for people and programs,
never a traceback; NUL characters refused before any view; django-csp's header with the site's
policy built once."""

from collections.abc import Callable
from typing import Any

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import setting_changed
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
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


# What a view or decorator sets to be given a policy of its own (django-csp's csp_update,
# csp_replace, csp_exempt...); a nonce taken by the request is another.
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_SITE_POLICIES: dict[bool, str] = {}


def _site_policy(report_only: bool) -> str:
    """The settings' policy as django-csp builds it (the same in every response: no nonce, no
    per-view change), built once per process and settings."""
    if report_only not in _SITE_POLICIES:
        _SITE_POLICIES[report_only] = build_policy(report_only=report_only)
    return _SITE_POLICIES[report_only]


def _forget_site_policies(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _SITE_POLICIES.clear()


setting_changed.connect(_forget_site_policies, dispatch_uid="minga_csp_site_policies")


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, the site's policy built once instead of for every response (it
    was ~5% of a built API answer's Python). A request that took a nonce and a response that
    asks for a policy of its own are written by django-csp itself, as before."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _OWN_POLICY
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        for header, report_only, setting in (
            (HEADER, False, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _site_policy(report_only)
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written would not be in it.
        request.csp_nonce = csp.middleware.CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response
        )
        return response
