import copy
from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field


class ErrorSerializer(serializers.Serializer):
    """The body of a 4xx answer for a domain rule or a missing object."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="A machine-readable reason: branch on it.")


class ValidationErrorSerializer(serializers.Serializer):
    """A 400 answer: each invalid field maps to a list of messages."""

    field_name = serializers.ListField(child=serializers.CharField(), required=False)  # type: ignore[assignment]
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


# A model in an answer, never written through: every field of `Meta.fields` is read only (its
# `read_only_fields`), in this class and in each subclass that lists more fields. (A comment, not a
# docstring: drf-spectacular would describe every subclass without one of its own with it.)
class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None:
            meta.read_only_fields = meta.fields


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The input `serializer_class` validates from `data` (a request's body or query), or a 400
    naming each invalid field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


FIELDS_BUILT_ONCE: dict[type, dict[str, Field]] = {}


class FieldsBuiltOnce:
    """For a `ModelSerializer`: its fields are worked out from the model once per class, not
    each time one is made. DRF introspects the model for every serializer it makes, nested ones
    included (an order's lines, events, buyer and seller), which was a sixth of the CPU of a
    checkout's response. Each serializer still gets fields of its own (a field is bound to its
    parent), copied as DRF copies declared fields. For a serializer whose fields do not depend
    on the request or its context."""

    def get_fields(self) -> dict[str, Field]:
        built = FIELDS_BUILT_ONCE.get(type(self))
        if built is None:
            built = FIELDS_BUILT_ONCE[type(self)] = super().get_fields()  # type: ignore[misc]
        return {name: _fresh_copy(field) for name, field in built.items()}


def _fresh_copy(field: Field) -> Field:
    """A new, unbound field in the state the class's built one is in. DRF's deep copy makes
    each field again from copies of its arguments (flags, labels, choices, validators), which
    these read-only answers never change. A field that holds no other field gets a copy of the
    built one's attributes: the built field is never bound (only its copies are), and binding
    sets attributes of the copy (its name, parent, source, label) without changing any value
    the two share; running `__init__` again was most of the cost. A field holding other fields
    (a nested serializer, a list's child) is deep-copied, since binding changes those parts."""
    kwargs = field._kwargs  # type: ignore[attr-defined]  # set by Field.__new__
    holds_fields = isinstance(field, serializers.BaseSerializer) or any(
        isinstance(value, Field) for value in kwargs.values()
    )
    if holds_fields:
        return copy.deepcopy(field)
    fresh = object.__new__(field.__class__)
    fresh.__dict__.update(field.__dict__)
    return fresh
