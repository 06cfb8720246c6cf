"""Decisions of the moderators about my cooperative and its listings, and the appeal form.

E-mails about decisions link here (`/cooperatives/{slug}/decisions/`). Members and moderators see
the page; owners and admins appeal. Sellers are not told which moderator decided.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_get_visible
from frontend.moderation_forms import AppealForm
from frontend.views.common import SignedInRequest, act
from moderation import permissions, selectors, services
from moderation.models import ModerationAction

PAGE_SIZE = 20


def _rows(
    request: SignedInRequest,
    decisions: list[ModerationAction],
    form: AppealForm | None = None,
    form_for: int | None = None,
) -> list[dict[str, Any]]:
    rows = []
    for decision in decisions:
        appealable = selectors.is_appealable(decision)
        rows.append(
            {
                "decision": decision,
                "appeal": getattr(decision, "contested_by", None),
                "is_appealable": appealable,
                "deadline": selectors.appeal_deadline(decision),
                "can_appeal": appealable and permissions.can_appeal(request.user, decision),
                "form": form if form_for == decision.pk else None,
            }
        )
    return rows


def _render(
    request: SignedInRequest,
    cooperative: Cooperative,
    form: AppealForm | None = None,
    form_for: int | None = None,
) -> HttpResponse:
    decisions = selectors.decision_list_for_cooperative(request.user, cooperative)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/moderation/decisions.html",
        {
            "cooperative": cooperative,
            "page": page,
            "rows": _rows(request, list(page.object_list), form, form_for),
        },
    )


@login_required
def decision_list(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_get_visible(request.user, slug)
    return _render(request, cooperative)


@login_required
@require_POST
def appeal(request: SignedInRequest, slug: str, decision_id: int) -> HttpResponse:
    cooperative = cooperative_get_visible(request.user, slug)
    decision = selectors.decision_get_for_cooperative(request.user, cooperative, decision_id)
    form = AppealForm(request.POST)
    if not form.is_valid():
        return _render(request, cooperative, form, decision.pk)
    # A refusal (not an owner or admin, too late, no longer in force) is a message.
    return act(
        request,
        lambda: services.appeal_file(
            decision=decision, actor=request.user, statement=form.cleaned_data["statement"]
        ),
        _(
            "Your appeal is with the moderators. Another moderator than the one who "
            "decided will answer; we will write to you."
        ),
        reverse("frontend:decisions", args=[cooperative.slug]),
    )
