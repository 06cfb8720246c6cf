from typing import Any

from rest_framework import serializers


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
