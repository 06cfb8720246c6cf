"""Property tests: for random carts, money adds up and stock never goes negative."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from core.money import Money
from marketplace.models import Listing
from orders import services
from orders.models import Order
from orders.pricing import order_totals
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory

amounts = st.integers(min_value=0, max_value=10**12)


@settings(max_examples=200)
@given(
    line_totals=st.lists(amounts, max_size=30),
    fee_bps=st.integers(min_value=0, max_value=10_000),
)
def test_fee_plus_seller_amount_is_the_total(line_totals, fee_bps):
    totals = order_totals([Money(a, "EUR") for a in line_totals], "EUR", fee_bps)
    assert totals.total.amount == sum(line_totals)
    assert totals.fee.amount + totals.seller_amount.amount == totals.total.amount
    assert 0 <= totals.fee.amount <= totals.total.amount
    # Rounded half up: never more than half a minor unit from the exact share.
    assert abs(totals.fee.amount * 10_000 - totals.total.amount * fee_bps) <= 5_000


_counter = itertools.count()

listing_specs = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # which seller
        st.integers(min_value=0, max_value=10**9),  # unit price
        st.one_of(st.none(), st.integers(min_value=0, max_value=20)),  # stock
        st.integers(min_value=1, max_value=25),  # quantity wanted
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=listing_specs, fee_bps=st.integers(min_value=0, max_value=1_000), cancel=st.booleans())
def test_random_carts_add_up_and_never_oversell(specs, fee_bps, cancel):
    with transaction.atomic():
        run = next(_counter)
        buyer = CooperativeFactory(name=f"Compradora {run}")
        owner = MembershipFactory(cooperative=buyer, role="owner").user
        sellers = [CooperativeFactory(name=f"Vendedora {run}-{i}") for i in range(3)]
        wanted = {}
        for seller_index, price, stock, quantity in specs:
            listing = ListingFactory(
                cooperative=sellers[seller_index], price_amount=price, currency="EUR", stock=stock
            )
            try:
                services.cart_add_item(
                    cooperative=buyer, listing_id=listing.pk, quantity=quantity, actor=owner
                )
                wanted[listing.pk] = (quantity, stock)
            except (DomainError, ValidationError):
                pass  # refused in the cart (more than the stock): nothing to check out for it
        # Someone else buys some stock meanwhile, so the checkout may meet a shortage.
        for pk in list(wanted)[:1]:
            Listing.objects.filter(pk=pk, stock__gte=3).update(stock=3)
        before = dict(Listing.objects.filter(pk__in=wanted).values_list("pk", "stock"))
        with override_settings(SOLIDARITY_FEE_BPS=fee_bps):
            try:
                result = services.checkout_place(
                    buyer=buyer, actor=owner, idempotency_key=f"p{run}", payment_method="invoice"
                )
            except DomainError:
                result = None
        after = dict(Listing.objects.filter(pk__in=wanted).values_list("pk", "stock"))
        assert all(stock is None or stock >= 0 for stock in after.values())
        if result is None:
            assert after == before
            assert not Order.objects.filter(buyer=buyer).exists()
        else:
            orders = list(result.checkout.orders.prefetch_related("lines"))
            assert len({o.seller_id for o in orders}) == len(orders)  # one order per seller
            for order in orders:
                lines = list(order.lines.all())
                assert order.total_amount == sum(line.line_total_amount for line in lines)
                assert all(
                    line.line_total_amount == line.unit_price_amount * line.quantity
                    for line in lines
                )
                assert order.fee_amount + order.seller_amount == order.total_amount
                assert order.fee_bps == fee_bps
            assert result.checkout.total_amount == sum(o.total_amount for o in orders)
            for pk, (quantity, _) in wanted.items():
                if before[pk] is not None:
                    assert after[pk] == before[pk] - quantity
            if cancel:
                for order in orders:
                    services.order_cancel(order=order, actor=owner)
                assert (
                    dict(Listing.objects.filter(pk__in=wanted).values_list("pk", "stock")) == before
                )
        transaction.set_rollback(True)
