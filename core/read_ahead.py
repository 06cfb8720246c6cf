"""Cache reads fetched ahead, together: a request that will read several cache keys one after
another (a signed-in catalogue request: its API token, its stored answer, the catalogue's count)
asks for them in one round trip (`fetched_ahead`), and the code that reads each of them later
(`get`) is answered from that fetch instead of asking the cache again.

Each fetched value serves one read: a second read of the same key, a key not fetched ahead and
any read outside the `with` block ask the cache as usual. So a value is never older than it
would be without the read-ahead by more than the few steps between the fetch and its use, and
a key the request itself writes is read back from the cache.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache

_ABSENT = object()  # fetched ahead: not in the cache
_NOT_FETCHED = object()
_FETCHED: ContextVar[dict[str, Any] | None] = ContextVar("minga_cache_read_ahead", default=None)


@contextmanager
def fetched_ahead(keys: Iterable[str]) -> Iterator[None]:
    """Fetch these keys in one round trip for the reads inside the block."""
    wanted = list(dict.fromkeys(keys))
    found = cache.get_many(wanted) if wanted else {}
    token = _FETCHED.set({key: found.get(key, _ABSENT) for key in wanted})
    try:
        yield
    finally:
        _FETCHED.reset(token)


def get(key: str) -> Any:
    """`cache.get(key)`, or what `fetched_ahead` found for it (once)."""
    fetched = _FETCHED.get()
    value = _NOT_FETCHED if fetched is None else fetched.pop(key, _NOT_FETCHED)
    if value is _NOT_FETCHED:
        return cache.get(key)
    return None if value is _ABSENT else value
