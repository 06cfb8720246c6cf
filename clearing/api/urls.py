from clearing.api import views
from core.api.routes import routes, slash_optional

# fmt: off
urlpatterns = [
    *routes([
        ("clearing/runs/", views.RunCreateView, "clearing-run-create"),
        ("clearing/transparency/", views.TransparencyView, "clearing-transparency"),
        ("clearing/runs/<int:run_id>/", views.RunDetailView, "clearing-run-detail"),
        ("clearing/runs/<int:run_id>/statements/<slug:slug>/", views.StatementView, "clearing-run-statement"),
    ]),
    *slash_optional("clearing/runs/<int:run_id>/execute", views.RunExecuteView, "clearing-run-execute"),
]
