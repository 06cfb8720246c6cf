from core.api.routes import routes
from moderation.api import views

LISTING_DECISIONS = ["approve", "reject", "suspend", "reinstate"]
COOPERATIVE_DECISIONS = ["verify", "reject", "suspend", "reinstate"]

# fmt: off
urlpatterns = routes([
    ("reports/", views.ReportCreateView, "report-create"),
    ("appeals/", views.AppealListCreateView, "appeal-list"),
    ("decisions/", views.DecisionListView, "decision-list"),
    ("moderation/listings/", views.ReviewQueueView, "moderation-listing-queue"),
    *[
        (f"moderation/listings/<int:listing_id>/{decision}/", views.ListingDecisionView, f"moderation-listing-{decision}", {"decision": decision})
        for decision in LISTING_DECISIONS
    ],
    *[
        (f"moderation/cooperatives/<slug:slug>/{decision}/", views.CooperativeDecisionView, f"moderation-cooperative-{decision}", {"decision": decision})
        for decision in COOPERATIVE_DECISIONS
    ],
    ("moderation/verification-requests/", views.VerificationQueueView, "moderation-verification-queue"),
    ("moderation/reports/", views.ReportQueueView, "moderation-report-queue"),
    ("moderation/reports/<int:report_id>/resolve/", views.ReportResolveView, "moderation-report-resolve"),
    ("moderation/actions/", views.ActionListView, "moderation-action-list"),
    ("moderation/actions/<int:action_id>/", views.ActionDetailView, "moderation-action-detail"),
    ("moderation/appeals/", views.AppealQueueView, "moderation-appeal-queue"),
    ("moderation/appeals/<int:appeal_id>/resolve/", views.AppealResolveView, "moderation-appeal-resolve"),
])
