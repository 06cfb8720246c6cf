"""The requests-for-quotes, agreements and standing-orders pages: who sees what (404 for anyone
else), quoting and countering through the forms, the comparison, the award, and the agreement
and draft actions. The whole walk on the demo is tests/frontend/test_quote_demo_walk.py."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.models import Listing
from orders.models import Order
from quotes import services
from quotes.models import BuyerGroup, Quote, Rfq, RfqAttachment, StandingOrderDraft
from quotes.state import AgreementStatus, DraftStatus, QuoteStatus
from tests.factories import ListingFactory, MembershipFactory
from tests.frontend.helpers import (
    browser_for,
    messages_of,
    pdf_upload,
    png_upload,
    row_legends,
    text,
)
from tests.frontend.ordering import form_inputs
from tests.quotes.helpers import (
    open_printing_request,
    publish,
    seller,
    terms,
    weekly_standing_order,
)

pytestmark = pytest.mark.django_db


def propose(seller_coop: Any, actor: Any, name: str, prices: list, **party: Any) -> Any:
    """An agreement in pesos for 2026–2027, 15 days to pay, for `buyer` or `buyer_group`."""
    dates = {"valid_from": date(2026, 1, 1), "valid_until": date(2027, 12, 31)}
    return services.agreement_propose(
        seller=seller_coop,
        actor=actor,
        name=name,
        currency="UYU",
        payment_terms_days=15,
        prices=prices,
        **dates,
        **party,
    )


@pytest.fixture
def world(buyer_coop, buyer_owner):  # type: ignore[no-untyped-def]
    (a, a_owner), (b, b_owner) = seller("Gráfica Patria"), seller("Imprenta Cooperal", "UY")
    outsider_coop, outsider = seller("Gráfica Lejana")
    rfq = publish(buyer_coop, buyer_owner, [a, b])
    quote = services.quote_submit(rfq=rfq, seller=a, actor=a_owner, terms=terms(120_00))
    return {
        "rfq": rfq,
        "quote": quote,
        "a": a,
        "a_owner": a_owner,
        "b": b,
        "b_owner": b_owner,
        "outsider": outsider,
        "outsider_coop": outsider_coop,
        "buyer": buyer_coop,
        "buyer_owner": buyer_owner,
    }


def test_a_cooperative_not_invited_gets_404_on_the_request_its_quotes_and_thread(world):
    browser = browser_for(world["outsider"])
    rfq, quote = world["rfq"], world["quote"]
    for url in (f"/rfqs/{rfq.pk}/", f"/rfqs/{rfq.pk}/compare/", f"/quotes/{quote.pk}/"):
        assert browser.get(url).status_code == 404, url
    posted = browser.post(f"/rfqs/{rfq.pk}/messages/", {"body": "¿Puedo cotizar?"})
    assert posted.status_code == 404
    # An invited seller sees the request but not another seller's quote, nor the comparison.
    other = browser_for(world["b_owner"])
    assert other.get(f"/rfqs/{rfq.pk}/").status_code == 200
    assert other.get(f"/quotes/{quote.pk}/").status_code == 404
    assert other.get(f"/rfqs/{rfq.pk}/compare/").status_code == 404


def test_an_invited_seller_quotes_through_the_form_in_spanish(world):
    browser = browser_for(world["b_owner"])
    rfq = world["rfq"]
    page = browser.get(f"/rfqs/{rfq.pk}/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Enviar la cotización" in text(page)
    form = form_inputs(text(page), f"/rfqs/{rfq.pk}/quote/")
    form.update(
        currency="UYU",
        valid_until=(timezone.localdate() + timedelta(days=10)).isoformat(),
        lead_time_days="7",
        payment_terms_days="45",
        credit_share="10",
        **{
            "lines-0-description": "Folletos A5",
            "lines-0-quantity": "1000",
            "lines-0-unit_price": "1.250,50",
            "lines-1-quantity": "5",  # half a line: refused on its row, nothing saved
        },
    )
    refused = browser.post(f"/rfqs/{rfq.pk}/quote/", form, HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 200
    assert "Completa la descripción" in text(refused)
    assert not Quote.objects.filter(seller=world["b"]).exists()
    form["lines-1-quantity"] = ""
    sent = browser.post(f"/rfqs/{rfq.pk}/quote/", form, HTTP_ACCEPT_LANGUAGE="es")
    assert sent.status_code == 302
    version = Quote.objects.get(seller=world["b"]).versions.get()
    assert version.lines.get().unit_price_amount == 1_250_50
    assert (version.payment_terms_days, version.credit_share_bps) == (45, 1000)


def test_counters_are_new_versions_newest_first_until_the_bound(world):
    quote, buyer = world["quote"], browser_for(world["buyer_owner"])
    url = f"/quotes/{quote.pk}/"
    for price in ("110,00", "105,00", "100,00"):
        shown = buyer.get(url, HTTP_ACCEPT_LANGUAGE="es")
        form = form_inputs(text(shown), f"{url}counter/")
        assert form["lines-0-description"] == "Folletos A5 color"  # prefilled from the latest
        assert row_legends(shown)[0] == "Folletos A5 color"  # each row named by what it is
        assert set(row_legends(shown)[1:]) == {"Nueva línea"}
        form["lines-0-unit_price"] = price
        assert buyer.post(f"{url}counter/", form, HTTP_ACCEPT_LANGUAGE="es").status_code == 302
    page = text(buyer.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert page.index("Versión 4") < page.index("Versión 3") < page.index("Versión 1")
    assert "Enviar la contraoferta" not in page  # three counters: the form is gone
    assert [v.number for v in quote.versions.all()] == [1, 2, 3, 4]


def test_the_comparison_puts_each_latest_version_in_a_box_and_awards_one(world):
    rfq, buyer = world["rfq"], browser_for(world["buyer_owner"])
    services.quote_submit(rfq=rfq, seller=world["b"], actor=world["b_owner"], terms=terms(99_00))
    page = text(buyer.get(f"/rfqs/{rfq.pk}/compare/", HTTP_ACCEPT_LANGUAGE="pt-br"))
    # The table scrolls inside its own box, so the page never scrolls sideways at 360 px.
    assert 'class="table-scroll" role="region"' in page
    assert "Gráfica Patria" in page and "Imprenta Cooperal" in page
    assert "Comparar os orçamentos" in page
    chosen = world["quote"].versions.get()
    awarded = buyer.post(f"/rfqs/{rfq.pk}/award/", {"version": str(chosen.pk)})
    assert awarded.status_code == 302
    order = Order.objects.get(quote_version=chosen)
    assert order.lines.get().unit_price_amount == 120_00
    confirmation = text(buyer.get(awarded["Location"], HTTP_ACCEPT_LANGUAGE="pt-br"))
    assert f"/orders/{order.pk}/" in confirmation and "30 dias" in confirmation
    assert world["quote"].__class__.objects.get(seller=world["b"]).status == QuoteStatus.NOT_AWARDED
    # An old version after a counter is refused with a message, not a server error.


def test_awarding_an_outdated_version_is_refused_with_a_message(world):
    rfq, quote, buyer = world["rfq"], world["quote"], browser_for(world["buyer_owner"])
    first = quote.versions.get()
    services.quote_counter(quote=quote, actor=world["buyer_owner"], terms=terms(110_00))
    refused = buyer.post(f"/rfqs/{rfq.pk}/award/", {"version": str(first.pk)}, follow=True)
    assert any("no es la última" in m or "not its latest" in m for m in messages_of(refused))
    assert not Order.objects.exists()


def test_members_who_are_not_managers_see_but_cannot_answer(world):
    member = MembershipFactory(cooperative=world["b"], role="member").user
    page = text(browser_for(member).get(f"/rfqs/{world['rfq'].pk}/"))
    assert f"/rfqs/{world['rfq'].pk}/quote/" not in page


def test_the_seller_withdraws_its_quote(world):
    quote, browser = world["quote"], browser_for(world["a_owner"])
    assert browser.post(f"/quotes/{quote.pk}/withdraw/").status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.WITHDRAWN


def test_the_thread_is_between_the_buyer_and_one_seller(world):
    rfq = world["rfq"]
    seller_browser = browser_for(world["a_owner"])
    seller_browser.post(f"/rfqs/{rfq.pk}/messages/", {"body": "¿Papel de 150 g?"})
    buyer_page = text(browser_for(world["buyer_owner"]).get(f"/quotes/{world['quote'].pk}/"))
    assert "¿Papel de 150 g?" in buyer_page
    other_page = text(browser_for(world["b_owner"]).get(f"/rfqs/{rfq.pk}/"))
    assert "¿Papel de 150 g?" not in other_page


def _request_fields(invited: Any, attachments: list) -> dict[str, Any]:
    """The new-request form filled in: 50 posters asked privately of `invited`, these files."""
    return {
        "title": "Carteles",
        "specification": "A2, ver el plano",
        "quantity": "50",
        "unit": "piece",
        "delivery_place": "Montevideo",
        "delivery_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "answers_due": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "visibility": "private",
        "invited": [str(invited.pk)],
        "attachments": attachments,
    }


def test_the_request_form_finds_cooperatives_without_javascript_and_publishes(
    buyer_coop, buyer_owner
):
    a, _owner = seller("Gráfica Estrella")
    browser = browser_for(buyer_owner)
    url = f"/my/cooperatives/{buyer_coop.slug}/rfqs/new/"
    found = browser.post(url, {"find": "Estrella", "search": "1"}, HTTP_ACCEPT_LANGUAGE="es")
    assert found.status_code == 200 and "Gráfica Estrella" in text(found)
    assert "Este campo es obligatorio" not in text(found)
    published = browser.post(url, _request_fields(a, []))
    assert published.status_code == 302
    assert browser_for(_owner).get(published["Location"]).status_code == 200
    members_only = MembershipFactory(cooperative=buyer_coop, role="member").user
    assert browser_for(members_only).get(url).status_code == 404


def test_files_sent_with_the_form_are_listed_and_downloaded_by_buyer_and_invited_only(
    buyer_coop, buyer_owner, client
):
    invited, invited_owner = seller("Gráfica Estrella")
    browser = browser_for(buyer_owner)
    files = [pdf_upload("pliego técnico.pdf"), png_upload("plano.png")]
    url = f"/my/cooperatives/{buyer_coop.slug}/rfqs/new/"
    published = browser.post(url, _request_fields(invited, files))
    assert published.status_code == 302, text(published)
    rfq = Rfq.objects.get(title="Carteles")
    pdf, png = rfq.attachments.order_by("pk")
    links = [f"/rfqs/{rfq.pk}/attachments/{pdf.pk}/", f"/rfqs/{rfq.pk}/attachments/{png.pk}/"]
    for person in (buyer_owner, invited_owner):
        page = browser_for(person).get(published["Location"], HTTP_ACCEPT_LANGUAGE="es")
        html = page.content.decode()
        assert "Adjuntos" in html and "pliego técnico.pdf" in html and "plano.png" in html
        assert all(f'href="{link}"' in html for link in links)
        download = browser_for(person).get(links[0])
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
    _other, uninvited_owner = seller("Imprenta Lejana")
    for person in (uninvited_owner, MembershipFactory().user):
        assert browser_for(person).get(links[1]).status_code == 404
    anonymous = client.get(links[1])
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/signin/")


@pytest.mark.parametrize(
    ("files", "refusal"),
    [
        ([pdf_upload("pliego.pdf")], "El archivo tiene"),  # too large for the limit set below
        (
            [SimpleUploadedFile("plano.exe", b"MZ\x90\x00", content_type="image/png")],
            "Los documentos deben ser PDF o imágenes JPEG, PNG o WebP.",
        ),
        ([pdf_upload(f"hoja-{n}.pdf") for n in range(6)], "Adjunta como máximo 5 archivos."),
    ],
)
def test_a_refused_file_is_said_on_the_form_in_spanish_and_nothing_is_stored(
    buyer_coop, buyer_owner, settings, files, refusal
):
    if refusal == "El archivo tiene":
        settings.MAX_UPLOAD_BYTES = 8
    invited, _owner = seller("Gráfica Estrella")
    url = f"/my/cooperatives/{buyer_coop.slug}/rfqs/new/"
    refused = browser_for(buyer_owner).post(
        url, _request_fields(invited, files), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert refused.status_code == 200
    assert refusal in text(refused)
    assert not Rfq.objects.exists() and not RfqAttachment.objects.exists()


def test_an_agreement_is_accepted_and_ended_from_its_page(buyer_coop, buyer_owner):
    dairy, dairy_owner = seller("Tambo Las Piedras", "UY")
    listing = ListingFactory(cooperative=dairy, currency="UYU")
    group = BuyerGroup.objects.create(seller=dairy, name="FCPU")
    group.members.add(buyer_coop)
    prices = [{"listing": listing, "min_quantity": 50, "discount_bps": 1500}]
    agreement = propose(dairy, dairy_owner, "FCPU 2027", prices, buyer_group=group)
    browser = browser_for(buyer_owner)
    listed = text(browser.get(f"/my/cooperatives/{buyer_coop.slug}/agreements/"))
    assert "FCPU 2027" in listed
    page = text(browser.get(f"/agreements/{agreement.pk}/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Aceptar el acuerdo" in page and "15 %" in page
    browser.post(f"/agreements/{agreement.pk}/accept/")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    browser_for(dairy_owner).post(f"/agreements/{agreement.pk}/end/")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
    stranger = browser_for(seller("Otra")[1])
    assert stranger.get(f"/agreements/{agreement.pk}/").status_code == 404


def test_a_standing_order_draft_shows_the_flag_and_is_confirmed_or_skipped(buyer_coop, buyer_owner):
    dairy, dairy_owner = seller("Tambo", "UY")
    listing = ListingFactory(cooperative=dairy, currency="UYU", stock=1)
    prices = [{"listing": listing, "discount_bps": 1000}]
    agreement = propose(dairy, dairy_owner, "Leche 2027", prices, buyer=buyer_coop)
    services.agreement_accept(agreement=agreement, buyer=buyer_coop, actor=buyer_owner)
    last_week = timezone.localdate() - timedelta(days=7)
    standing = weekly_standing_order(agreement, buyer_coop, buyer_owner, listing, 10, last_week)
    assert services.standing_orders_draft() == 2
    browser = browser_for(buyer_owner)
    page = text(
        browser.get(f"/my/cooperatives/{buyer_coop.slug}/agreements/", HTTP_ACCEPT_LANGUAGE="es")
    )
    assert "Sin stock" in page
    older, newer = StandingOrderDraft.objects.order_by("period_start")
    seller_browser = browser_for(dairy_owner)
    refused = seller_browser.post(f"/standing-orders/{standing.pk}/drafts/{newer.pk}/skip/")
    assert refused["Location"] == f"/my/cooperatives/{dairy.slug}/agreements/"
    browser.post(f"/standing-orders/{standing.pk}/drafts/{older.pk}/skip/")
    # Confirming takes the stock, as checkout does: refused while the line is short.
    browser.post(f"/standing-orders/{standing.pk}/drafts/{newer.pk}/confirm/")
    newer.refresh_from_db()
    assert newer.status == DraftStatus.DRAFTED
    Listing.objects.filter(pk=listing.pk).update(stock=20)
    browser.post(f"/standing-orders/{standing.pk}/drafts/{newer.pk}/confirm/")
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status) == (DraftStatus.SKIPPED, DraftStatus.CONFIRMED)
    order = Order.objects.get(buyer=buyer_coop)
    assert order.payment_terms_days == 15
    stranger = browser_for(seller("Otra")[1])
    assert (
        stranger.post(f"/standing-orders/{standing.pk}/drafts/{newer.pk}/skip/").status_code == 404
    )


def test_an_open_request_outside_the_cooperatives_category_is_a_404_page(buyer_coop, buyer_owner):
    rfq, (grocer, grocer_owner), (_printer, printer_owner) = open_printing_request(
        buyer_coop, buyer_owner
    )
    browser = browser_for(grocer_owner)
    assert browser.get(f"/rfqs/{rfq.pk}/").status_code == 404
    assert browser.get(f"/rfqs/{rfq.pk}/?as={grocer.slug}").status_code == 404
    assert browser.post(f"/rfqs/{rfq.pk}/quote/", {"as": grocer.slug}).status_code == 404
    written = browser.post(f"/rfqs/{rfq.pk}/messages/", {"as": grocer.slug, "body": "Hola"})
    assert written.status_code == 404
    buyer = browser_for(buyer_owner)
    to_grocer = buyer.post(f"/rfqs/{rfq.pk}/messages/", {"seller": grocer.slug, "body": "Hola"})
    assert to_grocer.status_code == 404
    assert browser_for(printer_owner).get(f"/rfqs/{rfq.pk}/").status_code == 200
