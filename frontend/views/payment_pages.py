"""Server-rendered pages of card settlement: paying a checkout with Stripe.js, and the pages Stripe
sends a seller back to after onboarding. They call the same selectors and services as the API."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperatives.permissions import can_manage_cooperative
from core.errors import DomainError
from orders import labels, payments, permissions, selectors
from orders.models import Checkout
from orders.payments.services import seller_account_sync, seller_onboarding_link
from orders.state import CheckoutStatus, PaymentStatus

# What the pay page shows: exactly one of these. Only `confirming` changes by itself (Stripe's
# webhook), so only it polls; paid and refused are final.
PAID, REFUSED, CONFIRMING, NOT_ALLOWED, PAY = "paid", "refused", "confirming", "not_allowed", "pay"


def _pay_state(checkout: Checkout, *, can_pay: bool, redirect_status: str) -> tuple[str, str]:
    """The one state of a checkout's pay page, and its refusal when it can no longer be paid."""
    if checkout.payment_status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return PAID, ""
    refusal = payments.payment_refusal(checkout)
    if refusal is not None or checkout.status != CheckoutStatus.AWAITING_PAYMENT:
        return REFUSED, refusal or ""
    if redirect_status in ("succeeded", "processing"):
        return CONFIRMING, ""  # Stripe took the card; its webhook has not reached us yet
    return (PAY if can_pay else NOT_ALLOWED), ""


@login_required
@require_GET
def checkout_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """The buyer pays a card checkout (Payment Element). Stripe redirects back here after
    confirmation; the payment's status still changes only when Stripe's webhook says so. Until it
    does, the page polls its own state fragment (htmx asks with `HX-Request`; without JavaScript,
    a refresh link) and stops at a final state."""
    checkout = selectors.checkout_get_for_buyer(user=request.user, checkout_id=pk)
    can_pay = permissions.can_checkout(request.user, checkout.buyer)
    redirect_status = request.GET.get("redirect_status", "")
    state, refusal = _pay_state(checkout, can_pay=can_pay, redirect_status=redirect_status)
    is_fragment = bool(request.headers.get("HX-Request"))
    payment: dict[str, str] | None = None
    error = ""
    if state == PAY and not is_fragment:
        try:
            payment = payments.payment_payload(checkout)
        except DomainError as exc:
            error = str(exc.detail)
            if exc.code == "checkout_not_payable":
                state, refusal, error = REFUSED, error, ""
    page_url = reverse("orders-pages:checkout-pay", args=[pk])
    context: dict[str, Any] = {
        "checkout": checkout,
        "orders": list(checkout.orders.all()),
        "card_payment": getattr(checkout, "payment", None)
        if payments.rail_for(checkout.payment_method).paid_up_front
        else None,
        "payment": payment,
        "state": state,
        "state_label": _STATE_LABELS[state](checkout),
        "refusal": refusal,
        "error": error,
        "poll_url": f"{page_url}?{urlencode({'redirect_status': redirect_status})}",
        "stripe_js_url": settings.STRIPE_JS_URL,
        "return_url": request.build_absolute_uri(page_url),
    }
    if is_fragment:
        return render(request, "frontend/payments/_pay_state.html", context)
    return render(request, "frontend/payments/checkout_pay.html", context)


_STATE_LABELS = {
    PAID: labels.checkout_payment_label,
    REFUSED: lambda checkout: str(_("Can no longer be paid")),
    CONFIRMING: lambda checkout: str(_("Being confirmed")),
    NOT_ALLOWED: labels.checkout_payment_label,
    PAY: labels.checkout_payment_label,
}


@login_required
@require_POST
def stripe_onboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or continue) card payout setup: off to Stripe's onboarding."""
    return _to_onboarding(request, slug)


@login_required
@require_GET
def stripe_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    """Stripe sends the seller here when a link is stale or used: a fresh link, straight away."""
    return _to_onboarding(request, slug)


def _to_onboarding(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_member(user=request.user, slug=slug)
    try:
        url = seller_onboarding_link(cooperative=cooperative, actor=request.user)
    except DomainError as exc:
        return render(
            request,
            "frontend/payments/stripe_return.html",
            {"cooperative": cooperative, "error": str(exc.detail), "account": None},
            status=exc.status_code,
        )
    return HttpResponseRedirect(url)


@login_required
@require_GET
def stripe_return(request: HttpRequest, slug: str) -> HttpResponse:
    """Back from Stripe's onboarding: what Stripe says about the account now."""
    cooperative = selectors.cooperative_get_for_member(user=request.user, slug=slug)
    account = None
    error = ""
    try:
        account = seller_account_sync(cooperative=cooperative)
    except DomainError as exc:
        error = str(exc.detail)
    if account is not None and account.can_receive_transfers:
        messages.success(request, _("Card payouts are set up."))
    context = {
        "cooperative": cooperative,
        "account": account,
        "error": error,
        "can_manage": can_manage_cooperative(request.user, cooperative),
    }
    return render(request, "frontend/payments/stripe_return.html", context)
