"""Nothing on the money and moderation paths shows an English word or a raw code to a reader of
Spanish or Portuguese.

Each page of those paths is rendered in es and pt-BR over a realistic world (an Uruguayan buyer
with pesos of two countries in its cart, invoice and card orders with their events, units,
categories, a moderation queue, reports and log). A page fails when its visible text (and the
texts read aloud: aria-label, title, alt, placeholder) holds a raw code (a status, an event kind,
a unit code, True/False/None, a Stripe id), an English word from a short list of known leaks, or
a whole English sentence the catalogues translate but the page did not.

Adding a page is one line in PAGES: (name, persona, url from the world).
"""

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from cooperatives.models import Cooperative, Role
from cooperatives.state import VerificationStatus
from marketplace.models import Category, Listing
from moderation import services as moderation
from orders import services as orders
from orders.events import EventKind
from orders.models import Checkout, Order
from orders.payments.execution import add_order_event
from tests.core.test_translations import catalogue
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.moderation.conftest import make_moderator
from tests.orders.test_invoices import pdf_text

LANGUAGES = ["es", "pt-br"]
_keys = itertools.count(1)


@dataclass
class World:
    seller: Cooperative  # Argentina
    buyer: Cooperative  # Uruguay
    seller_owner: User
    buyer_owner: User
    moderator: User
    listing: Listing  # ARS, by the lot
    pending: Listing
    invoice_order: Order
    card_order: Order
    cancelled_order: Order
    invoice_checkout: Checkout
    card_checkout: Checkout


PAGES: list[tuple[str, str, Callable[[World], str]]] = [
    ("catalogue", "buyer_owner", lambda w: "/catalogue/"),
    (
        "catalogue, a price filter refused",
        "buyer_owner",
        lambda w: "/catalogue/?min_price=1.250&currency=ARS",
    ),
    ("catalogue, a price without currency", "buyer_owner", lambda w: "/catalogue/?min_price=10"),
    ("listing", "buyer_owner", lambda w: f"/listings/{w.listing.pk}/"),
    ("cart", "buyer_owner", lambda w: "/cart/"),
    ("checkout", "buyer_owner", lambda w: f"/checkout/?cooperative={w.buyer.slug}"),
    ("checkout result", "buyer_owner", lambda w: f"/checkout/{w.invoice_checkout.pk}/"),
    ("pay page", "buyer_owner", lambda w: f"/checkout/{w.card_checkout.pk}/pay/"),
    ("orders, buyer", "buyer_owner", lambda w: "/orders/"),
    ("orders, seller", "seller_owner", lambda w: "/orders/?role=seller"),
    ("invoice order", "buyer_owner", lambda w: f"/orders/{w.invoice_order.pk}/"),
    ("card order", "buyer_owner", lambda w: f"/orders/{w.card_order.pk}/"),
    ("cancelled order", "seller_owner", lambda w: f"/orders/{w.cancelled_order.pk}/"),
    ("invoice", "buyer_owner", lambda w: f"/orders/{w.invoice_order.pk}/invoice/"),
    ("credit note", "seller_owner", lambda w: f"/orders/{w.cancelled_order.pk}/credit-note/"),
    ("moderation queue", "moderator", lambda w: "/moderation/"),
    ("moderation listing", "moderator", lambda w: f"/moderation/listings/{w.pending.pk}/"),
    ("abuse reports", "moderator", lambda w: "/moderation/reports/"),
    ("moderation log", "moderator", lambda w: "/moderation/log/"),
    ("cooperative", "seller_owner", lambda w: f"/my/cooperatives/{w.seller.slug}/"),
    ("my listings", "seller_owner", lambda w: f"/my/cooperatives/{w.seller.slug}/listings/"),
    ("new listing", "seller_owner", lambda w: f"/my/cooperatives/{w.seller.slug}/listings/new/"),
    ("edit listing", "seller_owner", lambda w: f"/my/listings/{w.listing.pk}/"),
    ("trade report", "seller_owner", lambda w: f"/my/cooperatives/{w.seller.slug}/reports/"),
    ("decisions", "seller_owner", lambda w: f"/cooperatives/{w.seller.slug}/decisions/"),
]

