from django.urls import path

from core.api.routes import slash_optional as action
from quotes.api import views

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
