"""Reads of carts, orders and messages shared by the API, the pages and the admin."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative, Membership
from cooperatives.permissions import is_member, is_moderator

# "My cooperative by slug, else 404" has one home; the order pages read it from here too.
from cooperatives.selectors import cooperative_get_for_member as cooperative_get_for_member
from core.money import Money
from core.timezones import zone_named
from credit.selectors import credit_accounts_of
from marketplace.models import Listing, unit_name
from orders import agreed, payments, permissions
from orders.labels import with_refund_status
from orders.models import Cart, CartLine, Checkout, Invoice, InvoiceKind, Message, Order, OrderEvent
from orders.payments.models import Refund, RefundSource, RefundStatus
from orders.pricing import credit_max
from orders.rules import Problem, listing_unavailable, price_changed, quantity_problem
from orders.state import Side
from quotes.models import Rfq


def issuer_zone(order: Order) -> ZoneInfo | None:
    """The zone a document of the order is written in and dated by: its issuer's (the seller's,
    its country's when it named none), else the buyer's, else the site's (docs/pages.md)."""
    return zone_named(order.seller.zone_name) or zone_named(order.buyer.time_zone)


def invoice_issued_on(invoice: Invoice) -> date:
    """The day an invoice was issued, in its issuer's zone: the day its due date counts from."""
    return timezone.localdate(invoice.issued_at, issuer_zone(invoice.order))


@dataclass
class CartLineView:
    line: CartLine
    is_unavailable: bool
    is_price_changed: bool
    problem: str
    problem_code: str
    current_price_amount: int | None
    # What an agreement in force prices the line at, and why ("Agreement FACTA 2027, ≥ 500
    # units"); set by `cart_summary` (checkout orders at this price), None otherwise.
    agreed_price_amount: int | None = None
    price_reason: str = ""

    @property
    def line_total(self) -> Money:
        if self.agreed_price_amount is not None:
            return Money(self.agreed_price_amount, self.line.currency).times(self.line.quantity)
        return self.line.line_total


@dataclass
class SellerGroup:
    seller: Cooperative
    lines: list[CartLineView] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def is_card_payable(self) -> bool:
        """Whether a card checkout can include this seller (Stripe can pay it out)."""
        return payments.can_receive_card_payments(self.seller)


@dataclass
class CartSummary:
    cooperative: Cooperative
    groups: list[SellerGroup]
    totals: dict[str, int]
    line_count: int

    @property
    def has_problems(self) -> bool:
        return any(v.problem for g in self.groups for v in g.lines)

    @property
    def currencies(self) -> list[str]:
        return sorted(self.totals)

    @property
    def payment_methods(self) -> list[str]:
        return payments.available_methods()


def cart_lines(cooperative: Cooperative) -> QuerySet[CartLine]:
    return CartLine.objects.filter(cart__cooperative=cooperative).select_related(
        "seller", "listing", "listing__cooperative"
    )


def cart_summary(*, user: Any, cooperative: Cooperative) -> CartSummary:
    """The cart grouped by seller, with totals per currency and what needs the buyer's eye."""
    if not permissions.can_view_cart(user, cooperative):
        raise Http404("No cart for this cooperative.")
    groups: dict[int, SellerGroup] = {}
    totals: dict[str, int] = defaultdict(int)
    count = 0
    views = [
        cart_line_view(line, cooperative)
        for line in cart_lines(cooperative).order_by("seller__name", "seller_id", "id")
    ]
    agreed.price_views(views, cooperative)
    for view in views:
        line = view.line
        group = groups.setdefault(line.seller_id, SellerGroup(seller=line.seller))
        group.lines.append(view)
        amount = view.line_total.amount
        group.totals[line.currency] = group.totals.get(line.currency, 0) + amount
        totals[line.currency] += amount
        count += 1
    return CartSummary(
        cooperative=cooperative, groups=list(groups.values()), totals=dict(totals), line_count=count
    )


