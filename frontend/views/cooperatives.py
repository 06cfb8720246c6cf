"""The cooperative directory, profiles, "my cooperatives" and invitations."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User
from cooperatives import permissions, selectors, services
from cooperatives.api.filters import CooperativeFilter
from cooperatives.models import MANAGING_ROLES, Cooperative, Membership, Role
from frontend import page_shell
from frontend.forms import (
    CooperativeForm,
    DirectoryFilterForm,
    InvitationForm,
    RoleForm,
    VerificationForm,
)
from frontend.views.catalogue import seller_catalogue
from frontend.views.common import (
    HtmxRequest,
    NarrowPage,
    SearchPage,
    SignedInRequest,
    attempt,
    post_form,
    succeeded,
)
from marketplace import http_cache

PAGE_SIZE = 20
PANEL_TEMPLATE = "frontend/cooperatives/_members_panel.html"

DIRECTORY = SearchPage(
    title=gettext_lazy("Cooperatives"),
    label=gettext_lazy("Filter the cooperatives"),
    submit=gettext_lazy("Filter"),
    folder="frontend/cooperatives",
)


def directory(request: HtmxRequest) -> HttpResponse:
    """Filters are a GET form, so they work without JavaScript and every result has a URL;
    htmx asks for the results fragment only."""
    form = DirectoryFilterForm(request.GET or None)
    visible = selectors.cooperative_list_visible_to(request.user)
    filtered = CooperativeFilter(request.GET, queryset=visible).qs.order_by("name", "id")
    page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
    is_filtered = any(request.GET.get(name) for name in DirectoryFilterForm.base_fields)
    context = {"form": form, "page": page, "is_filtered": is_filtered}
    return DIRECTORY.response(request, context)


@http_cache.catalogue_page
def profile(request: HtmxRequest, slug: str) -> HttpResponse:
    """A cooperative's page with its catalogue. An anonymous reader's whole page is kept in the
    cache (`catalogue_page`); the catalogue part is the same for every reader and kept apart
    (`seller_catalogue`); the header and footer come from the shell kept per kind of reader;
    the reader's memberships, read once, answer every question about their roles here."""
    user = request.user
    memberships = list(selectors.membership_list_for_user(user))
    permissions.remember_every_role(user, ((m.cooperative_id, m.role) for m in memberships))
    cooperative = selectors.cooperative_get_visible(user, slug)
    is_insider = permissions.can_view_private_data(user, cooperative)
    members = selectors.membership_list(user=user, cooperative=cooperative) if is_insider else None
    page = http_cache.page_context(request)
    content = render_to_string(
        "frontend/cooperatives/_profile.html",
        {
            "cooperative": cooperative,
            "is_insider": is_insider,
            "members": members,
            "role": permissions.role_in(user, cooperative),
            "can_manage": permissions.can_manage_cooperative(user, cooperative),
            "catalogue": seller_catalogue(request, cooperative),
            "propose_as": [
                membership.cooperative
                for membership in memberships
                if membership.role in MANAGING_ROLES and membership.cooperative_id != cooperative.pk
            ],
        },
        request,
    )
    # The header and footer around it: the shell kept per kind of reader (page_shell.py).
    return HttpResponse(
        page_shell.render_page(
            request, "frontend/cooperatives/profile.html", page, content, title=cooperative.name
        )
    )


@login_required
def my_cooperatives(request: SignedInRequest) -> HttpResponse:
    memberships = selectors.membership_list_for_user(request.user)
    return render(request, "frontend/cooperatives/mine.html", {"memberships": memberships})


CREATE = NarrowPage(
    title=gettext_lazy("Create a cooperative"),
    intro=gettext_lazy("You become its first owner. You can invite the other members next."),
    submit=gettext_lazy("Create the cooperative"),
    multipart=True,
)


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    form = CooperativeForm(request.POST or None, request.FILES or None)
    created = post_form(
        request,
        form,
        lambda: services.cooperative_create(actor=request.user, **form.profile()),
        done=lambda cooperative: (
            _("%(name)s is on Minga. Invite your members and ask to be verified.")
            % {"name": cooperative.name}
        ),
        then=lambda cooperative: reverse("frontend:manage", args=[cooperative.slug]),
    )
    return created or render(request, "frontend/narrow.html", {"form": form, "page": CREATE})


