"""Listing images are served only while their listing is visible to the person asking
(`permissions.can_view_listing`): a rejected, suspended, draft or archived listing, or any
listing of a suspended cooperative, shows its images to its cooperative's members and to
moderators only. One query per image request (the listing and its seller's standing, by the id in
the file's path); list pages add none. Public images may be cached for a few minutes."""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from core.views import media_csp, send_media
from marketplace import permissions
from marketplace.models import Listing
from marketplace.state import ListingStatus


@require_safe
@media_csp
def listing_image(request: HttpRequest, listing_id: int, name: str) -> HttpResponseBase:
    listing = (
        Listing.objects.select_related("cooperative")
        .only("id", "status", "cooperative__id", "cooperative__verification_status")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None or not permissions.can_view_listing(request.user, listing):
        raise Http404("No such image.")
    is_public = listing.status == ListingStatus.PUBLISHED and not listing.cooperative.is_suspended
    return send_media(request, f"listings/{listing_id}/{name}", is_public=is_public)