def cart_line_view(line: CartLine, buyer: Cooperative | None = None) -> CartLineView:
    """A cart line with what changed since it was added: gone, price, quantity now too high."""
    buyer = buyer or line.cart.cooperative
    listing = line.listing
    problem = listing_unavailable(listing, buyer)
    is_unavailable = problem is not None
    changed, current = False, None
    if listing is not None and not is_unavailable:
        current = listing.price_amount
        changed = price_changed(listing, line.unit_price_amount, line.currency)
        problem = quantity_problem(listing, line.quantity)
        if problem is None and changed:
            problem = Problem(
                "price_changed",
                _("The price is now %(price)s: confirm it.") % {"price": listing.price.format()},
            )
    return CartLineView(
        line=line,
        is_unavailable=is_unavailable,
        is_price_changed=changed,
        problem=problem.detail if problem else "",
        problem_code=problem.code if problem else "",
        current_price_amount=current,
    )


def cart_line_get(*, user: Any, line_id: int) -> CartLine:
    line = (
        CartLine.objects.select_related(
            "cart__cooperative", "seller", "listing", "listing__cooperative"
        )
        .filter(pk=line_id)
        .first()
    )
    if line is None or not permissions.can_view_cart(user, line.cart.cooperative):
        raise Http404("No cart line with this id.")
    return line


def cart_get(cooperative: Cooperative) -> Cart | None:
    return Cart.objects.filter(cooperative=cooperative).first()


def _with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return with_refund_status(
        queryset.select_related("buyer", "seller", "checkout")
    ).prefetch_related(
        "lines",
        "invoices",
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
    )


