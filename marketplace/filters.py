"""Catalogue filters, shared by the API and the pages (a django-filter FilterSet is also a form)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from cooperatives.models import Cooperative
from cooperatives.state import VerificationStatus
from core.api.filters import StrictBooleanFilter
from core.reference import currency_codes
from marketplace import selectors
from marketplace.models import MAX_PRICE_AMOUNT, DeliveryMode, ListingKind
from marketplace.state import ListingStatus

ORDERING_CHOICES = [
    ("relevance", "Relevance (when searching)"),
    ("-published_at", "Newest first"),
    ("price_amount", "Price, lowest first"),
    ("-price_amount", "Price, highest first"),
]
DELIVERY_FLAGS = {
    DeliveryMode.PICKUP: "delivers_pickup",
    DeliveryMode.SHIPPING: "delivers_shipping",
    DeliveryMode.ON_SITE: "delivers_on_site",
    DeliveryMode.REMOTE: "delivers_remote",
}


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_PRICE_AMOUNT})
class PriceFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_PRICE_AMOUNT)
        super().__init__(*args, **kwargs)


class ListingFilterForm(forms.Form):
    """Checks that need several fields: a price range needs its currency; the category exists."""

    def _refuse(self, field: str, message: str, value: str) -> None:
        """The value is quoted through params, never formatted into the message by hand."""
        self.add_error(
            field, forms.ValidationError(message, code="invalid", params={"value": value})
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_price"), data.get("max_price")
        currency = (data.get("currency") or "").strip().upper()
        if currency and currency not in currency_codes():
            self._refuse("currency", _("“%(value)s” is not an ISO 4217 currency code."), currency)
        elif (low is not None or high is not None) and not currency:
            self.add_error(
                "currency",
                _(
                    "Choose a currency to filter by price: prices in different currencies "
                    "cannot be compared."
                ),
            )
        data["currency"] = currency
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price is below the lowest."))
        category = data.get("category")
        if category:
            found = selectors.category_find(category)
            if found is None:
                self._refuse("category", _("Unknown category “%(value)s”."), category)
            else:
                data["category"] = found
        return data


class ListingFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_nothing",
        max_length=200,
        label="Words to look for in the title, description, category and seller name",
    )
    category = django_filters.CharFilter(
        method="filter_category", label="Category slug or id; includes its subcategories"
    )
    kind = django_filters.ChoiceFilter(choices=ListingKind.choices)
    cooperative = django_filters.CharFilter(field_name="cooperative__slug", label="Seller slug")
    country = django_filters.CharFilter(
        method="filter_country", label="Seller's country (ISO 3166-1 alpha-2)"
    )
    min_price = PriceFilter(
        field_name="price_amount", lookup_expr="gte", label="Lowest price in minor units"
    )
    max_price = PriceFilter(
        field_name="price_amount", lookup_expr="lte", label="Highest price in minor units"
    )
    currency = django_filters.CharFilter(method="filter_currency", label="ISO 4217 code")
    in_stock = StrictBooleanFilter(
        method="filter_in_stock",
        label="true: can be ordered now (in stock or made to order); false: sold out",
    )
    delivery = django_filters.MultipleChoiceFilter(
        choices=DeliveryMode.choices,
        method="filter_delivery",
        label="Delivery modes (repeat the parameter): listings offering any of them",
    )
    recuperated = StrictBooleanFilter(
        field_name="cooperative__is_recuperated", label="Seller is a worker-recuperated enterprise"
    )
    verified = StrictBooleanFilter(method="filter_verified", label="Seller is verified")
    status = django_filters.MultipleChoiceFilter(
        choices=ListingStatus.choices,
        label="Statuses (default published); others only for your own cooperative's listings",
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_nothing",
        empty_label=None,
        label="relevance (default when searching), -published_at (default), price_amount, -price_amount",
    )

    class Meta:
        form = ListingFilterForm
        fields: list[str] = []

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied last, in filter_queryset

    def filter_category(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        # The subtree's ids as a list: a subquery of the path prefix is estimated at one
        # category, so the planner expected a handful of listings and sorted every match.
        subtree = list(selectors.category_subtree(value).values_list("pk", flat=True))
        return queryset.filter(category_id__in=subtree)

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The sellers of the country as a hashed subquery, not a join: the listing's own
        # (covering) index answers the rest, and a newest-first page stops at its 24th row
        # instead of joining and sorting every match (36,000 at 1,000,000 listings).
        sellers = Cooperative.objects.filter(country=value.strip().upper()).values("pk")
        return queryset.filter(cooperative_id__in=sellers)

    def filter_currency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(currency=value) if value else queryset

    def filter_in_stock(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if value:
            return queryset.filter(Q(stock__isnull=True) | Q(stock__gt=0))
        return queryset.filter(stock=0)

    def filter_delivery(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        offers_any = Q()
        for mode in value:
            offers_any |= Q(**{DELIVERY_FLAGS[DeliveryMode(mode)]: True})
        return queryset.filter(offers_any)

    def filter_verified(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        verified = Q(cooperative__verification_status=VerificationStatus.VERIFIED)
        return queryset.filter(verified if value else ~verified)

    @classmethod
    def sets_a_filter(cls, params: Any) -> bool:
        """Whether a query names any of the filters (a page number, a page size or a parameter
        the catalogue ignores names none)."""
        return any(name in params for name in cls.base_filters)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        if not data.get("status"):
            queryset = queryset.filter(status=ListingStatus.PUBLISHED)
        queryset = super().filter_queryset(queryset)
        search = (data.get("search") or "").strip()
        if search:
            queryset = selectors.listing_search(queryset, search)
        return selectors.listing_order(queryset, data.get("ordering") or "", searching=bool(search))
