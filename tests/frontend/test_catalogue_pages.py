"""The catalogue pages: browsing with filters (and the htmx fragment), one listing, a seller's
catalogue on its profile, and "my listings" with images, submission and the CSV import."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperatives.models import Cooperative, Role
from cooperatives.state import VerificationStatus
from marketplace import cards, services
from marketplace.models import Listing
from moderation.models import Report
from tests.factories import CategoryFactory, CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import HTMX, browser_for, messages_of, png_upload, text


@pytest.fixture
def coffee(db):  # type: ignore[no-untyped-def]
    food = CategoryFactory(name="Food", slug="food", path="/food/")
    return CategoryFactory(name="Coffee", slug="coffee", parent=food, path="/food/coffee/")


def add_image(listing: Listing, alt_text: str = "") -> None:
    """An image added by the seller; the listing stays published (as after a review)."""
    services.listing_image_add(listing=listing, actor=None, upload=png_upload(), alt_text=alt_text)
    Listing.objects.filter(pk=listing.pk).update(status=listing.status)


@pytest.fixture
def catalogue(seller_coop, coffee):  # type: ignore[no-untyped-def]
    other = CooperativeFactory(country="UY", is_recuperated=True)
    return {
        "mate": ListingFactory(
            cooperative=seller_coop, title="Yerba mate", price_amount=125_050, currency="ARS"
        ),
        "coffee": ListingFactory(
            cooperative=other, title="Café de altura", category=coffee, currency="UYU"
        ),
        "service": ListingFactory(
            cooperative=other,
            title="Diseño gráfico",
            kind="service",
            stock=None,
            delivers_pickup=False,
            delivers_shipping=False,
            delivers_remote=True,
            currency="UYU",
            price_amount=900_00,
        ),
        "draft": ListingFactory(cooperative=seller_coop, title="Borrador secreto", status="draft"),
    }


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    html = text(response)
    return [
        title
        for title in ("Yerba mate", "Café de altura", "Diseño gráfico", "Borrador secreto")
        if title in html
    ]


# Browsing ------------------------------------------------------------------------------------


def test_the_catalogue_shows_published_listings_with_price_and_seller(client, catalogue):
    response = client.get("/catalogue/")
    assert response.status_code == 200
    assert titles(response) == ["Yerba mate", "Café de altura", "Diseño gráfico"]
    html = text(response)
    assert "3 listings" in html
    assert "ARS\xa01,250.50" in html  # formatted for English readers
    assert catalogue["mate"].cooperative.name in html
    assert "Worker-recuperated" in html  # the badge of the Uruguayan seller


def test_cards_show_the_cover_and_what_changed_without_a_save(client, moderator, catalogue):
    """The page writes its cards from the stored cards (frontend/listing_cards.py): the cover
    with its alternative text (the title when it has none), the unit in the reader's language;
    the stock and the seller, which change without a save of the listing, show at once."""
    mate, coffee = catalogue["mate"], catalogue["coffee"]
    add_image(mate, alt_text="Bolsa de yerba")
    add_image(coffee)
    cards.rebuild_all()  # as after the commits (tests never commit)
    Listing.objects.filter(pk=mate.pk).update(stock=0)  # a checkout took the last ones
    Cooperative.objects.filter(pk=coffee.cooperative_id).update(
        name="Cafetaleros Unidos", verification_status=VerificationStatus.SUSPENDED
    )
    html = text(client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="es"))
    cover = re.search(r'<img src="(/media/listings/[^"]+)" alt="Bolsa de yerba"', html)
    assert cover and cover.group(1).endswith("-400.webp")  # the small thumbnail
    assert "Agotado" in html and "por kg" in html
    assert "Cafetaleros Unidos" not in html  # a suspended seller leaves the public catalogue
    client.force_login(moderator)
    html = text(client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="es"))
    assert 'alt="Café de altura"' in html
    assert "Cafetaleros Unidos" in html and "Suspendida" in html


def test_prices_follow_the_readers_language(client, catalogue):
    html = text(client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "1250,50" in html.replace(".", "").replace("\xa0", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=service", ["Diseño gráfico"]),
        ("?category=food", ["Café de altura"]),  # a category includes its subcategories
        ("?country=UY", ["Café de altura", "Diseño gráfico"]),
        ("?recuperated=true", ["Café de altura", "Diseño gráfico"]),
        ("?delivery=remote", ["Diseño gráfico"]),
        ("?in_stock=true&kind=product", ["Yerba mate", "Café de altura"]),
        ("?currency=UYU&max_price=1000", ["Diseño gráfico"]),
        ("?currency=ARS&min_price=1250.50", ["Yerba mate"]),
        ("?currency=ARS&min_price=1250.51", []),
        ("?search=yerba", ["Yerba mate"]),
    ],
)
def test_filters_mean_what_the_api_means(client, catalogue, query, expected):
    response = client.get("/catalogue/" + query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_ordering_by_price(client, catalogue):
    html = text(client.get("/catalogue/?currency=UYU&ordering=price_amount"))
    assert html.index("Diseño gráfico") < html.index("Café de altura")
    html = text(client.get("/catalogue/?currency=UYU&ordering=-price_amount"))
    assert html.index("Café de altura") < html.index("Diseño gráfico")


def test_a_price_without_currency_is_explained_not_ignored(client, catalogue):
    response = client.get("/catalogue/?min_price=10")
    assert response.status_code == 200
    assert "Some filters need fixing" in text(response)
    assert titles(response) == []


def test_htmx_gets_only_the_results_and_the_form_pushes_the_url(client, catalogue):
    full = text(client.get("/catalogue/?kind=service"))
    assert 'hx-push-url="true"' in full and 'method="get"' in full
    response = client.get("/catalogue/?kind=service", **HTMX)
    fragment = text(response)
    assert fragment.lstrip().startswith('<section id="results"')
    assert "<html" not in fragment
    assert "Diseño gráfico" in fragment
    assert "HX-Request" in response["Vary"]


def test_the_empty_state_says_what_to_do(client, catalogue):
    html = text(client.get("/catalogue/?search=zzzzzz"))
    assert "No listing matches these filters" in html
    assert "Clear the filters" in html


def test_pages_of_results(client, seller_coop, settings):
    ListingFactory.create_batch(30, cooperative=seller_coop)
    first = text(client.get("/catalogue/"))
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in text(client.get("/catalogue/?page=2"))


# The signed-in catalogue page, built: the session, its user, the category tree of the filters,
# whether the reader moderates, their memberships, the count, the page's ids, its stored cards
# with their sellers (frontend/listing_cards.py; was the rows and their images), and one for the
# page's frame. Pinned so that a new query shows up here (raise it only with a reason in
# docs/catalogue.md).
CATALOGUE_PAGE_QUERIES = 9


def test_the_catalogue_runs_the_same_queries_whatever_the_page_size(
    client, buyer_owner, seller_coop, coffee
):
    browser = browser_for(buyer_owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/catalogue/").status_code == 200
        return len(queries)

    ListingFactory.create_batch(2, cooperative=seller_coop, category=coffee)
    cards.rebuild_all()  # as after the commits (tests never commit)
    few = count()
    for listing in ListingFactory.create_batch(20, cooperative=seller_coop, category=coffee):
        add_image(listing)
    cards.rebuild_all()
    assert count() == few
    assert few <= CATALOGUE_PAGE_QUERIES, few


# One listing ---------------------------------------------------------------------------------


def test_the_detail_page_has_gallery_facts_seller_and_add_to_cart(client, buyer_owner, catalogue):
    listing = catalogue["mate"]
    add_image(listing, "Bolsa de un kilo")
    html = text(browser_for(buyer_owner).get(f"/listings/{listing.pk}/"))
    assert 'alt="Bolsa de un kilo"' in html
    assert "Minimum order" in html and "Pickup, Shipping" in html
    assert f'href="/cooperatives/{listing.cooperative.slug}/"' in html
    assert 'action="/cart/add/"' in html
    assert "Report this listing" in html
    assert "Sign in to order" in text(client.get(f"/listings/{listing.pk}/"))


def test_drafts_are_a_404_for_everyone_but_the_sellers_members(
    client, buyer_owner, seller_member, catalogue
):
    url = f"/listings/{catalogue['draft'].pk}/"
    assert client.get(url).status_code == 404
    assert browser_for(buyer_owner).get(url).status_code == 404
    response = browser_for(seller_member).get(url)
    assert response.status_code == 200
    assert "Not in the public catalogue" in text(response)
    assert client.get("/listings/999999/").status_code == 404


def test_a_listing_can_be_reported_from_its_page(buyer_owner, catalogue):
    listing = catalogue["coffee"]
    browser = browser_for(buyer_owner)
    response = browser.post(
        f"/listings/{listing.pk}/report/", {"reason": "misleading", "details": "No es café."}
    )
    assert response.status_code == 302
    assert Report.objects.get(listing=listing).reporter == buyer_owner
    again = browser.post(f"/listings/{listing.pk}/report/", {"reason": "misleading"}, follow=True)
    assert Report.objects.filter(listing=listing).count() == 1
    assert messages_of(again)  # the refusal is a message, not a 500


def test_the_profile_shows_the_sellers_published_catalogue(client, seller_coop, catalogue):
    html = text(client.get(f"/cooperatives/{seller_coop.slug}/"))
    assert "Yerba mate" in html
    assert "Borrador secreto" not in html
    assert "Café de altura" not in html


# My listings ---------------------------------------------------------------------------------

NEW_LISTING = {
    "kind": "product",
    "title": "Dulce de leche",
    "description": "Artesanal.",
    "category": "coffee",
    "price": "12.34",
    "currency": "ARS",
    "unit": "kg",
    "min_order_quantity": "2",
    "stock": "40",
    "lead_time_days": "3",
    "delivery_modes": ["pickup", "shipping"],
}


def test_create_upload_images_and_submit(seller_owner, seller_coop, coffee):
    browser = browser_for(seller_owner)
    response = browser.post(f"/my/cooperatives/{seller_coop.slug}/listings/new/", NEW_LISTING)
    listing = Listing.objects.get(title="Dulce de leche")
    assert response.status_code == 302 and response["Location"] == f"/my/listings/{listing.pk}/"
    assert (listing.status, listing.price_amount, listing.stock) == ("draft", 1234, 40)
    assert listing.delivery_modes == ["pickup", "shipping"]

    response = browser.post(
        f"/my/listings/{listing.pk}/images/",
        {"images": [png_upload("a.png"), png_upload("b.png")], "alt_text": "Frasco"},
    )
    assert response.status_code == 302
    assert [image.alt_text for image in listing.images.all()] == ["Frasco", "Frasco"]
    image = listing.images.first()
    browser.post(f"/my/listings/{listing.pk}/images/{image.pk}/delete/")
    assert listing.images.count() == 1

    browser.post(f"/my/listings/{listing.pk}/submit/")
    listing.refresh_from_db()
    assert listing.status in {"pending_review", "published"}
    html = text(browser.get(f"/my/cooperatives/{seller_coop.slug}/listings/"))
    assert "Dulce de leche" in html and listing.get_status_display() in html


def test_a_bad_image_is_a_message_not_a_500(seller_owner, seller_coop):
    listing = ListingFactory(cooperative=seller_coop, status="draft")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = browser_for(seller_owner).post(
        f"/my/listings/{listing.pk}/images/", {"images": [fake]}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response)
    assert listing.images.count() == 0


def test_edit_changes_only_what_changed_and_shows_form_errors(seller_owner, seller_coop, coffee):
    listing = ListingFactory(cooperative=seller_coop, category=coffee, status="draft")
    browser = browser_for(seller_owner)
    data = {**NEW_LISTING, "title": listing.title, "price": "2000", "delivery_modes": ["pickup"]}
    assert browser.post(f"/my/listings/{listing.pk}/", data).status_code == 302
    listing.refresh_from_db()
    assert listing.price_amount == 200_000
    response = browser.post(f"/my/listings/{listing.pk}/", {**data, "price": "-1"})
    assert response.status_code == 200 and "has-error" in text(response)


def test_archive_takes_a_listing_out_of_the_catalogue(client, seller_owner, catalogue):
    listing = catalogue["mate"]
    browser_for(seller_owner).post(f"/my/listings/{listing.pk}/archive/")
    listing.refresh_from_db()
    assert listing.status == "archived"
    assert "Yerba mate" not in text(client.get("/catalogue/"))


def test_the_list_shows_why_a_listing_was_rejected(seller_owner, seller_coop):
    ListingFactory(cooperative=seller_coop, status="rejected", status_reason="Fotos borrosas.")
    html = text(browser_for(seller_owner).get(f"/my/cooperatives/{seller_coop.slug}/listings/"))
    assert "Fotos borrosas." in html


def test_members_and_outsiders_cannot_manage_listings(
    seller_member, buyer_owner, seller_coop, catalogue
):
    listing = catalogue["mate"]
    slug = seller_coop.slug
    for user in (seller_member, buyer_owner):
        browser = browser_for(user)
        for url in (
            f"/my/cooperatives/{slug}/listings/",
            f"/my/cooperatives/{slug}/listings/new/",
            f"/my/cooperatives/{slug}/listings/import/",
            f"/my/cooperatives/{slug}/listings/catalogue.csv",
            f"/my/listings/{listing.pk}/",
        ):
            assert browser.get(url).status_code == 404, (user, url)
        assert browser.post(f"/my/listings/{listing.pk}/archive/").status_code == 404
    listing.refresh_from_db()
    assert listing.status == "published"


def test_an_admin_manages_listings_too(seller_coop):
    admin = MembershipFactory(cooperative=seller_coop, role=Role.ADMIN).user
    assert (
        browser_for(admin).get(f"/my/cooperatives/{seller_coop.slug}/listings/").status_code == 200
    )


# CSV -----------------------------------------------------------------------------------------


def test_export_then_import_with_errors_shows_the_lines_and_saves_nothing(
    seller_owner, seller_coop, catalogue
):
    browser = browser_for(seller_owner)
    exported = browser.get(f"/my/cooperatives/{seller_coop.slug}/listings/catalogue.csv")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    header = lines[0]
    broken = "\n".join([header, lines[1].replace("Yerba mate", "Yerba mate nueva"), lines[1]])
    broken = broken.replace("1250.50", "mucho", 1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("catalogue.csv", broken.encode(), content_type="text/csv")
    response = browser.post(
        f"/my/cooperatives/{seller_coop.slug}/listings/import/", {"file": upload}
    )
    assert response.status_code == 200
    html = text(response)
    assert "Nothing was imported" in html
    assert "<td>2</td>" in html
    assert Listing.objects.filter(title="Yerba mate nueva").count() == 0


def test_a_good_import_creates_drafts(seller_owner, seller_coop, catalogue):
    browser = browser_for(seller_owner)
    exported = browser.get(f"/my/cooperatives/{seller_coop.slug}/listings/catalogue.csv")
    header, row = exported.content.decode("utf-8-sig").splitlines()[:2]
    from django.core.files.uploadedfile import SimpleUploadedFile

    columns = header.split(",")
    values = row.split(",")
    values[columns.index("id")] = ""
    values[columns.index("sku")] = "NEW-1"
    values[columns.index("title")] = "Yerba importada"
    upload = SimpleUploadedFile(
        "c.csv", (header + "\n" + ",".join(values) + "\n").encode(), content_type="text/csv"
    )
    response = browser.post(
        f"/my/cooperatives/{seller_coop.slug}/listings/import/", {"file": upload}, follow=True
    )
    assert Listing.objects.get(title="Yerba importada").status == "draft"
    assert any("1 new" in message for message in messages_of(response))


def test_the_filter_form_keeps_the_chosen_country_currency_and_category(client, catalogue):  # type: ignore[no-untyped-def]
    body = client.get("/catalogue/?country=UY&currency=UYU&category=coffee").content.decode()
    for name, chosen in (("country", "UY"), ("currency", "UYU"), ("category", "coffee")):
        found = re.search(rf'<select ([^>]*)name="{name}"([^>]*)>(.*?)</select>', body, re.S)
        assert found, f"no select named {name}"
        assert f'id="id_{name}"' in found.group(1) + found.group(2)
        options = found.group(3)
        assert options.count(" selected>") == 1
        assert f'<option value="{chosen}" selected>' in options
    assert "Café de altura" in body


def test_the_unfiltered_form_follows_the_categories_language_and_count(client, catalogue, coffee):  # type: ignore[no-untyped-def]
    # The fields of the unfiltered form are written once per language and category tree
    # (CatalogueFilterForm.unfiltered_fields); the count in their summary is each page's own.
    def count(body: str) -> str:
        found = re.search(r'<span id="filter-count" class="filter-count">(.*?)</span>', body, re.S)
        assert found
        return found.group(1).strip()

    body = client.get("/catalogue/").content.decode()
    assert '<option value="coffee">\u2003Coffee</option>' in body
    assert 'value="tea"' not in body
    before = count(body)
    CategoryFactory(name="Tea", slug="tea", path="/tea/")
    coffee.name_es = "Café"
    coffee.save()
    ListingFactory(cooperative=catalogue["mate"].cooperative, title="Otra yerba")
    body = client.get("/catalogue/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="coffee">\u2003Café</option>' in body
    assert '<option value="tea">Tea</option>' in body
    assert "Filtros" in body
    assert count(body) != before
    body = client.get("/catalogue/").content.decode()
    assert '<option value="coffee">\u2003Coffee</option>' in body
    assert '<option value="tea">Tea</option>' in body
