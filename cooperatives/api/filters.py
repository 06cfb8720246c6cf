import django_filters
from django.db.models import Q, QuerySet

from cooperatives.models import Cooperative, LegalForm, Sector
from cooperatives.state import VerificationStatus
from core.api.filters import StrictBooleanFilter


class CooperativeFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Name, city, region or description"
    )
    country = django_filters.CharFilter(method="filter_country", label="ISO 3166-1 alpha-2 code")
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices)
    verified = StrictBooleanFilter(method="filter_verified", label="true or false (or 1, 0)")
    recuperated = StrictBooleanFilter(field_name="is_recuperated", label="true or false (or 1, 0)")

    class Meta:
        model = Cooperative
        fields = ["search", "country", "sector", "legal_form", "verified", "recuperated"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(city__icontains=word)
                | Q(region__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country=value.upper())

    def filter_verified(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if value:
            return queryset.filter(verification_status=VerificationStatus.VERIFIED)
        return queryset.exclude(verification_status=VerificationStatus.VERIFIED)
