"""Agreements and standing orders: a cooperative's agreements (as seller or buyer), one
agreement's prices and terms with *accept* and *end*, and the standing orders' drafts to confirm
or skip (a line short of stock is flagged, never dropped)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives.permissions import can_manage_cooperative
from cooperatives.selectors import cooperative_get_for_member
from frontend.views.common import SignedInRequest, attempt, succeeded
from orders.services import standing_draft_confirm
from quotes import selectors, services
from quotes.state import AgreementStatus, DraftStatus


@login_required
def agreement_list(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_get_for_member(user=request.user, slug=slug)
    return render(
        request,
        "frontend/quotes/agreement_list.html",
        {"cooperative": cooperative, "agreements": selectors.agreements_of(cooperative)[:100]},
    )


@login_required
def agreement_detail(request: SignedInRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.agreement_get_visible(user=request.user, agreement_id=agreement_id)
    buyers = selectors.agreement_buyers_managed_by(request.user, agreement)
    is_live = agreement.status in (AgreementStatus.PROPOSED, AgreementStatus.ACTIVE)
    return render(
        request,
        "frontend/quotes/agreement_detail.html",
        {
            "agreement": agreement,
            "can_accept": agreement.status == AgreementStatus.PROPOSED and bool(buyers),
            "can_end": is_live
            and (bool(buyers) or can_manage_cooperative(request.user, agreement.seller)),
            "buyers": buyers,
        },
    )


@login_required
@require_POST
def agreement_action(request: SignedInRequest, agreement_id: int, action: str) -> HttpResponse:
    agreement = selectors.agreement_get_visible(user=request.user, agreement_id=agreement_id)
    if action == "accept":
        buyers = selectors.agreement_buyers_managed_by(request.user, agreement)
        if not buyers:
            raise Http404("No such agreement.")
        done = attempt(
            request,
            lambda: services.agreement_accept(
                agreement=agreement, buyer=buyers[0], actor=request.user
            ),
        )
        text = _("The agreement is accepted: its prices apply in your cart.")
    elif action == "end":
        done = attempt(request, lambda: services.agreement_end(agreement=agreement, actor=request.user))
        text = _("The agreement is ended: public prices apply again.")
    else:
        raise Http404("No such action.")
    if succeeded(done):
        messages.success(request, text)
    return redirect("frontend:agreement", agreement_id=agreement_id)


@login_required
def standing_order_list(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = cooperative_get_for_member(user=request.user, slug=slug)
    return render(
        request,
        "frontend/quotes/standing_orders.html",
        {
            "cooperative": cooperative,
            "standing_orders": selectors.standing_orders_of(cooperative)[:50],
            "can_decide": can_manage_cooperative(request.user, cooperative),
            "drafted": DraftStatus.DRAFTED,
        },
    )


@login_required
@require_POST
def draft_decide(request: SignedInRequest, draft_id: int, action: str) -> HttpResponse:
    draft = selectors.draft_get_visible(user=request.user, draft_id=draft_id)
    buyer = draft.standing_order.buyer
    if action == "confirm":
        done = attempt(request, lambda: standing_draft_confirm(draft=draft, actor=request.user))
        text = _("Confirmed: the order is placed at the agreed prices.")
    elif action == "skip":
        done = attempt(
            request,
            lambda: services.draft_decide(draft=draft, actor=request.user, action="skip"),
        )
        text = _("Skipped: nothing is ordered for this period.")
    else:
        raise Http404("No such action.")
    if succeeded(done):
        messages.success(request, text)
    return redirect("frontend:standing-orders", slug=buyer.slug)
