import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_filters.fields import IsoDateTimeField, IsoDateTimeRangeField, RangeField
from drf_spectacular.utils import extend_schema_field

from moderation.models import ActionKind, ModerationAction

MAX_ID = 2**63 - 1  # ids are 64-bit (BigAutoField)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A whole number in the range of an id: anything else (1.5, -1e24) is a 400 naming the
    filter, not a number the database cannot compare (SQLite raised OverflowError: a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StorableIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that the database can store: in UTC it must stay within the years
    1 to 9999 (0001-01-01T00:00+01:00 is in year 0 in UTC: Python raised OverflowError, a 500)."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment.astimezone(datetime.UTC)
            except OverflowError as exc:
                raise forms.ValidationError(
                    _("Enter a date and time between the years 1 and 9999."), code="invalid"
                ) from exc
        return moment


class StorableIsoDateTimeRangeField(IsoDateTimeRangeField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = (StorableIsoDateTimeField(), StorableIsoDateTimeField())
        RangeField.__init__(self, fields, *args, **kwargs)


class StorableIsoDateTimeFromToRangeFilter(django_filters.IsoDateTimeFromToRangeFilter):
    field_class = StorableIsoDateTimeRangeField


class ModerationActionFilter(django_filters.FilterSet):
    moderator = IdFilter(field_name="actor_id", help_text="Id of the user who acted.")
    listing = IdFilter(field_name="listing_id", help_text="Id of a listing.")
    cooperative = django_filters.CharFilter(
        method="filter_cooperative",
        help_text="Slug of a cooperative: actions on it and on its listings.",
    )
    action = django_filters.MultipleChoiceFilter(choices=ActionKind.choices)
    created = StorableIsoDateTimeFromToRangeFilter(
        field_name="created_at",
        help_text="`created_after` and `created_before`, ISO 8601 dates or date-times.",
    )

    class Meta:
        model = ModerationAction
        fields = ["moderator", "listing", "cooperative", "action", "created"]

    def filter_cooperative(
        self, queryset: QuerySet[ModerationAction], name: str, value: str
    ) -> QuerySet[ModerationAction]:
        return queryset.filter(Q(cooperative__slug=value) | Q(listing__cooperative__slug=value))
