"""Checkout: one buyer, one currency, one transaction, one order per seller; never oversells.

Lock order (the same everywhere, so concurrent checkouts cannot deadlock): the buyer's cart row,
then the listings in primary-key order.
"""

import functools
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import ensure_email_confirmed
from cooperatives.models import Cooperative, Membership
from cooperatives.permissions import ensure_active, remember_role
from core import statements
from core.errors import DomainError, NotPermitted
from core.money import Money
from marketplace import catalogue_version
from marketplace.models import Listing
from marketplace.state import ListingStatus
from orders import agreed, notifications, payments, permissions
from orders.events import EventKind
from orders.models import MAX_AMOUNT, Cart, CartLine, Checkout, Order, OrderEvent, OrderLine
from orders.pricing import OrderTotals, line_total, order_totals
from orders.receivables.credit import order_credit_record, orders_credit_max
from orders.rules import listing_unavailable, price_changed, quantity_problem
from orders.state import OrderStatus

MAX_IDEMPOTENCY_KEY_LENGTH = 255

# What checkout reads of the locked listings and their sellers (the rules, the prices, the rails,
# the orders and their answer), not their descriptions, stored cards or profiles: a field left
# out costs a query when read, so a new reader of one adds it here.
LOCKED_COLUMNS = (
    *("kind", "title", "unit", "price_amount", "currency", "min_order_quantity", "stock"),
    *("status", "category_id", "credit_share_bps", "cooperative_id"),
    *(
        f"cooperative__{name}"
        for name in (
            *("name", "slug", "country", "time_zone", "verification_status"),
            *("stripe_account_id", "is_payouts_enabled", "payment_terms_days", "credit_share_bps"),
        )
    ),
)


class CheckoutConflict(DomainError):
    """The cart cannot be ordered as it is; `lines` names each line and what is wrong with it."""

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        lines: list[dict[str, Any]],
        sellers: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail, code=code)
        self.lines = lines
        self.sellers = sellers or []

    def body(self) -> dict[str, Any]:
        return {
            **super().body(),
            "lines": self.lines,
            **({"sellers": self.sellers} if self.sellers else {}),
        }


class IdempotencyKeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class CheckoutResult:
    checkout: Checkout
    is_replay: bool


def checkout_fingerprint(
    *,
    buyer: Cooperative,
    payment_method: str,
    currency: str,
    delivery_address: str,
    note: str,
    only_card_payable: bool = False,
    lines: "list[RequestedLine] | None" = None,
    credit: dict[str, int] | None = None,
) -> str:
    """A digest of what was asked, to tell a retry from a different request under the same key."""
    body: dict[str, Any] = {
        "cooperative": buyer.slug,
        "payment_method": payment_method,
        "currency": currency,
        "delivery_address": delivery_address,
        "note": note,
    }
    if only_card_payable:  # absent when false, so digests of earlier checkouts stay valid
        body["only_card_payable"] = True
    if lines is not None:  # likewise absent for a checkout of the cart
        body["lines"] = [[line.listing, line.quantity, line.unit_price_amount] for line in lines]
    if credit:  # likewise absent for a checkout with no part in credit
        body["credit"] = sorted(credit.items())
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def replayed_checkout(buyer: Cooperative, key: str, fingerprint: str) -> Checkout | None:
    """The buyer's checkout with this key, if any (the pair is unique). A plain statement, not
    the ORM's: nearly every checkout finds none, and building the query cost more than running
    it."""
    found = Checkout.objects.raw(_replay_sql(), [buyer.pk, key])
    existing = next(iter(found), None)
    if existing is None:
        return None
    if existing.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different checkout request: "
            "use a new key for a new request."
        )
    return existing


@functools.cache
def _replay_sql() -> str:
    table = connection.ops.quote_name(Checkout._meta.db_table)
    return f"SELECT * FROM {table} WHERE buyer_id = %s AND idempotency_key = %s"  # noqa: S608  # nosec B608: our table name, values as parameters


