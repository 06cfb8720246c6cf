"""Progress of a catalogue import while the request that runs it is still working.

The import runs in one transaction, so its progress cannot live in the database (nobody else
would see it before the commit). It goes to the cache instead, which every web process shares
when REDIS_URL is set (the local-memory cache serves one process: the development server). A
page polls it with htmx while the upload's request runs. Keys are per cooperative, person and a
random token the import form carries, so nobody reads another's progress."""

import re
import secrets
from dataclasses import asdict, dataclass

from django.core.cache import cache

KEEP_SECONDS = 15 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class ImportProgress:
    stage: str  # "check", "write" or "done" ("failed" when nothing was imported)
    done: int
    total: int


def new_token() -> str:
    return secrets.token_urlsafe(16)


def is_token(value: str) -> bool:
    return bool(TOKEN.match(value or ""))


def _key(cooperative_id: int, user_id: int, token: str) -> str:
    return f"catalogue-import:{cooperative_id}:{user_id}:{token}"


def record(cooperative_id: int, user_id: int, token: str, progress: ImportProgress) -> None:
    cache.set(_key(cooperative_id, user_id, token), asdict(progress), KEEP_SECONDS)


def read(cooperative_id: int, user_id: int, token: str) -> ImportProgress | None:
    found = cache.get(_key(cooperative_id, user_id, token))
    return ImportProgress(**found) if isinstance(found, dict) else None
