"""Agreements and standing orders: a cooperative's agreements (as seller or buyer), one
agreement's prices and terms with *accept* and *end*, and the standing orders' drafts to confirm
or skip (a line short of stock is flagged, never dropped)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, is_member
from frontend.views.common import SignedInRequest, choose, member_page
from orders.services import standing_draft_confirm
from quotes import selectors, services
from quotes.models import Agreement
from quotes.state import AgreementStatus, DraftStatus


@login_required
@require_safe
def agreement_list(request: SignedInRequest, slug: str) -> HttpResponse:
    """A cooperative's agreements, and its standing orders with their drafts."""
    return member_page(
        request,
        slug,
        "frontend/quotes/agreement_list.html",
        lambda cooperative: {
            "agreements": selectors.agreement_list_for_cooperative(
                user=request.user, cooperative=cooperative
            )[:100],
            "standing_orders": selectors.standing_order_list_for_cooperative(
                user=request.user, cooperative=cooperative
            )[:50],
            "can_decide": can_manage_cooperative(request.user, cooperative),
            "drafted": DraftStatus.DRAFTED,
        },
    )


def _managed_buyer(request: SignedInRequest, agreement: Agreement) -> Cooperative | None:
    """The person's buyer cooperative of the agreement when they may act for it."""
    buyer = selectors.agreement_buyer_for(user=request.user, agreement=agreement)
    return buyer if buyer is not None and can_manage_cooperative(request.user, buyer) else None


@login_required
@require_safe
def agreement_detail(request: SignedInRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.agreement_get_visible(user=request.user, agreement_id=agreement_id)
    buyer = _managed_buyer(request, agreement)
    is_live = agreement.status in (AgreementStatus.PROPOSED, AgreementStatus.ACTIVE)
    return render(
        request,
        "frontend/quotes/agreement_detail.html",
        {
            "agreement": agreement,
            "can_accept": agreement.status == AgreementStatus.PROPOSED and buyer is not None,
            "can_end": is_live
            and (buyer is not None or can_manage_cooperative(request.user, agreement.seller)),
            "buyer": buyer,
        },
    )


@login_required
@require_POST
def agreement_action(request: SignedInRequest, agreement_id: int, action: str) -> HttpResponse:
    agreement = selectors.agreement_get_visible(user=request.user, agreement_id=agreement_id)

    def accept() -> Agreement:
        buyer = selectors.agreement_buyer_for(user=request.user, agreement=agreement)
        if buyer is None:
            raise Http404("No such agreement.")
        return services.agreement_accept(agreement=agreement, buyer=buyer, actor=request.user)

    return choose(
        request,
        action,
        {
            "accept": (accept, _("The agreement is accepted: its prices apply in your cart.")),
            "end": (
                lambda: services.agreement_end(agreement=agreement, actor=request.user),
                _("The agreement is ended: public prices apply again."),
            ),
        },
        reverse("frontend:agreement", args=[agreement_id]),
    )


@login_required
@require_POST
def draft_decide(
    request: SignedInRequest, standing_order_id: int, draft_id: int, action: str
) -> HttpResponse:
    draft = selectors.draft_get_visible(
        user=request.user, standing_order_id=standing_order_id, draft_id=draft_id
    )
    standing = draft.standing_order
    side = standing.buyer if is_member(request.user, standing.buyer) else standing.agreement.seller
    return choose(
        request,
        action,
        {
            "confirm": (
                lambda: standing_draft_confirm(draft=draft, actor=request.user),
                _("Confirmed: the order is placed at the agreed prices."),
            ),
            "skip": (
                lambda: services.draft_decide(draft=draft, actor=request.user, action="skip"),
                _("Skipped: nothing is ordered for this period."),
            ),
        },
        reverse("frontend:agreements", args=[side.slug]),
    )
