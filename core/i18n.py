"""Languages: the signed-in person's own choice wins over the browser's; the switcher
(`accounts.views.set_language`) saves it.

Prices follow the reader's language and the price's currency: see `core.money.reader_locale`.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def supported(language: str | None) -> str | None:
    """The LANGUAGES code for `language` ('pt-BR' → 'pt-br'), or None if not offered."""
    if not language:
        return None
    code = language.lower().replace("_", "-")
    return code if code in dict(settings.LANGUAGES) else None


class UserLanguageMiddleware:
    """After authentication: a signed-in person with a saved language reads the site in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = supported(getattr(user, "language", "")) if user is not None else None
        if language and user is not None and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
