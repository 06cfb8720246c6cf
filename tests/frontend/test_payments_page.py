"""The Payments page: owners and admins enter where buyers pay (checked per country, errors on
their fields in the reader's language), members read; buyers find the details on the invoice
(page and PDF) and the order page; card onboarding from the page where Stripe Connect serves the
country, a plain explanation where it does not; checkout says per seller who takes cards."""

import re

import pytest

from cooperatives.models import PayoutDetails
from cooperatives.services import payout_details_update
from orders import services as order_services
from orders.models import Checkout
from tests.conftest import client_for
from tests.cooperatives.helpers import CBU
from tests.factories import CooperativeFactory, ListingFactory
from tests.frontend.helpers import HTMX, browser_for, messages_of, text
from tests.frontend.ordering import add_to_cart, checkout_form, place_order
from tests.orders.test_invoices import pdf_text

pytestmark = pytest.mark.django_db


def page_url(cooperative) -> str:  # type: ignore[no-untyped-def]
    return f"/my/cooperatives/{cooperative.slug}/payments/"


def test_an_owner_enters_the_cbu_and_alias_and_a_member_reads_them(
    seller_coop, seller_owner, seller_member
):  # type: ignore[no-untyped-def]
    manage = text(browser_for(seller_member).get(f"/my/cooperatives/{seller_coop.slug}/"))
    assert f'href="{page_url(seller_coop)}"' in manage
    owner = browser_for(seller_owner)
    empty = text(owner.get(page_url(seller_coop)))
    assert "No payment details yet" in empty and 'name="cbu"' in empty
    assert 'name="iban"' not in empty  # Argentina: CBU/CVU and alias, not IBAN
    response = owner.post(
        page_url(seller_coop),
        {
            "account_holder": "Cooperativa Textil La Huella",
            "cbu": "285 0590 9400 9041 8135 201",
            "alias": "huella.textil",
        },
    )
    assert response.status_code == 302
    assert "buyers see these details" in messages_of(response)[0]
    details = PayoutDetails.objects.get(cooperative=seller_coop)
    assert (details.cbu, details.alias, details.updated_by) == (CBU, "HUELLA.TEXTIL", seller_owner)

    member_page = text(browser_for(seller_member).get(page_url(seller_coop)))
    assert CBU in member_page and "HUELLA.TEXTIL" in member_page
    assert "<form" not in member_page.split('id="transfer-heading"')[1].split("</section>")[0]
    assert browser_for(seller_member).post(page_url(seller_coop), {"cbu": "1"}).status_code == 302
    assert PayoutDetails.objects.get().cbu == CBU


