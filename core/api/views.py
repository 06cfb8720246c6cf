"""Views every app's API builds on."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.responses import WRITE_REFUSALS, refusals
from core.api.serializers import validated
from core.api.throttling import ScopedWriteRateThrottle


def first_or_404(queryset: QuerySet[Any], detail: str | None = None) -> Any:
    """The first row of `queryset`, or a 404 whose `detail` says what is missing."""
    found = queryset.first()
    if found is None:
        raise NotFound(detail)
    return found


class DescribedListView(generics.ListAPIView):
    """A list whose schema follows from its attributes: `query_class` (the query parameters, if
    any; `self.query()` validates them or answers 400), `serializer_class` (one item), `errors`
    and `description`."""

    filter_backends: list[type] = []
    query_class: type | None = None
    errors: dict[int, Any] = {}
    description = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.description and cls.serializer_class is not None:
            extend_schema_view(  # the GET only: a subclass may add a POST of its own
                get=extend_schema(
                    parameters=[cls.query_class] if cls.query_class else None,
                    responses={200: cls.serializer_class(many=True), **cls.errors},
                    description=cls.description,
                )
            )(cls)

    def query(self) -> dict[str, Any]:
        assert self.query_class is not None
        return validated(self.query_class, self.request.query_params)


class OneCooperativeListView(DescribedListView):
    """A list of one cooperative's items: `?cooperative=` names it, `cooperative(slug)` finds it
    for the caller (else 404), and the other query parameters are `select`'s keywords."""

    permission_classes = [IsAuthenticated]
    errors = refusals(400, 404)
    select: Callable[..., Any]

    def cooperative(self, slug: str) -> Any:
        raise NotImplementedError

    def get_queryset(self) -> Any:
        query = self.query()
        cooperative = self.cooperative(query.pop("cooperative"))
        return type(self).select(user=self.request.user, cooperative=cooperative, **query)


class ListCreateView(DescribedListView):
    """A list that also takes a POST making one item: `input_class` validates the body (400),
    `create(data)` calls the service and returns the new item as the caller sees it, answered
    201 in `serializer_class`. The POST's schema follows from `input_class` (or `create_request`,
    to name its media types), `create_errors` and `create_description`, as the GET's does."""

    input_class: type
    create_request: Any = None
    create_errors: dict[int, Any] = WRITE_REFUSALS
    create_description = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.create_description:
            extend_schema_view(
                post=extend_schema(
                    request=cls.create_request or cls.input_class,
                    responses={201: cls.serializer_class, **cls.create_errors},
                    description=cls.create_description,
                )
            )(cls)

    def create(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.create(validated(self.input_class, request.data))
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)


class MessageThreadView(generics.ListAPIView):
    """A thread of messages between two parties (an order's, a request for quotes'): read by its
    parties, oldest first; writing in it counts toward the `messages` rate, reading never does."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedWriteRateThrottle]
    throttle_scope = "messages"
    filter_backends: list[type] = []


class ObjectView(APIView):
    """What the views of one object the caller may see share: `target()` finds the object the
    path names (404 when the caller may not see it), and an answer is one `serializer_class` (a
    list of them with `many`), given `answer_context()`."""

    permission_classes = [IsAuthenticated]
    serializer_class: type
    many = False

    def target(self) -> Any:
        """The object the path names, visible to the caller (else 404); None when it names none."""
        return None

    def answer_context(self) -> dict[str, Any]:
        """What the answer's serializer is given besides the object (none by default)."""
        return {}

    def answer(self, result: Any, code: int = status.HTTP_200_OK) -> Response:
        body = self.serializer_class(result, many=self.many, context=self.answer_context()).data
        return Response(body, status=code)


class DetailView(ObjectView):
    """GET the object, for whoever may see it; the schema from `description` and `errors`."""

    errors: dict[int, Any] = refusals(401, 404)
    description = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.description:
            extend_schema(
                responses={200: cls.serializer_class, **cls.errors}, description=cls.description
            )(cls)

    def get(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.target())


class ActionView(ObjectView):
    """A POST that acts on the object, in three steps every action takes in this order:
    `target()` finds it (404), `input_class` validates the body (400; no body when None), and
    `act(target, data)` calls the service and returns what to answer (None: the object as it is
    after the action, found again), 201 with `created`, else 200. The schema follows from these attributes, `errors`, `parameters` and `description`, as
    a list's does (`DescribedListView`)."""

    input_class: type | None = None
    created = False
    errors: dict[int, Any] = WRITE_REFUSALS
    parameters: list[Any] = []
    description = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.description:
            answer = cls.serializer_class(many=True) if cls.many else cls.serializer_class
            extend_schema(
                request=cls.input_class,
                parameters=cls.parameters or None,
                responses={cls.success_status(): answer, **cls.errors},
                description=cls.description,
            )(cls)

    @classmethod
    def success_status(cls) -> int:
        return status.HTTP_201_CREATED if cls.created else status.HTTP_200_OK

    def act(self, target: Any, data: dict[str, Any]) -> Any | None:
        raise NotImplementedError

    def post(self, request: Request, **kwargs: Any) -> Response:
        target = self.target()
        data = validated(self.input_class, request.data) if self.input_class else {}
        result = self.act(target, data)
        return self.answer(self.target() if result is None else result, self.success_status())


class FileFormatView(APIView):
    """A view whose `?format=` asks for a file it writes itself (CSV, PDF), not for one of DRF's
    renderers: content negotiation must not refuse that query (404) before the view reads it."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)
