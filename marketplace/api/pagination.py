"""Catalogue pages. Two things keep a page fast over a large catalogue:

- the count stops at LISTING_COUNT_LIMIT and selects only ids, so a broad query never counts
  every row nor computes anything per row (`count_is_capped` says when it stopped);
- a page is found as a list of ids first (a narrow query the covering indexes answer alone),
  then only those rows are read in full, with their seller, category and images.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.response import Response

from core.api.pagination import StandardPagination
from marketplace import selectors


class CappedPaginator(Paginator):
    """`fetch_rows(ids)` reads the page's rows in full; by default the list's own queryset."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        fetch_rows: Callable[[list[int]], QuerySet] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.fetch_rows = fetch_rows or (lambda ids: object_list.order_by().filter(pk__in=ids))

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        limit = settings.LISTING_COUNT_LIMIT
        return self.object_list.order_by().values("pk")[: limit + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > settings.LISTING_COUNT_LIMIT

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.fetch_rows(ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class ListingPagination(StandardPagination):
    # The page's rows are read by id alone: the filters were applied when finding the ids.
    django_paginator_class = partial(CappedPaginator, fetch_rows=selectors.listing_rows)

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
