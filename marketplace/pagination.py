"""Catalogue pages, shared by the API and the pages. Two things keep a page fast over a large
catalogue:

- the count stops at LISTING_COUNT_LIMIT and selects only ids, so a broad query never counts
  every row nor computes anything per row (`is_capped` says when it stopped);
- a page is found as a list of ids first (a narrow query the covering indexes answer alone),
  then only those rows are read in full (`fetch_rows`, e.g. `selectors.listing_rows`);
- a search ranks its (bounded) candidates anyway, so its page of ids and its count come from one
  query; its count stops at SEARCH_CANDIDATE_LIMIT, the number of candidates it ranks.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property

from core import read_ahead, statements
from marketplace import catalogue_version


def _queryset(listings: Any) -> QuerySet:
    return listings.queryset if isinstance(listings, statements.Prepared) else listings  # type: ignore[no-any-return]


def _counted(queryset: QuerySet, limit: int) -> QuerySet:
    return queryset.order_by().values("pk")[: limit + 1]


def count_cache_key(listings: Any, limit: int, version: catalogue_version.Version) -> str:
    """Where the count of `listings` (a queryset or a `statements.Prepared` one) stopped at
    `limit` is kept under the catalogue `version`: its SQL and parameters, the same for every
    reader given the same listings (a prepared queryset's compiled once per kind of reader)."""
    if isinstance(listings, statements.Prepared):
        sql, params = listings.statement(
            ("count", limit), lambda queryset: _counted(queryset, limit)
        )
    else:
        sql, params = _counted(listings, limit).query.sql_with_params()
    digest = hashlib.sha256(repr((version.number, sql, params)).encode()).hexdigest()[:32]
    return f"catalogue:count:{digest}"


class CappedPaginator(Paginator):
    """Pages a queryset, or a `statements.Prepared` one (its statements compiled once).
    `fetch_rows(ids)` reads the page's rows (anything with a `pk`); by default the list's own
    queryset."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        fetch_rows: Callable[[list[int]], Iterable[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.fetch_rows = fetch_rows or (
            lambda ids: _queryset(object_list).order_by().filter(pk__in=ids)
        )

    @cached_property
    def limit(self) -> int:
        """Where the count stops: a search ranks (and counts) a bounded set of candidates."""
        if self._counts_while_ranking(self.object_list):  # type: ignore[arg-type]
            return min(settings.SEARCH_CANDIDATE_LIMIT, settings.LISTING_COUNT_LIMIT)
        return settings.LISTING_COUNT_LIMIT

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        """Capped; kept in the cache under the catalogue version the request read first, so
        the same filters are counted once per version whoever asks (signed-in readers, whose
        pages are built, included)."""
        version = catalogue_version.READ_BY_REQUEST.get()
        seconds = settings.CATALOGUE_RESPONSE_CACHE_SECONDS
        if version is None or not seconds:
            return _counted(_queryset(self.object_list), self.limit).count()
        try:
            key = count_cache_key(self.object_list, self.limit, version)
        except EmptyResultSet:  # `.none()`, e.g. the page of refused filters: none to count
            return 0
        found = read_ahead.get(key)  # fetched with the answer's own key (marketplace/http_cache.py)
        if found is None:
            found = _counted(_queryset(self.object_list), self.limit).count()
            cache.set(key, found, seconds)
        return int(found)

    @property
    def is_capped(self) -> bool:
        return self.count > self.limit

    def _counts_while_ranking(self, queryset: Any) -> bool:
        """A search sorts every match to rank it, so the same pass can count them."""
        if isinstance(queryset, statements.Prepared):
            return False  # the unfiltered catalogue: no search
        return "relevance" in queryset.query.annotations

    def page(self, number: Any) -> Page:
        queryset: Any = self.object_list
        ids: list[int] | None = None
        if self._counts_while_ranking(queryset) and "count" not in self.__dict__:
            try:
                wanted = max(int(number), 1)
            except (TypeError, ValueError):
                wanted = 1
            bottom = (wanted - 1) * self.per_page
            found = list(
                queryset.annotate(matches=Window(Count("*"))).values_list("pk", "matches")[
                    bottom : bottom + self.per_page
                ]
            )
            if found:
                self.__dict__["count"] = found[0][1]
                ids = [pk for pk, _matches in found]
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if isinstance(queryset, statements.Prepared):
            ids = queryset.ids(bottom, top)
        elif ids is None or bottom != (number - 1) * self.per_page:
            ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        if self._counts_while_ranking(queryset):
            ids = ids[: max(0, self.limit - bottom)]  # the extra candidate only says "more"
        rows = {row.pk: row for row in self.fetch_rows(ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)  # type: ignore[attr-defined]
