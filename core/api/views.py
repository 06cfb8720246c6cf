"""Views every app's API builds on."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics

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
