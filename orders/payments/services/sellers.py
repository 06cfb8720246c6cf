"""Sellers' Express accounts: onboarding links, and whether Stripe can pay them out."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, ensure_active
from cooperatives.services import cooperative_set_payouts_enabled, cooperative_set_stripe_account
from core.errors import NotPermitted
from orders.payments import gateway
from orders.payments.errors import (
    PaymentsNotConfigured,
)
from orders.payments.execution import Work
from orders.payments.models import (
    Transfer,
    TransferStatus,
)
from orders.payments.values import ConnectedAccount

logger = logging.getLogger(__name__)

# -- sellers: Express accounts and whether card checkouts may include them


def can_receive_card_payments(cooperative: Cooperative) -> bool:
    """A seller is in a card checkout only when Stripe can pay it out."""
    return bool(cooperative.stripe_account_id) and cooperative.is_payouts_enabled


def _site_url(name: str, slug: str) -> str:
    return settings.SITE_URL + reverse(name, args=[slug])


def seller_onboarding_link(*, cooperative: Cooperative, actor: Any) -> str:
    """A fresh Stripe onboarding link for the cooperative's Express account, created once.

    Owners and admins only. Links are single-use and expire within minutes, so none is stored."""
    if not can_manage_cooperative(actor, cooperative):
        raise NotPermitted(_("Only owners and admins can set up card payouts for the cooperative."))
    ensure_active(cooperative, "stripe_onboarding")
    if not gateway.is_configured():
        raise PaymentsNotConfigured(
            _(
                "Card payments are not configured on this exchange (no Stripe keys): "
                "sellers are paid by invoice."
            )
        )
    if not cooperative.stripe_account_id:
        platform_country = settings.STRIPE_PLATFORM_COUNTRY
        account = gateway.create_connected_account(
            cooperative_id=cooperative.pk,
            email=cooperative.contact_email or actor.email,
            country=cooperative.country,
            service_agreement=(
                "recipient"
                if platform_country and cooperative.country.upper() != platform_country
                else None
            ),
        )
        cooperative = cooperative_set_stripe_account(cooperative=cooperative, account_id=account.id)
    return gateway.create_account_link(
        account_id=cooperative.stripe_account_id,
        refresh_url=_site_url("orders-pages:stripe-refresh", cooperative.slug),
        return_url=_site_url("orders-pages:stripe-return", cooperative.slug),
    )


def seller_account_sync(*, cooperative: Cooperative) -> ConnectedAccount | None:
    """Read the seller's account from Stripe and record whether it can be paid out."""
    if not cooperative.stripe_account_id:
        return None
    account = gateway.retrieve_account(cooperative.stripe_account_id)
    cooperative_set_payouts_enabled(cooperative=cooperative, enabled=account.can_receive_transfers)
    return account


def seller_account_apply(*, account: ConnectedAccount) -> tuple[str, Work]:
    """`account.updated`: record payouts, and retry the seller's transfers once it can be paid."""
    cooperative = Cooperative.objects.filter(stripe_account_id=account.id).first()
    if cooperative is None:
        return "ignored: no cooperative has this account", Work()
    cooperative_set_payouts_enabled(cooperative=cooperative, enabled=account.can_receive_transfers)
    work = Work()
    if account.can_receive_transfers:
        work.transfers = list(
            Transfer.objects.filter(
                order__seller=cooperative,
                status__in=(TransferStatus.PENDING, TransferStatus.FAILED),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    state = "enabled" if account.can_receive_transfers else "disabled"
    return f"payouts {state} for {cooperative.slug}", work
