import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.selectors import cooperative_get_visible
from core.api.parsers import FormParser, JSONParser
from core.api.responses import CONFLICT, FORBIDDEN, INVALID, NOT_FOUND, UNAUTHENTICATED
from core.uploads import check_size
from marketplace import cards, selectors, services
from marketplace import permissions as rules
from marketplace.api.pagination import ListingPagination
from marketplace.api.serializers import (
    CatalogueImportErrorSerializer,
    CatalogueImportInputSerializer,
    CatalogueImportResultSerializer,
    CategoryNodeSerializer,
    ListingDetailSerializer,
    ListingEventSerializer,
    ListingImageInputSerializer,
    ListingImageSerializer,
    ListingImageUpdateSerializer,
    ListingSerializer,
    ListingUpdateSerializer,
    ListingWriteSerializer,
)
from marketplace.catalogue_version import Version
from marketplace.filters import ListingFilter
from marketplace.models import Listing, ListingImage
from marketplace.pagination import count_cache_key


def _detail(request: Request, listing: Listing) -> Response:
    """Serialise a listing freshly read, with its images and seller, as its reader may see it."""
    listing = selectors.listing_get_visible(request.user, listing.pk)
    return Response(ListingDetailSerializer(listing, context={"request": request}).data)


class CategoryTreeView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={200: CategoryNodeSerializer(many=True)},
        description="The category tree; each node's `label` is its name in the request's language.",
    )
    def get(self, request: Request) -> Response:
        tree = selectors.category_tree()
        return Response(CategoryNodeSerializer(tree, many=True, context={"request": request}).data)


def listing_list_keys_ahead(request: HttpRequest, version: Version) -> list[str]:
    """The count a built list with no filter reads when its reader sees the public catalogue
    (most readers: fetched ahead with the token and the stored answer, http_cache.py)."""
    params = request.GET
    if ListingFilter.sets_a_filter(params) or ListingPagination.cursor_query_param in params:
        return []
    public = selectors.listing_catalogue_visible_to(None)
    return [count_cache_key(public, settings.LISTING_COUNT_LIMIT, version)]


