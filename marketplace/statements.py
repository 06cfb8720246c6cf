"""Read statements compiled once per database connection: for the hot catalogue reads whose
ORM query costs more to build and compile than to run (the catalogue version, the card rows).
The SQL and the conversion of the values are Django's own, so the answer is the queryset's."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet


def rows(
    model: type[Model],
    key: Any,
    build: Callable[[], QuerySet],
    params: Sequence[Any] | None = None,
) -> list[tuple[Any, ...]]:
    """`list(build())` for a `values_list` queryset, its statement compiled the first time `key`
    is asked on this thread's connection. With `params`, they replace the compiled ones (same
    number, same places: `build` then uses stand-ins of the same shape)."""
    database = connections[router.db_for_read(model)]  # this thread's connection
    statements: dict[Any, Any] = database.__dict__.setdefault("_minga_statements", {})
    found = statements.get(key)
    if found is None:
        compiler = build().query.get_compiler(connection=database)
        sql, compiled = compiler.as_sql()
        found = statements[key] = (sql, tuple(compiled), compiler)
    sql, compiled, compiler = found
    if params is not None and len(params) != len(compiled):  # pragma: no cover - a wrong key
        raise RuntimeError("A compiled statement takes as many values as it was compiled with.")
    with database.cursor() as cursor:
        cursor.execute(sql, compiled if params is None else list(params))
        fetched = cursor.fetchall()
    return list(compiler.results_iter(results=[fetched], tuple_expected=True))
