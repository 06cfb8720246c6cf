"""The language switcher: a person's saved language is their account's (core.i18n reads it)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.services import user_update_profile
from core.i18n import supported


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie + redirect back), and the signed-in person's saved choice."""
    response = django_set_language(request)
    language = supported(request.POST.get("language"))
    if language and request.user.is_authenticated and request.user.language != language:
        user_update_profile(user=request.user, language=language)
    return response
