from core.api.routes import routes, slash_optional
from credit.api import views

# fmt: off
urlpatterns = [
    *routes([
        ("credit/systems/", views.SystemListView, "credit-system-list"),
        ("credit/accounts/", views.AccountListView, "credit-account-list"),
        ("credit/accounts/<int:account_id>/", views.AccountDetailView, "credit-account-detail"),
    ]),
    *slash_optional("credit/systems/<int:system_id>/join", views.SystemJoinView, "credit-system-join"),
    *slash_optional("credit/accounts/<int:account_id>/line", views.AccountLineView, "credit-account-line"),
]
