"""Statements of the ordering path compiled once per database connection, as model instances:
the buyer's row and the listings' lock of a checkout, whose ORM querysets cost more to build and
compile on every request than PostgreSQL spends running them (docs/orders.md, "Checkout cost").

The queryset is built once, from stand-in values, and compiled by Django; each call runs that
SQL with its own values in the stand-ins' places (`marketplace.statements.rows`, which also
converts the values as Django does) and makes the instances as the queryset's iterator would:
the same SQL, the same locks, the same objects, with their related rows and annotations."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from marketplace import statements

# Stand-ins no real value equals: negative ids, and strings no slug or key can be.
_FIRST_STAND_IN = -(10**15)
Param = int | str
Values = dict[str, Param | Sequence[int]]


@dataclass(frozen=True)
class _Shape:
    """Where each value goes in the compiled statement, and how a row becomes instances."""

    places: tuple[tuple[str, int] | None, ...]  # (value's name, index in a list) or a constant
    constants: tuple[Any, ...]
    model: type[Model]
    fields: list[str]  # the model's columns, in the row's order
    model_columns: slice
    populators: list[Any]  # the related rows of select_related, Django's own
    annotations: dict[str, int]


def _stand_ins(values: Values) -> tuple[Values, dict[Any, tuple[str, int]]]:
    numbers = count(_FIRST_STAND_IN, -1)
    stand_ins: Values = {}
    places: dict[Any, tuple[str, int]] = {}
    for name, value in values.items():
        if isinstance(value, str):
            stand_in: Any = f"\x1fminga stand-in {next(numbers)}"
            places[stand_in] = (name, -1)
        elif isinstance(value, int):
            stand_in = next(numbers)
            places[stand_in] = (name, -1)
        else:
            stand_in = [next(numbers) for _ in value]
            places.update({number: (name, index) for index, number in enumerate(stand_in)})
        stand_ins[name] = stand_in
    return stand_ins, places


def _shape(key: Any, build: Callable[..., QuerySet], values: Values, database: Any) -> _Shape:
    stand_ins, places = _stand_ins(values)
    queryset = build(**stand_ins)
    compiler = queryset.query.get_compiler(connection=database)
    _sql, compiled = compiler.as_sql()
    where = tuple(places.get(param) if _is_stand_in(param) else None for param in compiled)
    if len({place for place in where if place is not None}) != len(places):
        raise RuntimeError(f"{key!r}: the compiled statement does not take every value.")
    klass_info, select = compiler.klass_info, compiler.select
    columns = klass_info["select_fields"]
    return _Shape(
        places=where,
        constants=tuple(compiled),
        model=klass_info["model"],
        fields=[column[0].target.attname for column in select[columns[0] : columns[-1] + 1]],
        model_columns=slice(columns[0], columns[-1] + 1),
        populators=get_related_populators(klass_info, select, database.alias),
        annotations=dict(compiler.annotation_col_map),
    )


def _is_stand_in(param: Any) -> bool:
    if isinstance(param, str):
        return param.startswith("\x1fminga stand-in ")
    return isinstance(param, int) and not isinstance(param, bool) and param <= _FIRST_STAND_IN


def instances(
    model: type[Model], key: Any, build: Callable[..., QuerySet], **values: Param | Sequence[int]
) -> list[Any]:
    """`list(build(**values))`, compiled the first time `key` is asked on this connection. `build`
    takes the values by name (ints, strings, lists of ints: the key names the list's length) and
    must compile each into the statement as it is, so that it can take stand-ins' places."""
    alias = router.db_for_write(model)
    if alias != router.db_for_read(model):  # `rows` reads where reads go: not for a lock
        return list(build(**values))
    database = connections[alias]
    shapes: dict[Any, _Shape] = database.__dict__.setdefault("_minga_order_statements", {})
    shape = shapes.get(key)
    if shape is None:
        shape = shapes[key] = _shape(key, build, values, database)
    params = [
        constant if place is None else _value(values, place)
        for place, constant in zip(shape.places, shape.constants, strict=True)
    ]
    rows = statements.rows(model, ("orders", key), lambda: build(**values), params)
    made = []
    for row in rows:
        instance = shape.model.from_db(database.alias, shape.fields, row[shape.model_columns])
        for populator in shape.populators:
            populator.populate(row, instance)
        for name, column in shape.annotations.items():
            setattr(instance, name, row[column])
        made.append(instance)
    return made


def _value(values: Values, place: tuple[str, int]) -> Any:
    name, index = place
    value = values[name]
    return value if index < 0 else value[index]  # type: ignore[index]
