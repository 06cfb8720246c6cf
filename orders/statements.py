"""Statements of the ordering path compiled once per database connection: the buyer's row, the
listings' lock and the stock's update of a checkout, whose ORM querysets cost more to build and
compile on every request than PostgreSQL spends running them (docs/orders.md, "Checkout cost").

The statement is built once, from stand-in values, and compiled by Django; each call runs that
SQL with its own values in the stand-ins' places. Rows read (`marketplace.statements.rows`,
which converts the values as Django does) become instances as the queryset's iterator makes
them: the same SQL, the same locks, the same objects, with their related rows and annotations.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any, cast

from django.db import connections, router, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery

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
