"""Caching of the public catalogue's GET responses (API and pages), validated against the
catalogue's version (marketplace/catalogue_version.py):

- every anonymous response carries an ETag (and, for the API, Last-Modified) so a client or a
  proxy can ask "has it changed?" and get a 304 without the page being built again;
- the response itself is kept in the cache (Redis when REDIS_URL is set, this process's memory
  otherwise) for `CATALOGUE_RESPONSE_CACHE_SECONDS`, under the version it was built from: a
  change bumps the version, so nothing built before it is served again;
- signed-in requests (a session or an Authorization header) are built every time and marked
  `private`: what they show may depend on who asks.

API responses to anonymous readers are `public` (any cache may keep them, and must revalidate).
Pages are `private` even for anonymous readers: they carry the reader's CSRF token (language
switcher), so one reader's copy must not be given to another. A cached page is stored with a
placeholder where the token goes and gets the reader's own token each time it is served; its
ETag includes the reader's CSRF cookie, so a 304 never revives a page holding an old token.
"""

import hashlib
import math
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.authentication import token_cache_keys
from core import read_ahead
from marketplace import catalogue_version, selectors

# Stands for the reader's CSRF token in a cached page (see module docstring).
CSRF_PLACEHOLDER = "minga-csrf-token-placeholder"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Allow")
SAFE_METHODS = ("GET", "HEAD")

View = Callable[..., HttpResponse]
KeysAhead = Callable[[HttpRequest, catalogue_version.Version], list[str]]


def is_anonymous(request: HttpRequest) -> bool:
    """No session, no credentials, no pending messages: nothing about this reader can show.
    (DRF's test client signs in without credentials: `_force_auth_user`.)"""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
        and getattr(request, "_force_auth_user", None) is None
    )


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Extra template context for a page view wrapped by `catalogue_page`: while a page is built
    for the cache, its CSRF token is a placeholder."""
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, "_catalogue_cached", False) else {}


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _not_modified(
    request: HttpRequest, etag: str, version: catalogue_version.Version, use_dates: bool
) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return "*" in wanted or etag.removeprefix("W/") in wanted
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    # The client's copy is as new as the date it was given (see _last_modified); any later
    # change has a later timestamp, even within the same second.
    return use_dates and since is not None and since >= version.changed_at.timestamp()


def _last_modified(version: catalogue_version.Version) -> float | None:
    """The version's time rounded up to the second, and only once that second has passed, so a
    copy dated T was built after every change up to T: If-Modified-Since T is then exact."""
    seconds = math.ceil(version.changed_at.timestamp())
    return seconds if timezone.now().timestamp() >= seconds else None


def _finish(
    response: HttpResponse, *, etag: str, last_modified: float | None, public: bool
) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if public:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie", "Authorization", "Accept-Language"))


def _private(response: HttpResponse) -> HttpResponse:
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Authorization", "Accept-Language"))
    return response


def _with_token(request: HttpRequest, response: HttpResponse, is_page: bool) -> None:
    if is_page:
        token = get_token(request).encode()  # also sets the reader's CSRF cookie if missing
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), token)


def _reader(request: HttpRequest) -> Any:
    """The signed-in API reader, authenticated once: DRF's own authenticators (the token's
    language is activated as usual), and the view's DRF request then reuses the result instead
    of looking the credentials up again; None when they are refused (the view answers, 401)."""
    drf_request = Request(request, authenticators=APIView().get_authenticators())
    try:
        user = drf_request.user
    except APIException:
        return None
    request._force_auth_user = user  # type: ignore[attr-defined]
    request._force_auth_token = drf_request.auth  # type: ignore[attr-defined]
    return user


def _shared_with(user: Any, audience: int | None) -> bool:
    """Whether a stored public answer is also this reader's: `audience` is the listing's seller
    for one listing (whose members see more of it), None for the catalogue."""
    return selectors.sees_public_catalogue(user, seller_id=audience)


def _cached_view(
    view: View, *, is_page: bool, private_params: tuple[str, ...], ahead: KeysAhead | None
) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        if is_anonymous(request):
            return _versioned(partial(_answer, request, view, args, kwargs, is_page, None))
        # Signed in: a page carries its reader's header (catalogue pages share their body
        # through `shared_part` instead); the API shares the public answer with every reader
        # who would be given the same one (`_shared_with`).
        if is_page or any(name in request.GET for name in private_params):
            return _private(view(request, *args, **kwargs))
        version = catalogue_version.current()  # before the data: see catalogue_version
        # The cache keys this request will read, in one round trip: its token, its answer
        # (in the language asked before authenticating: the reader's own, when they saved
        # one, is read apart) and what the view names (`ahead`).
        keys = token_cache_keys(request)
        if settings.CATALOGUE_RESPONSE_CACHE_SECONDS:
            keys += [_response_key(request, is_page, version)]
            keys += ahead(request, version) if ahead else []
        with read_ahead.fetched_ahead(keys):
            reader = _reader(request)
            if reader is None:
                return _private(view(request, *args, **kwargs))
            answer = partial(_answer, request, view, args, kwargs, is_page, reader)
            return _versioned(answer, version)

    return wrapped


def _versioned(
    answer: Callable[[catalogue_version.Version], HttpResponse],
    version: catalogue_version.Version | None = None,
) -> HttpResponse:
    """`answer(version)`, with the version the request read (now, unless it was read already)
    kept for what is cached while it is built (`READ_BY_REQUEST`)."""
    if version is None:
        version = catalogue_version.current()  # before the data: see catalogue_version
    read = catalogue_version.READ_BY_REQUEST.set(version)
    try:
        return answer(version)
    finally:
        catalogue_version.READ_BY_REQUEST.reset(read)


def _content_key(request: HttpRequest, is_page: bool, version: catalogue_version.Version) -> str:
    """What the answer depends on besides the reader: the catalogue's version, the URL (scheme
    and host too: links in the body use them), the language and zone (the times' offsets) and
    how the answer is asked for. Kept on the request for its language and zone (asked before
    and after authenticating: a token's person reads in their own)."""
    language = (translation.get_language(), timezone.get_current_timezone_name())
    known = getattr(request, "_catalogue_content_key", None)
    if known is not None and known[0] == (is_page, version.number, language):
        return str(known[1])
    variant = (
        "page" if is_page else "api",
        request.build_absolute_uri(),
        language,
        request.META.get("HTTP_ACCEPT", ""),
        request.META.get("HTTP_HX_REQUEST", ""),
        request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),
    )
    key = _fingerprint(version.number, variant)
    request._catalogue_content_key = ((is_page, version.number, language), key)  # type: ignore[attr-defined]
    return key


def _response_key(request: HttpRequest, is_page: bool, version: catalogue_version.Version) -> str:
    return f"catalogue:response:{_content_key(request, is_page, version)}"


def _answer(
    request: HttpRequest,
    view: View,
    args: Any,
    kwargs: Any,
    is_page: bool,
    reader: Any,
    version: catalogue_version.Version,
) -> HttpResponse:
    content_key = _content_key(request, is_page, version)
    token_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") if is_page else ""
    etag = f'W/"{_fingerprint(content_key, token_cookie) if is_page else content_key}"'
    last_modified = None if is_page else _last_modified(version)
    public = not is_page and reader is None

    seconds = settings.CATALOGUE_RESPONSE_CACHE_SECONDS
    key = _response_key(request, is_page, version)
    stored = read_ahead.get(key) if seconds else None
    if reader is not None and stored is not None and not _shared_with(reader, stored[2]):
        return _private(view(request, *args, **kwargs))
    # A signed-in reader's copy is known to be shared only when the cache holds it.
    if (reader is None or stored is not None) and _not_modified(
        request, etag, version, use_dates=not is_page
    ):
        response: HttpResponse = HttpResponseNotModified()
        _finish(response, etag=etag, last_modified=last_modified, public=public)
        return response
    if stored is not None:
        content, headers, _audience = stored
        response = HttpResponse(content, status=200)
        for name, value in headers.items():
            response[name] = value
    else:
        request._catalogue_cached = True  # type: ignore[attr-defined]
        response = view(request, *args, **kwargs)
        if response.streaming:
            return _private(response)
        render = getattr(response, "render", None)
        if callable(render):
            render()  # a DRF or template response: its content is needed now
        user = getattr(request, "user", None)  # DRF sets it after authenticating
        audience = getattr(request, "catalogue_audience", None)
        if (
            response.status_code != 200
            or not (is_page or response.get("Content-Type", "").startswith("application/json"))
            or (is_page and user is not None and user.is_authenticated)
            or (reader is not None and not _shared_with(reader, audience))
        ):
            # Errors, the browsable API (a page of its own) and answers that are this
            # reader's own are built every time.
            _with_token(request, response, is_page)
            return _private(response)
        if seconds:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers, audience), seconds)
    _with_token(request, response, is_page)
    _finish(response, etag=etag, last_modified=last_modified, public=public)
    return response