# Codes people must never read: statuses, event kinds, unit codes, Python values, provider ids.
RAW_CODES = re.compile(
    r"\b(?:placed|accepted|fulfilled|completed|declined|cancelled|awaiting_payment|"
    r"pending_review|published|rejected|suspended|archived|unverified|succeeded|refunded|"
    r"payment_succeeded|payment_failed|refund_requested|transfer_reversal|transfer|unflag|"
    r"invoice_issued|mark_paid|only_card_payable|piece|pieces|lot|lots|litre|hour|month|"
    r"True|False|None)\b"
    r"|\b(?:pi|tr|re|ch|acct|trr|pyr|cs|evt)_[A-Za-z0-9]{6,}"
)
# English words that leaked before; function words catch any English sentence.
ENGLISH = re.compile(
    r"\b(?:the|and|of|with|per|is|Paid|Pending|Order|Orders|Invoice|Price|Reports|Seller|Buyer|"
    r"Quantity|Unit|minimum|available|Payment|Awaiting|Refund|Cart)\b"
)
READ_ALOUD = ("aria-label", "title", "alt", "placeholder")
# Leaks another lane of issue #14 removes (order events: kinds, provider ids and their notes are
# written by the paystate work). Listed so they are seen, not hidden: once none is found the test
# fails, asking for the entry to be deleted.
AWAITED: dict[str, re.Pattern[str]] = {}


