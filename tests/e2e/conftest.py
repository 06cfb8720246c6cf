"""Browser tests: Playwright for Python drives Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. Never `playwright install`: the browser comes from apt.

Outside CI a machine without Chromium skips these tests with one line; in CI (`CI=true` or
`MINGA_REQUIRE_BROWSER=1`) a missing browser fails them. docs/testing.md says how to run them."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from moderation import services as moderation_services
from orders import services as order_services
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.ordering import place_order
from tests.moderation.conftest import make_moderator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
LONG_NAME = "Cooperativa de Trabajo Textil y Confecciones Manos Unidas Limitada"


def browser_required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true" or os.environ.get("MINGA_REQUIRE_BROWSER") == "1"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test, and under pytest-xdist they all run on one
    worker (`--dist loadgroup`): one Chromium for them all, one process writing the screenshots."""
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason} (CI=true or MINGA_REQUIRE_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests (they run together: all use the live server). It is
    closed after them, so no other test runs while Playwright's event loop is on."""
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extras install it
        _unavailable("Playwright is not installed: pip install -e '.[dev]'")
    # While Playwright's sync API is started, this thread counts as inside an event loop; the
    # tests' own ORM calls are synchronous and safe, so Django need not refuse them. Only while
    # the browser is open: a leaked variable fails `check --deploy` (async.E001) in later tests.
    mp = pytest.MonkeyPatch()
    mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        mp.undo()


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """`new_context(user=None, locale="en", phone=False, javascript=True)`: a fresh browser
    profile on the live server, signed in as `user` when given (a session cookie, so tests need
    no password)."""
    contexts = []

    def make(
        user: Any = None, locale: str = "en", phone: bool = False, javascript: bool = True
    ) -> Any:
        options: dict[str, Any] = {
            "base_url": live_server.url,
            "locale": locale,
            "extra_http_headers": {"Accept-Language": locale},
            "java_script_enabled": javascript,
        }
        if phone:
            options |= {"viewport": PHONE, "device_scale_factor": 1, "is_mobile": True}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            sign_in_cookie(context, live_server.url, user)
        return context

    yield make
    for context in contexts:
        context.close()


def sign_in_cookie(context: Any, base_url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def full_scene(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The pages at their fullest, for the checks that run over every page (accessibility, a
    phone's width): long names, an invoiced order, a cancelled one with its credit note, a line
    in the buyer's cart, a pending listing, a report and a rejection."""
    seller = CooperativeFactory(name=LONG_NAME, country="UY")
    seller_owner = MembershipFactory(cooperative=seller, role="owner").user
    MembershipFactory(cooperative=seller, role="member")
    listing = ListingFactory(
        cooperative=seller,
        title="Remeras de algodón orgánico teñidas con tintes naturales, talles surtidos",
        price_amount=1_234_567_00,
        currency="UYU",
        stock=500,
    )
    ListingFactory(cooperative=seller, title="Cuadernos A5", currency="UYU")
    pending = ListingFactory(cooperative=seller, title="Buzos de frisa", pending_review=True)
    rejected = ListingFactory(cooperative=seller, title="Medias", pending_review=True)
    buyer = CooperativeFactory(name="Almacén Cooperativo del Sur y Anexos", country="AR")
    buyer_owner = MembershipFactory(cooperative=buyer, role="owner").user
    invoiced = place_order(buyer_owner, buyer, listing, quantity=12)
    order_services.order_accept(order=invoiced, actor=seller_owner)
    credited = place_order(buyer_owner, buyer, listing, quantity=3)
    order_services.order_accept(order=credited, actor=seller_owner)
    order_services.order_cancel(order=credited, actor=buyer_owner, reason="Nos equivocamos.")
    order_services.cart_add_item(
        cooperative=buyer, listing_id=listing.pk, quantity=2, actor=buyer_owner
    )
    moderator = make_moderator()
    moderation_services.report_create(actor=buyer_owner, listing=listing, reason="misleading")
    moderation_services.listing_reject(listing=rejected, actor=moderator, reason="Faltan fotos.")
    cache.clear()  # the trade network's figures are cached
    return {
        "seller": seller,
        "seller_owner": seller_owner,
        "buyer": buyer,
        "buyer_owner": buyer_owner,
        "listing": listing,
        "pending": pending,
        "invoiced": invoiced,
        "credited": credited,
        "moderator": moderator,
    }
