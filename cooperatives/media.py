"""A cooperative's logo is shown while the cooperative is (`permissions.can_view_cooperative`):
once suspended, only its members and moderators get it, like its profile. One query per logo."""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from cooperatives import permissions
from cooperatives.models import Cooperative
from core.views import media_csp, send_media


@require_safe
@media_csp
def cooperative_logo(request: HttpRequest, slug: str, name: str) -> HttpResponseBase:
    cooperative = (
        Cooperative.objects.only("id", "slug", "name", "verification_status")
        .filter(slug=slug)
        .first()
    )
    if cooperative is None or not permissions.can_view_cooperative(request.user, cooperative):
        raise Http404("No such logo.")
    return send_media(
        request, f"cooperatives/{slug}/{name}", is_public=not cooperative.is_suspended
    )
