"""Views every app's API builds on."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.responses import WRITE_REFUSALS
from core.api.serializers import validated


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
            extend_schema(
                parameters=[cls.query_class] if cls.query_class else None,
                responses={200: cls.serializer_class(many=True), **cls.errors},
                description=cls.description,
            )(cls)

    def query(self) -> dict[str, Any]:
        assert self.query_class is not None
        return validated(self.query_class, self.request.query_params)


class ActionView(APIView):
    """A POST that acts on one object the caller may see, in three steps every action takes in
    this order: `target()` finds the object its path names (404 when the caller may not see it),
    `input_class` validates the body (400; no body when None), and `act(target, data)` calls the
    service and returns what to answer: one `serializer_class` (a list of them with `many`),
    201 with `created`, else 200. The schema follows from these attributes, `errors`,
    `parameters` and `description`, as a list's does (`DescribedListView`)."""

    permission_classes = [IsAuthenticated]
    input_class: type | None = None
    serializer_class: type
    many = False
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

    def target(self) -> Any:
        """The object the path names, visible to the caller (else 404); None when it names none."""
        return None

    def act(self, target: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def answer_context(self) -> dict[str, Any]:
        """What the answer's serializer is given besides the object (none by default)."""
        return {}

    def post(self, request: Request, **kwargs: Any) -> Response:
        target = self.target()
        data = validated(self.input_class, request.data) if self.input_class else {}
        result = self.act(target, data)
        body = self.serializer_class(result, many=self.many, context=self.answer_context()).data
        return Response(body, status=self.success_status())
