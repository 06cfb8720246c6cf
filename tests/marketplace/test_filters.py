"""Every filter and ordering of GET /api/v1/listings/, on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


# The catalogue the filters are checked on, one listing a row: its seller, category, price,
# stock (None: made to order), the ways it reaches the buyer and how many days ago it was
# published; then its words, which the search reads.
LISTINGS = {
    "cafe": ("huella", "coffee", 100_000, "ARS", 10, {"pickup"}, 3),
    "yerba": ("ceibo", "coffee", 50_000, "ARS", 0, {"shipping"}, 1),
    "harina": ("ceibo", "food", 30_000, "UYU", None, {"pickup"}, 2),
    "web": ("quilombo", "textiles", 800_000, "BRL", None, {"remote"}, 0),
}
WORDS = {  # title, description
    "cafe": ("Café orgánico de altura", "Tostado medio"),
    "yerba": ("Yerba mate suave", "Sin palo, ideal para el mate de la mañana"),
    "harina": ("Harina integral", "Molida a piedra, para pan con café"),
    "web": ("Diseño de tienda en línea", "Sitio web para cooperativas"),
}
SERVICES = {"web": {"kind": "service", "unit": "hour"}}  # the others are products


@pytest.fixture
def catalogue(food, coffee, textiles):  # type: ignore[no-untyped-def]
    now = timezone.now()
    sellers = {
        "huella": CooperativeFactory(
            name="La Huella", country="AR", is_recuperated=True, verification_status="verified"
        ),
        "ceibo": CooperativeFactory(name="El Ceibo", country="UY"),
        "quilombo": CooperativeFactory(
            name="Quilombo Digital", country="BR", verification_status="verified"
        ),
    }
    categories = {"food": food, "coffee": coffee, "textiles": textiles}
    listings = {}
    for key, (seller, category, price, currency, stock, ways, days_old) in LISTINGS.items():
        title, description = WORDS[key]
        listings[key] = ListingFactory(
            cooperative=sellers[seller],
            category=categories[category],
            title=title,
            description=description,
            price_amount=price,
            currency=currency,
            stock=stock,
            delivers_pickup="pickup" in ways,
            delivers_shipping="shipping" in ways,
            delivers_remote="remote" in ways,
            published_at=now - timedelta(days=days_old),
            **SERVICES.get(key, {}),
        )
    return listings


def ids(api, query):  # type: ignore[no-untyped-def]
    response = api.get(f"/api/v1/listings/?{query}")
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def names(catalogue, *keys):  # type: ignore[no-untyped-def]
    return [catalogue[key].pk for key in keys]


def as_set(api, query):  # type: ignore[no-untyped-def]
    return set(ids(api, query))


class TestFilters:
    def test_default_is_newest_first(self, api, catalogue):
        assert ids(api, "") == names(catalogue, "web", "yerba", "harina", "cafe")

    def test_category_includes_descendants(self, api, catalogue, food, coffee):
        assert as_set(api, "category=test-food") == set(names(catalogue, "cafe", "yerba", "harina"))
        assert as_set(api, f"category={coffee.pk}") == set(names(catalogue, "cafe", "yerba"))

    def test_unknown_category_is_400(self, api, catalogue):
        response = api.get("/api/v1/listings/?category=unicorns")
        assert response.status_code == 400
        assert "category" in response.json()

    def test_kind(self, api, catalogue):
        assert ids(api, "kind=service") == names(catalogue, "web")
        assert as_set(api, "kind=product") == set(names(catalogue, "cafe", "yerba", "harina"))

    def test_cooperative(self, api, catalogue):
        assert as_set(api, "cooperative=el-ceibo") == set(names(catalogue, "yerba", "harina"))

    def test_country_of_the_seller(self, api, catalogue):
        assert as_set(api, "country=uy") == set(names(catalogue, "yerba", "harina"))
        assert ids(api, "country=AR") == names(catalogue, "cafe")

    def test_price_range_in_one_currency(self, api, catalogue):
        assert ids(api, "currency=ARS&min_price=60000") == names(catalogue, "cafe")
        assert ids(api, "currency=ars&max_price=60000") == names(catalogue, "yerba")
        assert as_set(api, "currency=ARS&min_price=50000&max_price=100000") == set(
            names(catalogue, "cafe", "yerba")
        )

    def test_a_price_without_currency_is_400(self, api, catalogue):
        response = api.get("/api/v1/listings/?min_price=100")
        assert response.status_code == 400
        assert "currency" in response.json()

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("currency=ARS&min_price=-1", "min_price"),
            ("currency=ARS&min_price=abc", "min_price"),
            ("currency=ARS&min_price=500&max_price=100", "max_price"),
            ("currency=XYZ", "currency"),
            ("kind=gift", "kind"),
            ("delivery=teleport", "delivery"),
            ("ordering=title", "ordering"),
            ("in_stock=maybe", "in_stock"),
        ],
    )
    def test_bad_filters_are_400(self, api, catalogue, query, field):
        response = api.get(f"/api/v1/listings/?{query}")
        assert response.status_code == 400
        assert field in response.json()

    def test_currency(self, api, catalogue):
        assert ids(api, "currency=BRL") == names(catalogue, "web")

    def test_in_stock(self, api, catalogue):
        # Made to order counts as available; zero stock is sold out.
        assert as_set(api, "in_stock=true") == set(names(catalogue, "cafe", "harina", "web"))
        assert ids(api, "in_stock=false") == names(catalogue, "yerba")

    def test_delivery_any_of(self, api, catalogue):
        assert ids(api, "delivery=remote") == names(catalogue, "web")
        assert as_set(api, "delivery=shipping&delivery=remote") == set(
            names(catalogue, "yerba", "web")
        )

    def test_recuperated(self, api, catalogue):
        assert ids(api, "recuperated=true") == names(catalogue, "cafe")
        assert len(ids(api, "recuperated=false")) == 3

    def test_verified(self, api, catalogue):
        assert as_set(api, "verified=true") == set(names(catalogue, "cafe", "web"))
        assert as_set(api, "verified=false") == set(names(catalogue, "yerba", "harina"))

    def test_filters_combine(self, api, catalogue):
        query = "category=test-food&country=UY&in_stock=true&delivery=pickup"
        assert ids(api, query) == names(catalogue, "harina")


class TestOrdering:
    def test_price_ascending_and_descending(self, api, catalogue):
        assert ids(api, "currency=ARS&ordering=price_amount") == names(catalogue, "yerba", "cafe")
        assert ids(api, "currency=ARS&ordering=-price_amount") == names(catalogue, "cafe", "yerba")

    def test_newest_first(self, api, catalogue):
        assert ids(api, "ordering=-published_at") == names(
            catalogue, "web", "yerba", "harina", "cafe"
        )

    def test_relevance_without_search_is_newest_first(self, api, catalogue):
        assert ids(api, "ordering=relevance") == names(catalogue, "web", "yerba", "harina", "cafe")


class TestSearch:
    def test_accents_and_case_do_not_matter(self, api, catalogue):
        assert names(catalogue, "cafe")[0] in ids(api, "search=CAFE")
        assert names(catalogue, "web")[0] in ids(api, "search=diseno")

    def test_every_word_must_match(self, api, catalogue):
        assert ids(api, "search=yerba suave") == names(catalogue, "yerba")
        assert ids(api, "search=yerba tostado") == []

    def test_description_category_and_seller_name_are_searched(self, api, catalogue):
        assert names(catalogue, "harina")[0] in ids(api, "search=piedra")
        assert as_set(api, "search=quilombo") == set(names(catalogue, "web"))

    def test_title_matches_rank_first(self, api, catalogue):
        # "café" is in the coffee's title and only in the flour's description.
        found = ids(api, "search=café")
        assert found[:2] == names(catalogue, "cafe", "harina")

    def test_explicit_ordering_wins_over_relevance(self, api, catalogue):
        found = ids(api, "search=cafe&ordering=-price_amount")
        assert found == names(catalogue, "cafe", "harina")

    def test_search_combines_with_filters(self, api, catalogue):
        assert ids(api, "search=cafe&currency=UYU") == names(catalogue, "harina")

    def test_nothing_found_is_an_empty_page(self, api, catalogue):
        body = api.get("/api/v1/listings/?search=zanahorias").json()
        assert (body["count"], body["results"]) == (0, [])


class TestPagination:
    def test_page_size_is_capped_at_100(self, api, seller_coop, coffee):
        ListingFactory.create_batch(105, cooperative=seller_coop, category=coffee)
        body = api.get("/api/v1/listings/?page_size=500").json()
        assert len(body["results"]) == 100
        assert body["count"] == 105
        assert body["count_is_capped"] is False
        second = api.get("/api/v1/listings/?page_size=100&page=2").json()
        assert len(second["results"]) == 5

    def test_the_count_stops_at_the_limit(self, api, settings, seller_coop, coffee):
        settings.LISTING_COUNT_LIMIT = 3
        ListingFactory.create_batch(5, cooperative=seller_coop, category=coffee)
        body = api.get("/api/v1/listings/?page_size=2").json()
        assert (body["count"], body["count_is_capped"], len(body["results"])) == (3, True, 2)


@pytest.mark.parametrize(
    "persona", [None, "buyer_member", "seller_member", "suspended_member", "moderator"]
)
def test_a_query_naming_no_filter_is_answered_as_the_filters_answer_it(request, persona):  # type: ignore[no-untyped-def]
    """The list and the page skip building the FilterSet when no filter is named
    (`sets_a_filter`): the same query as the FilterSet's for an empty query, for every kind of
    reader (`listing_catalogue_visible_to`, whose statements are compiled once)."""
    from django.http import QueryDict

    from marketplace import selectors
    from marketplace.filters import ListingFilter

    seller = request.getfixturevalue("seller_coop")
    suspended = CooperativeFactory(name="Suspendida", verification_status="suspended")
    for cooperative in (seller, suspended):
        ListingFactory.create_batch(2, cooperative=cooperative)
        ListingFactory(cooperative=cooperative, status="draft", published_at=None)
    if persona == "suspended_member":
        user = MembershipFactory(cooperative=suspended).user
    else:
        user = request.getfixturevalue(persona) if persona else None
    visible = selectors.listing_list_visible_to(user)
    built = ListingFilter(QueryDict(), queryset=visible).qs
    prepared = selectors.listing_catalogue_visible_to(user)
    # A reader who sees the public catalogue is given its statement (their own published
    # listings are public ones); the others the same query as the FilterSet's.
    assert list(prepared.queryset.values_list("pk", flat=True)) == list(
        built.values_list("pk", flat=True)
    )
    public = selectors.listing_catalogue_visible_to(None).queryset
    same = public if selectors.sees_public_catalogue(user) else built
    assert str(prepared.queryset.query) == str(same.query)
    assert not ListingFilter.sets_a_filter(QueryDict("page=2&page_size=5&fresh=1&format=json"))
    for name in ListingFilter.base_filters:
        assert ListingFilter.sets_a_filter(QueryDict(f"{name}="))
