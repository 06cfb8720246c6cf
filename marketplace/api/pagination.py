"""The API's catalogue pages: `count` stops at a limit (see marketplace/pagination.py); with
`cursor`, keyset pages without a count (docs/catalogue.md, "Keyset pages")."""

import base64
import binascii
import json
from functools import partial
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.api.pagination import StandardPagination
from core.statements import Prepared
from marketplace import cards
from marketplace.pagination import CappedPaginator


class ListingPagination(StandardPagination):
    # The page's rows are read by id alone (the filters were applied when finding the ids), as
    # stored cards with what is read live (marketplace/cards.py).
    django_paginator_class = partial(CappedPaginator, fetch_rows=cards.card_rows)  # type: ignore[assignment]

    cursor_query_param = "cursor"
    # The orderings a cursor can follow: the sort field and whether it goes down. A search's
    # relevance has no stable key to continue from.
    KEYSETS: dict[tuple[str, ...], tuple[str, bool]] = {
        ("-published_at", "-id"): ("published_at", True),
        ("price_amount", "id"): ("price_amount", False),
        ("-price_amount", "-id"): ("price_amount", True),
    }

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.keyset_next: str | None = None
        self.keyset = self.cursor_query_param in request.query_params
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        return self._keyset_page(queryset, request)

    def _refuse(self) -> ValidationError:
        return ValidationError(
            {
                self.cursor_query_param: [
                    _(
                        "Give the cursor of a `next` link, or an empty one to start; cursors "
                        "follow the newest and price orderings of the published catalogue, "
                        "not a search or a status."
                    )
                ]
            }
        )

    def _keyset_page(self, listings: Any, request: Request) -> list[cards.CardRow]:
        """The page after the cursor's row: one narrow query for page_size + 1 ids (the extra
        one says whether there is a next page), no count."""
        queryset: QuerySet = listings.queryset if isinstance(listings, Prepared) else listings
        keyset = self.KEYSETS.get(tuple(str(key) for key in queryset.query.order_by))
        if keyset is None or "status" in request.query_params:
            raise self._refuse()
        field, descending = keyset
        text = request.query_params.get(self.cursor_query_param, "")
        if text:
            try:
                value, last_id = json.loads(base64.urlsafe_b64decode(text.encode()))
                if field == "published_at":
                    value = parse_datetime(value)
                if value is None or not isinstance(last_id, int):
                    raise ValueError(text)
            except (ValueError, TypeError, binascii.Error):
                raise self._refuse() from None
            after = "lt" if descending else "gt"
            queryset = queryset.filter(
                Q(**{f"{field}__{after}": value}) | Q(**{field: value, f"pk__{after}": last_id})
            )
        size = self.get_page_size(request) or self.page_size
        found = list(queryset.values_list("pk", field)[: size + 1])
        if len(found) > size:
            value, last_id = found[size - 1][1], found[size - 1][0]
            value = value.isoformat() if field == "published_at" else value
            self.keyset_next = base64.urlsafe_b64encode(
                json.dumps([value, last_id]).encode()
            ).decode()
        ids = [pk for pk, _value in found[:size]]
        rows = {row.pk: row for row in cards.card_rows(ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def _envelope(self) -> dict[str, Any]:
        if self.keyset:
            assert self.request is not None
            url = self.request.build_absolute_uri()
            return {
                "count": None,
                "count_is_capped": None,
                "next": replace_query_param(url, self.cursor_query_param, self.keyset_next)
                if self.keyset_next
                else None,
                "previous": None,
            }
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

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Keyset pages: empty for the first, then the `cursor` of the "
                "`next` link. No count (`count` is null), so a page costs the same however deep; "
                "for the newest and price orderings, not a search or `status`.",
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_capped"] = {
            "type": "boolean",
            "nullable": True,
            "description": "True when more listings match than `count` says (the count stops "
            "at a limit). Null with `cursor`.",
        }
        response["properties"]["count"] = {
            **response["properties"]["count"],
            "nullable": True,
            "description": "Null with `cursor` (keyset pages are not counted).",
        }
        return response
