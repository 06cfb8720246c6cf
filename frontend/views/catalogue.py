"""The catalogue: browsing with search and facets, one listing, a seller's catalogue, and "my
listings" (create, edit, images, submit, archive, CSV export and import) for owners and admins.

Reads go through marketplace.selectors, writes through marketplace.services; the browsing page
filters with the API's own ListingFilter and pages with its CappedPaginator.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from cooperatives import selectors as cooperative_selectors
from cooperatives.models import Cooperative
from core.money import AmountError, parse_amount
from core.reference import currency_codes
from frontend.catalogue_forms import (
    CatalogueFilterForm,
    CatalogueImportForm,
    ListingForm,
    ListingImageForm,
    ListingReportForm,
)
from frontend.listing_cards import listing_cards
from frontend.views.common import HtmxRequest, SearchPage, SignedInRequest, attempt, succeeded
from marketplace import http_cache, import_progress, permissions, selectors, services
from marketplace.filters import ListingFilter
from marketplace.import_progress import ImportProgress
from marketplace.models import CatalogueImport, DeliveryMode, Listing, Unit, unit_name
from marketplace.pagination import CappedPaginator
from marketplace.state import ImportStatus, ListingStatus
from moderation import services as moderation_services

PAGE_SIZE = 24
MY_PAGE_SIZE = 50


def _page(
    queryset: Any,
    request: HtmxRequest,
    per_page: int = PAGE_SIZE,
    fetch_rows: Callable[[list[int]], Iterable[Any]] = listing_cards,
) -> Page:
    """A page of listings shown as cards (`_cards.html`), or, with `selectors.listing_rows`,
    as models for a seller's own list."""
    paginator = CappedPaginator(queryset, per_page, fetch_rows=fetch_rows)
    return paginator.get_page(request.GET.get("page"))


