"""The catalogue import runs as a task (marketplace.tasks.catalogue_import). With a worker (no
eager tasks) the upload is kept and queued; the person lands on the import's own page, which shows
the progress while it runs and the counts or the rows' errors when done, on reload too."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace import tasks
from marketplace.models import CatalogueImport, Listing
from marketplace.state import ImportStatus
from tests.factories import ListingFactory
from tests.frontend.helpers import browser_for, text
from tests.frontend.test_import_progress import TOKEN, csv_of_new_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued_tasks():  # type: ignore[no-untyped-def]
    """As with a broker: the task waits for the commit (which a test never reaches)."""
    conf = tasks.catalogue_import.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    cache.clear()
    yield
    cache.clear()
    conf.task_always_eager = eager


def upload(browser, slug: str, file: SimpleUploadedFile, headers=None):  # type: ignore[no-untyped-def]
    return browser.post(
        f"/my/cooperatives/{slug}/listings/import/",
        {"file": file, "progress_token": TOKEN},
        headers=headers or {},
    )


def test_a_queued_import_is_done_by_the_task_and_its_page_shows_the_counts(
    seller_owner, seller_coop
):
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    response = upload(browser, seller_coop.slug, csv_of_new_rows(browser, seller_coop.slug, 3))
    job = CatalogueImport.objects.get()
    page_url = f"/my/cooperatives/{seller_coop.slug}/listings/import/{job.pk}/"
    assert response.status_code == 302 and response["Location"] == page_url
    assert job.status == ImportStatus.QUEUED and job.actor == seller_owner
    assert not Listing.objects.filter(sku__startswith="BULK-").exists()

    waiting = text(browser.get(page_url))
    assert "The file is being imported" in waiting and "reload it" in waiting
    progress_url = f"/my/cooperatives/{seller_coop.slug}/listings/import/progress/{TOKEN}/"
    assert f'hx-get="{progress_url}"' in waiting

    assert tasks.catalogue_import.apply(args=[job.pk]).get() == "done"
    assert Listing.objects.filter(cooperative=seller_coop, sku__startswith="BULK-").count() == 3
    done = text(browser.get(page_url))
    assert "Imported: 3 new, 0 changed, 0 unchanged." in done
    assert "being imported" not in done
    polled = text(browser.get(progress_url))
    assert "Imported: 3 new, 0 changed, 0 unchanged." in polled and "hx-trigger" not in polled

    # Delivered again, the task does nothing more.
    assert tasks.catalogue_import.apply(args=[job.pk]).get() == "nothing to do"
    assert Listing.objects.filter(cooperative=seller_coop, sku__startswith="BULK-").count() == 3


def test_with_htmx_a_queued_import_sends_the_page_to_its_result(seller_owner, seller_coop):
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    file = csv_of_new_rows(browser, seller_coop.slug, 1)
    response = upload(browser, seller_coop.slug, file, {"HX-Request": "true"})
    job = CatalogueImport.objects.get()
    assert (
        response["HX-Redirect"] == f"/my/cooperatives/{seller_coop.slug}/listings/import/{job.pk}/"
    )


def test_a_failed_import_shows_its_rows_errors_in_the_uploaders_language(
    seller_owner, seller_admin, seller_coop
):
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    file = csv_of_new_rows(browser, seller_coop.slug, 2)
    bad = file.read().decode().replace("BULK-1,", "BULK-0,")  # the same SKU twice
    upload(
        browser,
        seller_coop.slug,
        SimpleUploadedFile("c.csv", bad.encode()),
        {"Accept-Language": "es"},
    )
    job = CatalogueImport.objects.get()
    assert job.language == "es"
    assert tasks.catalogue_import.apply(args=[job.pk]).get() == "failed"
    job.refresh_from_db()
    assert job.error_code == "invalid_rows"
    assert job.row_errors == [
        {"line": 3, "column": "sku", "message": "Repite la publicación de la línea 2."}
    ]
    page_url = f"/my/cooperatives/{seller_coop.slug}/listings/import/{job.pk}/"
    html = text(browser.get(page_url))
    assert "Fix these rows" in html and "<td>3</td>" in html
    assert not Listing.objects.filter(sku__startswith="BULK-").exists()
    # Only the person who uploaded it sees it.
    assert browser_for(seller_admin).get(page_url).status_code == 404


def test_a_redelivered_running_import_runs_again_once(seller_owner, seller_coop):
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    upload(browser, seller_coop.slug, csv_of_new_rows(browser, seller_coop.slug, 2))
    job = CatalogueImport.objects.get()
    CatalogueImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)  # a worker died
    assert tasks.catalogue_import.apply(args=[job.pk]).get() == "done"
    assert tasks.catalogue_import.apply(args=[job.pk]).get() == "nothing to do"
    assert Listing.objects.filter(cooperative=seller_coop, sku__startswith="BULK-").count() == 2


def test_an_import_that_crashes_is_failed_for_its_uploader_not_left_running(
    seller_owner, seller_coop
):
    from core.models import TaskFailure

    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    upload(
        browser,
        seller_coop.slug,
        csv_of_new_rows(browser, seller_coop.slug, 2),
        {"Accept-Language": "es"},
    )
    job = CatalogueImport.objects.get()
    job.file.delete(save=False)  # the stored upload is gone: every attempt fails the same way
    tasks.catalogue_import.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error_code == "import_crashed"
    assert "nada cambió" in job.error_message
    assert TaskFailure.objects.get().task == "marketplace.tasks.catalogue_import"
    page = text(browser.get(f"/my/cooperatives/{seller_coop.slug}/listings/import/{job.pk}/"))
    assert "being imported" not in page and "error" in page.lower()
    progress_url = f"/my/cooperatives/{seller_coop.slug}/listings/import/progress/{TOKEN}/"
    assert "hx-trigger" not in browser.get(progress_url).content.decode()
    assert not Listing.objects.filter(sku__startswith="BULK-").exists()
