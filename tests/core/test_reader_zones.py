"""Times in the reader's zone, with the zone named, where they leave a page (docs/pages.md,
"Times in people's zones"): the e-mails in each recipient's zone and language, the invoice in
its issuing cooperative's zone whoever opens it, and the catalogue list's stored moments in the
reader's zone."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from core.money import Money
from marketplace import cards
from orders.models import Invoice
from orders.notifications import notify_payment_failed
from tests.conftest import client_for
from tests.factories import CategoryFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, text
from tests.orders.conftest import act, place_order
from tests.quotes.helpers import publish, seller

pytestmark = pytest.mark.django_db

# 01:30 UTC on 8 December: still the 7th in the Americas, 02:30 in Madrid.
MOMENT = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)


def person(cooperative, language: str, time_zone: str, role: str = "owner"):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        cooperative=cooperative, role=role, user__language=language, user__time_zone=time_zone
    ).user


def body_to(user) -> str:  # type: ignore[no-untyped-def]
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message.body


def test_a_failed_card_payment_names_the_deadline_in_each_readers_zone(
    buyer_coop, django_capture_on_commit_callbacks
):
    madrid = person(buyer_coop, "es", "Europe/Madrid")
    sao_paulo = person(buyer_coop, "pt-br", "America/Sao_Paulo", role="admin")
    checkout = SimpleNamespace(pk=7, buyer=buyer_coop, total=Money(120_00, "UYU"))
    with django_capture_on_commit_callbacks(execute=True):
        notify_payment_failed(checkout, "tarjeta rechazada", MOMENT)
    assert "8 de diciembre de 2026 a las 02:30 (CET)" in body_to(madrid)
    assert "7 de Dezembro de 2026 às 22:30 (UTC-03)" in body_to(sao_paulo)


def test_a_request_for_quotes_tells_each_seller_the_deadline_in_its_zone(
    buyer_coop, buyer_owner, django_capture_on_commit_callbacks
):
    printing = CategoryFactory(name="Imprenta")
    printer, _owner = seller("Gráfica Sur")
    ListingFactory(cooperative=printer, category=printing)
    lisbon = person(printer, "pt-br", "Europe/Lisbon", role="admin")
    montevideo = person(printer, "es", "America/Montevideo", role="admin")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            buyer_coop,
            buyer_owner,
            [],
            visibility="open",
            category=printing,
            answers_due_at=MOMENT.replace(year=2036),
            delivery_date=(MOMENT.replace(year=2036) + timedelta(days=10)).date(),
        )
    assert "8 de Dezembro de 2036 às 01:30 (WET)" in body_to(lisbon)
    assert "7 de diciembre de 2036 a las 22:30 (UTC-03)" in body_to(montevideo)


def test_the_invoice_is_dated_in_its_sellers_zone_whoever_opens_it(
    buyer_coop, seller_coop, buyer_owner, seller_owner
):
    listing = ListingFactory(cooperative=seller_coop, status="published", stock=5)
    seller_coop.time_zone = "America/Argentina/Buenos_Aires"
    seller_coop.save(update_fields=["time_zone"])
    order = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    assert act(seller_owner, order["id"], "accept").status_code == 200
    Invoice.objects.filter(order_id=order["id"]).update(issued_at=MOMENT)
    reader = person(buyer_coop, "es", "Europe/Madrid", role="member")
    page = text(
        browser_for(reader).get(f"/orders/{order['id']}/invoice/", HTTP_ACCEPT_LANGUAGE="es")
    )
    assert "7 de diciembre de 2026 a las 22:30 (UTC-03)" in page
    printable = client_for(buyer_owner).get(
        f"/api/v1/orders/{order['id']}/invoice.html", HTTP_ACCEPT_LANGUAGE="pt-br"
    )
    assert "7 de Dezembro de 2026 às 22:30 (UTC-03)" in printable.content.decode()


def test_the_catalogue_lists_stored_moments_in_the_readers_zone(seller_coop):
    listing = ListingFactory(cooperative=seller_coop, status="published", published_at=MOMENT)
    with timezone.override(timezone.get_fixed_timezone(-180)):  # built in a seller's request
        cards.rebuild([listing.pk])
    listing.refresh_from_db()
    assert '"published_at":"2026-12-08T01:30:00Z"' in listing.card  # stored in UTC
    reader = MembershipFactory(user__time_zone="Europe/Madrid").user
    found = browser_for(reader).get("/api/v1/listings/", {"cooperative": seller_coop.slug})
    [entry] = found.json()["results"]
    assert entry["published_at"] == "2026-12-08T02:30:00+01:00"
