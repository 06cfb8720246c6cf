"""The public trade network page: flows between countries and sectors, per currency, as a heat
map with a table; declined orders left out; currencies never added; cached briefly."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from orders import reports, services
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import text
from tests.frontend.ordering import place_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def trade(buyer_coop, buyer_owner, seller_coop, seller_owner):  # type: ignore[no-untyped-def]
    """AR textiles sell to UY (food) twice in ARS, once in USD; a Brazilian recycler's sale to
    the same buyer is declined, so it does not count."""
    buyer_coop.sector = "food"
    buyer_coop.save()
    pesos = ListingFactory(cooperative=seller_coop, price_amount=1_000_00, currency="ARS")
    dollars = ListingFactory(cooperative=seller_coop, price_amount=50_00, currency="USD")
    place_order(buyer_owner, buyer_coop, pesos, quantity=2)
    place_order(buyer_owner, buyer_coop, pesos, quantity=1)
    place_order(buyer_owner, buyer_coop, dollars, quantity=1)
    recycler = CooperativeFactory(name="Recicladores do Sul", country="BR", sector="recycling")
    recycler_owner = MembershipFactory(cooperative=recycler, role="owner").user
    declined = place_order(
        buyer_owner,
        buyer_coop,
        ListingFactory(cooperative=recycler, price_amount=9_999_00, currency="ARS"),
        quantity=1,
    )
    services.order_transition(
        order=declined, action="decline", actor=recycler_owner, reason="Sin stock."
    )


def test_anyone_sees_the_flows_between_countries_and_sectors(trade):
    year = datetime.date.today().year
    response = Client().get("/network/")
    assert response.status_code == 200
    html = text(response)
    assert f"Trade network in {year}" in html
    # ARS has the most orders, so it is shown first; USD can be picked.
    assert '<option value="ARS" selected>ARS</option>' in html
    assert '<option value="USD">USD</option>' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'aria-label="Trade between countries in ARS, ' in html
    assert 'data-source="AR" data-target="UY" data-amount="300000"' in html
    assert 'data-source="textiles" data-target="food" data-amount="300000"' in html
    assert "Argentina → Uruguay: ARS\xa03,000.00, 2 orders" in html
    # The table says the same for those who do not see the chart.
    assert '<th scope="row">Textiles and clothing</th>' in html
    assert "Food and agriculture" in html and "ARS\xa03,000.00" in html
    # The declined sale from Brazil never happened; dollars are not added to pesos.
    assert "Brazil" not in html and 'data-source="BR"' not in html
    assert "ARS\xa03,050" not in html and 'data-amount="305000"' not in html


def test_another_currency_and_an_empty_year(trade):
    html = text(Client().get("/network/?currency=USD"))
    assert 'data-source="AR" data-target="UY" data-amount="5000"' in html
    assert "USD\xa050.00" in html
    empty = text(Client().get("/network/?year=2019"))
    assert "No trade between cooperatives in 2019 yet." in empty and "<svg" not in empty


def test_the_page_speaks_spanish_with_country_names_from_babel(trade):
    html = text(Client(headers={"accept-language": "es"}).get("/network/"))
    assert "Red de intercambio" in html
    assert "Argentina → Uruguay" in html
    assert "Textiles y confección" in html or "Textiles" in html
    assert "Entre países" in html


def test_the_footer_links_to_it(trade):
    assert 'href="/network/"' in text(Client().get("/"))


def test_the_figures_are_cached_for_a_few_minutes(trade, buyer_coop, buyer_owner, seller_coop):
    year = datetime.date.today().year
    first = reports.trade_network(year=year)
    place_order(
        buyer_owner,
        buyer_coop,
        ListingFactory(cooperative=seller_coop, price_amount=1_00, currency="ARS"),
        quantity=1,
    )
    assert reports.trade_network(year=year) == first
    cache.clear()
    again = reports.trade_network(year=year)
    ars = [f for f in again.by_country if f.currency == "ARS"]
    assert ars[0].orders == 3 and ars[0].amount == 3_001_00
