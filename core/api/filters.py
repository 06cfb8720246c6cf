"""Filters every list of the API shares: a boolean that refuses what is not one, and a filter
backend whose 400 can never become a 500 because of what the client typed.

A filter that cannot read its value answers 400 naming the filter, never ignores it: a client
asking for `verified=maybe` must not get every cooperative back as if it had asked nothing."""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail, ValidationError

TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})


class StrictBooleanField(forms.Field):
    """true/false or 1/0 (any case); anything else is an error rather than silently ignored."""

    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        return None


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # select widgets turn "maybe" into None
        super().__init__(*args, **kwargs)


def error_details(error: DjangoValidationError) -> list[ErrorDetail]:
    """Django's messages as DRF's, each formatted with its own params only: a `%` that came from
    the request (in a value quoted by the message) stays a `%`, never a format directive."""
    details = []
    for item in error.error_list:
        message = str(item.message)
        if item.params:
            message = message % item.params
        details.append(ErrorDetail(message, code=item.code))
    return details


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with its 400 built safely (django-filter formats every message
    with `%`, so a message quoting the value `%s` raised TypeError: a 500)."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(
                {
                    name: error_details(DjangoValidationError(errors))
                    for name, errors in filterset.errors.as_data().items()
                }
            )
        return filterset.qs
