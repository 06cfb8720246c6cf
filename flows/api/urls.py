from core.api.routes import routes
from flows.api import views

# fmt: off
urlpatterns = routes([
    ("me/", views.MeView, "me"),
    ("me/export/", views.MeExportView, "me-export"),
    ("cooperatives/<slug:slug>/export/", views.CooperativeExportView, "cooperative-export"),
])
