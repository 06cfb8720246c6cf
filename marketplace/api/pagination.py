"""The API's catalogue pages: `count` stops at a limit (see marketplace/pagination.py)."""

from functools import partial
from typing import Any

from rest_framework.response import Response

from core.api.pagination import StandardPagination
from marketplace import selectors
from marketplace.pagination import CappedPaginator


class ListingPagination(StandardPagination):
    # The page's rows are read by id alone: the filters were applied when finding the ids.
    django_paginator_class = partial(CappedPaginator, fetch_rows=selectors.listing_rows)  # type: ignore[assignment]

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator: CappedPaginator = self.page.paginator  # type: ignore[assignment]
        return Response(
            {
                "count": min(paginator.count, paginator.limit),
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
