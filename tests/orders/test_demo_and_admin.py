import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ledger.models import JournalEntry
from orders import demo, reports
from orders.books_check import books_check
from orders.models import Checkout, Invoice, Message, Order, OrderEvent
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory, UserFactory
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Checkout.objects.count(),
        Order.objects.count(),
        OrderEvent.objects.count(),
        Invoice.objects.count(),
        Message.objects.count(),
    )


@pytest.fixture
def catalogue():
    for index in range(3):
        seller = CooperativeFactory(name=f"Demo vendedora {index}")
        MembershipFactory(cooperative=seller, role="owner")
        ListingFactory(cooperative=seller, currency="EUR", price_amount=1_000 * (index + 1))
        ListingFactory(cooperative=seller, currency="EUR", price_amount=500)
    buyer = CooperativeFactory(name="Demo compradora")
    MembershipFactory(cooperative=buyer, role="owner")


def test_the_demo_orders_from_several_sellers_in_various_statuses(catalogue):
    lines = demo.seed(io.StringIO())
    assert lines and "Demo orders" in lines[0]
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"completed", "accepted", "placed", "declined"} <= statuses
    buyer = Order.objects.order_by("id").first().buyer
    assert Order.objects.filter(buyer=buyer).values("seller").distinct().count() == 3
    assert Invoice.objects.exists()
    assert Message.objects.count() == 2
    # The demo's invoices are in the books, and the books match the records.
    assert (
        JournalEntry.objects.filter(kind="invoice_issued").count()
        == Invoice.objects.filter(kind="invoice").count()
    )
    assert books_check() == []


def test_the_demo_buys_across_countries_so_the_trade_network_shows_flows(catalogue):
    # A fourth seller, the last by id, is the only one abroad.
    uruguayan = CooperativeFactory(name="Demo vendedora 3", country="UY", sector="food")
    MembershipFactory(cooperative=uruguayan, role="owner")
    ListingFactory(cooperative=uruguayan, currency="EUR", price_amount=700)
    cache.clear()
    demo.seed(io.StringIO())
    network = reports.trade_network(year=timezone.localdate().year)
    pairs = {(flow.source, flow.target) for flow in network.by_country}
    assert ("UY", "AR") in pairs  # the Uruguayan seller is picked before the others
    assert ("food", "textiles") in {(f.source, f.target) for f in network.by_sector}


def test_the_demo_is_idempotent(catalogue):
    demo.seed(io.StringIO())
    before = snapshot()
    demo.seed(io.StringIO())
    assert snapshot() == before


def test_without_listings_the_demo_does_nothing(db):
    assert demo.seed(io.StringIO()) == []
    assert snapshot() == (0, 0, 0, 0, 0)


def test_seed_demo_runs_the_orders_part(catalogue):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo orders" in out.getvalue()


@pytest.fixture
def staff_seller(seller_coop):
    user = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=user, cooperative=seller_coop, role="owner")
    return user


def test_every_orders_admin_page_opens(client, staff_seller, buyer_coop, buyer_owner, listing):
    order = place_order(buyer_owner, buyer_coop, listing)
    act(staff_seller, order["id"], "accept")
    client.force_login(staff_seller)
    for model in (
        "cart",
        "checkout",
        "order",
        "orderevent",
        "message",
        "invoice",
        "invoicesequence",
    ):
        assert client.get(reverse(f"admin:orders_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:orders_order_change", args=[order["id"]])).status_code == 200


def test_admin_actions_go_through_the_services(
    client, staff_seller, buyer_coop, buyer_owner, listing
):
    order = place_order(buyer_owner, buyer_coop, listing)
    client.force_login(staff_seller)
    url = reverse("admin:orders_order_changelist")
    client.post(url, {"action": "order_accept", "_selected_action": [order["id"]]})
    instance = Order.objects.get(pk=order["id"])
    assert instance.status == "accepted"
    assert instance.invoices.count() == 1  # the service ran, not a bare field update
    # A transition the status does not allow is reported, not forced.
    response = client.post(
        url, {"action": "order_complete", "_selected_action": [order["id"]]}, follow=True
    )
    assert "cannot complete" in response.content.decode().lower()
    assert Order.objects.get(pk=order["id"]).status == "accepted"
    client.post(url, {"action": "flag", "_selected_action": [order["id"]]})
    assert Order.objects.get(pk=order["id"]).is_flagged
