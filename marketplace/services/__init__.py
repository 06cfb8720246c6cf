"""Every write to the catalogue. Import from here: `from marketplace import services`."""

from marketplace.services.catalogue_csv import (
    CatalogueImportError,
    ImportResult,
    RowError,
    catalogue_export,
    catalogue_import,
)
from marketplace.services.catalogue_imports import catalogue_import_run, catalogue_import_start
from marketplace.services.categories import category_save
from marketplace.services.images import (
    MAX_IMAGES_PER_LISTING,
    listing_image_add,
    listing_image_delete,
    listing_image_update,
)
from marketplace.services.listings import (
    edit_needs_review,
    listing_archive,
    listing_create,
    listing_submit,
    listing_transition,
    listing_update,
    submission_needs_review,
)

__all__ = [
    "MAX_IMAGES_PER_LISTING",
    "CatalogueImportError",
    "ImportResult",
    "RowError",
    "catalogue_export",
    "catalogue_import",
    "catalogue_import_run",
    "catalogue_import_start",
    "category_save",
    "edit_needs_review",
    "listing_archive",
    "listing_create",
    "listing_image_add",
    "listing_image_delete",
    "listing_image_update",
    "listing_submit",
    "listing_transition",
    "listing_update",
    "submission_needs_review",
]
