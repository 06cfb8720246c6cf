"""seed_bulk makes a large, varied catalogue quickly and can replace it."""

import pytest
from django.core.management import CommandError, call_command

from cooperatives.models import Cooperative
from marketplace.models import Listing

pytestmark = pytest.mark.django_db


def test_seeds_listings_and_cooperatives_and_resets(api, capsys):
    call_command("seed_bulk", "--listings", "400", "--cooperatives", "15")
    assert Cooperative.objects.filter(slug__startswith="bulk-").count() == 15
    listings = Listing.objects.filter(cooperative__slug__startswith="bulk-")
    assert listings.count() == 400
    assert {"product", "service"} <= set(listings.values_list("kind", flat=True))
    assert len(set(listings.values_list("currency", flat=True))) >= 3
    assert listings.filter(status="published").count() > 300
    assert len(set(listings.values_list("title", flat=True))) > 100
    assert api.get("/api/v1/listings/?page_size=100").json()["count"] > 250
    assert "Seeded 400 listings" in capsys.readouterr().out

    with pytest.raises(CommandError):
        call_command("seed_bulk", "--listings", "10", "--cooperatives", "2")
    call_command("seed_bulk", "--listings", "50", "--cooperatives", "3", "--reset")
    assert Listing.objects.filter(cooperative__slug__startswith="bulk-").count() == 50
    assert Cooperative.objects.filter(slug__startswith="bulk-").count() == 3


@pytest.mark.postgres
def test_bulk_listings_are_searchable(api):
    call_command("seed_bulk", "--listings", "300", "--cooperatives", "10")
    assert api.get("/api/v1/listings/?search=cooperativa").json()["count"] > 0
