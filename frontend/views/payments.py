"""A cooperative's Payments page: where buyers pay its invoices (bank or instant-payment details,
checked per country) and its card payouts through Stripe (status and the onboarding button).

Onboarding never answers a form POST with a redirect to Stripe: the app's CSP says
`form-action 'self'`, and Chromium applies it to the redirects after a form submission. The
button's POST makes the link and answers a page with a plain link to it (with htmx, an
`HX-Redirect`, which htmx follows by setting the location: a navigation, not a form submission).
Stripe's return and refresh links are built from the address the request reached (one of
`ALLOWED_HOSTS`, or Django refuses the request), so they follow the served address."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cooperatives import permissions, selectors, services
from cooperatives.models import Cooperative
from cooperatives.payout_validation import FIELDS, display_rows
from frontend.payout_forms import PayoutDetailsForm
from frontend.views.common import SignedInRequest, attempt, post_form, succeeded
from orders import payments
from orders import permissions as order_permissions
from orders.models import Order
from orders.payments.services import (
    CardStatus,
    seller_account_sync,
    seller_card_status,
    seller_onboarding_link,
)
from orders.state import OrderStatus, Side


def _cooperative(request: SignedInRequest, slug: str) -> Cooperative:
    """Members and moderators read the page; anyone else gets a 404."""
    return selectors.cooperative_get_visible(
        request.user, slug, permissions.can_view_payout_details
    )


def _onboarding_link(request: SignedInRequest, cooperative: Cooperative) -> str:
    slug = cooperative.slug
    return seller_onboarding_link(
        cooperative=cooperative,
        actor=request.user,
        base_url=request.build_absolute_uri("/"),
        return_path=reverse("frontend:payments", args=[slug]) + "?stripe=return",
        refresh_path=reverse("frontend:payments-card-refresh", args=[slug]),
    )


def _card_context(cooperative: Cooperative) -> dict[str, Any]:
    return {
        "card_status": seller_card_status(cooperative),
        "card_statuses": CardStatus,
        "cards_configured": "stripe" in payments.available_methods(),
    }


@login_required
def payments_page(request: SignedInRequest, slug: str) -> HttpResponse:
    cooperative = _cooperative(request, slug)
    can_edit = permissions.can_edit_payout_details(request.user, cooperative)
    if request.GET.get("stripe") == "return" and cooperative.stripe_account_id:
        # Back from Stripe's onboarding: what Stripe says about the account now.
        account = attempt(request, lambda: seller_account_sync(cooperative=cooperative))
        if succeeded(account) and account is not None:
            cooperative.refresh_from_db()
            if account.can_receive_transfers:
                messages.success(request, _("Card payouts are set up."))
            else:
                messages.info(
                    request, _("Stripe still needs some information before it can pay you out.")
                )
    details = selectors.payout_details_of(cooperative)
    initial = {field: getattr(details, field) for field in FIELDS} if details else {}
    form = None
    if can_edit:
        form = PayoutDetailsForm(
            request.POST if request.method == "POST" else None,
            country=cooperative.country,
            initial=initial,
        )
        valid_form = form
        saved = post_form(
            request,
            form,
            lambda: services.payout_details_update(
                cooperative=cooperative, actor=request.user, **valid_form.cleaned_details
            ),
            done=_("Saved: buyers see these details on invoices and order pages."),
            then=reverse("frontend:payments", args=[cooperative.slug]),
        )
        if saved:
            return saved
    elif request.method == "POST":
        messages.error(request, services.PAYOUT_EDIT_REFUSAL)
        return redirect("frontend:payments", slug=cooperative.slug)
    context = {
        "cooperative": cooperative,
        "can_edit": can_edit,
        "form": form,
        "details": details,
        "rows": display_rows(details) if details else [],
        **_card_context(cooperative),
    }
    return render(request, "frontend/cooperatives/payments.html", context)


@login_required
@require_POST
def payments_card(request: SignedInRequest, slug: str) -> HttpResponse:
    """The onboarding button: a fresh Stripe link, given as a link (see the module's doc)."""
    cooperative = _cooperative(request, slug)
    url = attempt(request, lambda: _onboarding_link(request, cooperative))
    if not succeeded(url):
        return redirect("frontend:payments", slug=cooperative.slug)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return render(
        request,
        "frontend/cooperatives/payments_card.html",
        {"cooperative": cooperative, "url": url},
    )


@login_required
@require_GET
def payments_card_refresh(request: SignedInRequest, slug: str) -> HttpResponse:
    """Stripe sends the seller here when a link is used or expired: a fresh one (a GET
    navigation, so a redirect to Stripe is allowed). It never creates an account."""
    cooperative = _cooperative(request, slug)
    if not cooperative.stripe_account_id:
        return redirect("frontend:payments", slug=cooperative.slug)
    url = attempt(request, lambda: _onboarding_link(request, cooperative))
    if not succeeded(url):
        return redirect("frontend:payments", slug=cooperative.slug)
    return HttpResponseRedirect(url)


def how_to_pay(user: Any, order: Order) -> dict[str, Any] | None:
    """The order page's "How to pay": the seller's payout details while an invoiced order waits
    for its transfer; when the seller has none yet, the buyer is told and the seller prompted."""
    if (
        not payments.rail_for(order.payment_method).seller_marks_paid
        or order.paid_at is not None
        or order.status in (OrderStatus.CANCELLED, OrderStatus.DECLINED)
    ):
        return None
    details = selectors.payout_details_of(order.seller)
    return {
        "rows": display_rows(details) if details else [],
        "is_seller": Side.SELLER in order_permissions.sides_of(user, order),
        "can_edit": permissions.can_edit_payout_details(user, order.seller),
    }
