from core.api.routes import one_per, routes
from moderation.api import views

LISTING_DECISIONS = ["approve", "reject", "suspend", "reinstate"]
COOPERATIVE_DECISIONS = ["verify", "reject", "suspend", "reinstate"]

# fmt: off
urlpatterns = routes([
    ("reports/", views.ReportCreateView, "report-create"),
    ("appeals/", views.AppealListCreateView, "appeal-list"),
    ("decisions/", views.DecisionListView, "decision-list"),
    ("moderation/listings/", views.ReviewQueueView, "moderation-listing-queue"),
    *one_per(LISTING_DECISIONS, "decision", "moderation/listings/<int:listing_id>/{}/", views.ListingDecisionView, "moderation-listing-{}"),
    *one_per(COOPERATIVE_DECISIONS, "decision", "moderation/cooperatives/<slug:slug>/{}/", views.CooperativeDecisionView, "moderation-cooperative-{}"),
    ("moderation/verification-requests/", views.VerificationQueueView, "moderation-verification-queue"),
    ("moderation/reports/", views.ReportQueueView, "moderation-report-queue"),
    ("moderation/reports/<int:report_id>/resolve/", views.ReportResolveView, "moderation-report-resolve"),
    ("moderation/actions/", views.ActionListView, "moderation-action-list"),
    ("moderation/actions/<int:action_id>/", views.ActionDetailView, "moderation-action-detail"),
    ("moderation/appeals/", views.AppealQueueView, "moderation-appeal-queue"),
    ("moderation/appeals/<int:appeal_id>/resolve/", views.AppealResolveView, "moderation-appeal-resolve"),
])
