from typing import Any

from django.urls import URLPattern, path

from quotes.api import views


def action(route: str, view: Any, name: str) -> list[URLPattern]:
    """An action's URL, with and without its trailing slash (`.../accept/` and `.../accept`);
    the schema documents the first."""
    return [
        path(f"{route}/", view.as_view(), name=name),
        path(route, view.as_view(schema=None), name=f"{name}-bare"),
    ]


urlpatterns = [
    path("rfqs/", views.RfqListView.as_view(), name="rfq-list"),
    path("rfqs/<int:pk>/", views.RfqDetailView.as_view(), name="rfq-detail"),
    path("rfqs/<int:pk>/quotes/", views.QuoteListView.as_view(), name="rfq-quotes"),
    path("rfqs/<int:pk>/messages/", views.RfqMessageListView.as_view(), name="rfq-messages"),
    *action("quotes/<int:pk>/counter", views.QuoteCounterView, "quote-counter"),
    *action("quotes/<int:pk>/withdraw", views.QuoteWithdrawView, "quote-withdraw"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    *action("agreements/<int:pk>/accept", views.AgreementAcceptView, "agreement-accept"),
    *action("agreements/<int:pk>/end", views.AgreementEndView, "agreement-end"),
    path("standing-orders/", views.StandingOrderListView.as_view(), name="standing-order-list"),
    *action(
        "standing-orders/<int:pk>/drafts/<int:draft>/skip",
        views.DraftSkipView,
        "standing-draft-skip",
    ),
]