def check_idempotency_key(key: str) -> str:
    key = (key or "").strip()
    if not key:
        raise ValidationError(
            {
                "idempotency_key": [
                    _("Send an Idempotency-Key header (a new random value per checkout).")
                ]
            }
        )
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationError(
            {
                "idempotency_key": [
                    _("The Idempotency-Key is at most 255 printable ASCII characters.")
                ]
            }
        )
    return key


def _choose_currency(lines: list[CartLine], currency: str) -> str:
    currencies = sorted({line.currency for line in lines})
    if currency:
        if currency not in currencies:
            raise ValidationError(
                {
                    "currency": [
                        _("Your cart holds nothing priced in %(currency)s.")
                        % {"currency": currency}
                    ]
                }
            )
        return currency
    if len(currencies) > 1:
        raise ValidationError(
            {
                "currency": [
                    _("Your cart holds %(join)s: choose one currency to check out.")
                    % {"join": ", ".join(currencies)}
                ]
            }
        )
    return currencies[0]


def _card_payable_lines(
    lines: list[CartLine], only_card_payable: bool, rail: Any
) -> list[CartLine]:
    """A card checkout includes only sellers Stripe can pay out. Others make it a 409 naming them,
    unless the buyer asked to check out only the sellers that take cards (the rest stay in the
    cart, for an invoice checkout)."""
    unpayable = [line for line in lines if not rail.can_pay(line.seller, line.currency)]
    if not unpayable:
        return lines
    if only_card_payable:
        payable = [line for line in lines if line not in unpayable]
        if not payable:
            raise DomainError(
                _("None of the sellers in your cart can be paid by card yet: pay by invoice."),
                code="no_card_payable_seller",
            )
        return payable
    # The detail is read by people (the checkout page shows it as it is): it names the sellers
    # and what to do in words, never an API parameter. API clients get `sellers` and `lines`, and
    # the schema documents `only_card_payable`.
    sellers = sorted({line.seller.slug: line.seller.name for line in unpayable}.items())
    names = ", ".join(name for _slug, name in sellers)
    raise CheckoutConflict(
        ngettext(
            "%(sellers)s takes payment by bank transfer (invoice), not by card. Pay the cart by "
            "invoice, or remove its lines from the cart to pay the rest by card.",
            "%(sellers)s take payment by bank transfer (invoice), not by card. Pay the cart by "
            "invoice, or remove their lines from the cart to pay the rest by card.",
            len(sellers),
        )
        % {"sellers": names},
        code="seller_not_card_payable",
        sellers=[{"slug": slug, "name": name} for slug, name in sellers],
        lines=[
            {
                "id": line.pk,
                "listing": line.listing_id,
                "title": line.title,
                "code": "seller_not_card_payable",
                "detail": _("“%(title)s”: %(seller)s takes payment by invoice, not by card.")
                % {"title": line.title, "seller": line.seller.name},
            }
            for line in unpayable
        ],
    )


def _problems(
    lines: list[CartLine], listings: dict[int, Listing], buyer: Cooperative
) -> list[dict[str, Any]]:
    problems = []
    for line in lines:
        listing = listings.get(line.listing_id) if line.listing_id else None
        problem = listing_unavailable(listing, buyer)
        if problem is None and listing is not None:
            if price_changed(listing, line.unit_price_amount, line.currency):
                old = Money(line.unit_price_amount, line.currency).format()
                new = listing.price.format()
                problems.append(
                    {
                        "id": line.pk,
                        "listing": line.listing_id,
                        "title": line.title,
                        "code": "price_changed",
                        "detail": _(
                            "The price of “%(title)s” changed from %(old)s to %(new)s: "
                            "confirm the new price in your cart."
                        )
                        % {"title": line.title, "old": old, "new": new},
                        "unit_price_amount": line.unit_price_amount,
                        "current_price_amount": listing.price_amount,
                        "currency": listing.currency,
                    }
                )
                continue
            problem = quantity_problem(listing, line.quantity)
        if problem is not None:
            problems.append(
                {
                    "id": line.pk,
                    "listing": line.listing_id,
                    "title": line.title,
                    "code": problem.code,
                    "detail": f"“{line.title}”: {problem.detail}",
                }
            )
    return problems


