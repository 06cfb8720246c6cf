"""The credit demo of `make run`, walked through the pages in Spanish: a new person signs up,
creates a cooperative and joins the ARS credit system (terms and consent shown), the credit
committee gives it a line, it buys from a demo cooperative and pays the invoice partly in credit
(the line holds: more than the available credit is refused and nothing is paid), then the
committee runs the ARS clearing and executes it: the demo loop is settled completely with no money
moving, and each participant downloads its set-off statement PDF with its invoice numbers in it.
One test: seed_demo takes several seconds."""

import re

from django.core import mail
from django.core.management import call_command
from django.test import Client

from clearing.demo import KEY_PREFIX
from clearing.models import ClearingRun
from cooperatives.demo import DEMO_PASSWORD
from cooperatives.models import Cooperative
from credit.models import CreditAccount
from marketplace.models import Listing
from orders.models import Invoice, InvoiceKind, Order
from orders.receivables.state import PaymentRail
from tests.frontend.helpers import messages_of, text
from tests.frontend.ordering import checkout_form
from tests.orders.test_invoices import pdf_text

LOOP = {  # the participant's demo person -> its cooperative
    "lucia@minga.test": "grafica-estrella-del-sur",
    "ana@minga.test": "consumo-montevideo-solidario",
    "joana@minga.test": "recicla-vida",
}


def spanish() -> Client:
    return Client(headers={"accept-language": "es"})


def signed_in(email: str) -> Client:
    browser = spanish()
    assert (
        browser.post("/signin/", {"username": email, "password": DEMO_PASSWORD}).status_code == 302
    )
    return browser


