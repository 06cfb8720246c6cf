"""Catalogue pages: the count stops at LISTING_COUNT_LIMIT so a broad query over a large
catalogue never counts every row (the page links stop there too)."""

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.response import Response

from core.api.pagination import StandardPagination


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:  # type: ignore[override]
        limit = settings.LISTING_COUNT_LIMIT
        return min(self.object_list.order_by()[: limit + 1].count(), limit + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > settings.LISTING_COUNT_LIMIT


class ListingPagination(StandardPagination):
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        paginator = self.page.paginator
        return Response(
            {
                "count": min(paginator.count, settings.LISTING_COUNT_LIMIT),
                "count_is_capped": paginator.is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_capped"] = {
            "type": "boolean",
            "description": "True when more listings match than `count` says (the count stops "
            "at a limit).",
        }
        return response
