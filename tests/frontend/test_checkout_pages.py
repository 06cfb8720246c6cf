"""Checkout on the pages: one cart with several sellers becomes one order per seller, each showing
its solidarity fee; a form sent twice orders once; refusals are shown, never a 500."""

import re

import pytest
from django.core import mail

from orders.models import Checkout, Order
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, messages_of, text
from tests.frontend.ordering import add_to_cart, checkout_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_sellers(db):  # type: ignore[no-untyped-def]
    names = ["Cooperativa Textil La Huella", "Yerbatera Andresito", "Panificadora El Horno"]
    return [
        ListingFactory(
            cooperative=CooperativeFactory(name=name),
            title=f"Lo mejor de {name}",
            price_amount=price,
            currency="ARS",
            stock=50,
        )
        for name, price in zip(names, (125_000, 80_000, 33_333), strict=True)
    ]


def test_a_buyer_fills_the_cart_from_three_sellers_and_checks_out_by_invoice(
    buyer_coop, buyer_owner, three_sellers, django_capture_on_commit_callbacks
):
    """Issue 5, done when: fill a cart from three sellers, check out by invoice, see three orders,
    one per seller, each with the fee shown. Every step goes through the pages' HTML forms."""
    browser = browser_for(buyer_owner)
    for listing in three_sellers:
        response = add_to_cart(browser, buyer_coop, listing, quantity=3)
        assert response.status_code == 302
        assert "is in the cart of Coop Consumo Montevideo" in messages_of(response)[0]

    cart = text(browser.get("/cart/"))
    for listing in three_sellers:
        assert f"From {listing.cooperative.name}" in cart
    assert "ARS\xa03,750.00" in cart  # 3 × 1,250.00 from the first seller
    assert 'href="/checkout/?cooperative=coop-consumo-montevideo"' in cart

    form = checkout_form(browser, buyer_coop)
    assert form["payment_method"] == "invoice" and form["checkout_key"]
    form["delivery_address"] = "Av. 18 de Julio 1234, Montevideo"
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/checkout/", form, follow=True)
    assert response.status_code == 200
    checkout = Checkout.objects.get()
    assert response.redirect_chain[-1][0] == f"/checkout/{checkout.pk}/"
    html = text(response)
    assert "3 orders placed" in html
    orders = list(Order.objects.order_by("seller__name"))
    assert len(orders) == 3
    assert {order.seller for order in orders} == {listing.cooperative for listing in three_sellers}
    for order in orders:
        assert f"Order #{order.pk} from {order.seller.name}" in html
    # Each order shows its goods, its fee (1.5 %) and what its seller receives.
    assert html.count("Solidarity fee (1.5 %)") == 3
    for goods, fee, rest in (
        ("ARS\xa03,750.00", "ARS\xa056.25", "ARS\xa03,693.75"),
        ("ARS\xa02,400.00", "ARS\xa036.00", "ARS\xa02,364.00"),
        ("ARS\xa0999.99", "ARS\xa015.00", "ARS\xa0984.99"),
    ):
        assert re.search(rf"{goods}.*?{fee}.*?{rest}", html, re.S), (goods, fee, rest)
    assert not text(browser.get("/cart/")).count('<tr id="line-')  # the cart is empty now
    # Each seller's members are told, and the buyer gets its confirmation.
    assert len(mail.outbox) >= 3

    listing_page = text(browser.get(f"/orders/?cooperative={buyer_coop.slug}&role=buyer"))
    assert "3 orders of Coop Consumo Montevideo" in listing_page
    for order in orders:
        detail = text(browser.get(f"/orders/{order.pk}/"))
        assert "Solidarity fee (1.5 %)" in detail
        assert "Av. 18 de Julio 1234, Montevideo" in detail


def test_the_same_form_sent_twice_orders_once(buyer_coop, buyer_owner, three_sellers):
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, three_sellers[0], quantity=2)
    form = checkout_form(browser, buyer_coop)
    first = browser.post("/checkout/", form)
    second = browser.post("/checkout/", form)  # a double click: the cart is empty by now
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Checkout.objects.count() == 1 and Order.objects.count() == 1
    assert messages_of(second)[-1] == "This checkout was already placed; here it is."


def test_every_rendered_form_has_its_own_key(buyer_coop, buyer_owner, three_sellers):
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, three_sellers[0])
    first = checkout_form(browser, buyer_coop)["checkout_key"]
    second = checkout_form(browser, buyer_coop)["checkout_key"]
    assert first and second and first != second


def test_a_cart_in_two_currencies_asks_for_one(buyer_coop, buyer_owner, three_sellers):
    euros = ListingFactory(price_amount=1_500, currency="EUR", stock=5)
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, three_sellers[0])
    add_to_cart(browser, buyer_coop, euros)
    page = text(browser.get(f"/checkout/?cooperative={buyer_coop.slug}"))
    assert '<select name="currency"' in page and "One checkout holds one currency" in page
    form = checkout_form(browser, buyer_coop)
    form["currency"] = "EUR"
    response = browser.post("/checkout/", form, follow=True)
    order = Order.objects.get()
    assert (order.currency, order.seller) == ("EUR", euros.cooperative)
    assert "One order placed" in text(response)
    assert "ARS\xa01,250.00" in text(browser.get("/cart/"))  # the pesos wait in the cart


