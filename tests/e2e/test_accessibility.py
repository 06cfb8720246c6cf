"""axe-core (bundled by axe-playwright-python) on every main page: no serious or critical
violation. A failure lists each rule with the elements it found, so it can be fixed at once."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from orders import services as order_services
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.ordering import place_order
from tests.moderation.conftest import make_moderator

BLOCKING = {"serious", "critical"}


def blocking_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.fixture
def scene(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    seller = CooperativeFactory(name="Textiles La Juanita")
    seller_owner = MembershipFactory(cooperative=seller, role="owner").user
    listing = ListingFactory(
        cooperative=seller, title="Remeras", price_amount=1_000_00, currency="ARS", stock=20
    )
    pending = ListingFactory(cooperative=seller, title="Buzos de frisa", pending_review=True)
    buyer = CooperativeFactory(name="Almacén del Sur")
    buyer_owner = MembershipFactory(cooperative=buyer, role="owner").user
    order = place_order(buyer_owner, buyer, listing, quantity=2)
    return {
        "seller": seller,
        "seller_owner": seller_owner,
        "buyer": buyer,
        "buyer_owner": buyer_owner,
        "listing": listing,
        "order": order,
        "pending": pending,
    }


def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(new_context, scene):  # type: ignore[no-untyped-def]
    anonymous = new_context().new_page()
    buyer = new_context(user=scene["buyer_owner"]).new_page()
    moderator = new_context(user=make_moderator()).new_page()
    # The buyer's cart holds a line, so the cart and checkout pages show their forms.
    order_services.cart_add_item(
        cooperative=scene["buyer"],
        listing_id=scene["listing"].pk,
        quantity=1,
        actor=scene["buyer_owner"],
    )
    pages = [
        (anonymous, "/"),
        (anonymous, "/signin/"),
        (anonymous, "/signup/"),
        (anonymous, "/cooperatives/"),
        (anonymous, f"/cooperatives/{scene['seller'].slug}/"),
        (anonymous, "/catalogue/"),
        (anonymous, "/network/"),
        (buyer, "/my/cooperatives/"),
        (buyer, f"/my/cooperatives/{scene['buyer'].slug}/"),
        (buyer, "/cart/"),
        (buyer, f"/checkout/?cooperative={scene['buyer'].slug}"),
        (buyer, "/orders/"),
        (buyer, f"/orders/{scene['order'].pk}/"),
        (moderator, "/moderation/"),
        (moderator, f"/moderation/listings/{scene['pending'].pk}/"),
    ]
    problems = {}
    for page, url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, (url, response and response.status)
        found = blocking_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
