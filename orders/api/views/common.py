from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.models import Cooperative
from cooperatives.selectors import (
    cooperative_find_by_slug,
    cooperative_get_for_member,
    cooperative_of_member,
    cooperative_with_role,
)
from core import statements
from core.api.responses import refusals
from core.api.serializers import validated
from core.api.throttling import ScopedWriteRateThrottle
from core.api.views import OneCooperativeListView


def member_cooperative(user: Any, slug: str) -> Cooperative:
    """The cooperative named by slug, when the user is one of its members; otherwise a 404
    (`cooperative_get_for_member`, its statement compiled once per connection: every cart and
    checkout request reads it)."""
    if not getattr(user, "is_authenticated", False):
        return cooperative_get_for_member(user=user, slug=slug)
    found = statements.instances(
        Cooperative, "member cooperative", _cooperative_with_role, slug=slug, user_id=user.pk
    )
    return cooperative_of_member(user, found[0] if found else None)


def _cooperative_with_role(slug: str, user_id: int) -> QuerySet[Cooperative]:
    """`cooperative_with_role(...).first()`'s statement."""
    cooperatives = cooperative_with_role(slug=slug, user_id=user_id)
    return (cooperatives if cooperatives.ordered else cooperatives.order_by("pk"))[:1]


def cooperative_named(slug: str) -> Cooperative:
    """Any cooperative by its slug, or a 404; the selector or service it goes to decides what
    the user may see of it or do for it."""
    cooperative = cooperative_find_by_slug(slug)
    if cooperative is None:
        raise Http404("No cooperative with this slug.")
    return cooperative


class CooperativeListView(OneCooperativeListView):
    """A list of any cooperative's items (`?cooperative=`, 404 when no cooperative has the
    slug); its selector decides who may see them (members and moderators)."""

    def cooperative(self, slug: str) -> Cooperative:
        return cooperative_named(slug)


def request_locale(request: object) -> str:
    user = getattr(request, "user", None)
    return getattr(user, "language", "") or getattr(request, "LANGUAGE_CODE", "") or "en"


class CooperativeReportView(APIView):
    """A cooperative's figures (aging, fees, trade): the query validated by `query_class` (400),
    the cooperative the path names (404), and what `report(cooperative, query)` finds for the
    caller, answered as one `serializer_class`; the schema follows from these and
    `description`."""

    permission_classes = [IsAuthenticated]
    query_class: type
    serializer_class: type
    description = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        extend_schema(
            parameters=[cls.query_class],
            responses={200: cls.serializer_class, **refusals(400, 404)},
            description=cls.description,
        )(cls)

    def report(self, cooperative: Cooperative, query: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get(self, request: Request, slug: str) -> Response:
        query = validated(self.query_class, request.query_params)
        return Response(self.serializer_class(self.report(cooperative_named(slug), query)).data)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="A new random value (a UUID) per checkout; a retry with the same key and body "
    "returns the first result (200) instead of ordering twice.",
)


class OrderingView(APIView):
    """A POST that places orders (a checkout, an award): counted toward the `checkout` rate,
    and done once per `Idempotency-Key` (`IDEMPOTENCY_KEY`), a retry answering the first
    result."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedWriteRateThrottle]
    throttle_scope = "checkout"

    def idempotency_key(self) -> str:
        return self.request.headers.get("Idempotency-Key", "")

    def placed(self, body: Any, *, is_replay: bool) -> Response:
        """201 with the new orders, or 200 with the first result when this is a retry."""
        if is_replay:
            return Response(body, headers={"Idempotent-Replayed": "true"})
        return Response(body, status=status.HTTP_201_CREATED)