class _Text(HTMLParser):
    """Text nodes and read-aloud attributes, outside <script>, <style> and <template>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in READ_ALOUD and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def _english_sentences(language: str) -> set[str]:
    """Source strings the catalogue translates differently: shown as they are, they are English."""
    babel_language = "pt_BR" if language == "pt-br" else language
    return {
        str(m.id)
        for m in catalogue(babel_language)
        if m.id and isinstance(m.id, str) and m.string and m.string != m.id and len(m.id) > 3
    }


def problems_of(html: str, language: str, english: set[str]) -> list[str]:
    found = []
    for text in visible_texts(html):
        for match in itertools.chain(RAW_CODES.finditer(text), ENGLISH.finditer(text)):
            found.append(f"{match.group(0)!r} in {text!r}")
        if text in english:
            found.append(f"untranslated {text!r}")
    return found


# The world --------------------------------------------------------------------------------


def _category(slug: str) -> Category:
    return Category.objects.get(slug=slug)  # the seeded tree, named in every language


def _place(
    buyer: Cooperative, actor: User, method: str = "invoice", currency: str = ""
) -> Checkout:
    return orders.checkout_place(
        buyer=buyer,
        actor=actor,
        idempotency_key=f"no-raw-text-{next(_keys)}",
        payment_method=method,
        currency=currency,
        delivery_address="Av. 18 de Julio 1234, Montevideo",
    ).checkout


def _card_checkout(buyer: Cooperative, actor: User, listing: Listing, monkeypatch: Any) -> Checkout:
    """A card checkout paid and settled, with the events the payment code writes."""
    monkeypatch.setattr("orders.payments.available_methods", lambda: ["invoice", "stripe"])
    monkeypatch.setattr(
        "orders.payments.initial_statuses", lambda method: ("awaiting_payment", "pending")
    )
    monkeypatch.setattr(
        "orders.payments.rails.stripe.StripeRail.can_pay", lambda self, seller, currency: True
    )
    orders.cart_add_item(cooperative=buyer, listing_id=listing.pk, quantity=2, actor=actor)
    checkout = _place(buyer, actor, method="stripe", currency=listing.currency)
    order = checkout.orders.get()
    for kind, note, reference in [
        (EventKind.PAYMENT_SUCCEEDED, "Paid by card.", "pi_3QxAbCdEfGhIjKlM"),
        (EventKind.TRANSFER_SENT, "ARS 2.500,00 sent to the seller.", "tr_1QxAbCdEfGhIjKlM"),
        (EventKind.REFUND_REQUESTED, "ARS 2.500,00 to be refunded to the buyer's card.", ""),
        (EventKind.TRANSFER_REVERSED, "ARS 2.500,00 taken back from the seller.", "trr_1QxAbCdE"),
    ]:
        add_order_event(order, kind, note, reference=reference)
    return checkout


def build_world(monkeypatch: Any) -> World:
    seller, brazil, buyer = (
        CooperativeFactory(
            name=name, country=country, verification_status=VerificationStatus.VERIFIED
        )
        for name, country in [
            ("Cooperativa Textil La Huella", "AR"),
            ("Cooperativa Mista Terra Viva", "BR"),
            ("Cooperativa de Consumo Montevideo", "UY"),
        ]
    )
    seller_owner, buyer_owner, _ = (
        MembershipFactory(cooperative=cooperative, role=Role.OWNER, user__name=name).user
        for cooperative, name in [
            (seller, "Ana Pérez"),
            (buyer, "Luis Suárez"),
            (brazil, "João Silva"),
        ]
    )
    moderator = make_moderator(name="Marta Gómez")
    decider = make_moderator(name="Rosa Díaz")

    # (seller, title, category, price, currency, unit, minimum order, stock)
    listing, yerba, queso = (
        ListingFactory(
            cooperative=cooperative,
            title=title,
            category=_category(category),
            price_amount=price,
            currency=currency,
            unit=unit,
            min_order_quantity=minimum,
            stock=stock,
        )
        for cooperative, title, category, price, currency, unit, minimum, stock in [
            (seller, "Tela de algodón", "clothing", 125_000, "ARS", "lot", 2, 40),
            (seller, "Yerba mate", "coffee-tea-yerba", 390_000, "ARS", "kg", 10, 500),
            (brazil, "Queijo minas", "dairy-eggs", 7_500_000, "UYU", "piece", 1, 30),
        ]
    )
    pending = ListingFactory(
        cooperative=seller,
        title="Mantel bordado",
        category=_category("clothing"),
        status="pending_review",
        published_at=None,
        submitted_at=timezone.now(),
        unit="piece",
    )

    def order(listing: Listing, quantity: int) -> Order:
        orders.cart_add_item(
            cooperative=buyer, listing_id=listing.pk, quantity=quantity, actor=buyer_owner
        )
        return _place(buyer, buyer_owner, currency=listing.currency).orders.get()

    invoice_order = order(listing, 3)
    orders.order_accept(order=invoice_order, actor=seller_owner)
    orders.message_post(order=invoice_order, actor=seller_owner, body="Sale el lunes.")
    invoice_checkout = invoice_order.checkout
    cancelled_order = order(yerba, 10)
    orders.order_accept(order=cancelled_order, actor=seller_owner)
    orders.order_cancel(order=cancelled_order, actor=seller_owner, reason="Sin stock.")
    fulfilled = order(listing, 2)
    orders.order_accept(order=fulfilled, actor=seller_owner)
    orders.order_fulfil(order=fulfilled, actor=seller_owner)
    order(yerba, 10)  # placed, waiting for the seller
    card_checkout = _card_checkout(buyer, buyer_owner, listing, monkeypatch)

    # The cart: pesos of two countries, one line below its minimum order.
    orders.cart_add_item(cooperative=buyer, listing_id=listing.pk, quantity=2, actor=buyer_owner)
    orders.cart_add_item(cooperative=buyer, listing_id=queso.pk, quantity=1, actor=buyer_owner)
    orders.cart_add_item(cooperative=buyer, listing_id=yerba.pk, quantity=10, actor=buyer_owner)
    Listing.objects.filter(pk=yerba.pk).update(min_order_quantity=20)

    moderation.report_create(actor=buyer_owner, listing=listing, reason="fraud")
    moderation.listing_reject(
        listing=ListingFactory(
            cooperative=seller, status="pending_review", published_at=None, unit="lot"
        ),
        actor=decider,
        reason="Fotos borrosas.",
    )
    return World(
        seller=seller,
        buyer=buyer,
        seller_owner=seller_owner,
        buyer_owner=buyer_owner,
        moderator=moderator,
        listing=listing,
        pending=pending,
        invoice_order=invoice_order,
        card_order=card_checkout.orders.get(),
        cancelled_order=cancelled_order,
        invoice_checkout=invoice_checkout,
        card_checkout=card_checkout,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_money_and_moderation_pages_show_no_english_and_no_raw_code(language, monkeypatch):
    world = build_world(monkeypatch)
    english = _english_sentences(language)
    report: list[str] = []
    awaited: dict[str, list[str]] = {}
    for name, persona, url in PAGES:
        user = getattr(world, persona)
        User.objects.filter(pk=user.pk).update(language=language)
        browser = Client(headers={"accept-language": language})
        browser.force_login(user)
        response = browser.get(url(world))
        if response.status_code != 200:
            report.append(f"{name} ({url(world)}): HTTP {response.status_code}")
            continue
        for problem in problems_of(response.content.decode(), language, english):
            lane = next((lane for lane, leak in AWAITED.items() if leak.search(problem)), None)
            if lane is None:
                report.append(f"{name}: {problem}")
            else:
                awaited.setdefault(lane, []).append(f"{name}: {problem}")
    assert not report, f"In {language}:\n" + "\n".join(report)
    gone = set(AWAITED) - set(awaited)
    assert not gone, f"Fixed: delete these entries of AWAITED: {sorted(gone)}"


@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_no_entry_of_the_catalogues_is_left_untranslated(language):
    untranslated = [
        m.id for m in catalogue(language) if m.id and (not m.string or m.fuzzy or not all(m.string))
    ]
    assert not untranslated


def test_the_checker_finds_what_it_looks_for():
    html = (
        '<p>Estado: payment_succeeded (pi_3QxAbCdEfGhIjK)</p><p aria-label="3 lot">x</p>'
        "<script>var placed = true;</script><p>Quantity</p>"
    )
    found = problems_of(html, "es", {"Quantity"})
    assert any("payment_succeeded" in p for p in found)
    assert any("pi_3QxAbCdEfGhIjK" in p for p in found)
    assert any("'lot'" in p for p in found)
    assert any("untranslated 'Quantity'" in p for p in found)
    assert not any("placed" in p for p in found)  # scripts are not read


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "abuse", "trade"),
    [("es", "Denuncias", "Informes"), ("pt-br", "Denúncias", "Relatórios")],
)
def test_abuse_reports_and_trade_reports_are_different_words(language, abuse, trade):
    moderator = make_moderator(name="Marta Gómez")
    browser = Client(headers={"accept-language": language})
    browser.force_login(moderator)
    texts = visible_texts(browser.get("/moderation/reports/").content.decode())
    assert abuse in texts and trade in texts  # the moderation tab, and the menu's trade reports


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "unit"), [("es", "lote"), ("pt-br", "lote")])
def test_the_invoice_pdf_names_units_and_currency_for_the_reader(language, unit, monkeypatch):
    world = build_world(monkeypatch)
    browser = Client(headers={"accept-language": language})
    browser.force_login(world.buyer_owner)
    pdf = browser.get(f"/orders/{world.invoice_order.pk}/invoice.pdf")
    drawn = " ".join(pdf_text(pdf.content).split())
    assert unit in drawn and " lot " not in f" {drawn} "
    assert re.search("ARS[ \u00a0]3\\.750,00", drawn), drawn  # 3 lotes × ARS 1.250,00
