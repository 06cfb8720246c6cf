"""Sellers' Express accounts: onboarding links, and whether Stripe can pay them out."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.permissions import can_manage_cooperative, ensure_active
from cooperatives.services import cooperative_set_payouts_enabled, cooperative_set_stripe_account
from core.errors import DomainError, NotPermitted
from core.reference import country_name
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


# The countries where a seller can have the Express account Minga pays card orders out to (the
# countries of Stripe's own accounts that Connect serves). Argentina and Uruguay are not among
# them: sellers there are paid by invoice (bank transfer, CBU/CVU, alias). docs/payments.md.
STRIPE_CONNECT_COUNTRIES = frozenset(
    [
        "AE",
        "AT",
        "AU",
        "BE",
        "BG",
        "BR",
        "CA",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HK",
        "HR",
        "HU",
        "IE",
        "IT",
        "JP",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "MX",
        "NL",
        "NO",
        "NZ",
        "PL",
        "PT",
        "RO",
        "SE",
        "SG",
        "SI",
        "SK",
        "TH",
        "US",
    ]
)


class CardPayoutsUnsupported(DomainError):
    code = "card_payouts_unsupported_country"


class CardStatus:
    """Where a seller stands with card payouts, for the Payments page and the API."""

    UNSUPPORTED = "unsupported"  # its country has no Stripe Connect accounts
    NOT_CONNECTED = "not_connected"
    INCOMPLETE = "onboarding_incomplete"
    ENABLED = "payouts_enabled"


def card_payouts_supported(country: str) -> bool:
    return (country or "").upper() in STRIPE_CONNECT_COUNTRIES


def seller_card_status(cooperative: Cooperative) -> str:
    if can_receive_card_payments(cooperative):
        return CardStatus.ENABLED
    if cooperative.stripe_account_id:
        return CardStatus.INCOMPLETE
    if not card_payouts_supported(cooperative.country):
        return CardStatus.UNSUPPORTED
    return CardStatus.NOT_CONNECTED


def can_receive_card_payments(cooperative: Cooperative) -> bool:
    """A seller is in a card checkout only when Stripe can pay it out."""
    return bool(cooperative.stripe_account_id) and cooperative.is_payouts_enabled


def seller_onboarding_link(
    *,
    cooperative: Cooperative,
    actor: Any,
    base_url: str = "",
    return_path: str = "",
    refresh_path: str = "",
) -> str:
    """A fresh Stripe onboarding link for the cooperative's Express account, created once.

    Owners and admins only, in a country Stripe Connect serves. Links are single-use and expire
    within minutes, so none is stored. Stripe sends the seller back to `base_url` (the address the
    request was served at; `SITE_URL` when not given) + `return_path`, or + `refresh_path` for a
    used or expired link (by default the pages `orders-pages:stripe-return` and `-refresh`)."""
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
    if not cooperative.stripe_account_id and not card_payouts_supported(cooperative.country):
        raise CardPayoutsUnsupported(
            _(
                "Stripe cannot pay out to cooperatives in %(country)s: buyers pay you by invoice "
                "(bank transfer to the details on your Payments page)."
            )
            % {"country": country_name(cooperative.country, to_locale(get_language() or "en"))}
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
    base = (base_url or settings.SITE_URL).rstrip("/")
    slug = cooperative.slug
    return gateway.create_account_link(
        account_id=cooperative.stripe_account_id,
        refresh_url=base + (refresh_path or reverse("orders-pages:stripe-refresh", args=[slug])),
        return_url=base + (return_path or reverse("orders-pages:stripe-return", args=[slug])),
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