@dataclass(frozen=True)
class RequestedLine:
    """A line sent with the checkout request (API clients: no cart round trip). Without
    `unit_price_amount` the listing's current price is taken; with it, a different current price
    is a `price_changed` conflict, as for a cart line."""

    listing: int
    quantity: int
    unit_price_amount: int | None = None


@transaction.atomic
def checkout_place(
    *,
    buyer: Cooperative,
    actor: Any,
    idempotency_key: str,
    payment_method: str,
    currency: str = "",
    delivery_address: str = "",
    note: str = "",
    only_card_payable: bool = False,
    lines: list[RequestedLine] | None = None,
    credit: dict[str, int] | None = None,
) -> CheckoutResult:
    """Order the buyer's cart lines in one currency (or, with `lines`, exactly those listings,
    leaving the cart alone): one order per seller, stock taken, fee computed, cart lines removed.
    With `credit` (seller slug -> minor units), that part of each seller's order is paid in
    mutual credit at once, or the whole checkout is refused.
    The same key and request return the first result. Card checkouts record their payment here;
    the PaymentIntent is created after commit. A pipeline of small steps, each named below."""
    if not permissions.can_checkout(actor, buyer):
        raise NotPermitted(_("Only owners and admins of the cooperative can check out its cart."))
    ensure_email_confirmed(actor)
    key = check_idempotency_key(idempotency_key)
    currency = (currency or "").strip().upper()
    fingerprint = checkout_fingerprint(
        buyer=buyer,
        payment_method=payment_method,
        currency=currency,
        delivery_address=delivery_address,
        note=note,
        only_card_payable=only_card_payable,
        lines=lines,
        credit=credit,
    )
    cart, buyer = _lock_buyer(buyer, with_cart=lines is None)
    # Read after taking the lock: a request with the same key that held it has committed by now.
    existing = replayed_checkout(buyer, key, fingerprint)
    if existing is not None:
        return CheckoutResult(existing, is_replay=True)
    ensure_active(buyer, "checkout")
    status, payment_status = payments.initial_statuses(payment_method)
    rail = payments.rail_for(payment_method)
    if lines is None:
        chosen = _cart_lines(cart, currency)
        currency = chosen[0].currency
        chosen = _card_payable_lines(chosen, only_card_payable, rail)
        listings = _lock_listings(chosen, actor, buyer)
    else:
        listings = lock_listings_by_id([line.listing for line in lines], actor, buyer)
        chosen = _requested_lines(lines, listings, buyer)
        currency = _requested_currency(chosen, currency)
        chosen = _card_payable_lines(chosen, only_card_payable, rail)
    _refuse_problems(chosen, listings, buyer)
    terms = agreed.apply_agreements(chosen, listings, buyer)
    plans = _plan_orders(chosen, listings, currency, payment_method)
    try:
        # No savepoint: a conflict here ends the whole checkout, which rolls back anyway.
        [checkout] = statements.create(
            [
                Checkout(
                    buyer=buyer,
                    created_by=actor,
                    idempotency_key=key,
                    request_fingerprint=fingerprint,
                    status=status,
                    payment_method=payment_method,
                    payment_status=payment_status,
                    currency=currency,
                    total_amount=sum(totals.total.amount for _, _, totals in plans),
                    fee_amount=sum(totals.fee.amount for _, _, totals in plans),
                    delivery_address=delivery_address,
                    note=note,
                )
            ]
        )
    except IntegrityError as exc:
        raise DomainError(
            _("A checkout with this Idempotency-Key is being placed: retry in a moment."),
            code="idempotency_key_in_use",
        ) from exc

    take_stock(chosen, listings)
    orders = create_orders(checkout, plans, listings, actor, terms=terms)
    if lines is None:
        CartLine.objects.filter(pk__in=[line.pk for line in chosen]).delete()
    _settle_in_credit(orders, listings, credit or {}, rail, actor)
    _placed(checkout, orders)
    return CheckoutResult(checkout, is_replay=False)


