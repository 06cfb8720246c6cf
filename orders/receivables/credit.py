"""Orders settled in mutual credit (docs/credit.md, "Selling and buying for credit"): how much of
an order its seller accepts in credit, paying part of an order before its invoice exists (at
checkout or later), counting that part on the invoice once issued, and giving the credits back
when the order is declined or cancelled.

Every movement is one balanced ledger entry (the rule `orders.books.credit_payment`), posted
once `credit.services.credit_transfer_check` allows it: it refuses (409) a payment that would
take the buyer below its line or the seller above its upper limit; the caller's transaction then rolls back whole, so nothing is half-posted. Locks: the
order (the caller's, or taken here), then its invoice, then the credit accounts."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import MANAGING_ROLES
from cooperatives.permissions import ensure_active, role_in
from core.errors import DomainError, NotPermitted
from core.money import Money
from marketplace.models import Listing
from orders.models import MAX_AMOUNT, Invoice, InvoiceKind, Order
from orders.payments.rails import rail_for
from orders.pricing import credit_max
from orders.receivables import books
from orders.receivables.models import InvoicePayment, OrderCreditPayment
from orders.receivables.state import PaymentRail
from orders.state import OrderStatus

FULL_SHARE_BPS = 10_000


def clean_credit_amount(amount: Any, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ValidationError(
            {field: [_("A whole number of minor units (cents), more than zero.")]}
        )
    return amount


def orders_credit_max(
    orders: Sequence[Order], listing_shares: dict[int, int | None] | None = None
) -> dict[int, int]:
    """By order id, the most of each order its seller accepts in credit: the share agreed on the
    order (a quote or an agreement), else per line the listing's share or, without one, the
    seller's. One query for all the orders' listings (none when the caller read them: a
    checkout), with the orders' lines and sellers loaded by the caller."""
    if listing_shares is None:
        listing_ids = {
            line.listing_id
            for order in orders
            if order.credit_share_bps is None
            for line in order.lines.all()
            if line.listing_id
        }
        listing_shares = (
            dict(Listing.objects.filter(pk__in=listing_ids).values_list("pk", "credit_share_bps"))
            if listing_ids
            else {}
        )
    return {
        order.pk: order.total_amount * order.credit_share_bps // FULL_SHARE_BPS
        if order.credit_share_bps is not None
        else credit_max(
            (
                (line.line_total_amount, listing_shares.get(line.listing_id or 0))
                for line in order.lines.all()
            ),
            order.seller.credit_share_bps,
        )
        for order in orders
    }


def order_credit_max(order: Order) -> int:
    """`orders_credit_max` of one order."""
    return orders_credit_max([order])[order.pk]


def _total(payments: QuerySet[Any], by: str) -> Coalesce:
    """The sum of `payments`' amounts (already filtered on the outer order), 0 without any."""
    summed = payments.order_by().values(by).annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(summed[:1]), Value(0), output_field=BigIntegerField())


def with_credit_paid(orders: QuerySet[Order]) -> QuerySet[Order]:
    """The orders with `credit_paid`: what the buyer paid of each in credit so far, in the same
    query. Before its invoice, the order's credit payments; once invoiced, the invoice's credit
    payments (which count the earlier ones, docs/credit.md)."""
    invoiced = Invoice.objects.filter(order=OuterRef("pk"), kind=InvoiceKind.INVOICE)
    on_invoice = InvoicePayment.objects.filter(
        invoice__order=OuterRef("pk"), invoice__kind=InvoiceKind.INVOICE, rail=PaymentRail.CREDIT
    )
    before_invoice = OrderCreditPayment.objects.filter(order=OuterRef("pk"))
    return orders.annotate(
        credit_paid=Case(
            When(Exists(invoiced), then=_total(on_invoice, "invoice__order")),
            default=_total(before_invoice, "order"),
            output_field=BigIntegerField(),
        )
    )


def order_credit_paid(order: Order) -> int:
    """What the buyer paid of the order in credit so far (before and after its invoice)."""
    found = with_credit_paid(Order.objects.filter(pk=order.pk)).get()
    return int(found.credit_paid)  # type: ignore[attr-defined]


