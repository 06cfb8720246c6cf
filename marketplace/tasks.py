"""Background tasks of the catalogue (core.tasks says the rules every task follows)."""

from core.tasks import minga_task
from marketplace.services.catalogue_imports import catalogue_import_give_up, catalogue_import_run


@minga_task(on_give_up=catalogue_import_give_up)
def catalogue_import(import_id: int) -> str:
    """Import an uploaded CSV catalogue (a `CatalogueImport`); idempotent, see
    marketplace.services.catalogue_imports."""
    job = catalogue_import_run(import_id)
    return job.status if job is not None else "nothing to do"
