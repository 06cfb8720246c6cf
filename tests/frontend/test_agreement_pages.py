"""The pages that start an agreement (its seller proposes it) and a standing order (its buyer
sets it up): what they make is what the API would make, the services' refusals show on the
form in the reader's language, and anyone who may not act gets a 404."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from quotes import services
from quotes.models import Agreement, BuyerGroup, StandingOrder, StandingOrderDraft
from quotes.state import AgreementStatus
from tests.conftest import client_for
from tests.factories import CategoryFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import browser_for, messages_of, row_legends, text
from tests.quotes.helpers import agreement, seller

pytestmark = pytest.mark.django_db


def proposal(buyer: Any = None, **changes: str) -> dict[str, str]:
    """The propose page's form as a person fills it: one price row of two."""
    data = {
        "name": "Leche 2027",
        "currency": "UYU",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
        "payment_terms_days": "20",
        "credit_share": "25",
        "early_payment_discount": "2.5",
        "early_payment_days": "10",
        "prices-TOTAL_FORMS": "2",
        "prices-INITIAL_FORMS": "0",
        "prices-0-min_quantity": "1",
        "prices-1-min_quantity": "1",
    }
    if buyer is not None:
        data["buyer"] = str(buyer.pk)
    data.update(changes)
    return data


@pytest.fixture
def dairy() -> tuple[Any, Any, Any]:
    cooperative, owner = seller("Tambo Las Piedras", "UY")
    listing = ListingFactory(cooperative=cooperative, currency="UYU", title="Leche entera")
    return cooperative, owner, listing


