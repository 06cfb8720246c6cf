from core.api.routes import routes
from core.api.routes import slash_optional as action
from quotes.api import views

# fmt: off
urlpatterns = [
    *routes([
        ("rfqs/", views.RfqListView, "rfq-list"),
        ("rfqs/<int:pk>/", views.RfqDetailView, "rfq-detail"),
        ("rfqs/<int:pk>/attachments/<int:attachment_id>/", views.RfqAttachmentView, "rfq-attachment"),
        ("rfqs/<int:pk>/quotes/", views.QuoteListView, "rfq-quotes"),
        ("rfqs/<int:pk>/messages/", views.RfqMessageListView, "rfq-messages"),
        ("agreements/", views.AgreementListView, "agreement-list"),
        ("agreements/<int:pk>/", views.AgreementDetailView, "agreement-detail"),
        ("standing-orders/", views.StandingOrderListView, "standing-order-list"),
    ]),
    *action("quotes/<int:pk>/counter", views.QuoteCounterView, "quote-counter"),
    *action("quotes/<int:pk>/withdraw", views.QuoteWithdrawView, "quote-withdraw"),
    *action("agreements/<int:pk>/accept", views.AgreementAcceptView, "agreement-accept"),
    *action("agreements/<int:pk>/end", views.AgreementEndView, "agreement-end"),
    *action("standing-orders/<int:pk>/drafts/<int:draft>/skip", views.DraftSkipView, "standing-draft-skip"),
]
