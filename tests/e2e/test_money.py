"""Money people can read and type, in a real browser on a 360 px phone: a Brazilian owner lists
at "1.250,50" and reads BRL 1.250,50 back; a Uruguayan buyer's cart holds pesos of two countries
and each total says which."""

import re
from typing import Any

from cooperatives.models import Role
from marketplace.models import Category, Listing
from orders import services as orders
from tests.factories import CategoryFactory, CooperativeFactory, ListingFactory, MembershipFactory

SPACE = "[\\s\u00a0]"
SLOW = 60_000  # ms: a shared 2-core machine can take longer than the default 10 s to load a page


def _category(slug: str, name: str, name_es: str, name_pt_br: str) -> Category:
    """The seeded category (live-server tests flush the database, so it may be gone)."""
    return CategoryFactory(slug=slug, name=name, name_es=name_es, name_pt_br=name_pt_br)


def test_a_brazilian_owner_lists_at_1250_50_and_reads_brl_1250_50(new_context, db):  # type: ignore[no-untyped-def]
    _category(
        "coffee-tea-yerba",
        "Coffee, tea and yerba mate",
        "Café, té y yerba mate",
        "Café, chá e erva-mate",
    )
    seller = CooperativeFactory(name="Cooperativa Mista Terra Viva", country="BR")
    owner = MembershipFactory(cooperative=seller, role=Role.OWNER).user
    context = new_context(user=owner, locale="pt-BR", phone=True)
    context.set_default_timeout(SLOW)
    page = context.new_page()
    page.goto(f"/my/cooperatives/{seller.slug}/listings/new/")

    currency = page.locator("#id_currency")
    assert currency.input_value() == "BRL"  # the cooperative's own currency, not AED
    assert currency.locator("option").first.get_attribute("value") == "BRL"
    price = page.locator("#id_price")
    assert price.get_attribute("type") == "text" and price.get_attribute("inputmode") == "decimal"

    page.locator("#id_title").fill("Erva-mate orgânica")
    page.locator("#id_category").select_option("coffee-tea-yerba")
    page.locator("#id_unit").select_option("kg")
    price.fill("1.250,50")
    # Before saving, the page says how the price will read.
    page.locator("#price-preview").get_by_text(
        re.compile(f"BRL{SPACE}1\\.250,50 por kg")
    ).wait_for()
    page.locator("main form.stacked button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/my/listings/\d+/$"))

    listing = Listing.objects.get(cooperative=seller)
    assert (listing.price_amount, listing.currency) == (125_050, "BRL")
    page.goto(f"/listings/{listing.pk}/")
    price_text = page.locator(".price").first.inner_text()
    assert re.search(f"BRL{SPACE}1\\.250,50", price_text), price_text

    # A slip of the separator is refused with a reason, never saved as a price 100 times larger.
    page.goto(f"/my/listings/{listing.pk}/")
    page.locator("#id_price").fill("1.250")
    page.locator("main form.stacked button[type=submit]").first.click()
    page.locator(".has-error").get_by_text("pode ser lido de duas maneiras").wait_for()
    listing.refresh_from_db()
    assert listing.price_amount == 125_050


def test_a_uruguayan_buyers_cart_tells_its_two_pesos_apart(new_context, db):  # type: ignore[no-untyped-def]
    clothing = _category("clothing", "Clothing", "Ropa", "Roupas")
    argentina = CooperativeFactory(name="Cooperativa Textil La Huella", country="AR")
    uruguay = CooperativeFactory(name="Cooperativa Lanera del Sur", country="UY")
    buyer = CooperativeFactory(name="Cooperativa de Consumo Montevideo", country="UY")
    owner = MembershipFactory(cooperative=buyer, role=Role.OWNER).user
    fabric = ListingFactory(
        cooperative=argentina, category=clothing, price_amount=390_000, currency="ARS", unit="lot"
    )
    wool = ListingFactory(
        cooperative=uruguay, category=clothing, price_amount=7_500_000, currency="UYU", unit="kg"
    )
    for listing, quantity in ((fabric, 2), (wool, 1)):
        orders.cart_add_item(
            cooperative=buyer, listing_id=listing.pk, quantity=quantity, actor=owner
        )

    context = new_context(user=owner, locale="es", phone=True)
    context.set_default_timeout(SLOW)
    page: Any = context.new_page()
    page.goto("/cart/")
    text = page.locator("main").inner_text()
    assert re.search(f"ARS{SPACE}7\\.800,00", text), text  # 2 lotes × ARS 3.900,00
    assert re.search(f"UYU{SPACE}75\\.000,00", text), text
    assert "2 lotes" in text or "/ lote" in text
    assert not re.search(f"(?<![A-Z]){SPACE}?\\$", text), "a bare $ names no currency"