def order_list_visible_to(user: Any) -> QuerySet[Order]:
    """Orders of the user's cooperatives, on either side; moderators see every order."""
    queryset = Order.objects.all()
    if is_moderator(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    mine = Q(buyer__memberships__user=user) | Q(seller__memberships__user=user)
    return queryset.filter(pk__in=Order.objects.filter(mine).values("pk"))


def order_list_for_cooperative(
    *, user: Any, cooperative: Cooperative, role: str = "", status: str = ""
) -> QuerySet[Order]:
    """One cooperative's orders as buyer, as seller, or both; for its members and moderators."""
    if not (is_member(user, cooperative) or is_moderator(user)):
        raise Http404("No cooperative with this slug.")
    if role == Side.BUYER:
        queryset = Order.objects.filter(buyer=cooperative)
    elif role == Side.SELLER:
        queryset = Order.objects.filter(seller=cooperative)
    else:
        queryset = Order.objects.filter(Q(buyer=cooperative) | Q(seller=cooperative))
    if status:
        queryset = queryset.filter(status=status)
    return (
        with_refund_status(queryset.select_related("buyer", "seller", "checkout"))
        .prefetch_related("lines", "invoices")
        .order_by("-placed_at", "-id")
    )


def orders_of_rfq(rfq: Any) -> list[Order]:
    """The orders an awarded request for quotes became (one per awarded quote version), with the
    seller, lines, invoices and the version's terms; the caller checked who may see the request."""
    return list(
        Order.objects.filter(quote_version__quote__rfq=rfq)
        .select_related("seller", "quote_version")
        .prefetch_related("lines", "invoices")
        .order_by("pk")
    )


@dataclass(frozen=True)
class RequestAgain:
    """What a new request for quotes asking an order's seller again starts from: the request the
    order was quoted on, its specification led by the order's lines, privately to the seller."""

    seller: Cooperative
    title: str
    specification: str
    quantity: int
    unit: str
    delivery_place: str

    def values(self) -> dict[str, Any]:
        """The typed fields of the new request (`quotes.services.rfq_publish`'s keywords)."""
        return {
            "title": self.title,
            "specification": self.specification,
            "quantity": self.quantity,
            "unit": self.unit,
            "delivery_place": self.delivery_place,
        }


# `Rfq.specification`'s own limit: the earlier request's text is cut to fit after the lines.
SPECIFICATION_LIMIT = Rfq._meta.get_field("specification").max_length


def order_request_again(order: Order) -> RequestAgain:
    """An order from a quote asked again, pre-filled: the earlier request's title and place, its
    specification after the lines the seller delivered ("500 piece: Folletos A5"), and the one
    line's quantity and unit (several lines: the earlier request's)."""
    rfq = order.quote_version.quote.rfq  # type: ignore[union-attr]  # callers ask can_ask_again
    lines = list(order.lines.all())
    ordered = [
        _("Lines of order #%(id)s:") % {"id": order.pk},
        *(f"- {line.quantity} {unit_name(line.unit)}: {line.title}" for line in lines),
        "",
        rfq.specification,
    ]
    one = lines[0] if len(lines) == 1 else rfq
    return RequestAgain(
        seller=order.seller,
        title=rfq.title,
        specification="\n".join(ordered).strip()[:SPECIFICATION_LIMIT],
        quantity=one.quantity,
        unit=one.unit,
        delivery_place=rfq.delivery_place,
    )


def order_get_visible(*, user: Any, order_id: int) -> Order:
    order = _with_details(Order.objects.filter(pk=order_id)).first()
    if order is None or not permissions.can_view_order(user, order):
        raise Http404("No order with this id.")
    return order


def refund_to_record_paid_outside(*, user: Any, order: Order) -> Refund | None:
    """The order's card refund by Minga that failed, for a moderator who may record it paid to
    the buyer another way (`payments.services.refund_close_paid_outside`); None otherwise."""
    if not is_moderator(user):
        return None
    return Refund.objects.filter(
        order=order, source=RefundSource.MINGA, status=RefundStatus.FAILED
    ).first()


def order_list_by_ids(*, user: Any, order_ids: list[int]) -> QuerySet[Order]:
    """These orders as the user may see them (an award's or a standing draft's), by id."""
    return _with_details(order_list_visible_to(user).filter(pk__in=order_ids)).order_by("pk")


def document_get_visible(*, user: Any, order_id: int, kind: str) -> Invoice:
    """The order's invoice or credit note (`kind`), for those who may see its invoices (the API's
    and the pages' one rule); a 404 otherwise, or when the order has none."""
    order = order_get_visible(user=user, order_id=order_id)
    if not permissions.can_view_invoice(user, order):
        raise Http404("No order with this id.")
    for invoice in order.invoices.all():
        if invoice.kind == kind:
            invoice.order = order
            return invoice
    name = "credit note" if kind == InvoiceKind.CREDIT_NOTE else "invoice"
    raise Http404(f"This order has no {name}.")


def message_list(*, user: Any, order: Order) -> QuerySet[Message]:
    if not permissions.can_read_messages(user, order):
        raise Http404("No order with this id.")
    return order.messages.select_related("author").order_by("created_at", "id")


# Data exports (a person's, a cooperative's) --------------------------------------------------

# What an order charges: its currency, total and how the total splits (fee, seller's share).
ORDER_FIGURES = ("currency", "total_amount", "fee_bps", "fee_amount", "seller_amount")
ORDER_EXPORT_FIELDS = (
    "id",
    "checkout_id",
    "status",
    "payment_method",
    *ORDER_FIGURES,
    "delivery_address",
    "note",
    "placed_at",
    "accepted_at",
    "fulfilled_at",
    "closed_at",
    "paid_at",
)
# What an invoice states: its figures and both parties as they were when it was issued (the API's
# invoice and the cooperative export show these, each with its own identifying fields first).
INVOICE_PARTIES = ("seller", "buyer")
PARTY_DETAILS = ("name", "tax_id", "address", "city", "country")
INVOICE_STATEMENT_FIELDS = (
    *ORDER_FIGURES,
    *(f"{party}_{detail}" for party in INVOICE_PARTIES for detail in PARTY_DETAILS),
    "delivery_address",
)


def invoice_statement(order: Order) -> dict[str, Any]:
    """`INVOICE_STATEMENT_FIELDS` as the order and its parties hold them now: what an invoice
    issued now copies, so that it keeps stating them whatever changes later."""
    statement = {name: getattr(order, name) for name in ORDER_FIGURES}
    for party in INVOICE_PARTIES:
        cooperative = getattr(order, party)
        statement.update(
            {f"{party}_{detail}": getattr(cooperative, detail) for detail in PARTY_DETAILS}
        )
    statement["delivery_address"] = order.delivery_address
    return statement


INVOICE_EXPORT_FIELDS = ("number", "kind", "issued_at", *INVOICE_STATEMENT_FIELDS)


def _order_export(order: Order, *, with_events: bool) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(order, name) for name in ORDER_EXPORT_FIELDS}
    row["buyer"] = order.buyer.slug
    row["seller"] = order.seller.slug
    row["lines"] = [
        {
            "title": line.title,
            "unit": line.unit,
            "unit_price_amount": line.unit_price_amount,
            "quantity": line.quantity,
            "line_total_amount": line.line_total_amount,
        }
        for line in order.lines.all()
    ]
    if with_events:
        row["events"] = [
            {
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": event.actor.name if event.actor else None,
                "actor_side": event.actor_side,
                "note": event.note,
                "created_at": event.created_at,
            }
            for event in order.events.all()
        ]
    return row


