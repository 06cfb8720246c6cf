"""Statements of the ordering path compiled once per database connection: the buyer's row, the
listings' lock, the stock's update and the inserts of a checkout, whose ORM querysets cost more
to build and compile on every request than PostgreSQL spends running them (docs/orders.md,
"Checkout cost").

A read or an update is built once, from stand-in values, and compiled by Django; each call runs
that SQL with its own values in the stand-ins' places. Rows read (`marketplace.statements.rows`,
which converts the values as Django does) become instances as the queryset's iterator makes
them: the same SQL, the same locks, the same objects, with their related rows and annotations.
An insert keeps Django's SQL per number of rows and has each call's values prepared by Django.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, count
from typing import Any, cast

from django.db import connections, router, transaction
from django.db.models import AutoField, Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery

from marketplace import statements

# Stand-ins no real value equals: ids below any real one, and strings no slug can be.
_FIRST_STAND_IN = -(10**15)
_STAND_IN_TEXT = "\x1fminga stand-in "
Values = dict[str, int | str | Sequence[int]]


@dataclass(frozen=True)
class _Statement:
    """A compiled statement, and where each value goes in its parameters."""

    sql: str
    places: tuple[tuple[str, int] | None, ...]  # (value's name, index in a list) or a constant
    constants: tuple[Any, ...]

    def params(self, values: Values) -> list[Any]:
        return [
            constant if place is None else _value(values, place)
            for place, constant in zip(self.places, self.constants, strict=True)
        ]


@dataclass(frozen=True)
class _Instances:
    """How a row of a compiled queryset becomes its instances (Django's `ModelIterable`)."""

    statement: _Statement
    model: type[Model]
    fields: list[str]  # the model's columns, in the row's order
    model_columns: slice
    populators: list[Any]  # the related rows of select_related, Django's own
    annotations: dict[str, int]


def instances(
    model: type[Model], key: Any, build: Callable[..., QuerySet], **values: Any
) -> list[Any]:
    """`list(build(**values))`, compiled the first time `key` is asked on this connection. `build`
    takes the values by name (ints, strings, lists of ints: the key names the list's length) and
    must compile each into the statement as it is, so that it can take stand-ins' places."""
    alias = router.db_for_write(model)
    if alias != router.db_for_read(model):  # `rows` reads where reads go: not for a lock
        return list(build(**values))
    database = connections[alias]
    shapes = database.__dict__.setdefault("_minga_order_statements", {})
    shape = shapes.get(key)
    if shape is None:
        compiler = _compiled(key, lambda **stand_ins: build(**stand_ins).query, values, database)
        columns = compiler.klass_info["select_fields"]
        shape = shapes[key] = _Instances(
            statement=compiler.statement,
            model=compiler.klass_info["model"],
            fields=[row[0].target.attname for row in compiler.select[columns[0] : columns[-1] + 1]],
            model_columns=slice(columns[0], columns[-1] + 1),
            populators=get_related_populators(compiler.klass_info, compiler.select, alias),  # type: ignore[call-arg]  # Django 5.2's (the stubs: 6.0's)
            annotations=dict(compiler.annotation_col_map),
        )
    rows = statements.rows(
        model, ("orders", key), lambda: build(**values), shape.statement.params(values)
    )
    made = []
    for row in rows:
        instance = shape.model.from_db(alias, shape.fields, row[shape.model_columns])
        for populator in shape.populators:
            populator.populate(row, instance)
        for name, column in shape.annotations.items():
            setattr(instance, name, row[column])
        made.append(instance)
    return made


def update(
    model: type[Model],
    key: Any,
    build: Callable[..., tuple[QuerySet, dict[str, Any]]],
    **values: Any,
) -> int:
    """`queryset.update(**changes)` for `(queryset, changes) = build(**values)`, compiled the first
    time `key` is asked on this connection (as `instances`); the number of rows updated."""
    alias = router.db_for_write(model)
    database = connections[alias]
    compiled = database.__dict__.setdefault("_minga_order_statements", {})
    statement = compiled.get(key)
    if statement is None:

        def query(**stand_ins: Any) -> UpdateQuery:
            queryset, changes = build(**stand_ins)
            chained = cast(UpdateQuery, queryset.query.chain(UpdateQuery))  # as QuerySet.update
            chained.add_update_values(changes)
            chained.clear_select_clause()
            return chained

        statement = compiled[key] = _compiled(key, query, values, database).statement
    with transaction.mark_for_rollback_on_error(using=alias), database.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(values))
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
    compiled = database.__dict__.setdefault("_minga_order_statements", {})
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
            rows = ops.fetch_returned_insert_rows(cursor)
        else:
            rows = [ops.fetch_returned_insert_columns(cursor, insert.tail)]
    if insert.converters:
        rows = list(insert.compiler.apply_converters(rows, insert.converters))
    returning = model._meta.db_returning_fields
    for obj, row in zip(objs, rows, strict=True):
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


def _compiled(key: Any, build: Callable[..., Any], values: Values, database: Any) -> Any:
    """The compiler of `build`'s query made from stand-ins, with its `statement`."""
    numbers = count(_FIRST_STAND_IN, -1)
    stand_ins: dict[str, Any] = {}
    places: dict[Any, tuple[str, int]] = {}
    for name, value in values.items():
        if isinstance(value, str):
            stand_ins[name] = f"{_STAND_IN_TEXT}{next(numbers)}"
            places[stand_ins[name]] = (name, -1)
        elif isinstance(value, int):
            stand_ins[name] = next(numbers)
            places[stand_ins[name]] = (name, -1)
        else:
            stand_ins[name] = [next(numbers) for _ in value]
            places.update({number: (name, index) for index, number in enumerate(stand_ins[name])})
    compiler = build(**stand_ins).get_compiler(connection=database)
    sql, params = compiler.as_sql()
    where = tuple(places.get(param) if _is_stand_in(param) else None for param in params)
    if len({place for place in where if place is not None}) != len(places):
        raise RuntimeError(f"{key!r}: the compiled statement does not take every value.")
    compiler.statement = _Statement(sql=sql, places=where, constants=tuple(params))
    return compiler


def _is_stand_in(param: Any) -> bool:
    if isinstance(param, str):
        return param.startswith(_STAND_IN_TEXT)
    return isinstance(param, int) and not isinstance(param, bool) and param <= _FIRST_STAND_IN


def _value(values: Values, place: tuple[str, int]) -> Any:
    name, index = place
    value = values[name]
    return value if index < 0 else value[index]  # type: ignore[index]
