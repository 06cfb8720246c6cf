"""Statements compiled once per database connection, for the hot paths whose ORM querysets cost
more to build and compile on every request than the database spends running them: the
catalogue's version and card rows, its unfiltered page of ids, a signed-in reader's user, the
checkout's reads, lock, stock update and inserts (docs/orders.md "Checkout cost",
docs/catalogue.md).

A statement is built once per connection and key from stand-in values and compiled by Django;
each call runs that SQL with its own values in the stand-ins' places, and Django's converters
turn the values read into Python's (found once). The values a statement takes are named:

- an int (an id): a stand-in below any real id;
- a str (a slug): a stand-in no slug can be;
- a list of ints: one stand-in each (the key must name the list's length);
- an aware datetime (a `DateTimeField`'s value): a stand-in time, prepared as Django prepares a
  datetime for this database.

`build(**values)` must put each value into the statement as it is (a parameter, not a branch of
its Python), so that the same SQL answers for every call: the same SQL, the same answers, the
same instances as the ORM's. A statement that does not take every value, or writes one into its
SQL text, is refused when it is compiled.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import chain, count
from typing import Any, cast

from django.db import connections, router, transaction
from django.db.models import AutoField, Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, Query, UpdateQuery

# Where a connection keeps its compiled statements, by kind and key.
_COMPILED = "_minga_statements"
# Stand-ins no real value equals: ids below any real one, strings no slug can be, and times
# long before any row was written.
_FIRST_STAND_IN = -(10**15)
_STAND_IN_TEXT = "\x1fminga stand-in "
_STAND_IN_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)

Values = dict[str, Any]


def _compiled_on(database: Any) -> dict[Hashable, Any]:
    return database.__dict__.setdefault(_COMPILED, {})  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Statement:
    """A compiled statement: its SQL, and where each call's values go in its parameters."""

    sql: str
    constants: tuple[Any, ...]  # the compiled parameters, the stand-ins' places included
    places: tuple[tuple[int, str, int, Callable[[Any], Any] | None], ...]
    # (index in the parameters, value's name, index in a list or -1, its preparation)
    compiler: Any  # Django's: its converters, and what a row of instances holds
    converters: dict[int, Any]  # what `compiler.results_iter` applies to each row read

    def params(self, values: Values) -> list[Any]:
        params = list(self.constants)
        for index, name, position, prepare in self.places:
            value = values[name] if position < 0 else values[name][position]
            params[index] = value if prepare is None else prepare(value)
        return params

    def fetch(self, database: Any, values: Values) -> list[Any]:
        """The rows of this read for these values, converted as Django converts them."""
        with database.cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            fetched = cursor.fetchall()
        if not self.converters:
            return fetched  # type: ignore[no-any-return]
        return list(self.compiler.apply_converters(fetched, self.converters))


def compile_once(
    database: Any, key: Hashable, make_query: Callable[..., Query], values: Values
) -> Statement:
    """The statement of `make_query(**values)` on this connection, compiled (from stand-ins)
    the first time `key` is asked on it."""
    compiled = _compiled_on(database)
    statement: Statement | None = compiled.get(key)
    if statement is None:
        statement = compiled[key] = _compile(database, key, make_query, values)
    return statement


def _compile(
    database: Any, key: Hashable, make_query: Callable[..., Query], values: Values
) -> Statement:
    numbers = count(_FIRST_STAND_IN, -1)
    prepare_time = database.ops.adapt_datetimefield_value
    stand_ins: Values = {}
    places: dict[Any, tuple[str, int, Callable[[Any], Any] | None]] = {}
    for name, value in values.items():
        if isinstance(value, str):
            stand_ins[name] = f"{_STAND_IN_TEXT}{next(numbers)}"
            places[stand_ins[name]] = (name, -1, None)
        elif isinstance(value, datetime) and value.tzinfo is not None:
            stand_ins[name] = _STAND_IN_TIME + timedelta(microseconds=len(places) + 1)
            places[prepare_time(stand_ins[name])] = (name, -1, prepare_time)
        elif isinstance(value, int) and not isinstance(value, bool):
            stand_ins[name] = next(numbers)
            places[stand_ins[name]] = (name, -1, None)
        elif isinstance(value, list | tuple) and all(_is_id(item) for item in value):
            stand_ins[name] = [next(numbers) for _ in value]
            places.update({number: (name, i, None) for i, number in enumerate(stand_ins[name])})
        else:
            raise TypeError(f"{key!r}: {name}={value!r} cannot be compiled once (see its kinds).")
    compiler = make_query(**stand_ins).get_compiler(connection=database)
    sql, params = compiler.as_sql()
    found = tuple(
        (index, *places[param])
        for index, param in enumerate(params)
        if _hashable(param) and param in places
    )
    if len({(name, position) for _index, name, position, _prepare in found}) != len(places):
        raise RuntimeError(f"{key!r}: the compiled statement does not take every value.")
    if _STAND_IN_TEXT in sql or any(str(number) in sql for number in _stand_in_ids(stand_ins)):
        raise RuntimeError(f"{key!r}: the compiled statement writes a value into its SQL.")
    converters = {}
    if getattr(compiler, "select", None):  # a read: what its rows' values become
        columns = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(columns):  # pragma: no cover - none of ours
            raise RuntimeError(f"{key!r}: a composite field's values need results_iter.")
        converters = compiler.get_converters(columns)
    return Statement(sql, tuple(params), found, compiler, converters)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hashable(value: Any) -> bool:
    return isinstance(value, int | str | datetime)


