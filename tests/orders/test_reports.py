import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.utils import timezone

from orders.charts import trade_chart_svg
from orders.models import Order
from orders.reports import MonthRow
from tests.conftest import client_for
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _at(order_id, year, month):
    Order.objects.filter(pk=order_id).update(
        placed_at=timezone.make_aware(datetime(year, month, 15, 12, 0))
    )


@pytest.fixture
def trade(buyer_coop, buyer_owner, seller_coop, seller_owner, listing):
    """The seller sells to the buyer in March (twice) and May, and buys from a third in May."""
    march_1 = place_order(buyer_owner, buyer_coop, listing, quantity=1)  # 125,000 ARS
    march_2 = place_order(buyer_owner, buyer_coop, listing, quantity=2)  # 250,000 ARS
    may = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    declined = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    act(seller_owner, declined["id"], "decline", reason="No stock.")
    third = CooperativeFactory(name="Zapatería Tercera")
    MembershipFactory(cooperative=third, role="owner")
    shoes = ListingFactory(cooperative=third, price_amount=7_000, currency="EUR")
    bought = place_order(seller_owner, seller_coop, shoes, quantity=3)  # 21,000 EUR
    for order, month in ((march_1, 3), (march_2, 3), (may, 5), (declined, 5), (bought, 5)):
        _at(order["id"], 2025, month)
    return third


def report(user, cooperative, year=2025):
    return client_for(user).get(
        f"/api/v1/cooperatives/{cooperative.slug}/reports/trade/?year={year}"
    )


def test_sales_and_purchases_per_month_and_currency(trade, seller_coop, seller_member):
    response = report(seller_member, seller_coop)
    assert response.status_code == 200
    months = {(m["currency"], m["month"]): m for m in response.json()["months"]}
    assert len(months) == 24  # twelve months for each of the two currencies traded
    assert months[("ARS", 3)]["sales_amount"] == 375_000
    assert months[("ARS", 3)]["sales_orders"] == 2
    assert months[("ARS", 5)]["sales_amount"] == 125_000  # the declined order does not count
    assert months[("EUR", 5)]["purchases_amount"] == 21_000
    assert months[("ARS", 4)]["sales_amount"] == 0


def test_per_partner_cooperative(trade, seller_coop, buyer_coop, seller_member):
    partners = {
        (p["partner"]["slug"], p["currency"]): p
        for p in report(seller_member, seller_coop).json()["partners"]
    }
    assert partners[(buyer_coop.slug, "ARS")]["sales_amount"] == 500_000
    assert partners[(buyer_coop.slug, "ARS")]["sales_orders"] == 3
    assert partners[(trade.slug, "EUR")]["purchases_amount"] == 21_000
    assert partners[(trade.slug, "EUR")]["sales_amount"] == 0


def test_the_buyers_view_mirrors_it(trade, buyer_coop, buyer_member):
    months = {
        (m["currency"], m["month"]): m for m in report(buyer_member, buyer_coop).json()["months"]
    }
    assert months[("ARS", 3)]["purchases_amount"] == 375_000
    assert months[("ARS", 3)]["sales_amount"] == 0


def test_another_year_is_empty(trade, seller_coop, seller_member):
    body = report(seller_member, seller_coop, year=2024).json()
    assert body["months"] == [] and body["partners"] == []


def test_reports_are_for_members_and_moderators(
    trade, seller_coop, outsider, moderator, buyer_owner
):
    assert report(outsider, seller_coop).status_code == 404
    assert report(buyer_owner, seller_coop).status_code == 404
    assert report(moderator, seller_coop).status_code == 200


def test_the_csv_download(trade, seller_coop, seller_member, buyer_coop):
    response = client_for(seller_member).get(
        f"/api/v1/cooperatives/{seller_coop.slug}/reports/trade.csv?year=2025"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    march = next(
        r
        for r in rows
        if r["section"] == "month" and r["month"] == "2025-03" and r["currency"] == "ARS"
    )
    assert (march["sales"], march["sales_orders"]) == ("3750.00", "2")
    partner = next(
        r for r in rows if r["section"] == "partner" and r["partner_slug"] == buyer_coop.slug
    )
    assert partner["partner"] == buyer_coop.name


def test_csv_cells_cannot_smuggle_formulas(seller_coop, seller_owner, listing):
    evil = CooperativeFactory(name="=HYPERLINK(1)", slug="evil")
    owner = MembershipFactory(cooperative=evil, role="owner").user
    order = place_order(owner, evil, listing, quantity=1)
    _at(order["id"], 2025, 1)
    content = (
        client_for(seller_owner)
        .get(f"/api/v1/cooperatives/{seller_coop.slug}/reports/trade.csv?year=2025")
        .content.decode()
    )
    assert "'=HYPERLINK(1)" in content


def test_the_chart_endpoint_serves_svg(trade, seller_coop, seller_member):
    client = client_for(seller_member)
    response = client.get(
        f"/api/v1/cooperatives/{seller_coop.slug}/reports/trade.svg?year=2025&currency=EUR"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    ET.fromstring(response.content)
    missing = client.get(
        f"/api/v1/cooperatives/{seller_coop.slug}/reports/trade.svg?year=2025&currency=JPY"
    )
    assert missing.status_code == 404


class TestChart:
    rows = [
        MonthRow(
            3,
            "EUR",
            sales_amount=100_000,
            sales_orders=2,
            purchases_amount=50_000,
            purchases_orders=1,
        ),
        MonthRow(
            5, "EUR", sales_amount=0, sales_orders=0, purchases_amount=25_000, purchases_orders=1
        ),
        MonthRow(
            3, "ARS", sales_amount=9_999_999, sales_orders=1, purchases_amount=0, purchases_orders=0
        ),
    ]

    def bars(self, svg):
        root = ET.fromstring(svg)
        return {
            (rect.get("data-month"), rect.get("class").split()[1]): float(rect.get("height"))
            for rect in root.iter(f"{SVG}rect")
            if rect.get("class", "").startswith("bar")
        }

    def test_draws_two_bars_a_month_proportional_to_the_amounts(self):
        bars = self.bars(trade_chart_svg(self.rows, currency="EUR", year=2025))
        assert len(bars) == 24
        assert bars[("3", "sales")] == pytest.approx(2 * bars[("3", "purchases")], rel=0.01)
        assert bars[("5", "purchases")] == pytest.approx(bars[("3", "purchases")] / 2, rel=0.01)
        assert bars[("1", "sales")] == 0

    def test_keeps_to_one_currency(self):
        bars = self.bars(trade_chart_svg(self.rows, currency="EUR", year=2025))
        # The tallest EUR bar (100,000, a round number) fills the 220-pixel plot; had the ARS
        # month leaked in, it would be a sliver.
        assert max(bars.values()) == pytest.approx(220)

    def test_labels_are_escaped_and_titled(self):
        svg = trade_chart_svg(self.rows, currency="EUR", year=2025, sales_label="Ventas <b>&")
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        assert "Ventas <b>&" in root.get("aria-label")
        titles = [t.text for t in root.iter(f"{SVG}title")]
        assert any("EUR\xa01,000.00" in (t or "") for t in titles)

    def test_an_empty_year_still_draws(self):
        bars = self.bars(trade_chart_svg([], currency="EUR", year=2025))
        assert set(bars.values()) == {0.0}
