from accounts.api import views
from core.api.routes import routes

# fmt: off
urlpatterns = routes([
    ("auth/register/", views.RegisterView, "auth-register"),
    ("auth/token/", views.TokenView, "auth-token"),
    ("auth/tokens/", views.TokenListView, "auth-tokens"),
    ("auth/tokens/<int:token_id>/", views.TokenDetailView, "auth-token-detail"),
    ("auth/login/", views.LoginView, "auth-login"),
    ("auth/logout/", views.LogoutView, "auth-logout"),
])
