from django.urls import path

from marketplace.api import views
from marketplace.http_cache import catalogue_api

urlpatterns = [
    path("categories/", catalogue_api(views.CategoryTreeView.as_view()), name="category-tree"),
    path(
        "listings/",
        catalogue_api(views.ListingListView.as_view(), private_params=("status",)),
        name="listing-list",
    ),
    path(
        "listings/<int:listing_id>/",
        catalogue_api(views.ListingDetailView.as_view()),
        name="listing-detail",
    ),
    path(
        "listings/<int:listing_id>/submit/",
        views.ListingSubmitView.as_view(),
        name="listing-submit",
    ),
    path(
        "listings/<int:listing_id>/events/",
        views.ListingEventListView.as_view(),
        name="listing-events",
    ),
    path(
        "listings/<int:listing_id>/images/",
        views.ListingImageListView.as_view(),
        name="listing-image-list",
    ),
    path(
        "listings/<int:listing_id>/images/<int:image_id>/",
        views.ListingImageDetailView.as_view(),
        name="listing-image-detail",
    ),
    path(
        "cooperatives/<slug:slug>/catalogue.csv",
        views.CatalogueExportView.as_view(),
        name="catalogue-export",
    ),
    path(
        "cooperatives/<slug:slug>/catalogue/import/",
        views.CatalogueImportView.as_view(),
        name="catalogue-import",
    ),
]