def test_a_changed_price_stops_the_checkout_with_a_clear_message(
    buyer_coop, buyer_owner, three_sellers
):
    listing = three_sellers[0]
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, listing)
    form = checkout_form(browser, buyer_coop)
    listing.price_amount = 150_000
    listing.save()
    response = browser.post("/checkout/", form)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "changed from ARS\xa01,250.00 to ARS\xa01,500.00" in errors
    assert not Order.objects.exists()


def test_members_fill_the_cart_but_only_owners_and_admins_check_out(
    buyer_coop, buyer_member, three_sellers
):
    browser = browser_for(buyer_member)
    assert add_to_cart(browser, buyer_coop, three_sellers[0]).status_code == 302
    cart = text(browser.get("/cart/"))
    assert "Only owners and admins of the cooperative check out" in cart
    assert "/checkout/?" not in cart
    page = browser.get(f"/checkout/?cooperative={buyer_coop.slug}")
    assert page.status_code == 403
    assert "Only owners and admins of Coop Consumo Montevideo check out" in text(page)
    response = browser.post(
        "/checkout/",
        {
            "cooperative": buyer_coop.slug,
            "checkout_key": "k",
            "currency": "ARS",
            "payment_method": "invoice",
        },
    )
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_checkout_of_an_empty_cart_goes_back_to_the_cart(buyer_coop, buyer_owner):
    response = browser_for(buyer_owner).get(f"/checkout/?cooperative={buyer_coop.slug}")
    assert response.status_code == 302
    assert response["Location"] == f"/cart/?cooperative={buyer_coop.slug}"
    assert messages_of(response) == ["The cart of Coop Consumo Montevideo is empty."]


def test_card_is_offered_only_when_the_exchange_takes_cards(
    buyer_coop, buyer_owner, three_sellers, monkeypatch
):
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, three_sellers[0])
    page = text(browser.get(f"/checkout/?cooperative={buyer_coop.slug}"))
    assert 'value="invoice"' in page and 'value="stripe"' not in page
    monkeypatch.setattr("orders.payments.available_methods", lambda: ["invoice", "stripe"])
    monkeypatch.setattr(
        "orders.payments.initial_statuses", lambda method: ("awaiting_payment", "pending")
    )
    # The card rail says the seller can be paid (the checkout asks the rail, not the seam).
    monkeypatch.setattr(
        "orders.payments.rails.stripe.StripeRail.can_pay", lambda self, seller, currency: True
    )
    form = checkout_form(browser, buyer_coop)
    form["payment_method"] = "stripe"
    response = browser.post("/checkout/", form)
    checkout = Checkout.objects.get()
    assert response["Location"] == f"/checkout/{checkout.pk}/pay/"


def test_a_refused_card_choice_is_a_form_error(buyer_coop, buyer_owner, three_sellers):
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, three_sellers[0])
    form = checkout_form(browser, buyer_coop)
    form["payment_method"] = "stripe"  # not offered: the form refuses it
    response = browser.post("/checkout/", form)
    assert response.status_code == 200
    assert "payment_method" in response.context["form"].errors
    assert not Order.objects.exists()


def test_outsiders_cannot_check_out_or_see_a_checkout(
    buyer_coop, buyer_owner, outsider, three_sellers
):
    browser = browser_for(buyer_owner)
    add_to_cart(browser, buyer_coop, three_sellers[0])
    browser.post("/checkout/", checkout_form(browser, buyer_coop))
    checkout = Checkout.objects.get()
    stranger = browser_for(outsider)
    assert stranger.get(f"/checkout/?cooperative={buyer_coop.slug}").status_code == 404
    assert stranger.get(f"/checkout/{checkout.pk}/").status_code == 404
    assert browser.get(f"/checkout/{checkout.pk}/").status_code == 200


def test_someone_in_several_cooperatives_chooses_the_buyer(buyer_coop, buyer_owner, three_sellers):
    other = MembershipFactory(user=buyer_owner, role="admin").cooperative
    browser = browser_for(buyer_owner)
    add_to_cart(browser, other, three_sellers[1])
    page = text(browser.get(f"/checkout/?cooperative={other.slug}"))
    assert 'id="switch-cooperative"' in page
    browser.post("/checkout/", checkout_form(browser, other))
    assert Order.objects.get().buyer == other


@pytest.mark.parametrize(("language", "why"), [("es", "Solo hay 1 kg"), ("pt-br", "Só há 1 kg")])
def test_each_line_of_a_conflict_is_named_with_why(
    buyer_coop, buyer_owner, three_sellers, language, why
):
    """A checkout conflict's lines are said one by one, as on the cart and order-again pages
    (frontend.views.common.line_messages): here one form error per line, each naming the line
    and why, in the reader's language."""
    buyer_owner.language = language
    buyer_owner.save(update_fields=["language"])
    short, dearer, fine = three_sellers
    browser = browser_for(buyer_owner)
    for listing in three_sellers:
        add_to_cart(browser, buyer_coop, listing, quantity=3)
    form = checkout_form(browser, buyer_coop)
    short.stock = 1
    short.save(update_fields=["stock"])
    dearer.price_amount += 1_000
    dearer.save(update_fields=["price_amount"])
    response = browser.post("/checkout/", form)
    assert response.status_code == 200
    errors = list(response.context["form"].non_field_errors())
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"“{short.title}”") and why in errors[0]
    assert dearer.title in errors[1] and "810,00" in errors[1]
    assert not any(fine.title in error for error in errors)
    assert not Order.objects.exists()
