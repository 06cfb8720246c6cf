"""Every page of the browser flows on a 360 px phone, in Spanish and in Portuguese: none may
scroll sideways. A failure names each page with the element that sticks out furthest."""

from typing import Any

import pytest

from tests.e2e.phone import sideways_overflow


def phone_pages(scene: dict[str, Any]) -> list[tuple[str, str]]:
    """(who, URL) for every page the browser flows visit."""
    seller, buyer = scene["seller"], scene["buyer"]
    invoiced, credited = scene["invoiced"].pk, scene["credited"].pk
    return [
        ("anonymous", "/"),
        ("anonymous", "/signin/"),
        ("anonymous", "/signup/"),
        ("anonymous", "/password/reset/"),
        ("anonymous", "/password/reset/sent/"),
        ("anonymous", "/cooperatives/"),
        ("anonymous", f"/cooperatives/{seller.slug}/"),
        ("anonymous", "/catalogue/"),
        ("anonymous", "/catalogue/?search=Remeras&currency=UYU&min_price=abc"),
        ("anonymous", f"/listings/{scene['listing'].pk}/"),
        ("anonymous", "/network/"),
        ("buyer", "/my/account/"),
        ("buyer", "/my/cooperatives/"),
        ("buyer", f"/my/cooperatives/{buyer.slug}/"),
        ("buyer", "/cart/"),
        ("buyer", f"/checkout/?cooperative={buyer.slug}"),
        ("buyer", "/orders/"),
        ("buyer", f"/orders/{invoiced}/"),
        ("buyer", f"/orders/{invoiced}/invoice/"),
        ("buyer", f"/orders/{credited}/"),
        ("buyer", f"/orders/{credited}/credit-note/"),
        ("buyer", f"/my/cooperatives/{buyer.slug}/reports/"),
        ("seller", f"/my/cooperatives/{seller.slug}/"),
        ("seller", f"/my/cooperatives/{seller.slug}/listings/"),
        ("seller", f"/my/listings/{scene['listing'].pk}/"),
        ("seller", f"/my/cooperatives/{seller.slug}/listings/import/"),
        ("seller", f"/my/cooperatives/{seller.slug}/reports/"),
        ("seller", f"/cooperatives/{seller.slug}/decisions/"),
        ("seller", f"/orders/{invoiced}/"),
        ("moderator", "/moderation/"),
        ("moderator", "/moderation/reports/"),
        ("moderator", "/moderation/verification/"),
        ("moderator", "/moderation/appeals/"),
        ("moderator", "/moderation/cooperatives/"),
        ("moderator", "/moderation/log/"),
        ("moderator", f"/moderation/listings/{scene['pending'].pk}/"),
        ("moderator", f"/moderation/cooperatives/{seller.slug}/"),
    ]


@pytest.mark.parametrize("locale", ["es", "pt-BR"])
def test_no_page_of_the_flows_scrolls_sideways_on_a_360_px_phone(new_context, full_scene, locale):  # type: ignore[no-untyped-def]
    people = {
        "anonymous": None,
        "buyer": full_scene["buyer_owner"],
        "seller": full_scene["seller_owner"],
        "moderator": full_scene["moderator"],
    }
    tabs = {
        who: new_context(user=user, locale=locale, phone=True).new_page()
        for who, user in people.items()
    }
    problems = []
    for who, url in phone_pages(full_scene):
        page = tabs[who]
        response = page.goto(url)
        assert response is not None and response.ok, (who, url, response and response.status)
        if found := sideways_overflow(page):
            problems.append(f"{who}: {found}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_filters_fold_behind_the_result_count_on_a_phone(new_context, full_scene):  # type: ignore[no-untyped-def]
    page = new_context(locale="es", phone=True).new_page()
    page.goto("/")
    page.get_by_role("searchbox", name="¿Qué necesita tu cooperativa?").fill("Remeras")
    page.get_by_role("search", name="Buscar en el catálogo").get_by_role("button").click()
    page.wait_for_url("**/catalogue/?search=Remeras")
    summary = page.locator("details.filter-panel > summary")
    assert "1 publicación" in summary.inner_text()
    currency = page.get_by_label("Moneda")
    assert not currency.is_visible()  # folded: the first result is on the first screen
    first_card = page.locator(".listing-card").first.bounding_box()
    assert first_card is not None and first_card["y"] < 740
    summary.click()
    assert currency.is_visible()

    page.goto("/catalogue/")
    first, second = (card.bounding_box() for card in page.locator(".listing-card").all()[:2])
    assert first and second and first["y"] == second["y"], "two cards per row on a phone"