def _stand_in_ids(stand_ins: Values) -> list[int]:
    ids: list[int] = []
    for value in stand_ins.values():
        if isinstance(value, list):
            ids.extend(value)
        elif _is_id(value):
            ids.append(value)
    return ids


def rows(
    model: type[Model], key: Hashable, build: Callable[..., QuerySet], **values: Any
) -> list[Any]:
    """`list(build(**values))` for a `values_list` queryset (tuples), its statement compiled
    the first time `key` is asked on this thread's connection."""
    database = connections[router.db_for_read(model)]
    statement = compile_once(database, ("rows", key), lambda **v: build(**v).query, values)
    fetched = statement.fetch(database, values)
    return [tuple(row) for row in fetched] if statement.converters else fetched


def sql_and_params(
    model: type[Model], key: Hashable, build: Callable[..., QuerySet], **values: Any
) -> tuple[str, list[Any]]:
    """The SQL and parameters of `build(**values)`'s query, compiled once per `key` on this
    thread's connection (to run with something appended, or as a cache key)."""
    database = connections[router.db_for_read(model)]
    compiled = compile_once(database, ("rows", key), lambda **v: build(**v).query, values)
    return compiled.sql, compiled.params(values)


@dataclass(frozen=True, slots=True)
class _Instances:
    """How a row of a compiled queryset becomes its instances (Django's `ModelIterable`)."""

    statement: Statement
    model: type[Model]
    fields: list[str]  # the model's columns, in the row's order
    model_columns: slice
    populators: list[Any]  # the related rows of select_related, Django's own
    annotations: dict[str, int]


def instances(
    model: type[Model], key: Hashable, build: Callable[..., QuerySet], **values: Any
) -> list[Any]:
    """`list(build(**values))`, compiled the first time `key` is asked on this connection: the
    same instances, with their related rows (select_related) and annotations. Where reads and
    writes go to different databases, the ORM's (a lock must be taken where writes go)."""
    alias = router.db_for_write(model)
    if alias != router.db_for_read(model):
        return list(build(**values))
    database = connections[alias]
    compiled = _compiled_on(database)
    shape: _Instances | None = compiled.get(("instances", key))
    if shape is None:
        made = _compile(database, key, lambda **v: build(**v).query, values)
        compiler = made.compiler
        columns = compiler.klass_info["select_fields"]
        shape = compiled["instances", key] = _Instances(
            statement=made,
            model=compiler.klass_info["model"],
            fields=[row[0].target.attname for row in compiler.select[columns[0] : columns[-1] + 1]],
            model_columns=slice(columns[0], columns[-1] + 1),
            populators=get_related_populators(compiler.klass_info, compiler.select, alias),  # type: ignore[call-arg]  # Django 5.2's (the stubs: 6.0's)
            annotations=dict(compiler.annotation_col_map),
        )
    found = []
    for row in shape.statement.fetch(database, values):
        instance = shape.model.from_db(alias, shape.fields, row[shape.model_columns])
        for populator in shape.populators:
            populator.populate(row, instance)
        for name, column in shape.annotations.items():
            setattr(instance, name, row[column])
        found.append(instance)
    return found


def update(
    model: type[Model],
    key: Hashable,
    build: Callable[..., tuple[QuerySet, dict[str, Any]]],
    **values: Any,
) -> int:
    """`queryset.update(**changes)` for `(queryset, changes) = build(**values)`, compiled the
    first time `key` is asked on this connection; the number of rows updated."""
    alias = router.db_for_write(model)
    database = connections[alias]

    def query(**stand_ins: Any) -> UpdateQuery:
        queryset, changes = build(**stand_ins)
        chained = cast(UpdateQuery, queryset.query.chain(UpdateQuery))  # as QuerySet.update
        chained.add_update_values(changes)
        chained.clear_select_clause()
        return chained

    compiled = compile_once(database, ("update", key), query, values)
    with transaction.mark_for_rollback_on_error(using=alias), database.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params(values))
        return cursor.rowcount  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Insert:
    """A compiled INSERT of some rows of one model, returning what the database sets."""

    sql: str
    fields: list[Any]
    placeholders: Any  # compared with each call's: the same SQL takes the same parameters
    compiler: Any  # Django's, for the values' preparation and the returned values' conversion
    converters: dict[int, Any]
    tail: tuple[Any, ...]  # parameters after the rows' (RETURNING's own, none on PostgreSQL)

    def params(self, values: list[list[Any]]) -> tuple[Any, ...] | None:
        """The parameters of rows of these values (each field's `pre_save`), prepared as Django
        prepares them; None when they need other placeholders than the compiled ones."""
        prepare = self.compiler.prepare_value
        prepared = [
            [prepare(f, v) for f, v in zip(self.fields, row, strict=True)] for row in values
        ]
        placeholders, param_rows = self.compiler.assemble_as_sql(self.fields, prepared)
        if placeholders != self.placeholders:
            return None
        return (*chain.from_iterable(param_rows), *self.tail)


