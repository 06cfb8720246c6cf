from django.urls import path

from core.api.routes import routes
from marketplace.api import views
from marketplace.http_cache import catalogue_api

# fmt: off
urlpatterns = [
    # The public catalogue's answers, shared by readers through the HTTP cache.
    path("categories/", catalogue_api(views.CategoryTreeView.as_view()), name="category-tree"),
    path("listings/", catalogue_api(views.ListingListView.as_view(), private_params=("status",), ahead=views.listing_list_keys_ahead), name="listing-list"),
    path("listings/<int:listing_id>/", catalogue_api(views.ListingDetailView.as_view()), name="listing-detail"),
    *routes([
        ("listings/<int:listing_id>/submit/", views.ListingSubmitView, "listing-submit"),
        ("listings/<int:listing_id>/events/", views.ListingEventListView, "listing-events"),
        ("listings/<int:listing_id>/images/", views.ListingImageListView, "listing-image-list"),
        ("listings/<int:listing_id>/images/<int:image_id>/", views.ListingImageDetailView, "listing-image-detail"),
        ("cooperatives/<slug:slug>/catalogue.csv", views.CatalogueExportView, "catalogue-export"),
        ("cooperatives/<slug:slug>/catalogue/import/", views.CatalogueImportView, "catalogue-import"),
    ]),
]