def test_a_new_cooperative_joins_buys_in_credit_and_the_committee_clears_the_loop(
    db, django_capture_on_commit_callbacks
):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (idempotent)
    loop = list(Order.objects.filter(checkout__idempotency_key__startswith=f"{KEY_PREFIX}ARS"))
    assert len(loop) == 3

    # A new person signs up, confirms the address and creates a cooperative.
    newcomer = spanish()
    password = "telar-de-los-andes-42"
    signup = {"name": "Rosa Quispe", "email": "rosa@example.coop", "password": password}
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = newcomer.post("/signup/", {**signup, "password_again": password})
    assert signed_up.status_code == 302
    link = re.search(r"https?://[^/\s]+(/confirm/[^\s]+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    newcomer.get(link)
    created = newcomer.post(
        "/my/new-cooperative/",
        {
            "name": "Cooperativa Panificadora El Horno",
            "legal_form": "worker",
            "sector": "food",
            "country": "AR",
            "city": "La Plata",
            "description": "Pan de masa madre.",
            "description_language": "es",
        },
    )
    assert created.status_code == 302
    bakery = Cooperative.objects.get(name="Cooperativa Panificadora El Horno")

    # Its credit home lists the three systems; it reads the ARS terms and joins.
    home = text(newcomer.get(f"/my/cooperatives/{bakery.slug}/credit/"))
    assert all(name in home for name in ("Crédito Minga ARS", "Crédito Minga UYU"))
    join_url = f"/my/cooperatives/{bakery.slug}/credit/ARS/join/"
    terms = text(newcomer.get(join_url))
    assert "Un crédito vale una unidad" in terms
    assert re.search(r'name="clearing_consent"[^>]*checked', terms), "consent ticked by default"
    joined = newcomer.post(
        join_url, {"accept": "on", "clearing_consent": "on", "terms_version": "1"}, follow=True
    )
    assert joined.redirect_chain[-1][0] == f"/my/cooperatives/{bakery.slug}/credit/ARS/"
    account = CreditAccount.objects.get(cooperative=bakery, system__currency="ARS")
    assert account.clearing_consent and account.lower_limit == 0

    # A member of the committee gives it a line of 100 pesos, with a reason.
    committee = signed_in("comite@minga.test")
    assert "Crédito Minga ARS" in text(committee.get("/credit/committee/"))
    set_line = committee.post(
        f"/credit/committee/accounts/{account.pk}/",
        {"line": "100,00", "upper": "1000,00", "reason": "Cooperativa nueva: línea de prueba."},
        follow=True,
    )
    assert set_line.status_code == 200
    account.refresh_from_db()
    assert (account.lower_limit, account.upper_limit) == (-100_00, 1000_00)
    page = text(newcomer.get(f"/my/cooperatives/{bakery.slug}/credit/ARS/"))
    assert "Cooperativa nueva: línea de prueba." in page

    # It orders from the Argentine printer of the loop, which accepts: an open invoice.
    printer = Cooperative.objects.get(slug=LOOP["lucia@minga.test"])
    listing = (
        Listing.objects.filter(cooperative=printer, currency="ARS", status="published")
        .exclude(stock=0)
        .order_by("price_amount")
        .first()
    )
    assert listing is not None and listing.price_amount >= 150_00
    newcomer.post(
        "/cart/add/",
        {"cooperative": bakery.slug, "listing": listing.pk, "quantity": listing.min_order_quantity},
    )
    form = checkout_form(newcomer, bakery)
    form.update(payment_method="invoice", currency="ARS", delivery_address="Calle 7, La Plata")
    assert newcomer.post(f"/checkout/?cooperative={bakery.slug}", form).status_code == 302
    order = Order.objects.get(buyer=bakery)
    printer_member = signed_in("lucia@minga.test")
    printer_member.post(f"/orders/{order.pk}/accept/")
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)

    # The invoice page offers credit; more than the available credit is refused, whole.
    invoice_page = text(newcomer.get(f"/invoices/{invoice.pk}/"))
    assert f'action="/invoices/{invoice.pk}/credit/"' in invoice_page
    refused = newcomer.post(f"/invoices/{invoice.pk}/credit/", {"amount": "150,00"}, follow=True)
    assert any("línea de crédito" in message for message in messages_of(refused))
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0
    paid = newcomer.post(f"/invoices/{invoice.pk}/credit/", {"amount": "100,00"}, follow=True)
    assert paid.status_code == 200
    invoice.refresh_from_db()
    assert invoice.amount_paid == 100_00 and invoice.amount_left > 0  # partly in credit
    assert invoice.payments.get().rail == PaymentRail.CREDIT
    account_page = text(newcomer.get(f"/my/cooperatives/{bakery.slug}/credit/ARS/"))
    balance = re.search(r'class="credit-balance">([^<]+)<', account_page).group(1)  # type: ignore[union-attr]
    assert balance.replace("\xa0", " ") == "\u2212ARS 100,00"
    csv = newcomer.get(f"/my/cooperatives/{bakery.slug}/credit/ARS/history.csv")
    assert csv["Content-Type"] == "text/csv" and "-100.00" in csv.content.decode()

    # The committee proposes the ARS clearing and executes it: the loop is settled completely.
    proposed = committee.post("/clearing/", {"currency": "ARS"})
    assert proposed.status_code == 302
    run = ClearingRun.objects.get()
    proposal = text(committee.get(proposed["Location"]))
    loop_invoices = list(Invoice.objects.filter(order__in=loop, kind=InvoiceKind.INVOICE))
    assert all(inv.number in proposal for inv in loop_invoices)
    executed = committee.post(f"/clearing/runs/{run.pk}/execute/", follow=True)
    assert executed.status_code == 200
    for inv in loop_invoices:
        inv.refresh_from_db()
        assert inv.amount_left == 0, inv.number
        assert {p.rail for p in inv.payments.all()} == {PaymentRail.SET_OFF}  # no money moved

    # Each participant finds its statement and downloads the PDF with its invoices in it.
    for email, slug in LOOP.items():
        member = signed_in(email)
        assert f"/clearing/runs/{run.pk}/statements/{slug}/" in text(
            member.get(f"/my/cooperatives/{slug}/credit/")
        )
        pdf = member.get(f"/clearing/runs/{run.pk}/statements/{slug}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        drawn = pdf_text(pdf.content)
        own = [
            inv for inv in loop_invoices if slug in (inv.order.buyer.slug, inv.order.seller.slug)
        ]
        assert len(own) == 2
        assert all(inv.number in drawn for inv in own), drawn
    # ...and nobody else does.
    other = f"/clearing/runs/{run.pk}/statements/{LOOP['lucia@minga.test']}.pdf"
    assert newcomer.get(other).status_code == 404
