"""Read statements compiled once per database connection: for the hot catalogue reads whose
ORM query costs more to build and compile than to run (the catalogue version, the card rows, the
unfiltered catalogue's page of ids and its count's cache key). The SQL and the conversion of the
values are Django's own, so the answer is the queryset's."""

from collections.abc import Callable, Hashable, Sequence
from functools import cached_property
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet


def _compiled(model: type[Model], key: Any, build: Callable[[], QuerySet]) -> tuple[Any, ...]:
    """(sql, params, compiler, converters) of `build()`'s query, compiled the first time `key`
    is asked on this thread's connection (converters: what `compiler.results_iter` applies to
    each row, found once)."""
    database = connections[router.db_for_read(model)]  # this thread's connection
    statements: dict[Any, Any] = database.__dict__.setdefault("_minga_statements", {})
    found = statements.get(key)
    if found is None:
        compiler = build().query.get_compiler(connection=database)
        sql, compiled = compiler.as_sql()
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):  # pragma: no cover - none of ours
            raise RuntimeError("A composite field's values need results_iter.")
        converters = compiler.get_converters(fields)
        found = statements[key] = (sql, tuple(compiled), compiler, converters)
    return found  # type: ignore[no-any-return]


def _run(model: type[Model], sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()  # type: ignore[no-any-return]


def rows(
    model: type[Model],
    key: Any,
    build: Callable[[], QuerySet],
    params: Sequence[Any] | None = None,
) -> list[tuple[Any, ...]]:
    """`list(build())` for a `values_list` queryset, its statement compiled the first time `key`
    is asked on this thread's connection. With `params`, they replace the compiled ones (same
    number, same places: `build` then uses stand-ins of the same shape)."""
    sql, compiled, compiler, converters = _compiled(model, key, build)
    if params is not None and len(params) != len(compiled):  # pragma: no cover - a wrong key
        raise RuntimeError("A compiled statement takes as many values as it was compiled with.")
    fetched = _run(model, sql, compiled if params is None else list(params))
    if not converters:
        return fetched
    # `compiler.results_iter(results=[fetched], tuple_expected=True)`, its converters found once.
    return [tuple(row) for row in compiler.apply_converters(fetched, converters)]


class Prepared:
    """A queryset whose SQL is fixed by `key` but for some integers (`values`: ids that differ
    from one reader to another), read through statements compiled once per key on each
    connection: a page of its ids (`ids`) and its statements' SQL and parameters (`statement`,
    e.g. for a cache key). `build(values)` returns the queryset; it is built with stand-ins in
    place of the values to compile, and with the values themselves only when something asks
    for the queryset (`queryset`)."""

    def __init__(
        self,
        model: type[Model],
        key: Hashable,
        build: Callable[[list[int]], QuerySet],
        values: Sequence[int] = (),
    ) -> None:
        self.model = model
        self.key = key
        self.build = build
        self.values = list(values)

    @cached_property
    def queryset(self) -> QuerySet:
        return self.build(self.values)

    def statement(
        self, name: Hashable, shape: Callable[[QuerySet], QuerySet]
    ) -> tuple[str, tuple[Any, ...]]:
        """The SQL and parameters of `shape(self.queryset)`, compiled once per `name`."""
        stand_ins = list(range(-len(self.values), 0))  # no row has these ids: only their places

        def build() -> QuerySet:
            return shape(self.build(stand_ins))

        sql, compiled, _compiler, _converters = _compiled(self.model, (self.key, name), build)
        places = [index for index, value in enumerate(compiled) if value in stand_ins]
        if sorted(compiled[index] for index in places) != stand_ins:  # pragma: no cover
            raise RuntimeError("Each stand-in must be one parameter of the compiled statement.")
        params = list(compiled)
        for index in places:
            params[index] = self.values[stand_ins.index(compiled[index])]
        return sql, tuple(params)

    def ids(self, bottom: int, top: int) -> list[int]:
        """`list(self.queryset.values_list("pk", flat=True)[bottom:top])`."""
        if top <= bottom:
            return []  # what the ORM answers for an empty slice, without a query
        sql, params = self.statement("ids", lambda queryset: queryset.values_list("pk"))
        database = connections[router.db_for_read(self.model)]
        # The clause the compiler appends last to a slice (no lock, no union here).
        limits = database.ops.limit_offset_sql(bottom, top)
        return [row[0] for row in _run(self.model, f"{sql} {limits}", params)]