def _lock_buyer(buyer: Cooperative, *, with_cart: bool) -> tuple[Cart | None, Cooperative]:
    """The buyer's cart row, locked (the buyer's row comes in the same statement, not locked),
    when the checkout orders the cart. Otherwise no row of the buyer's is locked, and the one the
    caller read in this request is used as it is (reading it again would not make the suspension
    check any safer: a suspension never waits for checkouts)."""
    if not with_cart:
        return None, buyer
    cart = (
        Cart.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .filter(cooperative=buyer)
        .first()
    )
    return cart, cart.cooperative if cart is not None else buyer


def _cart_lines(cart: Cart | None, currency: str) -> list[CartLine]:
    """The cart's lines in the chosen currency, by seller."""
    lines = list(cart.lines.select_related("seller").order_by("seller_id", "id")) if cart else []
    if not lines:
        raise DomainError(_("Your cart is empty."), code="cart_empty")
    currency = _choose_currency(lines, currency)
    return [line for line in lines if line.currency == currency]


def _lock_listings(lines: list[CartLine], actor: Any, buyer: Cooperative) -> dict[int, Listing]:
    return lock_listings_by_id([line.listing_id for line in lines if line.listing_id], actor, buyer)


def lock_listings_by_id(
    listing_ids: list[int], actor: Any = None, buyer: Cooperative | None = None
) -> dict[int, Listing]:
    """Lock the listings in primary-key order; their sellers (for suspension) come in the same
    statement, not locked, and so does the actor's role in each seller, which the response's
    actions ask for (one query fewer than asking afterwards), and, given the buyer, whether it
    has an agreement with each seller (most have none: their agreements are not read). The
    statement is compiled once per connection and number of listings (`core.statements`)."""
    ids = sorted(set(listing_ids))
    if not ids:
        return {}  # as the queryset: no statement for no rows
    with_roles = getattr(actor, "is_authenticated", False)
    values: dict[str, Any] = {"ids": ids}
    if buyer is not None:
        values["buyer_id"] = buyer.pk
    if with_roles:
        values["actor_id"] = actor.pk
    found = statements.instances(
        Listing, ("listings locked", len(ids), *sorted(values)), _locked_listings, **values
    )
    locked = {listing.pk: listing for listing in found}
    if with_roles:
        for listing in locked.values():
            remember_role(actor, listing.cooperative_id, listing.actor_role)  # type: ignore[attr-defined]
    return locked


def _locked_listings(
    ids: list[int], buyer_id: int | None = None, actor_id: int | None = None
) -> QuerySet[Listing]:
    """The statement of `lock_listings_by_id`."""
    listings = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("cooperative")
        .only(*LOCKED_COLUMNS)
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if buyer_id is not None:
        listings = agreed.with_agreement_flag(listings, Cooperative(pk=buyer_id))
    if actor_id is not None:
        roles = Membership.objects.filter(user_id=actor_id, cooperative=OuterRef("cooperative_id"))
        listings = listings.annotate(actor_role=Subquery(roles.values("role")[:1]))
    return listings


def _requested_lines(
    requested: list[RequestedLine], listings: dict[int, Listing], buyer: Cooperative
) -> list[CartLine]:
    """Lines sent with the request, as (unsaved) cart lines priced from the locked listings. A
    listing that is not in the public catalogue is refused without a word about it."""
    if not requested:
        raise ValidationError({"lines": [_("Send at least one line.")]})
    if len({line.listing for line in requested}) != len(requested):
        raise ValidationError({"lines": [_("Send each listing once, with its whole quantity.")]})
    missing = [
        line.listing
        for line in requested
        if line.listing not in listings
        or (
            listings[line.listing].status != ListingStatus.PUBLISHED
            and listings[line.listing].cooperative_id != buyer.pk
        )
    ]
    if missing:
        details = [
            _("Listing %(id)s is not in the catalogue.") % {"id": listing_id}
            for listing_id in missing
        ]
        problems: list[dict[str, Any]] = [
            {
                "id": None,
                "listing": listing_id,
                "title": "",
                "code": "listing_unavailable",
                "detail": detail,
            }
            for listing_id, detail in zip(missing, details, strict=True)
        ]
        raise CheckoutConflict(
            " ".join(details),
            code="listing_unavailable",
            lines=problems,
        )
    lines = []
    for line in requested:
        listing = listings[line.listing]
        lines.append(
            CartLine(
                listing_id=listing.pk,
                seller=listing.cooperative,
                title=listing.title,
                unit=listing.unit,
                quantity=line.quantity,
                unit_price_amount=listing.price_amount
                if line.unit_price_amount is None
                else line.unit_price_amount,
                currency=listing.currency,
            )
        )
    return sorted(lines, key=lambda line: (line.seller_id, line.listing_id))


