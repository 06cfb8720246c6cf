"""Shared builders for the quotes tests: a request, its sellers, their quotes."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from quotes import services
from quotes.models import Agreement, Rfq, StandingOrder
from quotes.services import QuoteLineInput, QuoteTerms
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    ListingFactory,
    MembershipFactory,
)


def seller(name: str, country: str = "AR") -> tuple[Any, Any]:
    cooperative = CooperativeFactory(name=name, country=country)
    return cooperative, MembershipFactory(cooperative=cooperative, role="owner").user


def terms(unit_price: int, quantity: int = 1000, **extra: Any) -> QuoteTerms:
    values: dict[str, Any] = {
        "currency": "UYU",
        "valid_until": timezone.localdate() + timedelta(days=30),
        "lead_time_days": 10,
        "payment_terms_days": 30,
        "credit_share_bps": 0,
        "lines": [QuoteLineInput("Folletos A5 color", quantity, "unit", unit_price)],
    }
    values.update(extra)
    return QuoteTerms(**values)


def publish(buyer: Any, actor: Any, invited: list[Any], **extra: Any) -> Rfq:
    values: dict[str, Any] = {
        "title": "Impresión de 1000 folletos",
        "specification": "A5, color, papel reciclado",
        "quantity": 1000,
        "unit": "unit",
        "delivery_place": "Montevideo",
        "delivery_date": timezone.localdate() + timedelta(days=20),
        "answers_due_at": timezone.now() + timedelta(days=7),
        "visibility": "private",
        "invited": invited,
    }
    values.update(extra)
    return services.rfq_publish(buyer=buyer, actor=actor, **values)


def agreement(seller: Any, actor: Any, listing: Any, accept: Any = None, **extra: Any) -> Agreement:
    """An agreement of the seller's (to `buyer=` or `buyer_group=`): 40.00 for the listing, 45
    days; accepted when `accept` is (buyer, its owner)."""
    values: dict[str, Any] = {
        "name": "FACTA 2027",
        "currency": listing.currency,
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2099, 12, 31),
        "payment_terms_days": 45,
        "prices": [{"listing": listing, "fixed_price_amount": 40_00}],
    }
    values.update(extra)
    made = services.agreement_propose(seller=seller, actor=actor, **values)
    if accept is not None:
        made = services.agreement_accept(agreement=made, buyer=accept[0], actor=accept[1])
    return made


def weekly_standing_order(
    agreement: Agreement, buyer: Any, actor: Any, listing: Any, quantity: int, starts_on: date
) -> StandingOrder:
    """A weekly standing order of the buyer's, under the agreement: `quantity` of the listing."""
    return services.standing_order_create(
        buyer=buyer,
        actor=actor,
        agreement=agreement,
        schedule="weekly",
        starts_on=starts_on,
        lines=[(listing.pk, quantity)],
    )


def open_printing_request(buyer: Any, actor: Any) -> tuple[Rfq, Any, Any]:
    """An open request of the buyer's for printing, with (cooperative, owner) of a grocer, which
    sells food only, and of a printer, which sells in the category."""
    printing, food = CategoryFactory(name="Imprenta"), CategoryFactory(name="Alimentos")
    grocer = seller("Almacén Cooperativo")
    ListingFactory(cooperative=grocer[0], category=food)
    printer = seller("Gráfica Sur")
    ListingFactory(cooperative=printer[0], category=printing)
    return publish(buyer, actor, [], visibility="open", category=printing), grocer, printer