def test_a_seller_proposes_an_agreement_through_the_page_with_its_terms(dairy, buyer_coop):
    coop, owner, listing = dairy
    browser = browser_for(owner)
    url = f"/my/cooperatives/{coop.slug}/agreements/new/"
    listed = text(browser.get(f"/my/cooperatives/{coop.slug}/agreements/"))
    assert url in listed
    # From the buyer's profile: the buyer is already chosen.
    profile = text(browser.get(f"/cooperatives/{buyer_coop.slug}/", HTTP_ACCEPT_LANGUAGE="pt-br"))
    assert f"Propor um acordo como {coop.name}" in profile
    assert f"{url}?buyer={buyer_coop.slug}" in profile
    own = browser.get(f"/cooperatives/{coop.slug}/", HTTP_ACCEPT_LANGUAGE="pt-br")
    assert "Propor um acordo como" not in text(own)
    page = text(browser.get(f"{url}?buyer={buyer_coop.slug}", HTTP_ACCEPT_LANGUAGE="pt-br"))
    assert "Propor um acordo" in page and buyer_coop.name in page and "Leche entera" in page
    posted = browser.post(
        url,
        proposal(
            buyer_coop,
            early_payment_discount="2,5",
            **{
                "prices-0-listing": str(listing.pk),
                "prices-0-fixed_price": "40,50",
                "prices-1-category": listing.category.slug,
                "prices-1-min_quantity": "100",
                "prices-1-discount": "12,5",
            },
        ),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    made = Agreement.objects.get()
    assert posted["Location"] == f"/agreements/{made.pk}/"
    assert (made.seller, made.buyer, made.status) == (coop, buyer_coop, AgreementStatus.PROPOSED)
    assert (made.currency, made.valid_until, made.payment_terms_days) == (
        "UYU",
        date(2027, 12, 31),
        20,
    )
    assert (made.credit_share_bps, made.early_payment_discount_bps) == (2500, 250)
    prices = [
        (p.listing_id, p.category_id, p.min_quantity, p.fixed_price_amount, p.discount_bps)
        for p in made.prices.order_by("min_quantity")
    ]
    assert prices == [
        (listing.pk, None, 1, 4050, None),
        (None, listing.category_id, 100, None, 1250),
    ]


def test_a_proposal_to_a_buyer_group_and_the_search_that_finds_a_buyer(dairy, buyer_coop):
    coop, owner, listing = dairy
    group = BuyerGroup.objects.create(seller=coop, name="Federación Láctea")
    browser = browser_for(owner)
    url = f"/my/cooperatives/{coop.slug}/agreements/new/"
    found = text(browser.post(url, {**proposal(), "find": "Montevideo", "search": "1"}))
    assert buyer_coop.name in found and "errorlist" not in found
    row = {"prices-0-listing": str(listing.pk), "prices-0-discount": "10"}
    browser.post(url, proposal(buyer_group=str(group.pk), **row))
    assert Agreement.objects.get().buyer_group == group


def test_the_services_refusals_show_on_the_form_in_the_readers_language(dairy, buyer_coop):
    coop, owner, listing = dairy
    browser = browser_for(owner)
    url = f"/my/cooperatives/{coop.slug}/agreements/new/"
    row = {"prices-0-listing": str(listing.pk), "prices-0-fixed_price": "40"}
    no_buyer = text(browser.post(url, proposal(**row), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Indica una cooperativa compradora o un grupo de compradoras." in no_buyer
    backwards = proposal(buyer_coop, valid_until="2025-12-31", **row)
    assert "El acuerdo debe terminar después de empezar." in text(
        browser.post(url, backwards, HTTP_ACCEPT_LANGUAGE="es")
    )
    assert "Da al acuerdo al menos un precio." in text(
        browser.post(url, proposal(buyer_coop), HTTP_ACCEPT_LANGUAGE="es")
    )
    both = {**row, "prices-0-discount": "5"}
    assert "Indica un precio fijo o un descuento por fila." in text(
        browser.post(url, proposal(buyer_coop, **both), HTTP_ACCEPT_LANGUAGE="es")
    )
    assert not Agreement.objects.exists()


def test_only_the_sellers_owners_and_admins_reach_the_propose_page(dairy, buyer_coop):
    coop, _owner, _listing = dairy
    url = f"/my/cooperatives/{coop.slug}/agreements/new/"
    member = MembershipFactory(cooperative=coop, role="member").user
    stranger = seller("Otra")[1]
    for person in (member, stranger):
        assert browser_for(person).get(url).status_code == 404
        assert browser_for(person).post(url, proposal(buyer_coop)).status_code == 404
    assert not Agreement.objects.exists()


def test_a_standing_order_made_through_the_page_drafts_as_the_api_made_one(
    dairy, buyer_coop, buyer_owner
):
    coop, owner, listing = dairy
    terms = agreement(coop, owner, listing, accept=(buyer_coop, buyer_owner), buyer=buyer_coop)
    browser = browser_for(buyer_owner)
    page = text(browser.get(f"/agreements/{terms.pk}/", HTTP_ACCEPT_LANGUAGE="es"))
    url = f"/agreements/{terms.pk}/standing-order/"
    assert url in page and "Nuevo pedido periódico" in page
    starts = timezone.localdate() - timedelta(days=7)
    posted = browser.post(
        url,
        {
            "schedule": "weekly",
            "starts_on": starts.isoformat(),
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-listing": str(listing.pk),
            "lines-0-quantity": "3",
        },
    )
    assert posted["Location"] == f"/my/cooperatives/{buyer_coop.slug}/agreements/"
    answer = client_for(buyer_owner).post(
        "/api/v1/standing-orders/",
        {
            "cooperative": buyer_coop.slug,
            "agreement": terms.pk,
            "schedule": "weekly",
            "starts_on": starts.isoformat(),
            "lines": [{"listing": listing.pk, "quantity": 3}],
        },
        format="json",
    )
    assert answer.status_code == 201
    assert services.standing_orders_draft() == 4
    by_page, by_api = (
        list(StandingOrderDraft.objects.filter(standing_order=s).order_by("period_start"))
        for s in StandingOrder.objects.order_by("pk")
    )
    assert [(d.period_start, d.lines) for d in by_page] == [
        (d.period_start, d.lines) for d in by_api
    ]
    assert by_page[0].lines[0]["unit_price_amount"] == 40_00


def test_a_standing_order_is_refused_on_the_form_and_hidden_from_whoever_may_not(
    dairy, buyer_coop, buyer_owner
):
    coop, owner, listing = dairy
    proposed = agreement(coop, owner, listing, buyer=buyer_coop)
    url = f"/agreements/{proposed.pk}/standing-order/"
    data = {
        "schedule": "monthly",
        "starts_on": "2027-01-01",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-listing": str(listing.pk),
        "lines-0-quantity": "2",
    }
    refused = browser_for(buyer_owner).post(url, data, HTTP_ACCEPT_LANGUAGE="pt-br")
    assert "Um pedido periódico precisa de um acordo aceito pelas duas partes." in text(refused)
    assert not messages_of(refused)
    member = MembershipFactory(cooperative=buyer_coop, role="member").user
    for person in (owner, member, seller("Otra")[1]):
        assert browser_for(person).get(url).status_code == 404
        assert browser_for(person).post(url, data).status_code == 404
    assert not StandingOrder.objects.exists()


def test_each_row_is_labelled_with_what_it_prices_in_the_readers_language(
    dairy, buyer_coop, buyer_owner
):
    coop, owner, listing = dairy
    CategoryFactory(name="Lácteos", slug="lacteos")
    browser = browser_for(owner)
    url = f"/my/cooperatives/{coop.slug}/agreements/new/"
    empty = browser.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert row_legends(empty) and set(row_legends(empty)) == {"Nueva línea"}
    rows = {
        "prices-0-listing": str(listing.pk),
        "prices-0-fixed_price": "40",
        "prices-1-category": "lacteos",
        "prices-1-discount": "5",
    }
    # No buyer named: the form comes back, each row named by what it prices.
    again = browser.post(url, proposal(**rows), HTTP_ACCEPT_LANGUAGE="pt-br")
    assert row_legends(again) == ["Leche entera", "Lácteos (a categoria inteira)"]
    proposed = agreement(coop, owner, listing, accept=(buyer_coop, buyer_owner), buyer=buyer_coop)
    standing = f"/agreements/{proposed.pk}/standing-order/"
    buyer = browser_for(buyer_owner)
    assert set(row_legends(buyer.get(standing, HTTP_ACCEPT_LANGUAGE="pt-br"))) == {"Nova linha"}
    half = {
        "schedule": "weekly",
        "starts_on": "2027-01-04",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-listing": str(listing.pk),  # no quantity: refused on its row
    }
    refused = buyer.post(standing, half, HTTP_ACCEPT_LANGUAGE="es")
    assert row_legends(refused) == ["Leche entera", "Nueva línea"]
    assert not StandingOrder.objects.exists()
