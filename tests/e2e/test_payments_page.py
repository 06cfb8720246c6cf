"""The Payments page in Chromium on a 360 px phone, in Spanish and Portuguese: a seller enters
its CBU and alias (a wrong check digit is refused first, on its field), and the buyer's invoice
shows them; the page never scrolls sideways. And the card onboarding button, against the Stripe
stand-in: the app's CSP (`form-action 'self'`) must not stop it, with or without JavaScript, and
Stripe must bring the seller back to the address it was served at."""

import re
from typing import Any

import pytest

from orders import services as order_services
from tests.cooperatives.helpers import CBU
from tests.factories import ListingFactory
from tests.frontend.ordering import place_order

WORDS = {
    "es": {
        "holder": "Titular de la cuenta",
        "cbu": "CBU o CVU",
        "alias": "Alias",
        "save": "Guardar los datos de pago",
        "wrong": "dígito 22",
        "saved": "Guardado",
        "how": "Cómo pagar",
    },
    "pt-BR": {
        "holder": "Titular da conta",
        "cbu": "CBU ou CVU",
        "alias": "Alias",
        "save": "Salvar os dados de pagamento",
        "wrong": "dígito 22",
        "saved": "Salvo",
        "how": "Como pagar",
    },
}


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide on a 360 px phone"


@pytest.mark.parametrize("locale", ["es", "pt-BR"])
def test_a_seller_enters_its_cbu_on_a_phone_and_the_buyers_invoice_shows_it(
    new_context, seller_coop, seller_owner, buyer_coop, buyer_owner, locale, screenshots
):  # type: ignore[no-untyped-def]
    words = WORDS[locale]
    listing = ListingFactory(cooperative=seller_coop, price_amount=1_000_00, currency="ARS")
    order = place_order(buyer_owner, buyer_coop, listing)
    order_services.order_accept(order=order, actor=seller_owner)

    page = new_context(user=seller_owner, locale=locale, phone=True).new_page()
    page.goto(f"/my/cooperatives/{seller_coop.slug}/")
    page.locator(f'a[href="/my/cooperatives/{seller_coop.slug}/payments/"]').click()
    page.wait_for_url(re.compile(r"/payments/$"))
    no_sideways_scroll(page)
    page.get_by_label(words["holder"]).fill("Cooperativa Textil La Huella")
    page.get_by_label(words["cbu"]).fill(CBU[:21] + "4")
    page.get_by_label(re.compile(r"^Alias:?$")).fill("huella.textil")
    page.get_by_role("button", name=words["save"]).click()
    page.locator(".has-error").get_by_text(words["wrong"], exact=False).wait_for()
    no_sideways_scroll(page)

    page.get_by_label(words["cbu"]).fill("285 0590 9400 9041 8135 201")
    page.get_by_role("button", name=words["save"]).click()
    page.locator("#messages").get_by_text(words["saved"], exact=False).wait_for()
    no_sideways_scroll(page)
    page.screenshot(path=str(screenshots / f"payments-360-{locale}.png"), full_page=True)

    buyer = new_context(user=buyer_owner, locale=locale, phone=True).new_page()
    buyer.goto(f"/orders/{order.pk}/invoice/")
    section = buyer.locator(".how-to-pay")
    section.get_by_role("heading", name=words["how"]).wait_for()
    assert CBU in section.inner_text() and "HUELLA.TEXTIL" in section.inner_text()
    buyer.goto(f"/orders/{order.pk}/")
    assert CBU in buyer.locator(".how-to-pay").inner_text()


def test_the_stripe_button_works_under_the_csp_with_and_without_javascript(
    new_context, spanish_seller
):  # type: ignore[no-untyped-def]
    cooperative, owner = spanish_seller
    payments = f"/my/cooperatives/{cooperative.slug}/payments/"

    # Without JavaScript: the button's POST answers a page with a link to Stripe.
    no_js = new_context(user=owner, javascript=False).new_page()
    violations: list[str] = []
    no_js.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    no_js.goto(payments)
    no_js.get_by_text("Not connected").wait_for()
    no_js.get_by_role("button", name="Set up card payments with Stripe").click()
    no_js.get_by_role("link", name="Continue to Stripe").click()
    # The stand-in's onboarding completes and sends the seller back to this live server.
    no_js.wait_for_url(re.compile(re.escape(payments) + r"\?stripe=return$"))
    no_js.get_by_text("Payouts enabled").wait_for()
    assert "Card payouts are set up." in no_js.locator("#messages").inner_text()

    # With JavaScript (htmx): one click, straight to Stripe and back.
    cooperative.refresh_from_db()
    cooperative.is_payouts_enabled = False
    cooperative.save()
    page = new_context(user=owner).new_page()
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(payments)
    page.get_by_text("Onboarding incomplete").wait_for()
    page.get_by_role("button", name="Continue with Stripe").click()
    page.wait_for_url(re.compile(re.escape(payments) + r"\?stripe=return$"))
    page.get_by_text("Payouts enabled").wait_for()
    assert not violations, violations
