from django.urls import path

from flows.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/export/", views.MeExportView.as_view(), name="me-export"),
    path(
        "cooperatives/<slug:slug>/export/",
        views.CooperativeExportView.as_view(),
        name="cooperative-export",
    ),
]
