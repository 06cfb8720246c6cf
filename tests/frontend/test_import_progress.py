"""The catalogue import shows its progress: the page polls a progress bar (htmx) while the
upload's request checks and saves the rows; without JavaScript the form works as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace import import_progress
from marketplace.models import Listing
from tests.factories import ListingFactory
from tests.frontend.helpers import browser_for, catalogue_of_new_rows, messages_of, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
TOKEN = "a" * 22


def csv_of_new_rows(browser, slug: str, count: int) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    """`count` new listings, made from the first row of the cooperative's own export."""
    exported = browser.get(f"/my/cooperatives/{slug}/listings/catalogue.csv")
    rows = catalogue_of_new_rows(exported.content, count, sku="BULK-{}", title="Yerba {}")
    return SimpleUploadedFile("c.csv", rows.encode(), content_type="text/csv")


def test_the_import_page_polls_its_progress_while_the_upload_runs(seller_owner, seller_coop):
    html = text(
        browser_for(seller_owner).get(f"/my/cooperatives/{seller_coop.slug}/listings/import/")
    )
    assert 'hx-post="/my/cooperatives/' in html and 'hx-encoding="multipart/form-data"' in html
    token = html.split('name="progress_token" value="', 1)[1].split('"', 1)[0]
    assert import_progress.is_token(token)
    assert (
        f'hx-get="/my/cooperatives/{seller_coop.slug}/listings/import/progress/{token}/" '
        'hx-trigger="htmx:beforeRequest from:#import-form"'
    ) in html
    # The form still posts by itself without JavaScript.
    assert 'method="post" enctype="multipart/form-data" action="/my/cooperatives/' in html


def test_progress_is_reported_by_row_and_ends_with_the_counts(
    seller_owner, seller_coop, monkeypatch
):
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    seen: list[tuple[str, int, int]] = []
    record = import_progress.record

    def spy(cooperative_id, user_id, token, progress):  # type: ignore[no-untyped-def]
        seen.append((progress.stage, progress.done, progress.total))
        record(cooperative_id, user_id, token, progress)

    monkeypatch.setattr(import_progress, "record", spy)
    upload = csv_of_new_rows(browser, seller_coop.slug, 450)
    response = browser.post(
        f"/my/cooperatives/{seller_coop.slug}/listings/import/",
        {"file": upload, "progress_token": TOKEN},
        follow=True,
    )
    assert any("450 new" in message for message in messages_of(response))
    assert Listing.objects.filter(cooperative=seller_coop, sku__startswith="BULK-").count() == 450
    assert seen == [
        ("check", 200, 450),
        ("check", 400, 450),
        ("check", 450, 450),
        ("done", 450, 450),
    ]

    page = browser.get(f"/my/cooperatives/{seller_coop.slug}/listings/import/progress/{TOKEN}/")
    html = text(page)
    assert '<progress id="import-progress-bar" max="450" value="450">' in html
    assert "Imported" in html and "450 of 450 rows" in html
    assert "hx-trigger" not in html  # finished: the page stops asking


def test_while_waiting_the_bar_is_indeterminate_and_polling_stops_after_a_while(
    seller_owner, seller_coop
):
    browser = browser_for(seller_owner)
    base = f"/my/cooperatives/{seller_coop.slug}/listings/import/progress/{TOKEN}/"
    waiting = text(browser.get(base))
    assert (
        "Sending the file…" in waiting
        and '<progress id="import-progress-bar"></progress>' in waiting
    )
    assert f'hx-get="{base}?n=1" hx-trigger="load delay:500ms"' in waiting
    assert "hx-trigger" not in text(browser.get(f"{base}?n=1200"))
    assert browser.get(base.replace(TOKEN, "short")).status_code == 404


def test_a_failed_import_reports_it_and_others_see_nothing(
    seller_owner, seller_admin, seller_coop, outsider
):
    browser = browser_for(seller_owner)
    upload = SimpleUploadedFile("c.csv", b"title\nno header\n", content_type="text/csv")
    browser.post(
        f"/my/cooperatives/{seller_coop.slug}/listings/import/",
        {"file": upload, "progress_token": TOKEN},
    )
    url = f"/my/cooperatives/{seller_coop.slug}/listings/import/progress/{TOKEN}/"
    assert "Nothing was imported" in text(browser.get(url))
    # Another manager of the same cooperative does not read this person's progress.
    assert "Sending the file…" in text(browser_for(seller_admin).get(url))
    assert browser_for(outsider).get(url).status_code == 404


def test_with_htmx_a_good_import_sends_the_page_to_the_listings(seller_owner, seller_coop):
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    response = browser.post(
        f"/my/cooperatives/{seller_coop.slug}/listings/import/",
        {"file": csv_of_new_rows(browser, seller_coop.slug, 2), "progress_token": TOKEN},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == f"/my/cooperatives/{seller_coop.slug}/listings/"


def test_an_import_whose_task_crashes_eagerly_is_failed_and_can_be_started_again(
    seller_owner, seller_coop, monkeypatch
):
    """Run eagerly (no broker, as `make run`), a task that crashes is not retried: the import
    is marked failed in the uploader's language (not left running), the admins get the
    TaskFailure, and the seller's next upload is imported."""
    from core.models import TaskFailure
    from marketplace.models import CatalogueImport
    from marketplace.services import catalogue_imports
    from marketplace.state import ImportStatus

    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    url = f"/my/cooperatives/{seller_coop.slug}/listings/import/"
    importing = catalogue_imports.catalogue_import

    def crash(**_kwargs):  # type: ignore[no-untyped-def]
        raise OSError("the stored file cannot be read")

    monkeypatch.setattr(catalogue_imports, "catalogue_import", crash)
    browser.post(
        url,
        {"file": csv_of_new_rows(browser, seller_coop.slug, 2), "progress_token": TOKEN},
        headers={"Accept-Language": "pt-BR"},
    )
    failed = CatalogueImport.objects.get()
    assert (failed.status, failed.error_code) == (ImportStatus.FAILED, "import_crashed")
    assert failed.error_message.startswith("A importação parou por um erro nosso")
    assert TaskFailure.objects.get().task == "marketplace.tasks.catalogue_import"
    page = text(browser.get(f"{url}{failed.pk}/", headers={"Accept-Language": "pt-BR"}))
    assert "A importação parou por um erro nosso" in page
    assert not Listing.objects.filter(sku__startswith="BULK-").exists()

    monkeypatch.setattr(catalogue_imports, "catalogue_import", importing)
    browser.post(
        url, {"file": csv_of_new_rows(browser, seller_coop.slug, 2), "progress_token": TOKEN}
    )
    again = CatalogueImport.objects.exclude(pk=failed.pk).get()
    assert again.status == ImportStatus.DONE
    assert Listing.objects.filter(cooperative=seller_coop, sku__startswith="BULK-").count() == 2
