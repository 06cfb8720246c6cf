from django.urls import path

from clearing.api import views
from core.api.routes import slash_optional

urlpatterns = [
    path("clearing/runs/", views.RunCreateView.as_view(), name="clearing-run-create"),
    path("clearing/transparency/", views.TransparencyView.as_view(), name="clearing-transparency"),
    path("clearing/runs/<int:run_id>/", views.RunDetailView.as_view(), name="clearing-run-detail"),
    *slash_optional(
        "clearing/runs/<int:run_id>/execute", views.RunExecuteView, "clearing-run-execute"
    ),
    path(
        "clearing/runs/<int:run_id>/statements/<slug:slug>/",
        views.StatementView.as_view(),
        name="clearing-run-statement",
    ),
]
