"""Times in people's zones: a cooperative starts in its country's zone, its members take it, and
the pages print times in the reader's zone with the zone's name or offset."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone, translation

from cooperatives import services as cooperative_services
from core.reference import country_time_zone
from core.timezones import format_when, zone_label
from orders.models import OrderEvent
from tests.conftest import client_for
from tests.factories import ListingFactory, UserFactory
from tests.frontend.helpers import text
from tests.frontend.ordering import place_order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("AR", "America/Argentina/Buenos_Aires"),
        ("UY", "America/Montevideo"),
        ("BR", "America/Sao_Paulo"),
        ("ES", "Europe/Madrid"),
        ("FR", "Europe/Paris"),  # one zone in CLDR: that one
        ("US", "UTC"),  # several: the cooperative picks
    ],
)
def test_each_country_starts_in_its_zone(country, zone):
    assert country_time_zone(country) == zone


def test_a_new_cooperative_gets_its_countrys_zone_and_its_creator_takes_it():
    rosa = UserFactory()
    cooperative = cooperative_services.cooperative_create(
        actor=rosa, name="Cooperativa La Huella", legal_form="worker", sector="food", country="UY"
    )
    assert cooperative.time_zone == "America/Montevideo"
    rosa.refresh_from_db()
    assert rosa.time_zone == "America/Montevideo"


def test_a_cooperative_changes_its_zone_and_a_wrong_one_is_a_400_naming_it(seller_owner):
    cooperative = seller_owner.memberships.get().cooperative
    api = client_for(seller_owner)
    url = f"/api/v1/cooperatives/{cooperative.slug}/"
    wrong = api.patch(url, {"time_zone": "America/Atlantis"}, format="json")
    assert wrong.status_code == 400 and "time_zone" in wrong.json()
    right = api.patch(url, {"time_zone": "America/Argentina/Cordoba"}, format="json")
    assert right.status_code == 200 and right.json()["time_zone"] == "America/Argentina/Cordoba"


def test_a_time_is_printed_with_its_zone():
    moment = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    with translation.override("es"), timezone.override(ZoneInfo("America/Montevideo")):
        assert format_when(moment) == "6 de diciembre de 2026 a las 20:30 (UTC-03)"
    with timezone.override(ZoneInfo("Europe/Madrid")):
        assert zone_label(timezone.localtime(moment)) == "CET"
    with timezone.override(ZoneInfo("Asia/Kathmandu")):  # no abbreviation in the tz database
        assert zone_label(timezone.localtime(moment)) == "UTC+05:45"


def test_the_order_page_shows_times_in_the_readers_zone(
    buyer_owner, buyer_coop, seller_owner, seller_coop
):
    listing = ListingFactory(cooperative=seller_coop, currency="ARS", stock=10)
    order = place_order(buyer_owner, buyer_coop, listing, quantity=1)
    OrderEvent.objects.filter(order_id=order.pk).update(
        created_at=datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
    )
    buyer_owner.time_zone = "America/Sao_Paulo"
    buyer_owner.language = "pt-br"
    buyer_owner.save()
    page = Client()
    page.force_login(buyer_owner)
    html = text(page.get(f"/orders/{order.pk}/"))
    assert "11:05 (UTC-03)" in html  # 14:05 UTC in São Paulo

    seller_owner.time_zone = "Europe/Madrid"
    seller_owner.language = "es"
    seller_owner.save()
    page.force_login(seller_owner)
    assert "15:05 (CET)" in text(page.get(f"/orders/{order.pk}/"))


def test_a_person_picks_their_zone_on_the_account_page():
    person = UserFactory(time_zone="")
    page = Client()
    page.force_login(person)
    refused = page.post("/my/account/", {"name": person.name, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 200
    page.post("/my/account/", {"name": person.name, "time_zone": "America/Montevideo"})
    person.refresh_from_db()
    assert person.time_zone == "America/Montevideo"