def orders_export_for_user(*, user: Any) -> dict[str, list[Any]]:
    """What the orders app holds about one person: orders they placed, what they did to orders
    (events), the messages they wrote. A constant number of queries."""
    placed = (
        Order.objects.filter(placed_by=user)
        .select_related("buyer", "seller")
        .prefetch_related("lines")
        .order_by("placed_at", "id")
    )
    events = OrderEvent.objects.filter(actor=user).order_by("created_at", "id")
    messages = Message.objects.filter(author=user).order_by("created_at", "id")
    return {
        "orders_placed": [_order_export(order, with_events=False) for order in placed],
        "order_events": list(
            events.values(
                "order_id", "action", "from_status", "to_status", "actor_side", "note", "created_at"
            )
        ),
        "messages": list(messages.values("order_id", "author_side", "body", "created_at")),
    }


def orders_export_for_cooperative(*, cooperative: Cooperative) -> dict[str, list[Any]]:
    """A cooperative's trade: its orders as buyer and as seller (lines, events, messages) and
    the invoices and credit notes of those orders. A constant number of queries."""
    orders = (
        Order.objects.filter(Q(buyer=cooperative) | Q(seller=cooperative))
        .select_related("buyer", "seller")
        .prefetch_related("lines", "events__actor", "messages__author")
        .order_by("placed_at", "id")
    )
    rows = []
    for order in orders:
        row = _order_export(order, with_events=True)
        row["role"] = Side.BUYER if order.buyer_id == cooperative.pk else Side.SELLER
        row["messages"] = [
            {
                "author": message.author.name if message.author else None,
                "author_side": message.author_side,
                "body": message.body,
                "created_at": message.created_at,
            }
            for message in order.messages.all()
        ]
        rows.append(row)
    invoices = (
        Invoice.objects.filter(Q(order__buyer=cooperative) | Q(order__seller=cooperative))
        .order_by("seller_id", "year", "sequence")
        .values("order_id", *INVOICE_EXPORT_FIELDS)
    )
    return {"orders": rows, "invoices": list(invoices)}


def cart_line_count_for_user(user: Any) -> int:
    """How many lines wait in the carts of the user's cooperatives (one query, for the menu)."""
    if not (user and user.is_authenticated):
        return 0
    # Asked by every signed-in page's menu: the ORM's count cost more to compile than to run.
    with connection.cursor() as cursor:
        cursor.execute(_cart_line_count_sql(), [user.pk])
        return int(cursor.fetchone()[0])