def _insider_cooperative(request: SignedInRequest, slug: str) -> Cooperative:
    """The cooperative when the viewer may see its private side (members, moderators), else 404."""
    return selectors.cooperative_get_visible(request.user, slug, permissions.can_view_private_data)


def _managed_cooperative(request: SignedInRequest, slug: str) -> Cooperative:
    """The cooperative when the viewer is one of its owners or admins, else 404."""
    return selectors.cooperative_get_visible(request.user, slug, permissions.can_manage_cooperative)


def _panel_context(
    request: SignedInRequest, cooperative: Cooperative, invite_form: InvitationForm | None = None
) -> dict[str, Any]:
    user = request.user
    can_manage = permissions.can_manage_cooperative(user, cooperative)
    rows = [
        {
            "membership": membership,
            "is_self": membership.user_id == user.pk,
            "roles": [
                (value, label)
                for value, label in Role.choices
                if value == membership.role or permissions.can_change_role(user, membership, value)
            ],
            "can_change_role": any(
                permissions.can_change_role(user, membership, value)
                for value in Role.values
                if value != membership.role
            ),
            "can_remove": permissions.can_remove_member(user, membership),
        }
        for membership in selectors.membership_list(user=user, cooperative=cooperative)
    ]
    invitable_roles = [
        (value, label)
        for value, label in Role.choices
        if permissions.can_invite_member(user, cooperative, value)
    ]
    if invite_form is None:
        invite_form = InvitationForm()
    cast(forms.ChoiceField, invite_form.fields["role"]).choices = invitable_roles
    return {
        "cooperative": cooperative,
        "role": permissions.role_in(user, cooperative),
        "can_manage": can_manage,
        "rows": rows,
        "invitations": (
            selectors.invitation_list_open(user=user, cooperative=cooperative) if can_manage else []
        ),
        "invite_form": invite_form,
        "site_url": request.build_absolute_uri("/").rstrip("/"),
    }


def _after_panel_action(
    request: SignedInRequest, cooperative: Cooperative, invite_form: InvitationForm | None = None
) -> HttpResponse:
    """htmx swaps the members panel in place; without JavaScript the browser reloads the page."""
    if request.htmx:
        return render(request, PANEL_TEMPLATE, _panel_context(request, cooperative, invite_form))
    if invite_form is not None and invite_form.errors:
        return render(
            request,
            "frontend/cooperatives/manage.html",
            _panel_context(request, cooperative, invite_form),
        )
    return redirect("frontend:manage", slug=cooperative.slug)


