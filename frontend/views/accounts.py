"""Sign up, sign in and out, password reset and change, e-mail confirmation, the account page."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import normalize_email
from frontend.forms import AccountForm, QueuedPasswordResetForm, SignInForm, SignUpForm
from frontend.views.common import (
    NarrowPage,
    SignedInRequest,
    attempt,
    post_form,
    safe_next,
    succeeded,
    throttle_wait,
)

SIGN_UP = NarrowPage(
    title=gettext_lazy("Sign up"),
    heading=gettext_lazy("Create your account"),
    intro=gettext_lazy(
        "You act on Minga as a member of your cooperative. Create your own account first; then "
        "create your cooperative or accept an invitation to join one."
    ),
    submit=gettext_lazy("Create account"),
)


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
        context = {"form": SignUpForm(), "next": next_url, "page": SIGN_UP}
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
    context = {"form": form, "next": next_url, "page": SIGN_UP}
    return render(request, "frontend/accounts/signup.html", context)


class SignInView(auth_views.LoginView):
    template_name = "frontend/accounts/signin.html"
    extra_context = {
        "page": NarrowPage(
            title=gettext_lazy("Sign in"),
            submit=gettext_lazy("Sign in"),
        )
    }
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


# Password reset (Django's views and single-use tokens) -------------------------------------


def _address_allows(email: str) -> bool:
    """At most PASSWORD_RESET_PER_ADDRESS reset e-mails per address per hour, whoever asks."""
    key = "password-reset:" + hashlib.sha256(normalize_email(email).encode()).hexdigest()
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        sent = 1
    return sent <= settings.PASSWORD_RESET_PER_ADDRESS


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every address, known or not; throttled per client and per address."""

    form_class = QueuedPasswordResetForm
    template_name = "frontend/accounts/password_reset.html"
    extra_context = {
        "page": NarrowPage(
            title=gettext_lazy("Forgot your password?"),
            intro=gettext_lazy(
                "Type the e-mail address of your account. We send it a link to choose a new "
                "password."
            ),
            submit=gettext_lazy("Send me the link"),
        )
    }
    email_template_name = "frontend/accounts/password_reset_email.txt"
    subject_template_name = "frontend/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("frontend:password-reset-sent")

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if wait := throttle_wait(request, "password_reset"):
            _too_many(request, wait)
            response = self.render_to_response(self.get_context_data(form=self.get_form_class()()))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not _address_allows(form.cleaned_data["email"]):
            return redirect(self.get_success_url())  # the same answer, and no e-mail
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "frontend/accounts/password_reset_sent.html"
    extra_context = {
        "page": NarrowPage(
            title=gettext_lazy("Check your e-mail"),
            intro=gettext_lazy(
                "If an account has this address, a link to choose a new password is on its way. It "
                "works once, for a few hours."
            ),
        )
    }


@method_decorator(sensitive_post_parameters("new_password1", "new_password2"), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from the e-mailed link; the old one's API tokens and sessions stop working."""

    template_name = "frontend/accounts/password_reset_confirm.html"
    extra_context = {"page": NarrowPage(title=gettext_lazy("Choose a new password"))}
    success_url = reverse_lazy("frontend:login")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        services.user_set_password(user=form.user, password=form.cleaned_data["new_password1"])
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Your password is changed. Sign in with it."))
        return redirect(self.get_success_url())


# The person's account: name, time zone, e-mail confirmation, password ----------------------


ACCOUNT = NarrowPage(title=gettext_lazy("My account"))


def _account_page(
    request: SignedInRequest,
    *,
    form: AccountForm | None = None,
    password_form: PasswordChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    password_form = password_form or PasswordChangeForm(user)
    # Django's form focuses the old password: on this page it would scroll past the rest.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    context = {
        "page": ACCOUNT,
        "form": form
        or AccountForm(initial={"name": user.name, "time_zone": user.time_zone or "UTC"}),
        "password_form": password_form,
        "is_confirmation_overdue": services.is_confirmation_overdue(user),
        "grace_days": settings.EMAIL_CONFIRMATION_GRACE_DAYS,
        "now_in_zone": timezone.now(),
    }
    return render(request, "frontend/accounts/account.html", context, status=status)


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    if request.method != "POST":
        return _account_page(request)
    form = AccountForm(request.POST)
    saved = post_form(
        request,
        form,
        lambda: services.user_update_profile(
            user=request.user,
            name=form.cleaned_data["name"],
            time_zone=form.cleaned_data["time_zone"],
        ),
        done=_("Your account is saved."),
        then=reverse("frontend:account"),
    )
    return saved or _account_page(request, form=form)


@login_required
@require_POST
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request: SignedInRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, password_form=form)
    user = services.user_set_password(
        user=request.user, password=form.cleaned_data["new_password1"]
    )
    update_session_auth_hash(request, user)  # this session stays; the others end
    messages.success(
        request,
        _("Your password is changed. Other devices and API tokens must sign in again."),
    )
    return redirect("frontend:account")


@login_required
@require_POST
def confirmation_resend(request: SignedInRequest) -> HttpResponse:
    if request.user.email_confirmed_at is not None:
        messages.info(request, _("Your e-mail address is already confirmed."))
    elif wait := throttle_wait(request, "confirmation"):
        _too_many(request, wait)
    else:
        services.user_send_confirmation(user=request.user)
        messages.success(
            request,
            _("We sent a new link to %(email)s. It works for %(days)s days.")
            % {"email": request.user.email, "days": settings.EMAIL_CONFIRMATION_LINK_DAYS},
        )
    return redirect("frontend:account")


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: works signed in or not (it is signed for one account)."""
    user = attempt(request, lambda: services.user_confirm_email(token=token))
    if succeeded(user):
        messages.success(
            request,
            _("Thank you: your e-mail address %(email)s is confirmed.") % {"email": user.email},
        )
    target = "frontend:account" if request.user.is_authenticated else "frontend:login"
    return redirect(target)
