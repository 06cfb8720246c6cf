from django.urls import path

from clearing.api import views

urlpatterns = [
    path("clearing/runs/", views.RunCreateView.as_view(), name="clearing-run-create"),
    path("clearing/runs/<int:run_id>/", views.RunDetailView.as_view(), name="clearing-run-detail"),
    path(
        "clearing/runs/<int:run_id>/execute",
        views.RunExecuteView.as_view(),
        name="clearing-run-execute",
    ),
    path(
        "clearing/runs/<int:run_id>/statements/<slug:slug>/",
        views.StatementView.as_view(),
        name="clearing-run-statement",
    ),
]
