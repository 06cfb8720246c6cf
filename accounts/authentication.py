"""API authentication that also speaks the person's language.

`core.i18n.UserLanguageMiddleware` runs before DRF authenticates a token (DRF does it lazily in
the view), so a token client would otherwise read the `Accept-Language` language instead of the
one saved in its profile. The saved choice wins, as it does for sessions.
"""

from typing import Any

from django.utils import translation
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from core.i18n import supported


class LanguageAwareTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            language = supported(getattr(result[0], "language", ""))
            if language:
                translation.activate(language)
                request._request.LANGUAGE_CODE = language
        return result
