"""Demo requests for quotes and an agreement, through the real services: the Uruguayan consumer
cooperative asks three printing cooperatives (Argentine, Uruguayan, Brazilian) to print its
assembly leaflets, the buyer counters the Argentine printer, which answers, and the request is
awarded to it (an order at the quoted price and terms, accepted, so its invoice is due 60 days
later); a federation agreement prices the dairy cooperative's products for its members.
Idempotent: a second run finds the demo request and changes nothing."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cooperatives.demo import manager_of
from cooperatives.models import Cooperative
from marketplace.models import Listing
from marketplace.state import ListingStatus
from orders.services import cart_add_item, order_accept, rfq_award
from quotes import services as quotes
from quotes.models import BuyerGroup, Rfq
from quotes.services import QuoteLineInput, QuoteTerms

BUYER = "consumo-montevideo-solidario"
PRINTERS = ("grafica-estrella-del-sur", "grafica-la-comuna", "grafica-novo-horizonte")
DAIRY = "tambo-las-piedras"
TITLE = "Impresión de 2.000 folletos para la asamblea anual"
# Each printer's first unit price (UYU minor units), lead time and payment terms.
OFFERS = {PRINTERS[0]: (14_00, 10, 30), PRINTERS[1]: (16_50, 15, 0), PRINTERS[2]: (15_00, 12, 15)}


def _terms(price: int, lead: int, days: int, credit_bps: int = 0) -> QuoteTerms:
    return QuoteTerms(
        currency="UYU",
        valid_until=timezone.localdate() + timedelta(days=30),
        lead_time_days=lead,
        payment_terms_days=days,
        credit_share_bps=credit_bps,
        lines=[QuoteLineInput("Folleto A5 color, papel reciclado 150 g", 2000, "piece", price)],
    )


def seed(out: Any) -> list[str]:
    found = {c.slug: c for c in Cooperative.objects.filter(slug__in=(BUYER, DAIRY, *PRINTERS))}
    if len(found) < len(PRINTERS) + 2 or Rfq.objects.filter(title=TITLE).exists():
        return []
    buyer, actor = found[BUYER], manager_of(found[BUYER])
    rfq = quotes.rfq_publish(
        buyer=buyer,
        actor=actor,
        title=TITLE,
        specification="A5, color, ambas caras, papel reciclado de 150 g.",
        quantity=2000,
        unit="piece",
        delivery_place="Montevideo, Ciudad Vieja",
        delivery_date=timezone.localdate() + timedelta(days=30),
        answers_due_at=timezone.now() + timedelta(days=7),
        visibility="private",
        invited=[found[slug] for slug in PRINTERS],
    )
    quotes_by_seller = {
        slug: quotes.quote_submit(
            rfq=rfq, seller=found[slug], actor=manager_of(found[slug]), terms=_terms(*OFFERS[slug])
        )
        for slug in PRINTERS
    }
    printer = quotes_by_seller[PRINTERS[0]]
    quotes.quote_counter(quote=printer, actor=actor, terms=_terms(12_50, 10, 60, 2500))
    answer = quotes.quote_counter(
        quote=printer, actor=manager_of(found[PRINTERS[0]]), terms=_terms(13_00, 10, 60, 2500)
    )
    orders = rfq_award(rfq=rfq, actor=actor, awards=[(answer.pk, None)])
    # The printer accepts: the invoice is issued, due 60 days later as quoted.
    order_accept(order=orders[0], actor=manager_of(found[PRINTERS[0]]))
    notes = [
        f"Demo request for quotes: “{TITLE}”, awarded to {found[PRINTERS[0]].name} "
        f"(order {orders[0].pk}, 60 days, 25 % on credit)."
    ]
    return notes + _agreement(found[DAIRY], buyer, actor)


def _agreement(dairy: Cooperative, buyer: Cooperative, buyer_actor: Any) -> list[str]:
    listing = (
        Listing.objects.filter(cooperative=dairy, status=ListingStatus.PUBLISHED)
        .order_by("pk")
        .first()
    )
    seller_actor = manager_of(dairy)
    if listing is None or seller_actor is None:
        return []
    group = BuyerGroup.objects.create(seller=dairy, name="Federación de consumo (FCPU)")
    group.members.add(buyer)
    agreement = quotes.agreement_propose(
        seller=dairy,
        actor=seller_actor,
        name="FCPU 2027",
        currency=listing.currency,
        valid_from=date(timezone.localdate().year, 1, 1),
        valid_until=date(timezone.localdate().year + 1, 12, 31),
        payment_terms_days=30,
        buyer_group=group,
        prices=[
            {"listing": listing, "discount_bps": 1000},
            {"listing": listing, "min_quantity": 50, "discount_bps": 1500},
        ],
    )
    quotes.agreement_accept(agreement=agreement, buyer=buyer, actor=buyer_actor)
    quantity = max(50, listing.min_order_quantity)
    if listing.stock is None or listing.stock >= quantity:
        cart_add_item(
            cooperative=buyer, listing_id=listing.pk, quantity=quantity, actor=buyer_actor
        )
    return [f"Demo agreement “FCPU 2027”: {dairy.name} sells {listing.title} 15 % off from 50."]
