"""Serializer fields whose schema says what they really hold."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class OptionalURLField(serializers.URLField):
    """A URL, or the empty string when none was given."""


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]}
)
class OptionalEmailField(serializers.EmailField):
    """An e-mail address, or the empty string when none was given."""


class QueryChoiceField(serializers.ChoiceField):
    """A choice read from a query string: left out, it takes its default; given but blank
    (`?status=`), it is refused (400) like any other value outside its choices, as the schema
    says, instead of quietly meaning the default."""

    def get_value(self, dictionary: Any) -> Any:
        if self.field_name in dictionary and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)