def ensure_credit_share(
    order: Order, amount: int, *, most: int | None = None, paid: int | None = None
) -> None:
    """Refuse (409) a credit payment past the share of the order its seller accepts (`most` and
    `paid` when the caller knows them, as a checkout does of the orders it just made)."""
    most = order_credit_max(order) if most is None else most
    if most <= 0:
        raise DomainError(
            _("%(seller)s accepts no part of this order in mutual credit; nothing was paid.")
            % {"seller": order.seller.name},
            code="credit_not_accepted",
        )
    paid = order_credit_paid(order) if paid is None else paid
    if paid + amount > most:
        raise DomainError(
            _(
                "%(seller)s accepts at most %(most)s of this order in mutual credit "
                "(%(left)s left); nothing was paid."
            )
            % {
                "seller": order.seller.name,
                "most": Money(most, order.currency).format(),
                "left": Money(max(most - paid, 0), order.currency).format(),
            },
            code="credit_share_exceeded",
        )


def order_credit_record(
    *,
    order: Order,
    actor: Any,
    amount: int,
    idempotency_key: str = "",
    new_order_credit_max: int | None = None,
) -> tuple[OrderCreditPayment, bool]:
    """Pay `amount` of an order that has no invoice yet in credit (the caller holds the order's
    lock and judged the actor): the share, then both limits, then one entry. Returns the
    payment and whether it is the replay of an earlier one with the same key. A checkout paying
    the orders it just made names each one's share (`new_order_credit_max`): nothing is paid of
    a new order yet, so neither is read."""
    amount = clean_credit_amount(amount)
    if idempotency_key:
        first = OrderCreditPayment.objects.filter(order=order, idempotency_key=idempotency_key)
        if first.exists():
            payment = first.get()
            if payment.amount != amount:
                raise DomainError(
                    _("This Idempotency-Key was used for a different payment."),
                    code="idempotency_key_reused",
                )
            return payment, True
    if not rail_for(order.payment_method).seller_marks_paid:
        raise DomainError(
            _("Card payments are marked paid by the payment provider."), code="not_invoiced"
        )
    if order.status != OrderStatus.PLACED:
        raise DomainError(
            _("This order is no longer open to payment; nothing was paid."),
            code="credit_order_not_open",
        )
    if new_order_credit_max is None:
        ensure_credit_share(order, amount)
    else:
        ensure_credit_share(order, amount, most=new_order_credit_max, paid=0)
    payment = OrderCreditPayment.objects.create(
        order=order,
        amount=amount,
        paid_on=timezone.localdate(),
        reference=_("Mutual credit"),
        rail=PaymentRail.CREDIT,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        idempotency_key=idempotency_key,
    )
    books.credit_posted(books.order_credit_posting(payment))
    return payment, False


@transaction.atomic
def order_pay_in_credit(
    *, order: Order, actor: Any, amount: Any, idempotency_key: str = ""
) -> tuple[OrderCreditPayment, bool]:
    """The buyer's owners and admins pay part of a placed order (not yet invoiced) in credit."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("buyer", "seller")
        .get(pk=order.pk)
    )
    if role_in(actor, order.buyer) not in MANAGING_ROLES:
        raise NotPermitted(_("Only the buyer's owners and admins pay its orders."))
    ensure_active(order.buyer, "checkout")
    return order_credit_record(
        order=order, actor=actor, amount=amount, idempotency_key=idempotency_key
    )


# What an invoice payment repeats of a credit payment its order had before the invoice: what
# every recorded payment states (`RecordedPayment`), but its key, which names the credit payment.
CARRIED_OVER = ("amount", "paid_on", "reference", "rail", "recorded_by")


def invoice_count_order_credit(invoice: Invoice) -> None:
    """A newly issued invoice lists what was paid of its order in credit before it (its
    `amount_paid` already counts it, `receivable_fields`): one credit payment per earlier one,
    posting nothing (their entries were posted when they were paid)."""
    earlier = list(OrderCreditPayment.objects.filter(order_id=invoice.order_id).order_by("pk"))
    InvoicePayment.objects.bulk_create(
        InvoicePayment(
            invoice=invoice,
            idempotency_key=f"order_credit:{payment.pk}",
            **{name: getattr(payment, name) for name in CARRIED_OVER},
        )
        for payment in earlier
    )
    if earlier and invoice.amount_left == 0:
        order = invoice.order
        order.paid_at = timezone.now()
        order.save(update_fields=["paid_at", "updated_at"])


def order_credit_before_invoice(order: Order) -> int:
    total = OrderCreditPayment.objects.filter(order=order).aggregate(total=Sum("amount"))
    return int(total["total"] or 0)


def order_credit_refund(order: Order) -> None:
    """A declined or cancelled order gives the buyer its credits back, as one entry (the caller
    holds the order's lock). Refused (409, the whole cancellation with it) when the seller has
    spent them and would go below its line, or the buyer would pass its upper limit."""
    paid = order_credit_paid(order)
    if paid:
        books.credit_posted(books.credit_refund_posting(order, paid))