def _as_query(data: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    return query


CATALOGUE = SearchPage(
    title=gettext_lazy("Catalogue"),
    label=gettext_lazy("Search and filter the catalogue"),
    submit=gettext_lazy("Search"),
    folder="frontend/catalogue",
)


@http_cache.catalogue_page
def catalogue(request: HtmxRequest) -> HttpResponse:
    """A GET form, so filters work without JavaScript and every search has a URL; htmx asks for
    the results fragment only. The API's FilterSet decides what the filters mean. The filters
    and results are the same for every reader who sees the public catalogue: kept in the cache
    apart from the reader's header (http_cache.shared_part)."""

    def build() -> dict[str, Any]:
        if not CatalogueFilterForm.is_filtering(request.GET):
            # No filter set: the fields are the same for everyone (written once, see
            # `unfiltered_fields`), the list is the whole visible catalogue.
            page = _page(selectors.listing_catalogue_visible_to(request.user), request)
            return {"filter_fields": CatalogueFilterForm.unfiltered_fields(), "page": page}
        form = CatalogueFilterForm(request.GET)
        form.is_valid()
        visible = selectors.listing_list_visible_to(request.user)
        filters = ListingFilter(_as_query(form.filter_data()), queryset=visible)
        if filters.is_valid():
            page = _page(filters.qs, request)
        else:
            for name, errors in filters.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            page = _page(visible.none(), request)
        return {"form": form, "page": page, "is_filtered": form.is_filtered()}

    return CATALOGUE.shared_response(
        request,
        build,
        share=http_cache.shared_part,
        page_context=http_cache.page_context(request),
    )


@http_cache.catalogue_page
def listing_detail(request: HtmxRequest, listing_id: int) -> HttpResponse:
    listing = selectors.listing_get_visible(request.user, listing_id)
    can_edit = permissions.can_edit_listing(request.user, listing)
    return render(
        request,
        "frontend/catalogue/detail.html",
        {
            "listing": listing,
            "images": list(listing.images.all()),
            "category_label": selectors.category_label(listing.category),
            "delivery_labels": [DeliveryMode(mode).label for mode in listing.delivery_modes],
            "can_edit": can_edit,
            "can_report": request.user.is_authenticated
            and listing.is_published
            and not permissions.can_view_listing_history(request.user, listing),
            "report_form": ListingReportForm(),
            **http_cache.page_context(request),
        },
    )


@login_required
@require_POST
def listing_report(request: SignedInRequest, listing_id: int) -> HttpResponse:
    listing = selectors.listing_get_visible(request.user, listing_id)
    form = ListingReportForm(request.POST)
    if form.is_valid():
        report = attempt(
            request,
            lambda: moderation_services.report_create(
                actor=request.user, listing=listing, **form.cleaned_data
            ),
        )
        if succeeded(report):
            messages.success(request, _("Thank you. The moderators will look at this listing."))
    else:
        messages.error(request, _("Choose a reason for the report."))
    return redirect("frontend:listing", listing_id=listing.pk)


SELLER_CATALOGUE_TEMPLATE = "frontend/cooperatives/_catalogue.html"


def seller_catalogue(request: HtmxRequest, cooperative: Cooperative) -> SafeString:
    """The published part of a seller's catalogue on its profile page (cards and pages), for a
    reader who may see the seller: the same for all of them, so written once per catalogue
    version, page and language and kept in the cache (`http_cache.shared_part`)."""

    def build() -> str:
        page = _page(selectors.listing_list_published_by(cooperative), request)
        return render_to_string(SELLER_CATALOGUE_TEMPLATE, {"listings": page}, request)

    part = http_cache.shared_part(request, SELLER_CATALOGUE_TEMPLATE, build, for_everyone=True)
    return SafeString(part)  # nosec B703  # our template's output, autoescaped


# My listings --------------------------------------------------------------------------------


def _managed(request: SignedInRequest, slug: str) -> Cooperative:
    return cooperative_selectors.cooperative_get_visible(
        request.user, slug, permissions.can_manage_listings
    )


def _managed_listing(request: SignedInRequest, listing_id: int) -> Listing:
    listing = selectors.listing_get_visible(request.user, listing_id)
    if not permissions.can_edit_listing(request.user, listing):
        raise Http404("No listing with this id.")
    return listing


@login_required
def my_listings(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _managed(request, slug)
    page = _page(
        selectors.listing_list_for_cooperative(request.user, cooperative),
        request,
        MY_PAGE_SIZE,
        selectors.listing_rows,
    )
    return render(
        request,
        "frontend/catalogue/mine.html",
        {"cooperative": cooperative, "page": page},
    )


@login_required
def listing_create(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _managed(request, slug)
    form = ListingForm(request.POST or None, cooperative=cooperative)
    if request.method == "POST" and form.is_valid():
        listing = attempt(
            request,
            lambda: services.listing_create(
                cooperative=cooperative, actor=request.user, **form.fields_for_service()
            ),
            form=form,
        )
        if succeeded(listing):
            messages.success(
                request, _("The draft is saved. Add images, then submit it for review.")
            )
            return redirect("frontend:listing-edit", listing_id=listing.pk)
    return render(
        request,
        "frontend/catalogue/edit.html",
        {"cooperative": cooperative, "form": form, "listing": None},
    )


@login_required
def listing_edit(request: SignedInRequest, listing_id: int) -> HttpResponse:
    listing = _managed_listing(request, listing_id)
    form = ListingForm(
        request.POST or None,
        initial=ListingForm.initial_for(listing),
        cooperative=listing.cooperative,
        listing=listing,
    )
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.fields_for_service().items()
            if name in form.changed_data
            or (name == "price_amount" and {"price", "currency"} & set(form.changed_data))
        }
        updated = attempt(
            request,
            lambda: services.listing_update(
                listing=listing,
                actor=request.user,
                confirm_price_change=form.cleaned_data["confirm_price_change"],
                **changes,
            ),
            form=form,
        )
        if succeeded(updated):
            if updated.status == ListingStatus.PENDING_REVIEW != listing.status:
                messages.success(request, _("Saved. The changes go to the moderators first."))
            else:
                messages.success(request, _("Saved."))
            return redirect("frontend:listing-edit", listing_id=listing.pk)
    return render(
        request,
        "frontend/catalogue/edit.html",
        {
            "cooperative": listing.cooperative,
            "form": form,
            "listing": listing,
            "images": list(listing.images.all()),
            "image_form": ListingImageForm(),
            "max_images": services.MAX_IMAGES_PER_LISTING,
            "can_submit": listing.status in (ListingStatus.DRAFT, ListingStatus.REJECTED),
            "can_archive": listing.status != ListingStatus.ARCHIVED,
        },
    )


@login_required
def price_preview(request: SignedInRequest) -> HttpResponse:
    """What the price box says, as the catalogue will show it ("BRL 1.250,50 per kg"), or why it
    is not a price: the seller sees it while typing, before saving (htmx)."""
    typed = request.GET.get("price", "")
    currency = request.GET.get("currency", "")
    unit = request.GET.get("unit", "")
    if not typed.strip() or currency not in currency_codes():
        return HttpResponse("")
    try:
        price = parse_amount(typed, currency, get_language() or settings.LANGUAGE_CODE)
    except AmountError as error:
        return HttpResponse(escape(str(error)))
    if unit in Unit.values:
        return HttpResponse(
            escape(_("%(price)s per %(unit)s") % {"price": price.format(), "unit": unit_name(unit)})
        )
    return HttpResponse(escape(price.format()))


@login_required
@require_POST
def listing_images_add(request: SignedInRequest, listing_id: int) -> HttpResponse:
    listing = _managed_listing(request, listing_id)
    form = ListingImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose one or more images to upload."))
    else:
        added = 0
        for upload in form.cleaned_data["images"]:
            image = attempt(
                request,
                partial(
                    services.listing_image_add,
                    listing=listing,
                    actor=request.user,
                    upload=upload,
                    alt_text=form.cleaned_data["alt_text"],
                ),
            )
            if not succeeded(image):
                break
            added += 1
        if added:
            messages.success(request, _("Images added: %(count)d.") % {"count": added})
    return redirect(reverse("frontend:listing-edit", args=[listing.pk]) + "#images")


@login_required
@require_POST
def listing_image_delete(request: SignedInRequest, listing_id: int, image_id: int) -> HttpResponse:
    listing = _managed_listing(request, listing_id)
    image = next((image for image in listing.images.all() if image.pk == image_id), None)
    if image is None:
        raise Http404("No image with this id.")
    if succeeded(
        attempt(request, lambda: services.listing_image_delete(image=image, actor=request.user))
    ):
        messages.success(request, _("The image is deleted."))
    return redirect(reverse("frontend:listing-edit", args=[listing.pk]) + "#images")


@login_required
@require_POST
def listing_submit(request: SignedInRequest, listing_id: int) -> HttpResponse:
    listing = _managed_listing(request, listing_id)
    result = attempt(request, lambda: services.listing_submit(listing=listing, actor=request.user))
    if succeeded(result):
        if result.status == ListingStatus.PUBLISHED:
            messages.success(request, _("The listing is published."))
        else:
            messages.success(request, _("Submitted. The moderators will review it."))
    return redirect("frontend:listing-edit", listing_id=listing.pk)


@login_required
@require_POST
def listing_archive(request: SignedInRequest, listing_id: int) -> HttpResponse:
    listing = _managed_listing(request, listing_id)
    result = attempt(request, lambda: services.listing_archive(listing=listing, actor=request.user))
    if succeeded(result):
        messages.success(request, _("The listing is archived: it left the catalogue."))
    return redirect("frontend:my-listings", slug=listing.cooperative.slug)


@login_required
def catalogue_export(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _managed(request, slug)
    text = services.catalogue_export(cooperative=cooperative, actor=request.user)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cooperative.slug}-catalogue.csv"'
    return response


def _imported_message(job: CatalogueImport) -> str:
    return _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % {
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
    }


@login_required
def catalogue_import(request: SignedInRequest, slug: str) -> HttpResponse:
    """Upload a CSV: the file is kept and the worker imports it (marketplace.tasks). With htmx
    the page polls `catalogue_import_progress` meanwhile (the form carries a token naming this
    upload). When the import ran at once (no worker: tasks run eagerly) the page shows its result
    as it comes; otherwise it goes to the import's own page, which shows progress and result."""
    cooperative = _managed(request, slug)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    posted_token = request.POST.get("progress_token", "")
    progress_key = posted_token if import_progress.is_token(posted_token) else ""

    if request.method == "POST" and form.is_valid():
        try:
            job = attempt(
                request,
                lambda: services.catalogue_import_start(
                    cooperative=cooperative,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    progress_token=progress_key,
                ),
                form=form,
            )
        except services.CatalogueImportError as error:
            form.add_error("file", error.message)
        if not form.errors and succeeded(job):
            job.refresh_from_db()
            if job.status == ImportStatus.DONE:
                messages.success(request, _imported_message(job))
                url = reverse("frontend:my-listings", kwargs={"slug": cooperative.slug})
            elif job.status == ImportStatus.FAILED:
                form.add_error("file", job.error_message)
                row_errors = job.row_errors
                url = ""
            else:
                url = reverse("frontend:catalogue-import-result", args=[cooperative.slug, job.pk])
            if url:
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        elif progress_key:
            import_progress.record(
                cooperative.pk, request.user.pk, progress_key, ImportProgress("failed", 0, 0)
            )
    return render(
        request,
        "frontend/catalogue/import.html",
        {
            "cooperative": cooperative,
            "form": form,
            "row_errors": row_errors,
            "progress_token": import_progress.new_token(),
        },
    )


@require_safe
@login_required
def catalogue_import_result(request: SignedInRequest, slug: str, import_id: int) -> HttpResponse:
    """One import of the person's, by the worker: its progress while it runs (polled with htmx;
    without JavaScript the person reloads the page), then its counts or its rows' errors."""
    cooperative = _managed(request, slug)
    job = selectors.catalogue_import_of(cooperative, request.user, import_id)
    if job is None:
        raise Http404("No such import.")
    return render(
        request,
        "frontend/catalogue/import_result.html",
        {
            "cooperative": cooperative,
            "job": job,
            "imported": _imported_message(job) if job.status == ImportStatus.DONE else "",
            "token": job.progress_token,
            "delay_ms": int(PROGRESS_POLL_SECONDS * 1000),
        },
    )


PROGRESS_POLL_SECONDS = 0.5
PROGRESS_MAX_POLLS = 1200  # ten minutes: then the page stops asking


@require_safe
@login_required
def catalogue_import_progress(request: SignedInRequest, slug: str, token: str) -> HttpResponse:
    """The progress bar of the upload named by `token`, polled by the import page."""
    cooperative = _managed(request, slug)
    if not import_progress.is_token(token):
        raise Http404("No such import.")
    try:
        polls = max(0, int(request.GET.get("n", "0")))
    except ValueError:
        polls = 0
    progress = import_progress.read(cooperative.pk, request.user.pk, token)
    finished = progress is not None and progress.stage in ("done", "failed")
    job = (
        selectors.catalogue_import_by_token(cooperative, request.user, token) if finished else None
    )
    return render(
        request,
        "frontend/catalogue/_import_progress.html",
        {
            "cooperative": cooperative,
            "token": token,
            "progress": progress,
            "job": job,
            "imported": _imported_message(job) if job and job.status == ImportStatus.DONE else "",
            "keep_polling": not finished and polls < PROGRESS_MAX_POLLS,
            "next_poll": polls + 1,
            "delay_ms": int(PROGRESS_POLL_SECONDS * 1000),
        },
    )
