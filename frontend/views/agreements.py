"""Agreements and standing orders: a cooperative's agreements (as seller or buyer), the page
where a seller proposes one, one agreement's prices and terms with *accept* and *end*, the page
where its buyer sets up a standing order, and the standing orders' drafts to confirm or skip (a
line short of stock is flagged, never dropped)."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, is_member
from cooperatives.selectors import cooperative_find_by_slug, cooperative_get_for_member
from core.money import default_currency
from frontend.agreement_forms import (
    PRICE_ROWS,
    STANDING_LINE_ROWS,
    AgreementForm,
    AgreementPriceFormSet,
    StandingLineFormSet,
    StandingOrderForm,
    listing_choices,
    price_rows,
    standing_lines,
)
from frontend.views.common import SignedInRequest, choose, member_page, post_form
from marketplace.selectors import listing_list_for_cooperative
from marketplace.state import ListingStatus
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
            "can_propose": can_manage_cooperative(request.user, cooperative),
            "drafted": DraftStatus.DRAFTED,
        },
    )


def _published(user: Any, seller: Cooperative) -> list[tuple[str, str]]:
    """The seller's published listings, as a form's choices."""
    return listing_choices(
        listing_list_for_cooperative(user, seller, statuses=[ListingStatus.PUBLISHED])[:500]
    )


def _managed(request: SignedInRequest, slug: str) -> Cooperative:
    """One of the person's cooperatives that they manage; else a 404."""
    cooperative = cooperative_get_for_member(user=request.user, slug=slug)
    if not can_manage_cooperative(request.user, cooperative):
        raise Http404("No cooperative with this slug among yours.")
    return cooperative


def _chosen_buyer(request: SignedInRequest) -> list[int]:
    """The buyer chosen in the posted form, or named by the address (`?buyer=` a slug, from a
    cooperative's profile), so that it stays among the choices."""
    posted = request.POST.get("buyer", "")
    if posted.isdigit():
        return [int(posted)]
    named = cooperative_find_by_slug(request.GET.get("buyer", ""))
    return [named.pk] if named is not None else []


def _rows(
    formset_class: Any, request: SignedInRequest, prefix: str, count: int, listings: Any
) -> Any:
    """The rows of a page's form (prices, lines): `count` empty ones at first, else as posted;
    each chooses among `listings`."""
    posted = request.POST if request.method == "POST" else None
    return formset_class(
        posted,
        prefix=prefix,
        initial=None if posted is not None else [{}] * count,
        form_kwargs={"listings": listings},
    )


def _post_with_rows(
    request: SignedInRequest,
    form: Any,
    formset: Any,
    read_rows: Callable[[], list[Any]],
    service: Callable[[list[Any]], Any],
    **outcome: Any,
) -> HttpResponse | None:
    """`post_form` for a form with rows beside it: once both are valid, `read_rows()` reads the
    filled rows (a row half filled is an error on that row) and, when no row is wrong,
    `service(rows)` is called; `outcome` is post_form's `done` and `then`."""
    if request.method != "POST" or not (form.is_valid() and formset.is_valid()):
        return None
    rows = read_rows()
    if any(row_form.errors for row_form in formset.forms):
        return None
    return post_form(request, form, lambda: service(rows), **outcome)


@login_required
def agreement_propose(request: SignedInRequest, slug: str) -> HttpResponse:
    """The seller's owners and admins propose an agreement to one buyer or a buyer group."""
    seller = _managed(request, slug)
    posted = request.POST if request.method == "POST" else None
    chosen = _chosen_buyer(request)
    buyers = selectors.cooperatives_to_invite(
        search=request.POST.get("find", ""), exclude=seller, chosen=chosen
    )
    groups = list(selectors.buyer_group_list(user=request.user, cooperative=seller))
    listings = _published(request.user, seller)
    form = AgreementForm(
        posted,
        buyers=buyers,
        groups=groups,
        initial={
            "currency": default_currency(seller.country),
            "valid_from": timezone.localdate(),
            "buyer": str(chosen[0]) if chosen else "",
        },
    )
    formset = _rows(AgreementPriceFormSet, request, "prices", PRICE_ROWS, listings)
    if posted is not None and "search" in posted:
        form.errors.clear()  # only searching: say nothing of the fields not filled yet
    else:
        by_pk = {str(c.pk): c for c in buyers}
        by_group = {str(g.pk): g for g in groups}
        proposed = _post_with_rows(
            request,
            form,
            formset,
            lambda: price_rows(formset, form.cleaned_data["currency"]),
            lambda rows: services.agreement_propose(
                seller=seller,
                actor=request.user,
                buyer=by_pk.get(form.cleaned_data["buyer"]),
                buyer_group=by_group.get(form.cleaned_data.get("buyer_group", "")),
                prices=rows,
                **form.terms(),
            ),
            done=_("The agreement is proposed: the buyer accepts it on its page."),
            then=lambda agreement: reverse("frontend:agreement", args=[agreement.pk]),
        )
        if proposed is not None:
            return proposed
    return render(
        request,
        "frontend/quotes/agreement_form.html",
        {"cooperative": seller, "form": form, "price_formset": formset},
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
            "can_order": agreement.status == AgreementStatus.ACTIVE and buyer is not None,
        },
    )


@login_required
def standing_order_create(request: SignedInRequest, agreement_id: int) -> HttpResponse:
    """The buyer's owners and admins order the seller's listings every week or month under an
    agreement; anyone else who sees the agreement gets a 404."""
    agreement = selectors.agreement_get_visible(user=request.user, agreement_id=agreement_id)
    buyer = _managed_buyer(request, agreement)
    if buyer is None:
        raise Http404("No such agreement.")
    form = StandingOrderForm(
        request.POST if request.method == "POST" else None,
        initial={"starts_on": timezone.localdate()},
    )
    listings = _published(request.user, agreement.seller)
    formset = _rows(StandingLineFormSet, request, "lines", STANDING_LINE_ROWS, listings)
    created = _post_with_rows(
        request,
        form,
        formset,
        lambda: standing_lines(formset),
        lambda lines: services.standing_order_create(
            buyer=buyer, actor=request.user, agreement=agreement, lines=lines, **form.cleaned_data
        ),
        done=_("The standing order is set up: each period is drafted for you to confirm."),
        then=reverse("frontend:agreements", args=[buyer.slug]),
    )
    if created is not None:
        return created
    return render(
        request,
        "frontend/quotes/standing_order_form.html",
        {"agreement": agreement, "cooperative": buyer, "form": form, "line_formset": formset},
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
