"""Sign up, sign in and sign out."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts import services
from frontend.forms import SignInForm, SignUpForm
from frontend.views.common import attempt, safe_next, succeeded, throttle_wait


def _too_many(request: HttpRequest, wait: int) -> None:
    minutes = max(1, -(-wait // 60))
    messages.error(
        request,
        _("Too many attempts from your network. Please try again in %(minutes)s minutes.")
        % {"minutes": minutes},
    )


@sensitive_post_parameters("password", "password_again")
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("frontend:my-cooperatives"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and (wait := throttle_wait(request, "sign_up")):
        _too_many(request, wait)
        context = {"form": SignUpForm(), "next": next_url}
        return render(request, "frontend/accounts/signup.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        user = attempt(
            request,
            lambda: services.user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                language=getattr(request, "LANGUAGE_CODE", ""),
            ),
            form=form,
        )
        if succeeded(user):
            login(request, user, backend="accounts.backends.EmailBackend")
            messages.success(request, _("Welcome to Minga, %(name)s.") % {"name": user.name})
            return redirect(next_url)
    return render(request, "frontend/accounts/signup.html", {"form": form, "next": next_url})


class SignInView(auth_views.LoginView):
    template_name = "frontend/accounts/signin.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("You are signed in."))
        return response

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if wait := throttle_wait(request, "sign_in"):
            _too_many(request, wait)
            form = self.get_form_class()(request)
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "is_locked", False):
            response.status_code = 429  # the page says why; scripts and monitors see it too
        return response

    def get_default_redirect_url(self) -> str:
        return reverse("frontend:my-cooperatives")


class SignOutView(auth_views.LogoutView):
    """POST only (Django's rule): a link or an image cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response
