"""URL helpers shared by the apps' API routes."""

from typing import Any

from django.urls import URLPattern, path


def slash_optional(route: str, view: Any, name: str) -> list[URLPattern]:
    """The contract's path, ending in a slash (the one in the schema), and the same path without
    it, answered alike for the clients written against the first routes (left out of the
    schema, so each operation is documented once)."""
    return [
        path(f"{route}/", view.as_view(), name=name),
        path(route, view.as_view(schema=None), name=f"{name}-no-slash"),
    ]