def _requested_currency(lines: list[CartLine], currency: str) -> str:
    """Lines sent with the request are all ordered: they must share one currency."""
    currencies = sorted({line.currency for line in lines})
    if len(currencies) > 1:
        raise ValidationError(
            {
                "lines": [
                    _("These listings are priced in %(join)s: check out one currency at a time.")
                    % {"join": ", ".join(currencies)}
                ]
            }
        )
    if currency and currency != currencies[0]:
        raise ValidationError(
            {
                "currency": [
                    _("These listings are priced in %(currency)s.") % {"currency": currencies[0]}
                ]
            }
        )
    return currencies[0]


def _refuse_problems(
    lines: list[CartLine], listings: dict[int, Listing], buyer: Cooperative
) -> None:
    problems = _problems(lines, listings, buyer)
    if problems:
        detail = " ".join(problem["detail"] for problem in problems)
        raise CheckoutConflict(detail, code=problems[0]["code"], lines=problems)


def _plan_orders(
    lines: list[CartLine], listings: dict[int, Listing], currency: str, payment_method: str
) -> list[tuple[Cooperative, list[CartLine], OrderTotals]]:
    """One order per seller with its lines and totals; the checkout's total must be payable."""
    fee_bps = settings.SOLIDARITY_FEE_BPS
    sellers = {listing.cooperative_id: listing.cooperative for listing in listings.values()}
    by_seller: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        by_seller[line.seller_id].append(line)
    plans = []
    for seller_id in sorted(by_seller):
        seller_lines = by_seller[seller_id]
        totals = order_totals(
            [line_total(line.unit_price, line.quantity) for line in seller_lines],
            currency,
            fee_bps,
        )
        plans.append((sellers[seller_id], seller_lines, totals))
    checkout_total = sum(totals.total.amount for _, _, totals in plans)
    if checkout_total > MAX_AMOUNT:
        raise ValidationError(
            {"non_field_errors": [_("This checkout is too large for one payment.")]}
        )
    if payments.rail_for(payment_method).paid_up_front and checkout_total <= 0:
        raise DomainError(
            _("There is nothing to pay by card: choose invoice."), code="nothing_to_pay"
        )
    return plans


def _settle_in_credit(
    orders: list[Order],
    listings: dict[int, Listing],
    credit: dict[str, int],
    rail: Any,
    actor: Any,
) -> None:
    """Pay the asked part of each seller's order in mutual credit (an invoice checkout's; the
    rest stays due on the invoice), within the seller's share and both limits: one entry per
    order, and any refusal ends the whole checkout (nothing is half-posted)."""
    asked = {slug: amount for slug, amount in credit.items() if amount}
    if not asked:
        return
    if not rail.seller_marks_paid:
        raise ValidationError(
            {"credit": [_("Part of an order is paid in credit only with an invoice checkout.")]}
        )
    by_seller = {order.seller.slug: order for order in orders}
    unknown = sorted(set(asked) - set(by_seller))
    if unknown:
        raise ValidationError(
            {
                "credit": [
                    _("This checkout has no order from %(sellers)s.")
                    % {"sellers": ", ".join(unknown)}
                ]
            }
        )
    paying = [order for order in orders if order.seller.slug in asked]
    # The shares from the listings locked above: no query per order, however many sellers.
    shares = {pk: listing.credit_share_bps for pk, listing in listings.items()}
    most = orders_credit_max(paying, listing_shares=shares)
    for order in paying:  # in seller order, as the orders were made
        order_credit_record(
            order=order,
            actor=actor,
            amount=asked[order.seller.slug],
            new_order_credit_max=most[order.pk],
        )


