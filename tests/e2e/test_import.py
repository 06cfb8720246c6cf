"""The catalogue import in a real browser: htmx posts the file, polls the progress meanwhile and
lands on the listings with the counts."""

import re

from django.test import Client

from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
from tests.frontend.helpers import catalogue_of_new_rows


def test_a_seller_imports_a_catalogue_and_the_page_follows_its_progress(new_context, db, tmp_path):  # type: ignore[no-untyped-def]
    cooperative = CooperativeFactory(name="Cooperativa Yerbatera Andresito")
    owner = MembershipFactory(cooperative=cooperative, role="owner").user
    ListingFactory(cooperative=cooperative, title="Yerba mate", currency="ARS")
    client = Client()
    client.force_login(owner)
    exported = client.get(f"/my/cooperatives/{cooperative.slug}/listings/catalogue.csv")
    rows = catalogue_of_new_rows(exported.content, 600, sku="LOTE-{}", title="Yerba lote {}")
    path = tmp_path / "catalogue.csv"
    path.write_text(rows, encoding="utf-8")

    page = new_context(user=owner).new_page()
    polled: list[str] = []
    page.on(
        "request",
        lambda request: polled.append(request.url) if "/import/progress/" in request.url else None,
    )
    page.goto(f"/my/cooperatives/{cooperative.slug}/listings/import/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(rf"/my/cooperatives/{cooperative.slug}/listings/$"))
    page.locator("#messages").get_by_text("600 new", exact=False).wait_for()
    assert polled, "the page never asked for the import's progress"
    assert cooperative.listings.filter(sku__startswith="LOTE-").count() == 600
