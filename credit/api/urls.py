from django.urls import path

from core.api.routes import slash_optional
from credit.api import views

urlpatterns = [
    path("credit/systems/", views.SystemListView.as_view(), name="credit-system-list"),
    *slash_optional(
        "credit/systems/<int:system_id>/join", views.SystemJoinView, "credit-system-join"
    ),
    path("credit/accounts/", views.AccountListView.as_view(), name="credit-account-list"),
    path(
        "credit/accounts/<int:account_id>/",
        views.AccountDetailView.as_view(),
        name="credit-account-detail",
    ),
    *slash_optional(
        "credit/accounts/<int:account_id>/line", views.AccountLineView, "credit-account-line"
    ),
]
