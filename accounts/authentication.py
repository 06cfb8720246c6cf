"""API authentication by `Authorization: Token <key>`, against the hashed keys of
`accounts.ApiToken`, that also answers in the person's language and zone.

`core.i18n.ReaderMiddleware` runs before DRF authenticates a token (DRF does it lazily in the
view), so a token client would otherwise read the `Accept-Language` language instead of the one
saved in its profile, and its times and a statement's days in UTC instead of its own zone. Once
the token names the person, `core.i18n.reader_activate` applies the rule the pages follow: the
saved language wins over the browser's, and the person's zone.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts import tokens
from accounts.models import ApiToken, User
from accounts.selectors import token_cache_key, token_get_live
from accounts.services import token_touch
from core.i18n import reader_activate


class ReaderTokenAuthentication(TokenAuthentication):
    """DRF's header parsing (`Token <key>`, 401 with `WWW-Authenticate: Token`), our keys."""

    model = ApiToken

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            reader_activate(request._request, result[0])
        return result

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = token_get_live(key)
        if token is None:  # unknown, expired, revoked, made under an old password, inactive
            raise AuthenticationFailed(_("Invalid token."))
        token_touch(token)
        return token.user, token


def token_cache_keys(request: HttpRequest) -> list[str]:
    """The cache key that authenticating this request's `Authorization: Token <key>` will read
    (`token_get_live`), so that it can be fetched with others in one round trip
    (core/read_ahead.py); none for another header or a malformed one (refused as before)."""
    parts = get_authorization_header(request).split()  # type: ignore[arg-type]  # reads META
    keyword = ReaderTokenAuthentication.keyword.lower().encode()
    if not settings.API_TOKEN_CACHE_SECONDS or len(parts) != 2 or parts[0].lower() != keyword:
        return []
    try:
        key = parts[1].decode()
    except UnicodeError:
        return []
    return [token_cache_key(tokens.key_hash(key))]
