import mimetypes
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.storage import storages
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import defaults, static
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.middleware import UNAVAILABLE, unavailable_response
from core.storage import SignedS3Storage, signed_redirect


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@csrf_exempt  # an unknown API path is a 404 whatever the method, not a CSRF failure page
def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def _refusal(exception: Exception | None) -> tuple[int, str, str]:
    """Status, code and text for a request Django refused before any view ran."""
    if isinstance(exception, RequestDataTooBig):
        return 413, "request_too_large", _("The request body is too large.")
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return 400, "too_many_fields", _("The request has too many fields or files.")
    if isinstance(exception, DisallowedHost):
        return 400, "disallowed_host", _("This host name is not served here.")
    return 400, "bad_request", _("The request is malformed.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's own refusals (a Host header not allowed, a body too large, too many fields),
    raised before the API's error handling: JSON `{detail, code}` under /api/, since every API
    client parses errors, and the HTML page elsewhere. A body too large is a 413. The request's
    host is never read here: it may be the cause."""
    status, code, detail = _refusal(exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    response = defaults.bad_request(request, exception or Exception())
    response.status_code = status
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """A crash answers JSON under /api/ (clients parse every error), the HTML page elsewhere.
    A database that does not answer outside a view (a session saved on the way out) is a 503."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side; it has been logged.", "code": "error"},
            status=500,
        )
    return defaults.server_error(request)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's strict CSP, with no exemption: its assets are our own static
    files (drf-spectacular-sidecar), its start-up script a same-origin file (`?script`, the split
    view) and its page has no inline style (core/swagger_ui.html)."""

    template_name = "core/swagger_ui.html"


# What media may be shown in the browser: the re-encoded images uploads become. Anything else
# (an SVG, an HTML file put there by hand) is a download, never a page of our origin.
INLINE_MEDIA_TYPES = frozenset({"image/webp", "image/jpeg", "image/png"})
# Every media answer carries its own CSP: sandboxed, no script.
_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])
media_csp = cast(
    Callable[[_View], _View],
    csp({"default-src": [NONE], "img-src": [SELF], "sandbox": True}),  # type: ignore[arg-type]
)
# How long anyone (browsers, proxies) may keep a public image: a listing hidden afterwards stays
# in those caches at most this long (docs/security.md).
PUBLIC_MEDIA_MAX_AGE = 300


def _file_response(request: HttpRequest, path: str) -> HttpResponseBase:
    """The file under MEDIA_ROOT, from Django or (MEDIA_ACCEL_REDIRECT_PREFIX set) from the web
    server through X-Accel-Redirect, after Django said yes."""
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if prefix:
        if not safe_join_exists(path):
            raise Http404("No such file.")
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + path
        response["Content-Type"] = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return response
    return static.serve(request, path, document_root=str(settings.MEDIA_ROOT))


def safe_join_exists(path: str) -> bool:
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    return target.is_relative_to(root) and target.is_file()


def send_media(request: HttpRequest, path: str, *, is_public: bool = True) -> HttpResponseBase:
    """A file of the media storage with the safety headers (from a bucket: a redirect to a
    signed URL, core.storage). The type comes from the file name, is never
    sniffed, and only images display inline; anything else is an attachment. `is_public`: anyone
    may cache it for PUBLIC_MEDIA_MAX_AGE; otherwise only this person's browser, not kept."""
    cache_control = f"public, max-age={PUBLIC_MEDIA_MAX_AGE}" if is_public else "private, no-store"
    storage = storages["default"]
    if isinstance(storage, SignedS3Storage):
        content_type = mimetypes.guess_type(path)[0] or ""
        is_inline = content_type in INLINE_MEDIA_TYPES
        return signed_redirect(
            storage,
            path,
            content_type=content_type if is_inline else "application/octet-stream",
            download_name="" if is_inline else Path(path).name,
            cache_control=cache_control,
        )
    response = _file_response(request, path)
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code == 200 and content_type not in INLINE_MEDIA_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = content_disposition_header(True, Path(path).name)
    response["Cache-Control"] = cache_control
    return response


@media_csp
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Public media when Django serves them (SERVE_MEDIA; in production the web server does, with
    the same headers: docs/operations.md). Listing images and logos have their own gates
    (marketplace.media, cooperatives.media), routed before this one.

    The answer's own CSP sandboxes it and allows no script, so even a file that got in by another
    way than the upload checks cannot run in our origin.
    """
    return send_media(request, path)
