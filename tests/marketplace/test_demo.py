"""The demo catalogue: enough listings, several currencies, pictures, and idempotent."""

import pytest
from django.core.management import call_command

from cooperatives.models import Sector
from marketplace import demo
from marketplace.models import Listing, ListingImage
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def test_no_cooperatives_no_listings(capsys):
    notes = demo.seed(None)
    assert "no cooperatives" in notes[0]
    assert not Listing.objects.exists()


def test_seed_is_rich_and_idempotent():
    for name, country, sector in [
        ("Textiles Pigüé", "AR", Sector.TEXTILES),
        ("Coop Montevideo", "UY", Sector.FOOD),
        ("Cooperativa Paraná", "BR", Sector.SOFTWARE),
        ("Coop Euskadi", "ES", Sector.PRINTING),
        ("Brooklyn Workers", "US", Sector.CARE),
    ]:
        CooperativeFactory(name=name, country=country, sector=sector)
    notes = demo.seed(None)
    listings = Listing.objects.all()
    assert listings.count() >= 300
    assert {"product", "service"} <= set(listings.values_list("kind", flat=True))
    assert set(listings.values_list("currency", flat=True)) == {"ARS", "UYU", "BRL", "EUR", "USD"}
    for listing in listings.select_related("cooperative")[:50]:
        expected = {"AR": "ARS", "UY": "UYU", "BR": "BRL", "ES": "EUR", "US": "USD"}
        assert listing.currency == expected[listing.cooperative.country]
    published = listings.filter(status="published").count()
    assert published > 0.75 * listings.count()
    assert ListingImage.objects.count() > 200
    assert all(listing.events.exists() for listing in listings[:20])
    assert "300" in notes[0] or "created" in notes[0]

    before = (Listing.objects.count(), ListingImage.objects.count())
    notes = demo.seed(None)
    assert (Listing.objects.count(), ListingImage.objects.count()) == before
    assert "0 demo listings created" in notes[0]


def test_seed_demo_command_runs_the_catalogue_part(capsys):
    CooperativeFactory(name="Única", country="UY")
    call_command("seed_demo")
    assert Listing.objects.count() >= 300
    assert "Catalogue:" in capsys.readouterr().out