def _placed(checkout: Checkout, orders: list[Order]) -> None:
    """What follows a placed checkout: the payment's record, the e-mails (after commit), and
    the response's related objects as written (no need to read them back)."""
    payments.checkout_placed(checkout)
    # Card orders reach their sellers once paid (see orders.payments.services).
    notifications.notify_orders_placed(
        orders, tell_seller=not payments.rail_for(checkout.payment_method).paid_up_front
    )
    _as_prefetched(checkout, orders=orders)


def take_stock(lines: list[CartLine], listings: dict[int, Listing]) -> None:
    """Decrement the counted stock of the locked listings, in one statement."""
    taken: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.listing_id is not None and listings[line.listing_id].stock is not None:
            taken[line.listing_id] += line.quantity
    for listing_id, quantity in taken.items():
        listings[listing_id].stock -= quantity  # type: ignore[operator]
    if taken:
        ids = sorted(taken)
        statements.update(
            Listing,
            ("stock taken", len(ids)),
            _stock_update,
            ids=ids,
            stocks=[listings[pk].stock for pk in ids],
        )
        catalogue_version.changed()  # readers see the new stock (once, after commit)


def _stock_update(ids: list[int], stocks: list[int]) -> tuple[QuerySet[Listing], dict[str, Any]]:
    """The statement of `take_stock` (compiled once per number of listings)."""
    new_stock = Case(
        *(When(pk=pk, then=Value(stock)) for pk, stock in zip(ids, stocks, strict=True))
    )
    return Listing.objects.filter(pk__in=ids), {"stock": new_stock}


def create_orders(
    checkout: Checkout,
    plans: list[tuple[Cooperative, list[CartLine], OrderTotals]],
    listings: dict[int, Listing],
    actor: Any,
    *,
    terms: dict[int, agreed.AgreedTerms] | None = None,
) -> list[Order]:
    """One order per seller, their lines and `place` events: three statements whatever the
    number of sellers. The orders come back with their lines, events and (no) invoices."""
    orders = statements.create(
        [
            Order(
                checkout=checkout,
                buyer=checkout.buyer,
                seller=seller,
                status=OrderStatus.PLACED,
                payment_method=checkout.payment_method,
                currency=checkout.currency,
                total_amount=totals.total.amount,
                fee_bps=totals.fee_bps,
                fee_amount=totals.fee.amount,
                seller_amount=totals.seller_amount.amount,
                delivery_address=checkout.delivery_address,
                note=checkout.note,
                placed_by=actor,
                **(terms[seller.pk]._asdict() if terms and seller.pk in terms else {}),
            )
            for seller, _seller_lines, totals in plans
        ]
    )
    order_lines = [
        [
            OrderLine(
                order=order,
                listing_id=line.listing_id,
                title=line.title,
                unit=line.unit,
                unit_price_amount=line.unit_price_amount,
                quantity=line.quantity,
                line_total_amount=line.unit_price_amount * line.quantity,
                is_stock_tracked=line.listing_id is not None
                and listings[line.listing_id].stock is not None,
            )
            for line in seller_lines
        ]
        for order, (_seller, seller_lines, _totals) in zip(orders, plans, strict=True)
    ]
    statements.create([line for lines in order_lines for line in lines])
    events = statements.create(
        [
            OrderEvent(
                order=order,
                action=EventKind.PLACED,
                from_status="",
                to_status=OrderStatus.PLACED,
                actor=actor,
                actor_side="buyer",
                note=checkout.note,
            )
            for order in orders
        ]
    )
    for order, lines, event in zip(orders, order_lines, events, strict=True):
        _as_prefetched(order, lines=lines, events=[event], invoices=[])
    return orders


def _as_prefetched(instance: Any, **related: list[Any]) -> None:
    """Give `instance.<name>.all()` these objects, as `prefetch_related` would, without a query
    (as Django's prefetching does: a queryset whose results are already there)."""
    cache = {}
    for name, objects in related.items():
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache = objects
        queryset._prefetch_done = True
        cache[name] = queryset
    instance._prefetched_objects_cache = cache
