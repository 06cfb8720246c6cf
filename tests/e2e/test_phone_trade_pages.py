"""The pages of trade between regular partners, on a 360 px phone in Spanish and in Portuguese:
credit (the account, its history, the committee), clearing (an executed run, a set-off statement),
requests for quotes (the list, a request, a quote, the comparison), agreements (with the pages
that propose one and set up a standing order) and the receivables
(invoices, statement, fees) of the `make run` demo. None may scroll sideways; a failure names each
page with the element that sticks out furthest."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from clearing.services import clearing_run_execute, clearing_run_propose
from cooperatives.models import Cooperative
from orders.demo_quotes import BUYER, PRINTERS, TITLE
from orders.models import Invoice, Order
from quotes.models import Agreement, Rfq
from tests.e2e.phone import sideways_overflow


@pytest.fixture
def demo(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = get_user_model().objects
    committee = users.get(email="comite@minga.test")
    run = clearing_run_propose(currency="ARS", actor=committee)
    run = clearing_run_execute(run=run, actor=users.get(email="comite2@minga.test"))
    printer = Cooperative.objects.get(slug=PRINTERS[0])
    return {
        "buyer": Cooperative.objects.get(slug=BUYER),
        "printer": printer,
        "buyer_person": users.get(email="ana@minga.test"),
        "printer_person": users.get(email="lucia@minga.test"),
        "committee": committee,
        "rfq": Rfq.objects.get(title=TITLE),
        "agreement": Agreement.objects.order_by("pk").first(),
        "run": run,
        "invoice": Invoice.objects.filter(order__seller=printer).order_by("pk").first(),
        "quoted_order": Order.objects.filter(quote_version__isnull=False).order_by("pk").first(),
    }


def trade_pages(demo: dict[str, Any]) -> list[tuple[str, str]]:
    buyer, printer, rfq, run = demo["buyer"].slug, demo["printer"].slug, demo["rfq"], demo["run"]
    quote = rfq.quotes.order_by("pk").first()
    pages = [
        ("buyer", f"/my/cooperatives/{buyer}/rfqs/"),
        ("buyer", f"/my/cooperatives/{buyer}/rfqs/new/"),
        ("buyer", f"/rfqs/{rfq.pk}/"),
        ("buyer", f"/rfqs/{rfq.pk}/compare/"),
        ("buyer", f"/quotes/{quote.pk}/"),
        ("buyer", f"/my/cooperatives/{buyer}/agreements/"),
        ("buyer", f"/my/cooperatives/{buyer}/agreements/new/"),
        ("buyer", f"/my/cooperatives/{buyer}/credit/"),
        ("printer", f"/my/cooperatives/{printer}/rfqs/"),
        ("printer", f"/rfqs/{rfq.pk}/"),
        ("printer", f"/my/cooperatives/{printer}/credit/"),
        ("printer", f"/my/cooperatives/{printer}/credit/ARS/"),
        ("printer", f"/my/cooperatives/{printer}/invoices/"),
        ("printer", f"/my/cooperatives/{printer}/statement/"),
        ("printer", f"/my/cooperatives/{printer}/fees/"),
        ("printer", f"/clearing/runs/{run.pk}/statements/{printer}/"),
        ("committee", "/credit/committee/"),
        ("committee", "/clearing/"),
        ("committee", f"/clearing/runs/{run.pk}/"),
    ]
    if demo["agreement"] is not None:
        pages.append(("buyer", f"/agreements/{demo['agreement'].pk}/"))
        pages.append(("buyer", f"/agreements/{demo['agreement'].pk}/standing-order/"))
    if demo["invoice"] is not None:
        pages.append(("printer", f"/invoices/{demo['invoice'].pk}/"))
    order = demo["quoted_order"].pk  # the awarded quote's order: its "Ask again", and the form
    pages.append(("buyer", f"/orders/{order}/"))
    pages.append(("buyer", f"/my/cooperatives/{buyer}/rfqs/new/?order={order}"))
    return pages


def test_no_trade_page_scrolls_sideways_on_a_360_px_phone(new_context, demo):  # type: ignore[no-untyped-def]
    """Both languages in one test: the demo is seeded once."""
    people = {"buyer": "buyer_person", "printer": "printer_person", "committee": "committee"}
    problems = []
    for locale in ("es", "pt-BR"):
        tabs = {
            who: new_context(user=demo[key], locale=locale, phone=True).new_page()
            for who, key in people.items()
        }
        for who, url in trade_pages(demo):
            response = tabs[who].goto(url)
            assert response is not None and response.ok, (locale, who, url, response.status)
            if found := sideways_overflow(tabs[who]):
                problems.append(f"{locale} {who} {url}: {found}")
    assert not problems, "\n".join(problems)
