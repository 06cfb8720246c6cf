"""benchmarks/consistency.py finds what a load run could break: oversold stock, totals that do
not add up, invoice numbers with gaps, stock that does not match what was ordered."""

import pytest
from django.db.models import F

from benchmarks.consistency import check_consistency
from marketplace.models import Listing
from orders.models import Invoice, Order, OrderLine
from tests.factories import ListingFactory
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


def more_of_the_same(order_id: int) -> None:
    """One more unit on the order's line (the line itself stays right: a constraint checks it)."""
    OrderLine.objects.filter(order_id=order_id).update(
        quantity=F("quantity") + 1, line_total_amount=F("unit_price_amount") * (F("quantity") + 1)
    )


@pytest.fixture
def placed(buyer_coop, buyer_owner, seller_owner, seller_coop):
    listing = ListingFactory(cooperative=seller_coop, stock=10)
    other = ListingFactory(cooperative=seller_coop, stock=10)
    first = place_order(buyer_owner, buyer_coop, listing, quantity=2)
    second = place_order(buyer_owner, buyer_coop, other, quantity=3)
    for order in (first, second):
        assert act(seller_owner, order["id"], "accept").status_code == 200
    return listing, other, first, second


def test_orders_placed_through_the_services_are_consistent(placed):
    listing, other, *_ = placed
    assert check_consistency(initial_stock={listing.pk: 10, other.pk: 10}) == []


def test_stock_that_does_not_match_the_orders_is_reported(placed):
    listing, other, *_ = placed
    Listing.objects.filter(pk=other.pk).update(stock=8)  # 3 were ordered: 7 should be left
    problems = check_consistency(initial_stock={listing.pk: 10, other.pk: 10})
    assert problems == [f"listing {other.pk}: stock 8, expected 10 - 3 ordered = 7"]


def test_an_order_total_that_is_not_the_sum_of_its_lines_is_reported(placed):
    _, _, first, _ = placed
    more_of_the_same(first["id"])
    problems = check_consistency()
    assert any(f"order {first['id']}: total" in problem for problem in problems)


def test_a_checkout_total_that_is_not_the_sum_of_its_orders_is_reported(placed):
    _, _, first, _ = placed
    order = Order.objects.get(pk=first["id"])
    order.checkout.total_amount += 1
    order.checkout.save()
    assert any("checkout" in problem for problem in check_consistency())


def test_a_gap_in_the_invoice_numbers_is_reported(placed):
    *_, second = placed
    Invoice.objects.filter(order_id=second["id"]).update(sequence=3)
    assert any("gaps" in problem for problem in check_consistency())


def test_only_orders_after_the_mark_are_checked(placed):
    _, _, first, second = placed
    more_of_the_same(first["id"])
    assert check_consistency(since_order_id=max(first["id"], second["id"])) == []