class ListingListView(generics.ListAPIView):
    serializer_class = ListingSerializer
    filterset_class = ListingFilter
    pagination_class = ListingPagination

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.listing_list_visible_to(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        """The page's stored cards written straight into the body (marketplace/cards.py): no
        serialiser, no JSON encoding of 24 dictionaries. Other formats (the browsable API) get
        the same data parsed back."""
        if ListingFilter.sets_a_filter(request.query_params):
            listings: Any = self.filter_queryset(self.get_queryset())
        else:  # the same listings, from statements compiled once (no FilterSet, no ORM query)
            listings = selectors.listing_catalogue_visible_to(request.user)
        paginator: ListingPagination = self.paginator  # type: ignore[assignment]
        page = paginator.paginate_queryset(listings, request, view=self)
        assert page is not None  # this view always pages
        renderer = cards.Renderer(request, translation.get_language() or settings.LANGUAGE_CODE)
        body = paginator.paginated_json(renderer.cards(page))
        if isinstance(request.accepted_renderer, JSONRenderer):
            return HttpResponse(body.encode(), content_type="application/json")
        return Response(json.loads(body))

    @extend_schema(
        description="The published catalogue of the network, with search and filters. With "
        "`status`, members also list their own cooperative's drafts and other statuses.",
        responses={200: ListingSerializer(many=True), 400: INVALID},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ListingWriteSerializer,
        responses={
            201: ListingDetailSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        description="Create a draft in one of your cooperatives' catalogues.",
    )
    def post(self, request: Request) -> Response:
        data = ListingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        cooperative = cooperative_get_visible(request.user, fields.pop("cooperative"))
        listing = services.listing_create(cooperative=cooperative, actor=request.user, **fields)  # type: ignore[arg-type]
        response = _detail(request, listing)
        response.status_code = status.HTTP_201_CREATED
        return response


class ListingDetailView(APIView):
    @extend_schema(responses={200: ListingDetailSerializer, 404: NOT_FOUND})
    def get(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        # Who else is given this answer from the cache (marketplace/http_cache.py).
        request._request.catalogue_audience = listing.cooperative_id  # type: ignore[attr-defined]
        return Response(ListingDetailSerializer(listing, context={"request": request}).data)

    @extend_schema(
        request=ListingUpdateSerializer(partial=True),
        responses={
            200: ListingDetailSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        description="Edit a listing. Editing the title, description or category of a published "
        "listing may send it back to review (see docs/catalogue.md).",
    )
    def patch(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        data = ListingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        actor: Any = request.user
        listing = services.listing_update(listing=listing, actor=actor, **changes)
        return _detail(request, listing)

    @extend_schema(
        request=None,
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
        description="Archive the listing: it leaves the catalogue; orders keep pointing to it.",
    )
    def delete(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        services.listing_archive(listing=listing, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListingSubmitView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: ListingDetailSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        description="draft|rejected → pending_review, or straight to published where the review "
        "policy allows it.",
    )
    def post(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        listing = services.listing_submit(listing=listing, actor=request.user)  # type: ignore[arg-type]
        return _detail(request, listing)


class ListingEventListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={200: ListingEventSerializer(many=True), 404: NOT_FOUND},
        description="The listing's status history, for its cooperative's members and moderators.",
    )
    def get(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        events = selectors.listing_events(request.user, listing)
        return Response(ListingEventSerializer(events, many=True).data)


class ListingImageListView(APIView):
    counts_uploads = True  # files count toward the upload rates (core.uploads)
    parser_classes = [MultiPartParser]  # files: a urlencoded form cannot carry them (415)

    @extend_schema(responses={200: ListingImageSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        return Response(
            ListingImageSerializer(
                listing.images.all(), many=True, context={"request": request}
            ).data
        )

    @extend_schema(
        request=ListingImageInputSerializer,
        responses={
            201: ListingImageSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        description="Add an image (multipart `image`, optional `alt_text`); at most 10.",
    )
    def post(self, request: Request, listing_id: int) -> Response:
        listing = selectors.listing_get_visible(request.user, listing_id)
        data = ListingImageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = services.listing_image_add(
            listing=listing,
            actor=request.user,  # type: ignore[arg-type]
            upload=data.validated_data["image"],
            alt_text=data.validated_data.get("alt_text", ""),
        )
        return Response(
            ListingImageSerializer(image, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ListingImageDetailView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _image(self, request: Request, listing_id: int, image_id: int) -> ListingImage:
        listing = selectors.listing_get_visible(request.user, listing_id)
        image = next((i for i in listing.images.all() if i.pk == image_id), None)
        if image is None:
            raise Http404("No image with this id on this listing.")
        return image

    @extend_schema(
        request=ListingImageUpdateSerializer,
        responses={
            200: ListingImageSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        description="Change the alt text or the position (0 is the cover) of an image.",
    )
    def patch(self, request: Request, listing_id: int, image_id: int) -> Response:
        image = self._image(request, listing_id, image_id)
        data = ListingImageUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = services.listing_image_update(
            image=image,
            actor=request.user,  # type: ignore[arg-type]
            **data.validated_data,
        )
        return Response(ListingImageSerializer(image, context={"request": request}).data)

    @extend_schema(
        request=None, responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
    )
    def delete(self, request: Request, listing_id: int, image_id: int) -> Response:
        image = self._image(request, listing_id, image_id)
        services.listing_image_delete(image=image, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class CatalogueExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The catalogue as CSV (UTF-8 with BOM)."
            ),
            404: NOT_FOUND,
        },
        description="Every listing of the cooperative but the archived ones, for its members.",
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        cooperative = cooperative_get_visible(request.user, slug)
        if not rules.can_export_catalogue(request.user, cooperative):
            raise Http404("No cooperative with this slug.")
        text = services.catalogue_export(cooperative=cooperative, actor=request.user)  # type: ignore[arg-type]
        response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{cooperative.slug}-catalogue.csv"'
        return response


class CatalogueImportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]  # files: a urlencoded form cannot carry them (415)

    @extend_schema(
        request=CatalogueImportInputSerializer,
        responses={
            200: CatalogueImportResultSerializer,
            400: OpenApiResponse(
                CatalogueImportErrorSerializer,
                description="The file was refused; `errors` lists every bad row. Nothing changed.",
            ),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        description="Create and update listings from a CSV file, all or nothing, matched on `sku`.",
    )
    def post(self, request: Request, slug: str) -> Response:
        cooperative = cooperative_get_visible(request.user, slug)
        if not rules.can_export_catalogue(request.user, cooperative):
            raise Http404("No cooperative with this slug.")
        data = CatalogueImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            check_size(upload)
        except DjangoValidationError as exc:
            raise DjangoValidationError({"file": exc.messages}) from exc
        try:
            result = services.catalogue_import(
                cooperative=cooperative,
                actor=request.user,  # type: ignore[arg-type]
                data=upload.read(),
                dry_run=data.validated_data["dry_run"],
            )
        except services.CatalogueImportError as exc:
            return Response(
                {
                    "detail": exc.message,
                    "code": exc.code,
                    "errors": [row.as_dict() for row in exc.rows],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "sent_back_to_review": result.sent_back_to_review,
                "total": result.total,
                "dry_run": result.dry_run,
            }
        )
