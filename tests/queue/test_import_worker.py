"""A catalogue import started by a request is done by a real Celery worker (tests/queue/conftest.py):
the page shows its progress and result, read back from the shared cache and the database."""

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from marketplace.models import CatalogueImport, Listing
from marketplace.state import ImportStatus
from tests.factories import ListingFactory
from tests.frontend.helpers import browser_for, text
from tests.frontend.test_import_progress import TOKEN, csv_of_new_rows
from tests.queue.conftest import redis_url, wait_for
from tests.s3_standin import PRIVATE_BUCKET, S3Server

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("worker"),
]


@pytest.fixture
def shared_cache(settings: Any) -> Any:
    """This process and the worker share one Redis cache, as app servers and workers do."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
        }
    }
    cache.clear()
    yield redis_url()
    cache.clear()


def test_an_import_started_by_a_request_is_done_by_the_worker(
    celery_worker_factory: Any,
    shared_cache: str,
    s3_storages: S3Server,
    tmp_path: Path,
    seller_coop: Any,
    seller_owner: Any,
) -> None:
    # The worker runs the base profile, as in production: the uploaded file reaches it through
    # the private bucket (the S3 stand-in), the progress through the shared Redis cache.
    celery_worker_factory(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        REDIS_URL=shared_cache,
        MINGA_VAR_DIR=str(tmp_path),
        **s3_storages.environment(),
    )
    ListingFactory(cooperative=seller_coop, title="Yerba mate", currency="ARS")
    browser = browser_for(seller_owner)
    response = browser.post(
        f"/my/cooperatives/{seller_coop.slug}/listings/import/",
        {"file": csv_of_new_rows(browser, seller_coop.slug, 250), "progress_token": TOKEN},
    )
    job = CatalogueImport.objects.get()
    page_url = f"/my/cooperatives/{seller_coop.slug}/listings/import/{job.pk}/"
    assert response.status_code == 302 and response["Location"] == page_url
    assert job.file.name in s3_storages.keys(PRIVATE_BUCKET)

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in (ImportStatus.DONE, ImportStatus.FAILED)

    wait_for(finished, timeout=60, what="the worker to import the catalogue")
    assert job.status == ImportStatus.DONE, job.error_message
    assert Listing.objects.filter(cooperative=seller_coop, sku__startswith="BULK-").count() == 250
    assert "Imported: 250 new, 0 changed, 0 unchanged." in text(browser.get(page_url))
    # The worker's progress, read from the shared cache by this process.
    progress = text(
        browser.get(f"/my/cooperatives/{seller_coop.slug}/listings/import/progress/{TOKEN}/")
    )
    assert '<progress id="import-progress-bar" max="250" value="250">' in progress
    assert "Imported: 250 new" in progress
