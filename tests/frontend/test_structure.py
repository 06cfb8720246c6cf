"""What every page owes its readers and the later strict CSP: translated strings, labels,
landmarks, the language, no inline script or style, and no ORM of its own."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cooperatives import services as cooperative_services
from cooperatives.models import Invitation
from marketplace.models import Listing
from marketplace.services import listing_image_add
from moderation import services as moderation_services
from orders import services as order_services
from tests.factories import ListingFactory
from tests.frontend.helpers import browser_for, elements, pdf_upload, png_upload, text
from tests.frontend.ordering import place_order
from tests.frontend.test_moderation_pages import QUEUE_PAGES
from tests.moderation.conftest import make_moderator

FRONTEND = Path(settings.BASE_DIR) / "frontend"
TEMPLATES = sorted((FRONTEND / "templates").rglob("*.html"))
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
TRANSLATED_ATTRIBUTES = re.compile(r'\b(aria-label|title|alt|placeholder|hx-confirm)="([^"]*)"')


def _without_django(source: str) -> str:
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}", "", source, flags=re.S)
    return re.sub(r"{{.*?}}", "", source, flags=re.S)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_every_string_in_the_templates_is_marked_for_translation(template):
    source = template.read_text()
    for attribute, value in TRANSLATED_ATTRIBUTES.findall(source):
        assert not LETTERS.search(_without_django(value)), (
            f"{template.name}: {attribute}={value!r} is not translated"
        )
    visible = re.sub(r"<[^>]*>", " ", _without_django(source))
    visible = re.sub(r"&\w+;", " ", visible)
    leftovers = [word for word in visible.split() if LETTERS.search(word)]
    assert not leftovers, f"{template.name}: untranslated text {leftovers[:5]}"


def test_no_python_in_the_frontend_runs_its_own_queries():
    """Pages call selectors and services; they never reach for the ORM themselves."""
    for module in FRONTEND.rglob("*.py"):
        source = module.read_text()
        assert ".objects" not in source, f"{module} queries the ORM"
        assert "from django.db" not in source, f"{module} imports the ORM"


def test_htmx_is_vendored_with_its_licence():
    htmx = (FRONTEND / "static" / "frontend" / "htmx.min.js").read_text()
    assert htmx.startswith("/*! htmx 2.")
    assert "Zero-Clause BSD" in htmx[:1000]
    assert "var htmx=function()" in htmx
    css = (FRONTEND / "static" / "frontend" / "minga.css").read_text()
    assert ":focus-visible" in css and ".badge-verified" in css and ".badge-recuperated" in css


@pytest.fixture
def order_pages(seller_coop, seller_owner, buyer_coop, buyer_owner, moderator):  # type: ignore[no-untyped-def]
    """The cart, checkout, order, invoice, report, decision and moderation pages, with content."""
    sold = ListingFactory(cooperative=seller_coop, title="Remeras", stock=20)
    order = place_order(buyer_owner, buyer_coop, sold)
    order_services.order_accept(order=order, actor=seller_owner)
    order_services.message_post(order=order, actor=buyer_owner, body="¿Cuándo llega?")
    in_cart = ListingFactory(cooperative=seller_coop, title="Bolsas", stock=20)
    order_services.cart_add_item(
        cooperative=buyer_coop, listing_id=in_cart.pk, quantity=2, actor=buyer_owner
    )
    in_cart.price_amount += 100
    in_cart.save()
    pending = ListingFactory(cooperative=seller_coop, status="pending_review", published_at=None)
    rejected = ListingFactory(cooperative=seller_coop, status="pending_review", published_at=None)
    moderation_services.listing_reject(listing=rejected, actor=moderator, reason="No.")
    appealed = ListingFactory(cooperative=seller_coop, status="pending_review", published_at=None)
    other_decision = moderation_services.listing_reject(
        listing=appealed, actor=make_moderator(name="Otra"), reason="Tampoco."
    )
    moderation_services.appeal_file(decision=other_decision, actor=seller_owner, statement="Sí.")
    moderation_services.report_create(actor=buyer_owner, listing=sold, reason="misleading")
    cooperative_services.verification_request_submit(
        cooperative=seller_coop, actor=seller_owner, documents=[pdf_upload()]
    )
    buyer, seller, mod = browser_for(buyer_owner), browser_for(seller_owner), browser_for(moderator)
    pages = {
        "/cart/": buyer,
        f"/checkout/?cooperative={buyer_coop.slug}": buyer,
        f"/checkout/{order.checkout_id}/": buyer,
        "/orders/": buyer,
        f"/orders/{order.pk}/": buyer,
        f"/orders/{order.pk}/invoice/": seller,
        f"/my/cooperatives/{seller_coop.slug}/reports/": seller,
        f"/cooperatives/{seller_coop.slug}/decisions/": seller,
        f"/moderation/listings/{pending.pk}/": mod,
        f"/moderation/cooperatives/{seller_coop.slug}/": mod,
        "/moderation/log/?action=listing_reject": mod,
    }
    pages.update(dict.fromkeys(QUEUE_PAGES, mod))
    return pages


@pytest.fixture
def pages(db, seller_coop, seller_owner, seller_member, order_pages):  # type: ignore[no-untyped-def]
    """Every page, as the person who would normally see it."""
    invitation = Invitation.objects.create(
        cooperative=seller_coop, email=seller_owner.email.replace("@", "+x@")
    )
    owner = browser_for(seller_owner)
    slug = seller_coop.slug
    listing = ListingFactory(cooperative=seller_coop)
    listing_image_add(listing=listing, actor=None, upload=png_upload(), alt_text="Bolsa de yerba")
    Listing.objects.filter(pk=listing.pk).update(status="published")
    draft = ListingFactory(cooperative=seller_coop, status="rejected", status_reason="Blurry.")
    return {
        **order_pages,
        "/catalogue/?search=yerba&currency=ARS&min_price=1&in_stock=true&delivery=pickup": None,
        f"/listings/{listing.pk}/": None,
        f"/listings/{draft.pk}/": owner,
        f"/my/cooperatives/{slug}/listings/": owner,
        f"/my/cooperatives/{slug}/listings/new/": owner,
        f"/my/cooperatives/{slug}/listings/import/": owner,
        f"/my/listings/{listing.pk}/": owner,
        "/": None,
        "/signup/": None,
        "/signin/": None,
        "/catalogue/": None,
        "/cooperatives/": None,
        f"/cooperatives/{slug}/": owner,
        f"/invitations/{invitation.token}/": None,
        "/my/cooperatives/": owner,
        "/my/new-cooperative/": owner,
        f"/my/cooperatives/{slug}/": owner,
        f"/my/cooperatives/{slug}/edit/": owner,
        f"/my/cooperatives/{slug}/verification/": owner,
        f"/my/cooperatives/{slug}/payments/": owner,
        "/no-such-page/": None,
    }


def test_pages_are_ready_for_a_strict_content_security_policy(client, pages):
    for url, browser in pages.items():
        html = text((browser or client).get(url))
        found = elements(html)
        assert not found.script_bodies, f"{url} has an inline script"
        for tag, attrs in found.tags:
            assert "style" not in attrs, f"{url}: <{tag} style=...>"
            assert not [name for name in attrs if name.startswith("on")], f"{url}: <{tag} on...>"
            assert tag != "style", f"{url} has a <style> element"
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/"), f"{url}: {attrs}"


def test_every_control_has_a_label(client, pages):
    for url, browser in pages.items():
        found = elements(text((browser or client).get(url)))
        labelled = {attrs.get("for") for tag, attrs in found.tags if tag == "label"}
        for tag, attrs in found.tags:
            if tag not in {"input", "select", "textarea"}:
                continue
            if attrs.get("type") in {"hidden", "submit"}:
                continue
            assert attrs.get("id") in labelled or attrs.get("aria-label"), (
                f"{url}: <{tag} {attrs}> has no label"
            )


def test_pages_have_landmarks_and_the_csrf_header_for_htmx(client, pages):
    for url, browser in pages.items():
        found = elements(text((browser or client).get(url)))
        tags = {tag for tag, attrs in found.tags}
        assert {"header", "nav", "main", "footer"} <= tags, url
        body = next(attrs for tag, attrs in found.tags if tag == "body")
        assert '"X-CSRFToken"' in body["hx-headers"], url


@pytest.mark.parametrize(("accept", "lang"), [("es", "es"), ("pt-BR", "pt-br"), ("en", "en")])
def test_html_lang_follows_the_active_language(client, db, accept, lang):
    html = text(client.get("/cooperatives/", HTTP_ACCEPT_LANGUAGE=accept))
    assert f'<html lang="{lang}">' in html
