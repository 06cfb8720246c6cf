"""The hand-built rendering of listings equals DRF's rendering of the declared fields, so the
schema and the answers never drift apart."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from marketplace.api.serializers import ListingDetailSerializer, ListingSerializer
from marketplace.models import ListingImage
from marketplace.selectors import listing_get_visible
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("serializer_class", [ListingSerializer, ListingDetailSerializer])
@pytest.mark.parametrize("language", ["en", "es", "pt-br"])
def test_fast_rendering_equals_drfs(seller_coop, coffee, seller_owner, serializer_class, language):
    coffee.name_es, coffee.name_pt_br = "Café", "Cafés"
    coffee.save()
    seller_coop.verification_status, seller_coop.is_recuperated = "verified", True
    seller_coop.save()
    listing = ListingFactory(
        cooperative=seller_coop,
        category=coffee,
        stock=None,
        delivers_remote=True,
        countries_served=["AR", "UY"],
        status_reason="",
    )
    ListingImage.objects.create(
        listing=listing, image="a.webp", thumbnail_small="a-400.webp", width=4, height=3
    )
    request = RequestFactory().get("/api/v1/listings/")
    request.user = seller_owner
    listing = listing_get_visible(seller_owner, listing.pk)
    with translation.override(language):
        serializer = serializer_class(context={"request": request})
        fast = serializer.to_representation(listing)
        generic = serializer.to_representation_generic(listing)
    assert fast == generic
    assert list(fast) == list(generic)
