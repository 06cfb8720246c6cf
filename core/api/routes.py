"""An app's API routes as a table, one row a line, like the pages' `PAGES` in frontend/urls.py:
`(route, view class, name)` or `(route, view class, name, {initkwargs})`; and the action paths
the contract writes with a trailing slash, answered without it too."""

from typing import Any

from django.urls import URLPattern, path

Row = tuple[str, Any, str] | tuple[str, Any, str, dict[str, Any]]


def routes(table: list[Row]) -> list[URLPattern]:
    """The `urlpatterns` of the table: each view class as a view, under its name."""
    return [
        path(row[0], row[1].as_view(**(row[3] if len(row) > 3 else {})), name=row[2])
        for row in table
    ]


def one_per(values: Any, kwarg: str, route: str, view: Any, name: str) -> list[Row]:
    """A row per value of the view's `kwarg` (a decision, an action: one view serves them all),
    the value standing for `{}` in the route and the name."""
    return [(route.format(value), view, name.format(value), {kwarg: value}) for value in values]


def slash_optional(route: str, view: Any, name: str) -> list[URLPattern]:
    """The contract's path, ending in a slash (the one in the schema), and the same path without
    it, answered alike for the clients written against the first routes (left out of the
    schema, so each operation is documented once)."""
    return [
        path(f"{route}/", view.as_view(), name=name),
        path(route, view.as_view(schema=None), name=f"{name}-no-slash"),
    ]
