"""The catalogue's version: a number that goes up after every committed change a reader of the
catalogue could notice, so anonymous catalogue responses can be cached and validated against it.

It lives in the database (one row), not in the cache, so every app server agrees on it whether
or not a shared cache (Redis) is configured. Writers call `changed()`: the row is bumped after
their transaction commits, in its own short statement, so concurrent writers (checkouts) never
wait on it while they hold their own locks. A reader reads the version *before* the data, so a
response built from older data can only be stored under an older version.
"""

import contextvars
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from core import statements

logger = logging.getLogger(__name__)

ROW_ID = 1


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime


# The version a catalogue request read before its data (marketplace/http_cache.py), for what
# is cached under it while the request is built (the capped counts, marketplace/pagination.py).
READ_BY_REQUEST: contextvars.ContextVar[Version | None] = contextvars.ContextVar(
    "catalogue_version_read_by_request", default=None
)


def current() -> Version:
    """The version now (one primary-key read, `.first()`'s statement compiled once)."""
    from marketplace.models import CatalogueVersion

    found = statements.rows(
        CatalogueVersion,
        "catalogue version",  # read before every catalogue answer: compiled once
        lambda: (
            CatalogueVersion.objects.filter(pk=ROW_ID)
            .values_list("number", "changed_at")
            .order_by("pk")[:1]
        ),
    )
    if not found:
        return Version(0, datetime(2000, 1, 1, tzinfo=UTC))
    return Version(*found[0])


def bump() -> None:
    """Bump the version now (outside any transaction: see `changed`). After every checkout:
    the ORM's `UPDATE` is compiled once per connection (`core.statements.update`), and each
    bump runs it with its own time."""
    from marketplace.models import CatalogueVersion

    if not statements.update(
        CatalogueVersion, "catalogue version bump", _bumped, changed_at=timezone.now()
    ):
        CatalogueVersion.objects.get_or_create(pk=ROW_ID, defaults={"number": 1})


def _bumped(changed_at: datetime) -> tuple[QuerySet, dict[str, Any]]:
    """The statement of `bump`: `CatalogueVersion.objects.filter(pk=ROW_ID).update(...)`."""
    from marketplace.models import CatalogueVersion

    return CatalogueVersion.objects.filter(pk=ROW_ID), {
        "number": F("number") + 1,
        "changed_at": changed_at,
    }


def bump_after_migrate(*, using: str = "default", **_kwargs: Any) -> None:
    """post_migrate: a deploy (new templates, serializers, translations) changes what readers see."""
    from django.db import connections

    from marketplace.models import CatalogueVersion

    connection = connections[using]
    if CatalogueVersion._meta.db_table in connection.introspection.table_names():
        updated = CatalogueVersion.objects.using(using).filter(pk=ROW_ID)
        updated.update(number=F("number") + 1, changed_at=timezone.now())


def changed(*_args: Any, **_kwargs: Any) -> None:
    """Something a catalogue reader sees changed: bump the version once the change is committed
    (at once when there is no transaction). Also usable as a signal receiver."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Once per atomic block is enough (an import saves many listings): skip when a bump is
        # already due under the same savepoints, which no rollback can cancel without
        # cancelling this change too.
        open_savepoints = set(connection.savepoint_ids)
        for savepoints, function, _robust in reversed(connection.run_on_commit):
            if function is bump and savepoints == open_savepoints:
                return
    transaction.on_commit(bump, robust=True)
