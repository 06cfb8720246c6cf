"""Languages: the signed-in person's own choice wins over the browser's; the switcher saves it.

Prices follow the reader's language and the price's currency: see `core.money.reader_locale`.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie + redirect back), and the signed-in person's saved choice."""
    response = django_set_language(request)
    language = supported(request.POST.get("language"))
    if language and request.user.is_authenticated and request.user.language != language:
        from accounts.services import user_update_profile

        user_update_profile(user=request.user, language=language)
    return response