def test_errors_are_shown_on_their_fields_in_spanish(seller_coop, seller_owner):  # type: ignore[no-untyped-def]
    owner = browser_for(seller_owner)
    response = owner.post(
        page_url(seller_coop),
        {"account_holder": "La Huella", "cbu": CBU[:21] + "4", "alias": "x"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    html = text(response)
    cbu_field = html.split('name="cbu"')[0].rsplit('class="field', 1)[1]
    assert "has-error" in cbu_field and "dígito 22" in html
    assert "Un alias tiene de 6 a 20 caracteres" in html
    assert not PayoutDetails.objects.exists()


def test_outsiders_and_buyers_get_a_404(seller_coop, buyer_owner, outsider):  # type: ignore[no-untyped-def]
    for user in (buyer_owner, outsider):
        assert browser_for(user).get(page_url(seller_coop)).status_code == 404


def test_argentina_gets_a_plain_explanation_instead_of_the_stripe_button(
    seller_coop, seller_owner, settings
):  # type: ignore[no-untyped-def]
    settings.STRIPE_SECRET_KEY = "sk_test_configured"
    html = text(browser_for(seller_owner).get(page_url(seller_coop)))
    assert "Stripe does not pay out to cooperatives in Argentina" in html
    assert "Set up card payments with Stripe" not in html


def test_the_api_refuses_onboarding_in_argentina_with_its_own_code(
    seller_coop, seller_owner, settings
):  # type: ignore[no-untyped-def]
    settings.STRIPE_SECRET_KEY = "sk_test_configured"
    response = client_for(seller_owner).post(
        f"/api/v1/cooperatives/{seller_coop.slug}/stripe/onboarding/", HTTP_ACCEPT_LANGUAGE="pt-br"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "card_payouts_unsupported_country"
    assert "Argentina" in response.json()["detail"] and "fatura" in response.json()["detail"]
    seller_coop.refresh_from_db()
    assert seller_coop.stripe_account_id == ""


def test_the_invoice_page_and_pdf_say_where_to_pay(
    seller_coop, seller_owner, buyer_coop, buyer_owner
):  # type: ignore[no-untyped-def]
    listing = ListingFactory(cooperative=seller_coop, price_amount=1_000_00, currency="ARS")
    order = place_order(buyer_owner, buyer_coop, listing)
    order_services.order_accept(order=order, actor=seller_owner)
    buyer = browser_for(buyer_owner)

    missing = text(buyer.get(f"/orders/{order.pk}/invoice/"))
    assert "has not entered its bank details on Minga yet" in missing
    order_page = text(buyer.get(f"/orders/{order.pk}/"))
    assert "has not entered its payment details yet" in order_page
    seller_page = text(browser_for(seller_owner).get(f"/orders/{order.pk}/"))
    assert f'href="{page_url(seller_coop)}"' in seller_page

    payout_details_update(
        cooperative=seller_coop,
        actor=seller_owner,
        account_holder="Cooperativa Textil La Huella",
        cbu=CBU,
        alias="huella.textil",
    )
    invoice = text(buyer.get(f"/orders/{order.pk}/invoice/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Cómo pagar" in invoice and CBU in invoice and "HUELLA.TEXTIL" in invoice
    assert CBU in text(buyer.get(f"/orders/{order.pk}/"))
    pdf = buyer.get(f"/orders/{order.pk}/invoice.pdf", HTTP_ACCEPT_LANGUAGE="pt-br")
    pdf_words = pdf_text(pdf.content)
    assert "Como pagar" in pdf_words and f"CBU: {CBU}" in pdf_words

    order_services.order_mark_paid(order=order, actor=seller_owner, note="")
    assert CBU not in text(buyer.get(f"/orders/{order.pk}/"))  # paid: nothing left to transfer


@pytest.fixture
def mixed_cart(buyer_coop, buyer_owner, settings):  # type: ignore[no-untyped-def]
    """A buyer's cart from a seller that takes cards and one that does not."""
    settings.STRIPE_SECRET_KEY = "sk_test_configured"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_configured"
    card = CooperativeFactory(
        name="Textil Madrid", country="ES", stripe_account_id="acct_1", is_payouts_enabled=True
    )
    transfer = CooperativeFactory(name="Yerbatera Misiones", country="AR")
    browser = browser_for(buyer_owner)
    for seller in (card, transfer):
        listing = ListingFactory(cooperative=seller, price_amount=500_00, currency="EUR", stock=9)
        assert add_to_cart(browser, buyer_coop, listing).status_code == 302
    return browser


def test_checkout_says_per_seller_who_takes_cards_and_names_the_one_that_does_not(
    buyer_coop, mixed_cart
):  # type: ignore[no-untyped-def]
    page = text(mixed_cart.get(f"/checkout/?cooperative={buyer_coop.slug}"))
    madrid = page.split("Textil Madrid</h3>")[1][:200]
    misiones = page.split("Yerbatera Misiones</h3>")[1][:200]
    assert "Card payment available" in madrid
    assert "This cooperative takes payment by bank transfer (invoice)" in misiones
    form = checkout_form(mixed_cart, buyer_coop)
    form["payment_method"] = "stripe"
    refused = text(mixed_cart.post("/checkout/", form, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Yerbatera Misiones acepta el pago por transferencia bancaria" in refused
    assert "only_card_payable" not in refused

    # The other way out offered on the page: card for Madrid now, Misiones stays in the cart.
    form = checkout_form(mixed_cart, buyer_coop)
    form["payment_method"] = "stripe_payable"
    placed = mixed_cart.post("/checkout/", form)
    assert placed.status_code == 302 and placed["Location"].endswith("/pay/")
    checkout = Checkout.objects.get()
    assert [order.seller.name for order in checkout.orders.all()] == ["Textil Madrid"]
    remaining = text(mixed_cart.get(f"/cart/?cooperative={buyer_coop.slug}"))
    assert "Yerbatera Misiones" in remaining and "Textil Madrid" not in remaining


def test_card_is_not_offered_when_no_seller_takes_cards(buyer_coop, buyer_owner, settings):  # type: ignore[no-untyped-def]
    settings.STRIPE_SECRET_KEY = "sk_test_configured"
    browser = browser_for(buyer_owner)
    listing = ListingFactory(cooperative=CooperativeFactory(country="AR"), currency="ARS")
    add_to_cart(browser, buyer_coop, listing)
    page = text(browser.get(f"/checkout/?cooperative={buyer_coop.slug}"))
    assert 'value="stripe"' not in page
    assert "Card payment available" not in page


def test_the_card_button_answers_a_link_not_a_redirect_and_stripe_comes_back_to_this_host(
    stripe_standin, spanish_seller, settings
):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "minga.localhost"]
    cooperative, owner = spanish_seller
    browser = browser_for(owner)
    html = text(browser.get(page_url(cooperative)))
    assert "Not connected" in html and "Set up card payments with Stripe" in html
    card_url = f"/my/cooperatives/{cooperative.slug}/payments/card/"
    # A host that is not allowed never makes it into Stripe's return link.
    assert browser.post(card_url, HTTP_HOST="evil.example").status_code == 400
    # form-action 'self' forbids a form POST that redirects off-site: the answer is a page.
    answer = browser.post(card_url, HTTP_HOST="minga.localhost")
    assert answer.status_code == 200
    link = re.search(r'href="([^"]*/_minga/connect/onboarding/[^"]+)"', text(answer))
    assert link, text(answer)
    back = stripe_standin.follow_account_link(link.group(1).replace("&amp;", "&"))
    assert back == f"http://minga.localhost{page_url(cooperative)}?stripe=return"
    returned = browser.get(f"{page_url(cooperative)}?stripe=return", follow=True)
    assert "Card payouts are set up." in messages_of(returned)
    assert "Payouts enabled" in text(returned)
    # With htmx the button's answer is an HX-Redirect (a navigation, not a form submission).
    cooperative.refresh_from_db()
    cooperative.is_payouts_enabled = False
    cooperative.save()
    htmx = browser.post(card_url, **HTMX)
    assert htmx.status_code == 200 and "/_minga/connect/onboarding/" in htmx["HX-Redirect"]


def test_a_stale_link_gets_a_fresh_one_but_never_creates_an_account(stripe_standin, spanish_seller):  # type: ignore[no-untyped-def]
    cooperative, owner = spanish_seller
    browser = browser_for(owner)
    refresh = f"/my/cooperatives/{cooperative.slug}/payments/card/refresh/"
    assert browser.get(refresh)["Location"] == page_url(cooperative)
    browser.post(f"/my/cooperatives/{cooperative.slug}/payments/card/")
    response = browser.get(refresh)
    assert response.status_code == 302 and "/_minga/connect/onboarding/" in response["Location"]
