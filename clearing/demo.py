"""The demo's clearing loop: in each currency (ARS, UYU, BRL) the Argentine cooperative owes the
Uruguayan one, the Uruguayan owes the Brazilian and the Brazilian owes the Argentine the same
amount, through three orders at agreed prices that each seller accepted (so each has an open
invoice). Every net position is zero, so one clearing run per currency settles the loop
completely with no money moving. Idempotent: the orders' checkout keys start with `demo-loop-`."""

from typing import Any

from cooperatives.demo import manager_of
from cooperatives.models import Cooperative
from credit.demo import MEMBERS
from orders.models import Checkout
from orders.services import order_transition
from orders.services.awards import AwardLine, place_agreed

KEY_PREFIX = "demo-loop-"
# currency: (what is sold, unit, unit price in minor units, quantity): one invoice's amount.
LOOPS = {
    "ARS": ("Servicio de diseño e impresión", "hour", 15_000_00, 10),
    "UYU": ("Transporte de mercadería", "day", 3_000_00, 2),
    "BRL": ("Embalagens recicladas", "piece", 8_00, 100),
}


def seed(out: Any) -> list[str]:
    by_slug = {c.slug: c for c in Cooperative.objects.filter(slug__in=MEMBERS)}
    if len(by_slug) < len(MEMBERS):
        return []
    ring: list[Cooperative] = [by_slug[slug] for slug in MEMBERS]
    for currency, (title, unit, price, quantity) in LOOPS.items():
        # Each cooperative buys from the next one round the ring: A owes B, B owes C, C owes A.
        for buyer, seller in zip(ring, ring[1:] + ring[:1], strict=True):
            key = f"{KEY_PREFIX}{currency}-{buyer.slug}"
            if Checkout.objects.filter(buyer=buyer, idempotency_key=key).exists():
                continue
            (order,) = place_agreed(
                buyer=buyer,
                actor=manager_of(buyer),
                key=key,
                fingerprint=[currency, seller.pk],
                plans=[(seller, currency, [AwardLine(title, unit, price, quantity)])],
                delivery_address=f"{buyer.city}, {buyer.country}",
                note="Demo: intercambio entre cooperativas, a compensar por clearing.",
            )
            order_transition(order=order, action="accept", actor=manager_of(seller))
    names = " → ".join(c.name for c in [*ring, ring[0]])
    return [
        f"Clearing loop: in ARS, UYU and BRL, {names}, one open invoice each; sign in as "
        "comite@minga.test and start a clearing run at /clearing/."
    ]