def create(objs: list[Any]) -> list[Any]:
    """`Model.objects.bulk_create(objs)` for new rows of one model (no primary key set, no
    expression among the values), its INSERT compiled once per connection and number of rows:
    the same SQL and values (each field's `pre_save` and preparation are Django's), the same
    primary keys and other values the database returns set on the objects."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    database = connections[alias]
    if not database.features.can_return_rows_from_bulk_insert or any(
        obj._is_pk_set() for obj in objs
    ):
        return model._default_manager.bulk_create(objs)  # type: ignore[no-any-return]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    compiled = _compiled_on(database)
    key = ("insert", model, len(objs))
    insert: _Insert | None = compiled.get(key)
    params = None
    if insert is not None:
        values = [[field.pre_save(obj, True) for field in insert.fields] for obj in objs]
        if any(hasattr(value, "resolve_expression") for row in values for value in row):
            return model._default_manager.bulk_create(objs)  # type: ignore[no-any-return]
        params = insert.params(values)
    if insert is None or params is None:  # the first time, or values of another shape
        insert, params = _insert(model, objs, database)
        compiled[key] = insert
    with transaction.mark_for_rollback_on_error(using=alias), database.cursor() as cursor:
        cursor.execute(insert.sql, params)
        ops: Any = database.ops  # as SQLInsertCompiler.execute_sql reads the returned values
        if len(objs) > 1:
            returned = ops.fetch_returned_insert_rows(cursor)
        else:
            returned = [ops.fetch_returned_insert_columns(cursor, insert.tail)]
    if insert.converters:
        returned = list(insert.compiler.apply_converters(returned, insert.converters))
    returning = model._meta.db_returning_fields
    for obj, row in zip(objs, returned, strict=True):
        for value, field in zip(row, returning, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = alias
    return objs


def _insert(model: type[Model], objs: list[Any], database: Any) -> tuple[_Insert, Any]:
    """Django's INSERT of these objects (as `bulk_create` makes it), and its parameters."""
    opts = model._meta
    fields = [
        field
        for field in opts.concrete_fields
        if not field.generated and not isinstance(field, AutoField)
    ]
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    compiler = query.get_compiler(connection=database)
    compiler.returning_fields = opts.db_returning_fields
    [(sql, params)] = compiler.as_sql()
    value_rows = [
        [compiler.prepare_value(field, getattr(obj, field.attname)) for field in fields]
        for obj in objs
    ]
    placeholders, _params = compiler.assemble_as_sql(fields, value_rows)
    columns = [field.get_col(opts.db_table) for field in opts.db_returning_fields]
    insert = _Insert(
        sql=sql,
        fields=fields,
        placeholders=placeholders,
        compiler=compiler,
        converters=compiler.get_converters(columns),
        tail=tuple(compiler.returning_params),
    )
    return insert, params


class Prepared:
    """A queryset whose SQL is fixed by `key` but for some ids (`values`, which differ from one
    reader to another), read through statements compiled once per key on each connection: a
    page of its ids (`ids`) and its statements' SQL and parameters (`statement`, e.g. for a
    cache key). `build(values)` returns the queryset; it is built with stand-ins in place of
    the values to compile, and with the values themselves only when something asks for the
    queryset (`queryset`)."""

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
        sql, params = sql_and_params(
            self.model,
            (self.key, name),
            lambda values: shape(self.build(values)),
            values=self.values,
        )
        return sql, tuple(params)

    def ids(self, bottom: int, top: int) -> list[int]:
        """`list(self.queryset.values_list("pk", flat=True)[bottom:top])`."""
        if top <= bottom:
            return []  # what the ORM answers for an empty slice, without a query
        sql, params = self.statement("ids", lambda queryset: queryset.values_list("pk"))
        database = connections[router.db_for_read(self.model)]
        # The clause the compiler appends last to a slice (no lock, no union here).
        limits = database.ops.limit_offset_sql(bottom, top)
        with database.cursor() as cursor:
            cursor.execute(f"{sql} {limits}", params)
            return [row[0] for row in cursor.fetchall()]