@lru_cache(maxsize=1)
def _cart_line_count_sql() -> str:
    """`CartLine.objects.filter(cart__cooperative__memberships__user=user).count()`, written
    once (the join through the cooperative's table is left out: a membership's cooperative
    always exists)."""
    line, cart, membership = CartLine._meta, Cart._meta, Membership._meta
    return (
        f"SELECT COUNT(*) FROM {line.db_table} l"  # noqa: S608  # nosec B608: our table names, values as parameters
        f" JOIN {cart.db_table} c ON c.id = l.cart_id"
        f" JOIN {membership.db_table} m ON m.cooperative_id = c.cooperative_id WHERE m.user_id = %s"
    )


def cart_line_counts_by_cooperative(user: Any) -> dict[int, int]:
    """Lines in each cart of the user's cooperatives, by cooperative id (one query)."""
    if not (user and user.is_authenticated):
        return {}
    rows = (
        CartLine.objects.filter(cart__cooperative__memberships__user=user)
        .values("cart__cooperative_id")
        .annotate(lines=Count("id"))
        .order_by()
    )
    return {row["cart__cooperative_id"]: row["lines"] for row in rows}


def listing_for_cart(listing_id: int) -> Listing | None:
    """The listing behind an add-to-cart form, with its seller, whatever its status."""
    return Listing.objects.select_related("cooperative").filter(pk=listing_id).first()


def checkout_get_visible(*, user: Any, checkout_id: int) -> Checkout:
    """A checkout with its orders, for the buyer cooperative's members and moderators."""
    checkout = (
        Checkout.objects.select_related("buyer")
        .prefetch_related(
            Prefetch(
                "orders",
                queryset=with_refund_status(Order.objects.select_related("seller")).order_by("id"),
            ),
            "orders__lines",
        )
        .filter(pk=checkout_id)
        .first()
    )
    if checkout is None or not (is_member(user, checkout.buyer) or is_moderator(user)):
        raise Http404("No checkout with this id.")
    return checkout


def checkout_get_for_buyer(*, user: Any, checkout_id: int) -> Checkout:
    """A checkout with its orders and payment, for members of the buyer cooperative."""
    checkout = (
        Checkout.objects.select_related("buyer", "payment")
        .prefetch_related(
            Prefetch(
                "orders",
                queryset=with_refund_status(Order.objects.select_related("seller")).order_by("id"),
            )
        )
        .filter(pk=checkout_id)
        .first()
    )
    if checkout is None or not is_member(user, checkout.buyer):
        raise Http404("No checkout with this id.")
    return checkout


@dataclass(frozen=True)
class CreditOffer:
    """On the checkout page: how much of a seller's order the buyer may pay in credit."""

    seller: Cooperative
    currency: str
    most: int  # the seller's accepted share of its order (minor units)
    available: int  # the buyer's available credit in the currency


def checkout_credit_offers(summary: CartSummary) -> list[CreditOffer]:
    """Per seller of the cart that accepts part of its order in credit, in a currency where the
    buyer has credit available (docs/credit.md); the service judges again on checkout."""
    available = {
        account.system.currency: int(getattr(account, "balance", 0) or 0) - account.lower_limit
        for account in credit_accounts_of(summary.cooperative)
    }
    offers = []
    for group in summary.groups:
        for currency in group.totals:
            if available.get(currency, 0) <= 0:
                continue
            most = credit_max(
                (
                    (
                        view.line_total.amount,
                        view.line.listing.credit_share_bps if view.line.listing else None,
                    )
                    for view in group.lines
                    if view.line.currency == currency
                ),
                group.seller.credit_share_bps,
            )
            if most > 0:
                offers.append(CreditOffer(group.seller, currency, most, available[currency]))
    return offers
