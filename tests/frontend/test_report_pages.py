"""A cooperative's trade report page: months and partners, the SVG chart, the year, the CSV."""

import datetime

import pytest

from tests.factories import ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, elements, messages_of, text
from tests.frontend.ordering import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def sale(buyer_coop, buyer_owner, seller_coop):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, price_amount=1_000_00, currency="ARS")
    return place_order(buyer_owner, buyer_coop, listing, quantity=3)


def test_the_report_shows_months_partners_and_a_chart(sale, seller_member, seller_coop):
    year = datetime.date.today().year
    response = browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/reports/")
    html = text(response)
    assert f"Trade of Cooperativa Textil La Huella in {year}" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    month = sale.placed_at.month
    assert f'data-month="{month}" data-amount="300000"' in html  # the sales bar of that month
    assert "Per partner cooperative" in html and "Coop Consumo Montevideo" in html
    assert html.count("ARS\xa03,000.00") >= 3  # the month, the year and the partner
    assert f'href="/my/cooperatives/{seller_coop.slug}/reports/trade.csv?year={year}"' in html
    options = [a["value"] for tag, a in elements(html).tags if tag == "option"]
    assert str(year) in options and str(year - 4) in options


def test_the_chart_is_named_in_the_readers_language(sale, seller_member, seller_coop):
    year = datetime.date.today().year
    browser = browser_for(seller_member)
    browser.cookies["django_language"] = "es"
    html = text(browser.get(f"/my/cooperatives/{seller_coop.slug}/reports/"))
    assert f'aria-label="Ventas y compras en ARS, {year}"' in html


def test_the_buyer_sees_it_as_a_purchase(sale, buyer_member, buyer_coop):
    html = text(browser_for(buyer_member).get(f"/my/cooperatives/{buyer_coop.slug}/reports/"))
    assert f'data-month="{sale.placed_at.month}" data-amount="300000"' in html
    assert 'class="bar purchases"' in html and "Cooperativa Textil La Huella" in html


def test_another_year_is_empty(sale, seller_member, seller_coop):
    html = text(
        browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/reports/?year=2019")
    )
    assert "No sales or purchases in 2019." in html and "<svg" not in html
    bad = browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/reports/?year=x")
    assert bad.status_code == 200


def test_the_csv_download(sale, seller_member, seller_coop):
    year = datetime.date.today().year
    response = browser_for(seller_member).get(
        f"/my/cooperatives/{seller_coop.slug}/reports/trade.csv?year={year}"
    )
    assert response["Content-Type"] == "text/csv"
    assert f'filename="{seller_coop.slug}-trade-{year}.csv"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("section,month,partner")
    assert "partner,,Coop Consumo Montevideo,coop-consumo-montevideo,ARS,3000.00,1" in body


def test_outsiders_get_404(sale, outsider, seller_coop):
    browser = browser_for(outsider)
    assert browser.get(f"/my/cooperatives/{seller_coop.slug}/reports/").status_code == 404
    assert browser.get(f"/my/cooperatives/{seller_coop.slug}/reports/trade.csv").status_code == 404


def test_the_menu_leads_to_my_first_cooperatives_report(seller_member, seller_coop, outsider):
    response = browser_for(seller_member).get("/reports/")
    assert response["Location"] == f"/my/cooperatives/{seller_coop.slug}/reports/"
    response = browser_for(outsider).get("/reports/")
    assert response["Location"] == "/my/cooperatives/"
    assert messages_of(response) == ["Reports are about a cooperative's trade: join or create one."]


def test_people_in_several_cooperatives_switch_reports(seller_member, seller_coop):
    other = MembershipFactory(user=seller_member).cooperative
    html = text(browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/reports/"))
    assert f'href="/my/cooperatives/{other.slug}/reports/?year=' in html
