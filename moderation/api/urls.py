from django.urls import path

from moderation.api import views

LISTING_DECISIONS = ["approve", "reject", "suspend", "reinstate"]
COOPERATIVE_DECISIONS = ["verify", "reject", "suspend", "reinstate"]

urlpatterns = [
    path("reports/", views.ReportCreateView.as_view(), name="report-create"),
    path("appeals/", views.AppealListCreateView.as_view(), name="appeal-list"),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path(
        "moderation/listings/",
        views.ReviewQueueView.as_view(),
        name="moderation-listing-queue",
    ),
    *[
        path(
            f"moderation/listings/<int:listing_id>/{decision}/",
            views.ListingDecisionView.as_view(decision=decision),
            name=f"moderation-listing-{decision}",
        )
        for decision in LISTING_DECISIONS
    ],
    *[
        path(
            f"moderation/cooperatives/<slug:slug>/{decision}/",
            views.CooperativeDecisionView.as_view(decision=decision),
            name=f"moderation-cooperative-{decision}",
        )
        for decision in COOPERATIVE_DECISIONS
    ],
    path(
        "moderation/verification-requests/",
        views.VerificationQueueView.as_view(),
        name="moderation-verification-queue",
    ),
    path("moderation/reports/", views.ReportQueueView.as_view(), name="moderation-report-queue"),
    path(
        "moderation/reports/<int:report_id>/resolve/",
        views.ReportResolveView.as_view(),
        name="moderation-report-resolve",
    ),
    path("moderation/actions/", views.ActionListView.as_view(), name="moderation-action-list"),
    path(
        "moderation/actions/<int:action_id>/",
        views.ActionDetailView.as_view(),
        name="moderation-action-detail",
    ),
    path("moderation/appeals/", views.AppealQueueView.as_view(), name="moderation-appeal-queue"),
    path(
        "moderation/appeals/<int:appeal_id>/resolve/",
        views.AppealResolveView.as_view(),
        name="moderation-appeal-resolve",
    ),
]
