"""The demo, end to end through the HTML pages: a demo buyer signs in, browses the catalogue,
fills the cart from three sellers, checks out by invoice and sees three orders with their fee.
One test: seed_demo takes several seconds (it draws the listing pictures)."""

import re

from django.core.management import call_command
from django.test import Client

from cooperatives.demo import DEMO_PASSWORD
from orders.models import Order
from tests.frontend.helpers import text
from tests.frontend.ordering import form_inputs

CARD = re.compile(
    r'<li class="card listing-card">.*?href="/listings/(\d+)/".*?href="/cooperatives/([\w-]+)/"',
    re.S,
)


def test_a_demo_buyer_orders_from_three_sellers_through_the_pages(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    browser = Client()
    signed_in = browser.post("/signin/", {"username": "ana@minga.test", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302

    # Browse: products in pesos that can be ordered now, page after page until three sellers.
    chosen: dict[str, str] = {}
    for number in range(1, 6):
        catalogue = text(
            browser.get(f"/catalogue/?currency=ARS&in_stock=true&kind=product&page={number}")
        )
        for listing_id, seller in CARD.findall(catalogue):
            chosen.setdefault(seller, listing_id)
        if len(chosen) >= 3 or 'rel="next"' not in catalogue:
            break
    assert len(chosen) >= 3, "the demo catalogue has pesos listings of at least three sellers"

    for listing_id in list(chosen.values())[:3]:
        page = browser.get(f"/listings/{listing_id}/")
        assert page.status_code == 200
        form = form_inputs(text(page), "/cart/add/")
        assert form["quantity"], "the detail page offers the add-to-cart form"
        added = browser.post("/cart/add/", form)
        assert added.status_code == 302

    checkout = browser.get("/checkout/")
    assert checkout.status_code == 200
    form = form_inputs(text(checkout), "/checkout/")
    form.update(payment_method="invoice", currency="ARS", delivery_address="Rambla 1, Montevideo")
    placed = browser.post("/checkout/", form)
    assert placed.status_code == 302, text(placed)
    result = browser.get(placed["Location"])
    html = text(result)
    assert "3 orders placed" in html
    assert html.count("Solidarity fee") == 3
    orders = Order.objects.filter(checkout_id=int(placed["Location"].strip("/").split("/")[-1]))
    assert orders.count() == 3
    assert all(order.fee_amount > 0 for order in orders)
    assert len({order.seller_id for order in orders}) == 3
