"""Languages: the signed-in person's own choice wins over the browser's; the switcher
(`accounts.views.set_language`) saves it. A person reads in their language and zone by one rule,
`reader_activate`, whether the session said who they are (`ReaderMiddleware`) or an API token did
(`accounts.authentication.ReaderTokenAuthentication`, since DRF authenticates a token only inside
the view, after the middleware).

Prices follow the reader's language and the price's currency: see `core.money.reader_locale`.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.timezones import zone_activate


def supported(language: str | None) -> str | None:
    """The LANGUAGES code for `language` ('pt-BR' → 'pt-br'), or None if not offered."""
    if not language:
        return None
    code = language.lower().replace("_", "-")
    return code if code in dict(settings.LANGUAGES) else None


def reader_activate(request: HttpRequest, user: Any) -> None:
    """This request in its reader's saved language (whatever the browser asks: the person chose
    it) and zone; a reader without a saved language keeps the one `LocaleMiddleware` chose, and
    one without a zone (or anonymous) reads the site's."""
    language = supported(getattr(user, "language", "")) if user is not None else None
    if language and user.is_authenticated:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    zone_activate(user)


class ReaderMiddleware:
    """After authentication: a signed-in person reads the site in their language and zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reader_activate(request, getattr(request, "user", None))
        return self.get_response(request)
