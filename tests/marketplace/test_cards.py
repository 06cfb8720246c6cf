"""Stored cards (marketplace/cards.py): the list written from them equals the serializer's
rendering, and every change a reader could see reaches the list at once."""

import json

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from cooperatives.models import Cooperative
from marketplace import cards, services
from marketplace.api.serializers import ListingSerializer
from marketplace.models import Category, Listing, ListingImage
from marketplace.selectors import listing_rows
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def _rendered(listing_id: int, language: str) -> dict:
    request = RequestFactory().get("/api/v1/listings/")
    with translation.override(language):
        renderer = cards.Renderer(request, language)
        return json.loads(renderer.cards(cards.card_rows([listing_id])))[0]


def _serialized(listing_id: int, language: str) -> dict:
    request = RequestFactory().get("/api/v1/listings/")
    with translation.override(language):
        return ListingSerializer(context={"request": request}).to_representation(
            listing_rows([listing_id]).get()
        )


@pytest.fixture
def listing(seller_coop, coffee):  # type: ignore[no-untyped-def]
    Category.objects.filter(pk=coffee.pk).update(name_es="Café", name_pt_br="Cafés")
    Cooperative.objects.filter(pk=seller_coop.pk).update(
        verification_status="verified", is_recuperated=True
    )
    seller_coop.refresh_from_db()
    listing = ListingFactory(
        cooperative=seller_coop,
        category=coffee,
        stock=7,
        title="Yerba “orgánica”\u2028 <b>",
        delivers_remote=True,
        countries_served=["AR", "UY"],
        price_amount=125050,
        currency="BRL",
    )
    ListingImage.objects.create(
        listing=listing, image="a.webp", thumbnail_small="a-400.webp", width=4, height=3
    )
    return listing


@pytest.mark.parametrize("language", ["en", "es", "pt-br"])
def test_stored_and_fallback_cards_equal_the_serializer(listing, language):
    assert Listing.objects.get(pk=listing.pk).card is None  # the image emptied it; not rebuilt
    fallback = _rendered(listing.pk, language)
    assert cards.rebuild([listing.pk]) == 1
    assert Listing.objects.get(pk=listing.pk).card
    stored = _rendered(listing.pk, language)
    expected = _serialized(listing.pk, language)
    assert stored == expected
    assert fallback == expected
    assert expected["thumbnail_url"] == "http://testserver/media/a-400.webp"
    assert stored["price_display"] == {"en": "BRL\u00a01,250.50", "es": "BRL\u00a01.250,50"}.get(
        language, stored["price_display"]
    )
    if language != "en":
        assert stored["category"]["label"] == {"es": "Café", "pt-br": "Cafés"}[language]


def test_a_rebuild_writes_only_empty_cards(listing):
    cards.rebuild([listing.pk])
    assert cards.rebuild([listing.pk]) == 0
    Listing.objects.filter(pk=listing.pk).update(card=None)
    assert cards.rebuild_all() == 1


def test_changes_reach_the_list(listing, seller_owner, seller_coop, coffee):
    """A save empties the card in the same statement; what others own is read live."""
    cards.rebuild([listing.pk])
    services.listing_update(listing=listing, actor=seller_owner, title="Mate cocido")
    assert Listing.objects.get(pk=listing.pk).card is None
    assert _rendered(listing.pk, "en")["title"] == "Mate cocido"
    cards.rebuild([listing.pk])
    # Read live: the seller's name and status, the category's labels, the stock.
    seller_coop.name = "Cooperativa Nueva"
    seller_coop.verification_status = "unverified"
    seller_coop.save()
    coffee.name_es = "Cafés y tés"
    coffee.save()
    Listing.objects.filter(pk=listing.pk).update(stock=0)  # as a checkout takes it
    card = _rendered(listing.pk, "es")
    assert card["seller"]["name"] == "Cooperativa Nueva"
    assert card["seller"]["is_verified"] is False
    assert card["category"]["label"] == "Cafés y tés"
    assert card["stock"] == 0
    assert card == _serialized(listing.pk, "es")


def test_an_image_change_empties_the_card(listing):
    cards.rebuild([listing.pk])
    ListingImage.objects.filter(listing=listing).get().delete()
    assert Listing.objects.get(pk=listing.pk).card is None
    assert _rendered(listing.pk, "en")["thumbnail_url"] is None


def test_the_rebuild_runs_after_the_commit(
    listing, seller_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.listing_update(listing=listing, actor=seller_owner, title="Mate cocido")
    assert callbacks
    card = Listing.objects.get(pk=listing.pk).card
    assert card is not None and "Mate cocido" in card


@pytest.mark.parametrize("zone", ["America/Sao_Paulo", "Asia/Kolkata"])
def test_a_card_written_once_still_follows_the_readers_time_zone(listing, zone, settings):  # type: ignore[no-untyped-def]
    """A card's JSON is written once per process for the same row, language and time zone
    (`cards._card_json`): a reader in another zone gets the live `updated_at` in theirs, as the
    serializer writes it, and the thumbnail names the host each reader asked."""
    cards.rebuild([listing.pk])
    first = _rendered(listing.pk, "es")
    assert first == _serialized(listing.pk, "es")
    with timezone.override(zone):
        theirs = _rendered(listing.pk, "es")
        assert theirs["updated_at"] == _serialized(listing.pk, "es")["updated_at"]
    assert theirs["updated_at"] != first["updated_at"]
    settings.ALLOWED_HOSTS = ["*"]
    request = RequestFactory().get("/api/v1/listings/", HTTP_HOST="other.example.org")
    with translation.override("es"):
        other_host = json.loads(cards.Renderer(request, "es").cards(cards.card_rows([listing.pk])))[
            0
        ]
    assert other_host["thumbnail_url"].startswith("http://other.example.org/")
    assert {**other_host, "thumbnail_url": None} == {**first, "thumbnail_url": None}
