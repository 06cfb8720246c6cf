import django_filters
from django.db.models import Q, QuerySet

from moderation.models import ActionKind, ModerationAction


class ModerationActionFilter(django_filters.FilterSet):
    moderator = django_filters.NumberFilter(
        field_name="actor_id", help_text="Id of the user who acted."
    )
    listing = django_filters.NumberFilter(field_name="listing_id", help_text="Id of a listing.")
    cooperative = django_filters.CharFilter(
        method="filter_cooperative",
        help_text="Slug of a cooperative: actions on it and on its listings.",
    )
    action = django_filters.MultipleChoiceFilter(choices=ActionKind.choices)
    created = django_filters.IsoDateTimeFromToRangeFilter(
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
