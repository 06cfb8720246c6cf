from cooperatives.api import views
from core.api.routes import routes

# fmt: off
urlpatterns = routes([
    ("cooperatives/", views.CooperativeListView, "cooperative-list"),
    ("cooperatives/<slug:slug>/", views.CooperativeDetailView, "cooperative-detail"),
    ("cooperatives/<slug:slug>/members/", views.MemberListView, "member-list"),
    ("cooperatives/<slug:slug>/members/<int:membership_id>/", views.MemberDetailView, "member-detail"),
    ("cooperatives/<slug:slug>/invitations/", views.InvitationListView, "invitation-list"),
    ("cooperatives/<slug:slug>/invitations/<int:invitation_id>/", views.InvitationDetailView, "invitation-detail"),
    ("invitations/<str:token>/accept/", views.InvitationAcceptView, "invitation-accept"),
    ("cooperatives/<slug:slug>/payout-details/", views.PayoutDetailsView, "payout-details"),
    ("cooperatives/<slug:slug>/verification/", views.VerificationView, "cooperative-verification"),
    ("cooperatives/<slug:slug>/verification/documents/<int:document_id>/", views.VerificationDocumentView, "verification-document"),
])
