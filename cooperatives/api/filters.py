import django_filters
from django.db.models import Q, QuerySet

from cooperatives.models import Cooperative, LegalForm, Sector
from cooperatives.state import VerificationStatus


class CooperativeFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Name, city, region or description"
    )
    country = django_filters.CharFilter(method="filter_country", label="ISO 3166-1 alpha-2 code")
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices)
    verified = django_filters.BooleanFilter(method="filter_verified")
    recuperated = django_filters.BooleanFilter(field_name="is_recuperated")

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

    def filter_verified(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return queryset.filter(verification_status=VerificationStatus.VERIFIED)
        return queryset.exclude(verification_status=VerificationStatus.VERIFIED)
