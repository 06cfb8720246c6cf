from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from accounts.views import set_language
from cooperatives.media import cooperative_logo
from core.views import ApiDocsView, api_not_found, healthz, serve_media
from marketplace.media import listing_image

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("cooperatives.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("quotes.api.urls")),
    path("", include("moderation.api.urls")),
    path("", include("ledger.api.urls")),
    path("", include("orders.api.urls")),
    path("", include("credit.api.urls")),
    path("", include("clearing.api.urls")),
    path("", include("flows.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
    # Listing images and logos answer only while what they show is visible (docs/security.md),
    # in every profile: in production the web server hands these paths to the app.
    re_path(r"^media/listings/(?P<listing_id>[0-9]+)/(?P<name>[^/]+)$", listing_image),
    re_path(r"^media/cooperatives/(?P<slug>[-\w]+)/(?P<name>[^/]+)$", cooperative_logo),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("frontend.payment_urls")),
    path("", include("frontend.urls")),
]

if settings.BENCH_BASELINE:  # benchmarks only (benchmarks/README.md); never set in production
    from core.api.bench import BenchBaselineView

    urlpatterns.insert(0, path("api/v1/_bench/baseline/", BenchBaselineView.as_view()))

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_media, name="media"),
    ]

handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
