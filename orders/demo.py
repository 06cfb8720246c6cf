"""Demo orders: when published listings exist, buyer cooperatives order from several sellers by
invoice through the real services, and the orders move to various statuses. Idempotent: the demo
checkouts carry `demo-` idempotency keys, so a second run finds them and changes nothing."""

from collections import defaultdict
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cooperatives.demo import manager_of
from cooperatives.models import Cooperative
from cooperatives.state import VerificationStatus
from marketplace.models import Listing
from marketplace.state import ListingStatus
from orders import demo_fees, services
from orders.models import CartLine, Checkout, Invoice, InvoiceKind, Order
from orders.payments.rails.invoice import InvoiceRail
from orders.receivables import services as receivables
from orders.state import OrderStatus

DEMO_KEY_PREFIX = "demo-"
MAX_BUYERS = 2
MAX_SELLERS_PER_CART = 3
# What happens to the demo orders, in turn: a timeline for each status.
STORYLINES: tuple[tuple[str, ...], ...] = (
    ("accept", "fulfil", "complete"),
    ("accept",),
    (),
    ("decline",),
    ("accept", "fulfil"),
    ("cancel",),
)


def _demo_orders() -> list[Order]:
    return list(
        Order.objects.filter(checkout__idempotency_key__startswith=DEMO_KEY_PREFIX)
        .select_related("buyer", "seller")
        .order_by("id")
    )


def _summary(orders: list[Order]) -> list[str]:
    if not orders:
        return []
    statuses = ", ".join(sorted({order.status for order in orders}))
    return [f"Demo orders: {len(orders)} orders by invoice between cooperatives ({statuses})."]


def _sellers_for(buyer: Cooperative, by_seller: dict[int, list[Listing]]) -> list[int]:
    """Sellers from other countries first (one per country), so the trade network page shows
    flows between countries and sectors; then the others, in order."""
    others = [pk for pk in sorted(by_seller) if pk != buyer.pk]
    chosen: list[int] = []
    countries = {buyer.country}
    for pk in others:
        country = by_seller[pk][0].cooperative.country
        if country not in countries:
            chosen.append(pk)
            countries.add(country)
    chosen += [pk for pk in others if pk not in chosen]
    return chosen[:MAX_SELLERS_PER_CART]


def seed(out: Any) -> list[str]:
    if Checkout.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists():
        return _summary(_demo_orders())
    listings = list(
        Listing.objects.filter(status=ListingStatus.PUBLISHED)
        .exclude(cooperative__verification_status=VerificationStatus.SUSPENDED)
        .select_related("cooperative")
        .order_by("pk")
    )
    if not listings:
        return []
    by_seller: dict[int, list[Listing]] = defaultdict(list)
    for listing in listings:
        by_seller[listing.cooperative_id].append(listing)
    # Cooperatives that only buy come first: their carts can hold every seller.
    buyers = sorted(
        (
            cooperative
            for cooperative in Cooperative.objects.exclude(
                verification_status=VerificationStatus.SUSPENDED
            ).order_by("pk")
            if manager_of(cooperative) is not None
        ),
        key=lambda cooperative: (cooperative.pk in by_seller, cooperative.pk),
    )
    placed: list[Order] = []
    for index, buyer in enumerate(buyers[:MAX_BUYERS]):
        actor = manager_of(buyer)
        sellers = _sellers_for(buyer, by_seller)
        # Rotate so that two buyers do not order the same listings.
        for seller_id in sellers:
            candidates = by_seller[seller_id]
            listing = candidates[index % len(candidates)]
            quantity = listing.min_order_quantity
            if listing.stock is not None and listing.stock < quantity:
                continue
            services.cart_add_item(
                cooperative=buyer, listing_id=listing.pk, quantity=quantity, actor=actor
            )
        currencies = sorted(
            set(CartLine.objects.filter(cart__cooperative=buyer).values_list("currency", flat=True))
        )
        for currency in currencies:
            result = services.checkout_place(
                buyer=buyer,
                actor=actor,
                idempotency_key=f"{DEMO_KEY_PREFIX}{buyer.slug}-{currency}",
                payment_method=InvoiceRail.code,
                currency=currency,
                delivery_address=f"{buyer.address or buyer.city or buyer.name}, {buyer.country}",
                note="Demo order: please deliver on a weekday morning.",
            )
            placed.extend(result.checkout.orders.select_related("buyer", "seller").order_by("id"))
    for order, storyline in zip(placed, STORYLINES * len(placed), strict=False):
        for action in storyline:
            side = order.buyer if action in ("complete", "cancel") else order.seller
            actor = manager_of(side)
            if actor is None:
                break
            services.order_transition(
                order=order, action=action, actor=actor, reason="Demo: change of plans."
            )
    if placed:
        first = placed[0]
        services.message_post(
            order=first,
            actor=manager_of(first.buyer),
            body="Hello! Could you deliver before the 10th? Thank you.",
        )
        services.message_post(
            order=first, actor=manager_of(first.seller), body="Yes, we deliver on the 8th."
        )
    _receivables(placed)
    demo_fees.seed_fees(placed)
    return _summary(_demo_orders())


DEMO_PROOF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _receivables(placed: list[Order]) -> None:
    """Receivables to look at: one invoice paid in full, one paid in part, one paid in part with
    the buyer's payment notice (and its proof) waiting for the seller."""
    invoices = [
        invoice
        for order in placed
        for invoice in Invoice.objects.filter(order=order, kind=InvoiceKind.INVOICE)
        if Order.objects.get(pk=order.pk).status != OrderStatus.CANCELLED
    ]
    for index, invoice in enumerate(invoices[:3]):
        seller, buyer = manager_of(invoice.order.seller), manager_of(invoice.order.buyer)
        if seller is None or buyer is None:
            continue
        if index == 0:
            services.order_mark_paid(order=invoice.order, actor=seller, note="Demo transfer")
            continue
        receivables.invoice_payment_record(
            invoice=invoice, actor=seller, amount=invoice.amount_due // 3, reference="Demo 001"
        )
        if index == 2:
            invoice.refresh_from_db()
            receivables.payment_notice_send(
                invoice=invoice,
                actor=buyer,
                amount=invoice.amount_left,
                reference="Demo 002",
                proof=SimpleUploadedFile("comprobante.pdf", DEMO_PROOF),
            )
