import datetime

import pytest
from django.utils import timezone

from orders.models import Invoice, InvoiceSequence
from orders.services import invoice_prefix
from tests.conftest import client_for
from tests.factories import CooperativeFactory
from tests.orders.conftest import act, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def details(seller_coop, buyer_coop):
    seller_coop.tax_id = "30-71234567-8"
    seller_coop.address = "Av. Corrientes 1234"
    seller_coop.save()
    buyer_coop.tax_id = "21-555-444"
    buyer_coop.address = "Rambla 99"
    buyer_coop.save()


@pytest.fixture
def accepted(details, buyer_coop, buyer_owner, seller_owner, listing):
    order = place_order(buyer_owner, buyer_coop, listing, quantity=2)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    return order


def test_the_prefix_comes_from_the_name_without_generic_words():
    assert (
        invoice_prefix(CooperativeFactory(name="Cooperativa Textil La Huella")) == "TEXTILLAHUELLA"
    )
    assert invoice_prefix(CooperativeFactory(name="La Huella")) == "LAHUELLA"
    assert invoice_prefix(CooperativeFactory(name="Coop")) == "COOP"


def test_accepting_an_invoiced_order_issues_a_numbered_invoice(accepted, buyer_owner, seller_coop):
    year = timezone.localdate().year
    response = client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/invoice/")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == f"TEXTILLAHUELLA-{year}-000001"
    assert body["kind"] == "invoice"
    assert (body["seller_name"], body["seller_tax_id"], body["seller_country"]) == (
        seller_coop.name,
        "30-71234567-8",
        "AR",
    )
    assert body["buyer_tax_id"] == "21-555-444"
    assert body["total_amount"] == 250_000
    assert body["fee_amount"] + body["seller_amount"] == 250_000
    assert body["credit_note"] is None
    assert body["is_paid"] is False
    order = client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/").json()
    assert order["invoice_number"] == body["number"]


def test_numbers_follow_each_other_per_seller_and_year(
    details, buyer_coop, buyer_owner, seller_owner, listing
):
    numbers = []
    for _ in range(3):
        order = place_order(buyer_owner, buyer_coop, listing, quantity=1)
        act(seller_owner, order["id"], "accept")
        numbers.append(Invoice.objects.get(order_id=order["id"]).sequence)
    assert numbers == [1, 2, 3]


def test_a_new_year_starts_a_new_sequence(
    accepted, seller_coop, buyer_coop, buyer_owner, seller_owner, listing
):
    # Last year's invoice and counter: this year's numbering starts again at 1.
    InvoiceSequence.objects.filter(cooperative=seller_coop).update(year=2020)
    Invoice.objects.update(year=2020)
    order = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    act(seller_owner, order["id"], "accept")
    assert Invoice.objects.get(order_id=order["id"]).sequence == 1


def test_no_invoice_before_acceptance(buyer_coop, buyer_owner, listing):
    order = place_order(buyer_owner, buyer_coop, listing)
    assert client_for(buyer_owner).get(f"/api/v1/orders/{order['id']}/invoice/").status_code == 404
    assert (
        client_for(buyer_owner).get(f"/api/v1/orders/{order['id']}/invoice.pdf").status_code == 404
    )


def test_cancelling_an_invoiced_order_issues_a_credit_note(accepted, buyer_owner):
    act(buyer_owner, accepted["id"], "cancel", reason="Changed supplier")
    body = client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/invoice/").json()
    note = body["credit_note"]
    assert note["kind"] == "credit_note"
    assert note["credits"] == body["number"]
    assert note["sequence"] == body["sequence"] + 1
    assert note["number"].endswith("-000002")


def test_a_cancel_before_acceptance_needs_no_credit_note(buyer_coop, buyer_owner, listing):
    order = place_order(buyer_owner, buyer_coop, listing)
    act(buyer_owner, order["id"], "cancel")
    assert not Invoice.objects.exists()


