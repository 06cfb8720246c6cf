from django.urls import path

from cooperatives.api import views

urlpatterns = [
    path("cooperatives/", views.CooperativeListView.as_view(), name="cooperative-list"),
    path(
        "cooperatives/<slug:slug>/",
        views.CooperativeDetailView.as_view(),
        name="cooperative-detail",
    ),
    path("cooperatives/<slug:slug>/members/", views.MemberListView.as_view(), name="member-list"),
    path(
        "cooperatives/<slug:slug>/members/<int:membership_id>/",
        views.MemberDetailView.as_view(),
        name="member-detail",
    ),
    path(
        "cooperatives/<slug:slug>/invitations/",
        views.InvitationListView.as_view(),
        name="invitation-list",
    ),
    path(
        "cooperatives/<slug:slug>/invitations/<int:invitation_id>/",
        views.InvitationDetailView.as_view(),
        name="invitation-detail",
    ),
    path(
        "invitations/<str:token>/accept/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "cooperatives/<slug:slug>/payout-details/",
        views.PayoutDetailsView.as_view(),
        name="payout-details",
    ),
    path(
        "cooperatives/<slug:slug>/verification/",
        views.VerificationView.as_view(),
        name="cooperative-verification",
    ),
    path(
        "cooperatives/<slug:slug>/verification/documents/<int:document_id>/",
        views.VerificationDocumentView.as_view(),
        name="verification-document",
    ),
]
