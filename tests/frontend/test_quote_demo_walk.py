"""Issue 19's Done-when, walked through the pages on the `make run` demo: the Uruguayan consumer
cooperative asks the three printing cooperatives for a quote, each answers, the buyer counters
the Argentine printer, which answers, the buyer compares and awards it, the printer accepts, and
the order, invoice and due date carry the quoted price and terms; a federation agreement prices
a cart line and says so. One test: seed_demo takes several seconds."""

import re
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cooperatives.demo import DEMO_PASSWORD
from cooperatives.models import Cooperative
from orders.models import Order
from orders.selectors import invoice_issued_on
from quotes.models import Quote, Rfq
from tests.frontend.helpers import pdf_upload, text
from tests.frontend.ordering import form_inputs

BUYER = "consumo-montevideo-solidario"
# Each printer's person (owner or admin) and first unit price, in pesos as typed in Spanish.
PRINTERS = {
    "grafica-estrella-del-sur": ("lucia@minga.test", "14,00"),
    "grafica-la-comuna": ("sofia@minga.test", "15,50"),
    "grafica-novo-horizonte": ("renata@minga.test", "16,00"),
}


def sign_in(email: str) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    signed_in = browser.post("/signin/", {"username": email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302, email
    return browser


def terms_form(html: str, action: str, price: str, days: int, credit: int) -> dict[str, str]:
    """The quote form as shown (prefilled with the latest version for a counter), changed."""
    form = form_inputs(html, action)
    valid_until = (timezone.localdate() + timedelta(days=20)).isoformat()
    form.update(currency="UYU", valid_until=valid_until, lead_time_days="10")
    form.update(payment_terms_days=str(days), credit_share=str(credit))
    form.update(
        {
            "lines-0-description": "Folleto A5 color, papel reciclado 150 g",
            "lines-0-quantity": "3000",
            "lines-0-unit": "piece",
            "lines-0-unit_price": price,
        }
    )
    return form


def test_the_demo_buyer_asks_three_printers_counters_awards_and_the_order_keeps_the_terms(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    printers = {c.slug: c for c in Cooperative.objects.filter(slug__in=PRINTERS)}
    assert {c.sector for c in printers.values()} == {"printing"}
    assert {c.country for c in printers.values()} == {"AR", "UY", "BR"}
    demo_rfq = Rfq.objects.get(status="awarded")  # the seeded one, awarded and invoiced
    ana = sign_in("ana@minga.test")
    seeded = text(ana.get(f"/rfqs/{demo_rfq.pk}/"))
    assert "Pedido n.º" in seeded and "vence el" in seeded

    # Publish: find the printers with the picker (a plain POST, no JavaScript), then send.
    new = f"/my/cooperatives/{BUYER}/rfqs/new/"
    assert ana.get(new).status_code == 200
    found = text(ana.post(new, {"find": "Gráfica", "search": "1"}))
    for printer in printers.values():
        assert printer.name in found
    published = ana.post(
        new,
        {
            "title": "Folletos para la feria de cooperativas",
            "specification": "A5, color, ambas caras.",
            "quantity": "3000",
            "unit": "piece",
            "delivery_place": "Montevideo",
            "delivery_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
            "answers_due": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "visibility": "private",
            "invited": [str(p.pk) for p in printers.values()],
            "attachments": pdf_upload("diseno.pdf"),
        },
    )
    assert published.status_code == 302, text(published)
    rfq_url = published["Location"]
    rfq = Rfq.objects.get(pk=int(rfq_url.strip("/").split("/")[-1]))

    # Each printer finds it in its list and answers with the form on the request's page.
    sellers: dict[str, Client] = {}
    for slug, (email, price) in PRINTERS.items():
        sellers[slug] = browser = sign_in(email)
        listed = text(browser.get(f"/my/cooperatives/{slug}/rfqs/"))
        assert f"{rfq_url}?as={slug}" in listed
        page = text(browser.get(f"{rfq_url}?as={slug}"))
        answer = browser.post(
            f"{rfq_url}quote/", terms_form(page, f"{rfq_url}quote/", price, 30, 0)
        )
        assert answer.status_code == 302, text(answer)
    quote = Quote.objects.get(rfq=rfq, seller__slug="grafica-estrella-del-sur")

    # The buyer counters the Argentine printer; it answers: 13,00 a leaflet, 60 days, 25 % credit.
    quote_url = f"/quotes/{quote.pk}/"
    countered = ana.post(
        f"{quote_url}counter/",
        terms_form(text(ana.get(quote_url)), f"{quote_url}counter/", "12,50", 60, 25),
    )
    assert countered.status_code == 302, text(countered)
    printer = sellers["grafica-estrella-del-sur"]
    answered = printer.post(
        f"{quote_url}counter/",
        terms_form(text(printer.get(quote_url)), f"{quote_url}counter/", "13,00", 60, 25),
    )
    assert answered.status_code == 302, text(answered)
    versions = text(ana.get(quote_url))
    assert versions.index("Versión 3") < versions.index("Versión 2") < versions.index("Versión 1")

    # Compare side by side: one column per quote's latest version; award the Argentine one.
    compare = text(ana.get(f"{rfq_url}compare/"))
    for printer_coop in printers.values():
        assert printer_coop.name in compare
    assert "$ 39.000,00" in compare or "39.000,00" in compare  # 3000 × 13,00
    latest = quote.versions.order_by("-number").first()
    awarded = ana.post(f"{rfq_url}award/", {"version": str(latest.pk)})
    assert awarded.status_code == 302
    order = Order.objects.get(quote_version=latest)
    confirmation = text(ana.get(awarded["Location"]))
    assert f"/orders/{order.pk}/" in confirmation and "60 días" in confirmation

    # The printer accepts: the invoice is issued, due 60 days later, at the quoted unit price.
    accepted = printer.post(f"/orders/{order.pk}/accept/", {"reason": ""})
    assert accepted.status_code == 302
    order.refresh_from_db()
    invoice = order.invoices.get(kind="invoice")
    assert invoice.due_date == invoice_issued_on(invoice) + timedelta(days=60)  # the printer's day
    order_page = text(ana.get(f"/orders/{order.pk}/"))
    assert "13,00" in order_page and "60 días" in order_page and "25 %" in order_page
    invoice_page = text(ana.get(f"/invoices/{invoice.pk}/"))
    assert "13,00" in invoice_page or "39.000,00" in invoice_page
    assert invoice.due_date.strftime("%d/%m/%Y") in invoice_page

    # The federation agreement prices the dairy line in the buyer's cart, and says why.
    cart = text(ana.get(f"/cart/?cooperative={BUYER}"))
    assert re.search(r"Acuerdo FCPU 2027, ≥ 50 unidades", cart), cart
