"""axe-core (bundled by axe-playwright-python) on every main page: no serious or critical
violation. A failure lists each rule with the elements it found, so it can be fixed at once."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}


def blocking_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(
    new_context, full_scene
):  # type: ignore[no-untyped-def]
    anonymous = new_context().new_page()
    buyer = new_context(user=full_scene["buyer_owner"]).new_page()
    moderator = new_context(user=full_scene["moderator"]).new_page()
    pages = [
        (anonymous, "/"),
        (anonymous, "/signin/"),
        (anonymous, "/signup/"),
        (anonymous, "/cooperatives/"),
        (anonymous, f"/cooperatives/{full_scene['seller'].slug}/"),
        (anonymous, "/catalogue/"),
        (anonymous, "/network/"),
        (buyer, "/my/cooperatives/"),
        (buyer, f"/my/cooperatives/{full_scene['buyer'].slug}/"),
        (buyer, "/cart/"),  # the cart holds a line: the cart and checkout show their forms
        (buyer, f"/checkout/?cooperative={full_scene['buyer'].slug}"),
        (buyer, "/orders/"),
        (buyer, f"/orders/{full_scene['invoiced'].pk}/"),
        (moderator, "/moderation/"),
        (moderator, f"/moderation/listings/{full_scene['pending'].pk}/"),
    ]
    problems = {}
    for page, url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, (url, response and response.status)
        found = blocking_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