def shared_part(
    request: HttpRequest, name: str, build: Callable[[], str], *, for_everyone: bool = False
) -> str:
    """The part of a catalogue page that is the same for every reader who sees the public
    catalogue (the filters and results, not the header with the reader's name, cart and
    language), kept in the cache under the catalogue's version like whole responses. Built for
    readers who see more (moderators, members of a suspended seller), unless the caller knows
    the part is `for_everyone` who reaches it (a seller's published listings on its page). It
    must hold nothing of the reader's own: no CSRF token (the filters are a GET form), no
    messages."""
    seconds = settings.CATALOGUE_RESPONSE_CACHE_SECONDS
    if not seconds or not (
        for_everyone or selectors.sees_public_catalogue(getattr(request, "user", None))
    ):
        return build()
    version = catalogue_version.current()
    variant = (
        name,
        request.build_absolute_uri(),
        translation.get_language(),
        request.META.get("HTTP_HX_REQUEST", ""),
        request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),
    )
    key = f"catalogue:part:{_fingerprint(version.number, variant)}"
    text = cache.get(key)
    if text is None:
        read = catalogue_version.READ_BY_REQUEST.set(version)
        try:
            text = build()
        finally:
            catalogue_version.READ_BY_REQUEST.reset(read)
        cache.set(key, text, seconds)
    return str(text)


def catalogue_api(
    view: View, *, private_params: tuple[str, ...] = (), ahead: KeysAhead | None = None
) -> View:
    """For a DRF view of the public catalogue (wrap the result of `as_view()`). A view of one
    listing sets `request.catalogue_audience` to its seller's id (see `_shared_with`); requests
    with any of `private_params` are each reader's own (a member's `status=draft`).
    `ahead(request, version)` names cache keys the view will likely read (core.read_ahead),
    fetched with a signed-in reader's token and stored answer."""
    return _cached_view(view, is_page=False, private_params=private_params, ahead=ahead)


def catalogue_page(view: View) -> View:
    """For a page of the public catalogue; its template context must include `page_context`."""
    return _cached_view(view, is_page=True, private_params=(), ahead=None)