def _leave_to(request: SignedInRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
def manage(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _insider_cooperative(request, slug)
    return render(
        request, "frontend/cooperatives/manage.html", _panel_context(request, cooperative)
    )


@login_required
def edit(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _managed_cooperative(request, slug)
    initial = {field: getattr(cooperative, field) for field in services.PROFILE_FIELDS}
    form = CooperativeForm(request.POST or None, request.FILES or None, initial=initial)
    saved = post_form(
        request,
        form,
        lambda: services.cooperative_update(
            cooperative=cooperative, actor=request.user, **form.profile()
        ),
        done=_("The profile is saved."),
        then=reverse("frontend:manage", args=[cooperative.slug]),
    )
    return saved or render(
        request, "frontend/cooperatives/edit.html", {"cooperative": cooperative, "form": form}
    )


def _membership(
    request: SignedInRequest, cooperative: Cooperative, membership_id: int
) -> Membership:
    return selectors.membership_get(
        user=request.user, cooperative=cooperative, membership_id=membership_id
    )


@login_required
@require_POST
def member_role(request: SignedInRequest, slug: str, membership_id: int) -> HttpResponse:
    cooperative = _insider_cooperative(request, slug)
    membership = _membership(request, cooperative, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return _after_panel_action(request, cooperative)
    changed = attempt(
        request,
        lambda: services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        ),
    )
    if succeeded(changed):
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": changed.user.name, "role": changed.get_role_display().lower()},
        )
        if changed.user_id == request.user.pk:
            # The viewer's own role changed: reload the whole page, whose controls depend on it.
            return _leave_to(request, reverse("frontend:manage", args=[cooperative.slug]))
    return _after_panel_action(request, cooperative)


@login_required
@require_POST
def member_remove(request: SignedInRequest, slug: str, membership_id: int) -> HttpResponse:
    cooperative = _insider_cooperative(request, slug)
    membership = _membership(request, cooperative, membership_id)
    is_self = membership.user_id == request.user.pk
    name = membership.user.name
    removed = attempt(
        request, lambda: services.membership_remove(membership=membership, actor=request.user)
    )
    if not succeeded(removed):
        return _after_panel_action(request, cooperative)
    if is_self:
        messages.success(request, _("You left %(name)s.") % {"name": cooperative.name})
        return _leave_to(request, reverse("frontend:my-cooperatives"))
    messages.success(request, _("%(name)s is no longer a member.") % {"name": name})
    return _after_panel_action(request, cooperative)


@login_required
@require_POST
def invite(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _insider_cooperative(request, slug)
    form = InvitationForm(request.POST)
    cast(forms.ChoiceField, form.fields["role"]).choices = Role.choices
    if form.is_valid():
        invitation = attempt(
            request,
            lambda: services.invitation_create(
                cooperative=cooperative,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            ),
            form=form,
        )
        if succeeded(invitation):
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return _after_panel_action(request, cooperative)
    return _after_panel_action(request, cooperative, invite_form=form)


@login_required
@require_POST
def invitation_revoke(request: SignedInRequest, slug: str, invitation_id: int) -> HttpResponse:
    cooperative = _insider_cooperative(request, slug)
    invitation = selectors.invitation_get_open(
        user=request.user, cooperative=cooperative, invitation_id=invitation_id
    )
    revoked = attempt(
        request, lambda: services.invitation_revoke(invitation=invitation, actor=request.user)
    )
    if succeeded(revoked):
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return _after_panel_action(request, cooperative)


@login_required
def verification(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _managed_cooperative(request, slug)
    form = VerificationForm(request.POST or None, request.FILES or None)
    submitted = post_form(
        request,
        form,
        lambda: services.verification_request_submit(
            cooperative=cooperative, actor=request.user, **form.cleaned_data
        ),
        done=_("Your documents are with the moderators. We will write when they decide."),
        then=reverse("frontend:manage", args=[cooperative.slug]),
    )
    return submitted or render(
        request,
        "frontend/cooperatives/verification.html",
        {
            "cooperative": cooperative,
            "form": form,
            "requests": selectors.verification_request_list(
                user=request.user, cooperative=cooperative
            ),
        },
    )


def invitation(request: HtmxRequest, token: str) -> HttpResponse:
    """The page behind the link in the invitation e-mail: see what is offered, then accept."""
    found = selectors.invitation_get_by_token(token)
    if found is None:
        raise Http404("No such invitation.")
    if request.method == "POST":
        actor = request.user
        if not isinstance(actor, User):  # anonymous: sign in (or up), then come back here
            return redirect_to_login(request.path)
        membership = attempt(request, lambda: services.invitation_accept(token=token, actor=actor))
        if succeeded(membership):
            messages.success(
                request,
                _("Welcome to %(name)s. Your role: %(role)s.")
                % {"name": found.cooperative.name, "role": membership.get_role_display()},
            )
            return redirect("frontend:manage", slug=found.cooperative.slug)
        return redirect("frontend:invitation", token=token)
    user = request.user
    return render(
        request,
        "frontend/cooperatives/invitation.html",
        {
            "invitation": found,
            "cooperative": found.cooperative,
            "is_for_viewer": user.is_authenticated and user.email.lower() == found.email.lower(),
            "is_member": permissions.is_member(user, found.cooperative),
        },
    )
