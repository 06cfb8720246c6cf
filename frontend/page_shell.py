"""The page around a catalogue page's content (`frontend/base.html`: the header with the menu and
cart, the messages, the footer with the language switcher), rendered once per kind of reader.

A signed-in catalogue page is built for each reader, but its shell differs between readers only
in a few values: their CSRF token, their name, the page's address (the language switcher's
`next`), and for some pages their title. Everything else it shows depends on few things: the
language, the page, whether the reader is signed in, a superuser or in the credit committee, a
moderator, and how many lines their carts hold. So the shell is rendered through the same template once per such kind, with
markers where the reader's own values go, and kept in this process (`_SHELLS`); each page fills
the markers in, escaped as the template escapes them, and puts its content between the two
halves. A page with messages to show is rendered in full, as before (they are shown once).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from frontend.templatetags.minga import reader_cart_count

# Markers: letters, digits and dashes, which escaping leaves as they are.
_CSRF = "minga-shell-csrf-1b7e2c"
_NAME = "minga-shell-name-1b7e2c"
_PATH = "minga-shell-path-1b7e2c"
_CONTENT = "minga-shell-content-1b7e2c"
_TITLE = "minga-shell-title-1b7e2c"
_MARKERS = re.compile(f"{_CSRF}|{_NAME}|{_PATH}|{_TITLE}")
_CREDIT_COMMITTEE = "credit_committee"
_MOST_SHELLS = 512

_SHELLS: dict[tuple[Any, ...], tuple[str, str]] = {}


@dataclass(frozen=True)
class _Reader:
    """What the shell reads of a signed-in reader (base.html), their name as a marker."""

    is_superuser: bool
    group_names: frozenset[str]
    is_moderator: bool
    is_authenticated: bool = True
    name: str = _NAME


class _ShellRequest:
    """The request as the shell's template sees it, its address a marker."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def get_full_path(self) -> str:
        return _PATH


def _shell(
    request: HttpRequest, template: str, context: Mapping[str, Any], key: tuple[Any, ...]
) -> tuple[str, str]:
    found = _SHELLS.get(key)
    if found is None:
        user = request.user
        if user.is_authenticated:
            committee = user.is_superuser or _CREDIT_COMMITTEE in user.group_names  # type: ignore[union-attr]
            reader: Any = _Reader(
                is_superuser=user.is_superuser,
                group_names=frozenset({_CREDIT_COMMITTEE}) if committee else frozenset(),
                is_moderator=user.is_moderator,  # type: ignore[union-attr]
            )
        else:
            reader = user
        text = render_to_string(
            template,
            {**context, "user": reader, "csrf_token": _CSRF, "shared_content": _CONTENT},
            _ShellRequest(request),  # type: ignore[arg-type]
        )
        before, _content, after = text.partition(_CONTENT)
        if len(_SHELLS) >= _MOST_SHELLS:
            _SHELLS.clear()
        found = _SHELLS[key] = (before, after)
    return found


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    content: str,
    *,
    title: str | None = None,
) -> str:
    """`render_to_string(template, {**context, "shared_content": content}, request)` for a
    template extending base.html that shows `shared_content` once and reads nothing of the
    request, the user or the context but what `_shell`'s key names. A page whose title is its
    own (a cooperative's name) gives it as `title`, shown by the template as `page_title`: one
    shell then serves every such page."""
    if title is not None:
        context = {**context, "page_title": _TITLE}
    if len(get_messages(request)):  # type: ignore[arg-type]
        safe = mark_safe(content)  # noqa: S308  # nosec B308 B703 (rendered by our template, autoescaped)
        whole = {**context, "shared_content": safe}
        if title is not None:
            whole["page_title"] = title
        return render_to_string(template, whole, request)
    user = request.user
    signed_in = bool(user.is_authenticated)
    kind: tuple[Any, ...] = (signed_in,)
    if signed_in:
        kind = (
            signed_in,
            user.is_superuser,
            _CREDIT_COMMITTEE in user.group_names,  # type: ignore[union-attr]
            user.is_moderator,  # type: ignore[union-attr]
            reader_cart_count(request),
        )
    match = request.resolver_match
    shown = {name: value for name, value in context.items() if name != "csrf_token"}
    key = (
        template,
        get_language(),
        match.url_name if match else None,
        kind,
        tuple(sorted((name, repr(value)) for name, value in shown.items())),
    )
    before, after = _shell(request, template, shown, key)
    values = {
        _CSRF: escape(context.get("csrf_token") or get_token(request)),
        _NAME: escape(getattr(user, "name", "")),
        _PATH: escape(request.get_full_path()),
        _TITLE: escape(title or ""),
    }

    def fill(text: str) -> str:
        return _MARKERS.sub(lambda found: values[found.group()], text)

    return f"{fill(before)}{content}{fill(after)}"
