from django.urls import path

from credit.api import views

urlpatterns = [
    path("credit/systems/", views.SystemListView.as_view(), name="credit-system-list"),
    path(
        "credit/systems/<int:system_id>/join",
        views.SystemJoinView.as_view(),
        name="credit-system-join",
    ),
    path("credit/accounts/", views.AccountListView.as_view(), name="credit-account-list"),
    path(
        "credit/accounts/<int:account_id>/line",
        views.AccountLineView.as_view(),
        name="credit-account-line",
    ),
]
