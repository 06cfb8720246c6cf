"""An app's API routes as a table, one row a line, like the pages' `PAGES` in frontend/urls.py:
`(route, view class, name)` or `(route, view class, name, {initkwargs})`."""

from typing import Any

from django.urls import URLPattern, path

Row = tuple[str, Any, str] | tuple[str, Any, str, dict[str, Any]]


def routes(table: list[Row]) -> list[URLPattern]:
    """The `urlpatterns` of the table: each view class as a view, under its name."""
    return [
        path(row[0], row[1].as_view(**(row[3] if len(row) > 3 else {})), name=row[2])
        for row in table
    ]
