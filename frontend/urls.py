from django.urls import path

from frontend.views import accounts, cooperatives, pages

app_name = "frontend"

urlpatterns = [
    path("", pages.home, name="home"),
    path("catalogue/", pages.catalogue, name="catalogue"),
    path("moderation/", pages.moderation, name="moderation"),
    path("signup/", accounts.signup, name="signup"),
    path("signin/", accounts.SignInView.as_view(), name="login"),
    path("signout/", accounts.SignOutView.as_view(), name="logout"),
    path("cooperatives/", cooperatives.directory, name="directory"),
    path("cooperatives/<slug:slug>/", cooperatives.profile, name="profile"),
    path("invitations/<str:token>/", cooperatives.invitation, name="invitation"),
    path("my/cooperatives/", cooperatives.my_cooperatives, name="my-cooperatives"),
    path("my/new-cooperative/", cooperatives.create, name="create"),
    path("my/cooperatives/<slug:slug>/", cooperatives.manage, name="manage"),
    path("my/cooperatives/<slug:slug>/edit/", cooperatives.edit, name="edit"),
    path(
        "my/cooperatives/<slug:slug>/verification/",
        cooperatives.verification,
        name="verification",
    ),
    path("my/cooperatives/<slug:slug>/invitations/", cooperatives.invite, name="invite"),
    path(
        "my/cooperatives/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        cooperatives.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "my/cooperatives/<slug:slug>/members/<int:membership_id>/role/",
        cooperatives.member_role,
        name="member-role",
    ),
    path(
        "my/cooperatives/<slug:slug>/members/<int:membership_id>/remove/",
        cooperatives.member_remove,
        name="member-remove",
    ),
]
