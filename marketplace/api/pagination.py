"""The API's catalogue pages: `count` stops at a limit (see marketplace/pagination.py)."""

from functools import partial
from typing import Any

from rest_framework.response import Response

from core.api.pagination import StandardPagination
from marketplace import cards
from marketplace.pagination import CappedPaginator


class ListingPagination(StandardPagination):
    # The page's rows are read by id alone (the filters were applied when finding the ids), as
    # stored cards with what is read live (marketplace/cards.py).
    django_paginator_class = partial(CappedPaginator, fetch_rows=cards.card_rows)  # type: ignore[assignment]

    def _envelope(self) -> dict[str, Any]:
        assert self.page is not None
        paginator: CappedPaginator = self.page.paginator  # type: ignore[assignment]
        return {
            "count": min(paginator.count, paginator.limit),
            "count_is_capped": paginator.is_capped,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
        }

    def get_paginated_response(self, data: Any) -> Response:
        return Response({**self._envelope(), "results": data})

    def paginated_json(self, results: str) -> str:
        """The page as JSON text, the results already written (cards.Renderer)."""
        envelope = cards.dumps(self._envelope())
        return f'{envelope[:-1]},"results":{results}}}'

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_capped"] = {
            "type": "boolean",
            "description": "True when more listings match than `count` says (the count stops "
            "at a limit).",
        }
        return response