def test_the_pdf_shows_the_parties_lines_fee_and_totals(accepted, buyer_member, listing):
    response = client_for(buyer_member).get(f"/api/v1/orders/{accepted['id']}/invoice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    from fpdf import FPDF  # noqa: F401  (the dependency is importable)

    text = pdf_text(content)
    for expected in (
        "TEXTILLAHUELLA",
        "30-71234567-8",
        "Rambla 99",
        "Argentina",
        "Uruguay",
        listing.title,
    ):
        assert expected in text, expected
    assert "Solidarity fee" in text


def pdf_text(content: bytes) -> str:
    """The text drawn in an uncompressed-or-deflated fpdf2 file, good enough for assertions."""
    import re
    import zlib

    chunks = []
    # The end-of-line before "endstream" is left on the stream: a deflated stream may itself end
    # in a carriage return, which a pattern eating "\r?\n" there would cut off (1 time in 256,
    # depending on the date drawn in the file). The decompressor ignores what follows its end.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            chunks.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            chunks.append(stream)
    raw = b"".join(chunks).decode("latin-1")
    return "".join(re.findall(r"\((.*?)\)\s*Tj", raw)).replace("\\(", "(").replace("\\)", ")")


def test_the_printable_page_formats_money(accepted, buyer_member):
    response = client_for(buyer_member).get(f"/api/v1/orders/{accepted['id']}/invoice.html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "TEXTILLAHUELLA" in html
    assert "ARS" in html and "2,500.00" in html  # 250,000 minor units
    assert "Seller receives" in html


def test_the_credit_note_has_its_own_files(accepted, buyer_owner):
    assert (
        client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/credit-note.pdf").status_code
        == 404
    )
    act(buyer_owner, accepted["id"], "cancel", reason="Changed supplier")
    response = client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/credit-note.html")
    assert response.status_code == 200
    assert "Credit note" in response.content.decode()
    assert "-ARS" in response.content.decode() or "-2,500.00" in response.content.decode()
    pdf = client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/credit-note.pdf")
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize("persona", ["outsider"])
def test_others_do_not_see_invoices(accepted, request, persona):
    client = client_for(request.getfixturevalue(persona))
    for suffix in ("invoice/", "invoice.pdf", "invoice.html"):
        assert client.get(f"/api/v1/orders/{accepted['id']}/{suffix}").status_code == 404


def test_moderators_see_invoices(accepted, moderator):
    assert client_for(moderator).get(f"/api/v1/orders/{accepted['id']}/invoice/").status_code == 200


class TestMarkPaid:
    def test_the_seller_marks_an_invoiced_order_paid(self, accepted, seller_admin, buyer_owner):
        response = client_for(seller_admin).post(
            f"/api/v1/orders/{accepted['id']}/mark-paid/", {"note": "Transfer 4471"}, format="json"
        )
        assert response.status_code == 200
        body = response.json()
        assert body["is_paid"] is True
        assert body["status"] == "accepted"
        event = body["events"][-1]
        assert (event["action"], event["note"], event["actor"]) == (
            "mark_paid",
            "Transfer 4471",
            seller_admin.name,
        )
        invoice = client_for(buyer_owner).get(f"/api/v1/orders/{accepted['id']}/invoice/").json()
        assert invoice["is_paid"] is True

    def test_only_once(self, accepted, seller_admin):
        url = f"/api/v1/orders/{accepted['id']}/mark-paid/"
        assert client_for(seller_admin).post(url).status_code == 200
        assert client_for(seller_admin).post(url).json()["code"] == "already_paid"

    def test_not_by_the_buyer_nor_a_plain_member(self, accepted, buyer_owner, seller_member):
        url = f"/api/v1/orders/{accepted['id']}/mark-paid/"
        assert client_for(buyer_owner).post(url).status_code == 403
        assert client_for(seller_member).post(url).status_code == 403

    def test_not_before_the_invoice_exists(self, buyer_coop, buyer_owner, seller_owner, listing):
        order = place_order(buyer_owner, buyer_coop, listing)
        response = client_for(seller_owner).post(f"/api/v1/orders/{order['id']}/mark-paid/")
        assert response.status_code == 409


def test_the_invoice_year_follows_the_local_date(accepted):
    invoice = Invoice.objects.get()
    assert invoice.year == timezone.localdate().year
    assert isinstance(invoice.issued_at, datetime.datetime)


def test_the_pdf_and_printable_page_speak_the_readers_language(accepted, buyer_member):
    """An Argentine buyer's accountant reads the invoice in Spanish, amounts as in Argentina."""
    api = client_for(buyer_member)
    url = f"/api/v1/orders/{accepted['id']}/invoice"
    text = pdf_text(api.get(f"{url}.pdf", HTTP_ACCEPT_LANGUAGE="es").content)
    assert "Factura" in text and "Vendedor" in text
    assert "ARS 2.500,00" in text  # ARS read in Spanish
    html = api.get(f"{url}.html", HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode()
    assert '<html lang="pt-br">' in html and "Fatura" in html


def test_the_printable_page_satisfies_the_content_security_policy(accepted, buyer_member):
    """No inline script or style: under the site's CSP the page keeps its look and print button."""
    response = client_for(buyer_member).get(f"/api/v1/orders/{accepted['id']}/invoice.html")
    html = response.content.decode()
    assert "onclick=" not in html and "<style" not in html
    assert "<script>" not in html and 'src="/static/frontend/print.js"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
