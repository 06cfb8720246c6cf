"""The cart page and the add-to-cart form the catalogue pages include."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from marketplace.state import ListingStatus
from orders.models import CartLine
from tests.factories import ListingFactory, MembershipFactory
from tests.frontend.helpers import HTMX, browser_for, elements, messages_of, text
from tests.frontend.ordering import add_to_cart

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(seller_coop):  # type: ignore[no-untyped-def]
    return ListingFactory(
        cooperative=seller_coop, title="Remeras", price_amount=900_00, currency="ARS", stock=10
    )


def render_partial(user, listing, path="/catalogue/listings/1/"):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(path)
    request.user = user
    template = engines["django"].from_string('{% include "frontend/orders/_add_to_cart.html" %}')
    return template.render({"listing": listing, "user": user, "request": request}, request)


# The add-to-cart partial ---------------------------------------------------------------------


def test_the_partial_offers_my_cooperatives_and_comes_back_to_its_page(
    buyer_coop, buyer_member, listing
):
    html = render_partial(buyer_member, listing)
    assert f'id="add-to-cart-{listing.pk}"' in html
    assert 'action="/cart/add/"' in html and 'hx-post="/cart/add/"' in html
    assert f'name="cooperative" value="{buyer_coop.slug}"' in html
    assert 'name="next" value="/catalogue/listings/1/"' in html
    assert "Buying for Coop Consumo Montevideo" in html


def test_the_partial_lets_people_in_several_cooperatives_choose(buyer_member, listing):
    second = MembershipFactory(user=buyer_member).cooperative
    html = render_partial(buyer_member, listing)
    options = [a["value"] for tag, a in elements(html).tags if tag == "option"]
    assert sorted(options) == sorted(["coop-consumo-montevideo", second.slug])


def test_the_partial_does_not_offer_a_cooperative_its_own_listing(seller_member, listing):
    html = render_partial(seller_member, listing)
    assert "This is your cooperative's listing." in html
    assert "<form" not in html


def test_the_partial_asks_strangers_to_sign_in(listing):
    html = render_partial(AnonymousUser(), listing)
    assert 'href="/signin/?next=/catalogue/listings/1/"' in html


# Adding --------------------------------------------------------------------------------------


def test_adding_goes_back_to_the_page_with_a_message(buyer_coop, buyer_member, listing):
    response = browser_for(buyer_member).post(
        "/cart/add/",
        {"cooperative": buyer_coop.slug, "listing": listing.pk, "quantity": 2, "next": "/x/"},
    )
    assert response.status_code == 302 and response["Location"] == "/x/"
    assert messages_of(response) == [
        "2 × Remeras is in the cart of Coop Consumo Montevideo (2 in all)."
    ]
    assert CartLine.objects.get().quantity == 2


def test_adding_with_htmx_answers_the_form_the_messages_and_the_cart_count(
    buyer_coop, buyer_member, listing
):
    response = browser_for(buyer_member).post(
        "/cart/add/",
        {"cooperative": buyer_coop.slug, "listing": listing.pk, "quantity": 3, "next": "/x/"},
        **HTMX,
    )
    html = text(response)
    assert html.lstrip().startswith(f'<div id="add-to-cart-{listing.pk}"')
    assert '<div id="messages" hx-swap-oob="true">' in html and "3 × Remeras" in html
    assert '<a id="cart-link" hx-swap-oob="true"' in html and "(1 line)" in html
    assert "<html" not in html


def test_too_many_is_a_message_not_an_error(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    response = add_to_cart(browser, buyer_coop, listing, quantity=11)
    assert response.status_code == 302
    assert messages_of(response) == ["Only 10 kg available now."]
    response = browser.post(
        "/cart/add/",
        {"cooperative": buyer_coop.slug, "listing": listing.pk, "quantity": 0},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in text(response)
    assert not CartLine.objects.exists()


def test_an_unpublished_listing_cannot_be_added(buyer_coop, buyer_member, listing):
    listing.status = ListingStatus.DRAFT
    listing.save()
    response = add_to_cart(browser_for(buyer_member), buyer_coop, listing)
    assert messages_of(response) == ["No published listing with this id."]


def test_nobody_fills_the_cart_of_a_cooperative_they_are_not_in(buyer_coop, outsider, listing):
    response = add_to_cart(browser_for(outsider), buyer_coop, listing)
    assert response.status_code == 404
    assert not CartLine.objects.exists()


def test_adding_needs_signing_in(client, buyer_coop, listing):
    response = add_to_cart(client, buyer_coop, listing)
    assert response.status_code == 302 and response["Location"].startswith("/signin/")


# The cart page -------------------------------------------------------------------------------


def test_the_cart_groups_lines_by_seller_with_totals(buyer_coop, buyer_member, listing):
    other = ListingFactory(title="Yerba", price_amount=1_000_00, currency="ARS", stock=None)
    browser = browser_for(buyer_member)
    add_to_cart(browser, buyer_coop, listing, quantity=2)
    add_to_cart(browser, buyer_coop, other, quantity=1)
    html = text(browser.get("/cart/"))
    assert "From Cooperativa Textil La Huella" in html
    assert f"From {other.cooperative.name}" in html
    assert "Subtotal for Cooperativa Textil La Huella" in html and "ARS\xa01,800.00" in html
    assert "ARS\xa02,800.00" in html  # the total
    assert '<span class="count" aria-hidden="true">2</span>' in html  # the menu


def test_update_and_remove_a_line(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    add_to_cart(browser, buyer_coop, listing)
    line = CartLine.objects.get()
    response = browser.post(f"/cart/lines/{line.pk}/", {"quantity": 4})
    assert response["Location"] == f"/cart/?cooperative={buyer_coop.slug}"
    assert messages_of(response)[-1] == "Remeras: quantity 4."
    line.refresh_from_db()
    assert line.quantity == 4
    response = browser.post(f"/cart/lines/{line.pk}/remove/", follow=True)
    assert "Remeras is out of the cart." in text(response)
    assert not CartLine.objects.exists()


def test_cart_forms_update_in_place_with_htmx(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    add_to_cart(browser, buyer_coop, listing)
    line = CartLine.objects.get()
    html = text(browser.get("/cart/"))
    region = next(a for tag, a in elements(html).tags if a.get("id") == "cart")
    assert region["hx-select"] == "#cart" and region["hx-target"] == "this"
    assert region["hx-select-oob"] == "#messages,#cart-link"
    assert f'hx-post="/cart/lines/{line.pk}/"' in html
    # htmx follows the redirect and picks #cart and #messages out of the page it lands on.
    response = browser.post(f"/cart/lines/{line.pk}/", {"quantity": 5}, follow=True, **HTMX)
    html = text(response)
    assert 'id="cart"' in html and 'id="messages"' in html and "Remeras: quantity 5." in html


def test_a_quantity_above_the_stock_is_refused_with_a_message(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    add_to_cart(browser, buyer_coop, listing)
    line = CartLine.objects.get()
    for bad, message in ((11, "Only 10 kg available now."), ("x", "Enter a whole number.")):
        response = browser.post(f"/cart/lines/{line.pk}/", {"quantity": bad})
        assert response.status_code == 302
        assert messages_of(response)[-1] == message
    line.refresh_from_db()
    assert line.quantity == 1


def test_a_changed_price_is_flagged_and_can_be_accepted(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    add_to_cart(browser, buyer_coop, listing)
    line = CartLine.objects.get()
    listing.price_amount = 950_00
    listing.save()
    html = text(browser.get("/cart/"))
    assert "The price is now ARS\xa0950.00." in html
    assert "Some lines changed since they were added." in html
    assert f'action="/cart/lines/{line.pk}/confirm-price/"' in html
    response = browser.post(f"/cart/lines/{line.pk}/confirm-price/", follow=True)
    assert "Remeras: you accepted the price of ARS\xa0950.00." in text(response)
    line.refresh_from_db()
    assert line.unit_price_amount == 950_00
    assert "The price is now" not in text(browser.get("/cart/"))


def test_a_listing_that_went_away_is_flagged(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    add_to_cart(browser, buyer_coop, listing)
    listing.status = ListingStatus.SUSPENDED
    listing.save()
    html = text(browser.get("/cart/"))
    assert "Unavailable: This listing is not published any more." in html
    assert "confirm-price" not in html


def test_switch_between_the_carts_of_my_cooperatives(buyer_coop, buyer_member, listing):
    second = MembershipFactory(user=buyer_member).cooperative
    browser = browser_for(buyer_member)
    add_to_cart(browser, second, listing)
    html = text(browser.get("/cart/"))  # opens the cart that has something in it
    assert f"Cart of {second.name}" in html
    assert 'id="switch-cooperative"' in html
    assert "Coop Consumo Montevideo" in html
    html = text(browser.get(f"/cart/?cooperative={buyer_coop.slug}"))
    assert "The cart is empty." in html


def test_outsiders_get_404_for_others_carts_and_lines(buyer_coop, buyer_member, outsider, listing):
    add_to_cart(browser_for(buyer_member), buyer_coop, listing)
    line = CartLine.objects.get()
    stranger = browser_for(outsider)
    assert stranger.get(f"/cart/?cooperative={buyer_coop.slug}").status_code == 404
    assert stranger.post(f"/cart/lines/{line.pk}/", {"quantity": 3}).status_code == 404
    assert stranger.post(f"/cart/lines/{line.pk}/remove/").status_code == 404
    assert stranger.post(f"/cart/lines/{line.pk}/confirm-price/").status_code == 404
    assert CartLine.objects.get().quantity == 1


def test_the_menu_cart_count_costs_one_query(buyer_coop, buyer_member, listing):
    browser = browser_for(buyer_member)
    browser.get("/cooperatives/")
    with CaptureQueriesContext(connection) as empty:
        browser.get("/cooperatives/")
    for _ in range(5):
        add_to_cart(browser, buyer_coop, ListingFactory(stock=None))
    with CaptureQueriesContext(connection) as full:
        html = text(browser.get("/cooperatives/"))
    assert len(full) == len(empty)
    assert '<span class="count" aria-hidden="true">5</span>' in html
