"""Typing money on the pages: the reader's separators, refusals under the field, the country's
currency first, a preview before saving, and a confirmation for a price 50 times off."""

import pytest
from django.test import Client

from cooperatives.models import Role
from marketplace.models import Listing
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import text

pytestmark = pytest.mark.django_db

NEW = {
    "kind": "product",
    "title": "Erva-mate",
    "category": "coffee-tea-yerba",
    "currency": "BRL",
    "unit": "kg",
    "min_order_quantity": "1",
    "lead_time_days": "0",
    "delivery_modes": ["pickup"],
}


def _owner(country: str, language: str) -> tuple[Client, object]:
    cooperative = CooperativeFactory(country=country)
    user = MembershipFactory(cooperative=cooperative, role=Role.OWNER, user__language=language).user
    browser = Client(headers={"accept-language": language})
    browser.force_login(user)
    return browser, cooperative


def test_a_new_listing_starts_in_the_cooperatives_own_currency():
    browser, brazil = _owner("BR", "pt-br")
    form = browser.get(f"/my/cooperatives/{brazil.slug}/listings/new/").context["form"]
    assert form["currency"].value() == "BRL"  # not AED, the first in alphabetical order
    assert [code for code, _ in form.fields["currency"].choices][:3] == ["BRL", "USD", "ARS"]
    html = text(browser.get(f"/my/cooperatives/{brazil.slug}/listings/new/"))
    assert 'name="price"' in html and 'inputmode="decimal"' in html
    assert 'type="number" name="price"' not in html


@pytest.mark.parametrize(
    ("language", "typed", "minor"),
    [("pt-br", "1.250,50", 125_050), ("pt-br", "1250,50", 125_050), ("en", "1,250.50", 125_050)],
)
def test_prices_are_typed_in_the_readers_way(language, typed, minor):
    browser, cooperative = _owner("BR", language)
    url = f"/my/cooperatives/{cooperative.slug}/listings/new/"
    assert browser.post(url, {**NEW, "price": typed}).status_code == 302
    assert Listing.objects.get(cooperative=cooperative).price_amount == minor


@pytest.mark.parametrize(
    ("language", "typed", "says"),
    [
        ("pt-br", "1.250", "pode ser lido de duas maneiras"),
        ("es", "1250.50", "no es un importe tal como se escribe aquí"),
        ("en", "1250,50", "is not an amount as written here"),  # it was once saved as 125050
        ("pt-br", "12,505", "pode ser lido de duas maneiras"),
        ("es", "0", "El precio debe ser mayor que cero."),
    ],
)
def test_a_price_that_is_not_clear_is_an_error_under_the_field(language, typed, says):
    browser, cooperative = _owner("BR", language)
    response = browser.post(
        f"/my/cooperatives/{cooperative.slug}/listings/new/", {**NEW, "price": typed}
    )
    assert response.status_code == 200 and not Listing.objects.exists()
    assert says in " ".join(response.context["form"].errors["price"])


def test_the_price_preview_shows_what_the_catalogue_will_show():
    browser, _ = _owner("BR", "pt-br")
    preview = browser.get(
        "/my/price-preview/", {"price": "1.250,50", "currency": "BRL", "unit": "kg"}
    )
    assert text(preview) == "BRL\xa01.250,50 por kg"
    refused = browser.get("/my/price-preview/", {"price": "1.250", "currency": "BRL", "unit": "kg"})
    assert "pode ser lido de duas maneiras" in text(refused)


def test_a_price_fifty_times_off_asks_for_confirmation_first():
    browser, cooperative = _owner("AR", "es")
    listing = ListingFactory(cooperative=cooperative, price_amount=125_050, currency="ARS")
    data = {
        **NEW,
        "title": listing.title,
        "category": listing.category.slug,
        "currency": "ARS",
        "price": "125.050,00",
    }
    response = browser.post(f"/my/listings/{listing.pk}/", data)
    assert response.status_code == 200
    assert "ARS\xa01.250,50" in response.context["form"].errors["confirm_price_change"][0]
    assert 'type="checkbox" name="confirm_price_change"' in text(response)
    listing.refresh_from_db()
    assert listing.price_amount == 125_050
    assert (
        browser.post(
            f"/my/listings/{listing.pk}/", {**data, "confirm_price_change": "on"}
        ).status_code
        == 302
    )
    listing.refresh_from_db()
    assert listing.price_amount == 12_505_000


def test_a_catalogue_price_filter_error_is_shown_next_to_its_field():
    ListingFactory()
    browser = Client(headers={"accept-language": "es"})
    response = browser.get("/catalogue/", {"min_price": "1.250", "currency": "ARS"})
    form = response.context["form"]
    assert "se puede leer de dos maneras" in form.errors["min_price"][0]
    response = browser.get("/catalogue/", {"min_price": "10"})
    assert "Elige una moneda" in response.context["form"].errors["currency"][0]
    found = browser.get(
        "/catalogue/", {"min_price": "1.000,00", "max_price": "2.000", "currency": "ARS"}
    )
    assert "max_price" in found.context["form"].errors
