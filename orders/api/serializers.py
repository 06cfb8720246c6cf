import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.api.serializers import CooperativeRefSerializer
from cooperatives.permissions import prime_roles
from core.api.serializers import FieldsBuiltOnce, ReadOnlyModelSerializer, validated
from core.text import MAX_REASON_LENGTH
from orders import labels, permissions
from orders.models import (
    MAX_AMOUNT,
    MAX_CART_LINES,
    MAX_QUANTITY,
    Checkout,
    Invoice,
    Message,
    Order,
    OrderEvent,
    OrderLine,
)
from orders.payments import rails
from orders.selectors import INVOICE_STATEMENT_FIELDS, CartSummary, SellerGroup
from orders.state import OrderStatus, PaymentStatus, Side
from quotes.api.serializers import RfqInputSerializer


class AmountSerializer(serializers.Serializer):
    currency = serializers.CharField()
    amount = serializers.IntegerField(help_text="Minor units.")


def _amounts(totals: dict[str, int]) -> list[dict[str, Any]]:
    return [{"currency": c, "amount": totals[c]} for c in sorted(totals)]


# --- cart ---------------------------------------------------------------------------------


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.id")
    listing = serializers.IntegerField(source="line.listing_id", allow_null=True)
    seller = serializers.SlugField(source="line.seller.slug")
    title = serializers.CharField(source="line.title")
    unit = serializers.CharField(source="line.unit")
    quantity = serializers.IntegerField(source="line.quantity")
    unit_price_amount = serializers.IntegerField(
        source="line.unit_price_amount", help_text="The price remembered when the line was added."
    )
    current_price_amount = serializers.IntegerField(
        allow_null=True, help_text="The listing's price now; null when it cannot be ordered."
    )
    agreed_price_amount = serializers.IntegerField(
        allow_null=True,
        help_text="The unit price an agreement in force gives this line (checkout orders at "
        "it); null when the public price applies or outside the whole cart.",
    )
    price_reason = serializers.CharField(
        help_text="Why the agreed price applies, e.g. “Agreement FACTA 2027, ≥ 500 units”."
    )
    currency = serializers.CharField(source="line.currency")
    line_total_amount = serializers.IntegerField(source="line_total.amount")
    is_price_changed = serializers.BooleanField()
    is_unavailable = serializers.BooleanField()
    problem = serializers.CharField(help_text="What to fix before checking out, if anything.")
    problem_code = serializers.CharField()


class SellerGroupSerializer(serializers.Serializer):
    seller = CooperativeRefSerializer()
    lines = CartLineSerializer(many=True)
    totals = serializers.SerializerMethodField()
    card_payable = serializers.BooleanField(
        source="is_card_payable",
        help_text="Whether a card checkout can include this seller (its Stripe account can be "
        "paid out); if not, pay it by invoice.",
    )

    @extend_schema_field(AmountSerializer(many=True))
    def get_totals(self, group: SellerGroup) -> list[dict[str, Any]]:
        return _amounts(group.totals)


class CartSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(source="cooperative.slug")
    groups = SellerGroupSerializer(many=True)
    totals = serializers.SerializerMethodField()
    line_count = serializers.IntegerField()
    has_problems = serializers.BooleanField()
    payment_methods = serializers.ListField(
        child=serializers.ChoiceField(choices=rails.choices()),
        help_text="The payment methods this exchange offers now (`stripe` needs Stripe keys).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the registry as it is now (a rail registered later is offered too)
        child = cast(serializers.ListField, self.fields["payment_methods"]).child
        cast(serializers.ChoiceField, child).choices = rails.choices()

    @extend_schema_field(AmountSerializer(many=True))
    def get_totals(self, summary: CartSummary) -> list[dict[str, Any]]:
        return _amounts(summary.totals)


class CartQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The buyer cooperative's slug.")


class CartItemInputSerializer(serializers.Serializer):
    cooperative = serializers.SlugField()
    listing = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class CartItemUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)
    confirm_price = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Accept the listing's current price (and title and unit) for this line.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "quantity" not in attrs and not attrs.get("confirm_price"):
            raise serializers.ValidationError(_("Send a quantity or confirm_price: true."))
        return attrs


# --- orders -------------------------------------------------------------------------------


class OrderLineSerializer(FieldsBuiltOnce, ReadOnlyModelSerializer):
    class Meta:
        model = OrderLine
        fields = [
            "id",
            "listing",
            "title",
            "unit",
            "unit_price_amount",
            "quantity",
            "line_total_amount",
        ]


class OrderEventSerializer(FieldsBuiltOnce, ReadOnlyModelSerializer):
    actor = serializers.SerializerMethodField()
    action_label = serializers.CharField(
        source="label", read_only=True, help_text="The kind (`action`) in the reader's language."
    )

    class Meta:
        model = OrderEvent
        fields = [
            "id",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "actor",
            "actor_side",
            "note",
            "reference",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: OrderEvent) -> str | None:
        """The person's name; null for what Minga did on its own."""
        return event.actor.name if event.actor else None


def _document_number(order: Order, kind: str) -> str | None:
    for invoice in order.invoices.all():
        if invoice.kind == kind:
            return invoice.number
    return None


class OrderSummarySerializer(FieldsBuiltOnce, ReadOnlyModelSerializer):
    buyer = CooperativeRefSerializer()
    seller = CooperativeRefSerializer()
    lines = OrderLineSerializer(many=True)
    is_paid = serializers.BooleanField()
    payment_status = serializers.ChoiceField(
        source="checkout.payment_status",
        choices=PaymentStatus.choices,
        help_text="The checkout's payment: `by_invoice`, or the card payment's status.",
    )
    invoice_number = serializers.SerializerMethodField()
    credit_note_number = serializers.SerializerMethodField()
    payment_state = serializers.SerializerMethodField(
        help_text="The order's payment as people read it (`awaiting_payment`, `paid_by_card`, "
        "`refunded`...); `status_label` says it in the reader's language."
    )
    status_label = serializers.SerializerMethodField(
        help_text='The order\'s status and payment for people, translated: "Cancelled · Refunded".'
    )
    seller_suspended = serializers.BooleanField(
        source="is_seller_suspended",
        help_text="The order is open and its seller is suspended by the moderators: the seller "
        "cannot accept, fulfil or invoice it; the buyer may cancel it.",
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "checkout",
            "status",
            "buyer",
            "seller",
            "currency",
            "total_amount",
            "fee_bps",
            "fee_amount",
            "seller_amount",
            "payment_method",
            "payment_status",
            "payment_state",
            "status_label",
            "is_paid",
            "paid_at",
            "invoice_number",
            "credit_note_number",
            "is_flagged",
            "seller_suspended",
            "payment_terms_days",
            "credit_share_bps",
            "placed_at",
            "accepted_at",
            "fulfilled_at",
            "closed_at",
            "lines",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=labels.PaymentState.choices))
    def get_payment_state(self, order: Order) -> str:
        return labels.order_payment_state(order).value

    def get_status_label(self, order: Order) -> str:
        return labels.order_label(order)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_invoice_number(self, order: Order) -> str | None:
        return _document_number(order, "invoice")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_credit_note_number(self, order: Order) -> str | None:
        return _document_number(order, "credit_note")


class OrderDetailSerializer(OrderSummarySerializer):
    events = OrderEventSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta(OrderSummarySerializer.Meta):
        fields = [
            *OrderSummarySerializer.Meta.fields,
            "delivery_address",
            "note",
            "flag_reason",
            "events",
            "actions",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=permissions.ORDER_ACTIONS))
    )
    def get_actions(self, order: Order) -> list[str]:
        """What the requesting person may do now: the transitions (`POST /orders/{id}/<action>/`),
        `order_again` (`POST /orders/{id}/order-again/`) and `ask_again` (`POST
        /orders/{id}/ask-again/`)."""
        request = self.context.get("request")
        return permissions.available_actions(request.user, order) if request else []


class OrderListQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The cooperative's slug.")
    role = serializers.ChoiceField(choices=Side.choices, required=False)
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_REASON_LENGTH, default=""
    )


class RefundPaidOutsideSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH,
        help_text="How the buyer was paid (a bank transfer, cash...): on the order's timeline.",
    )
    reference = serializers.CharField(
        max_length=200,
        help_text="The payment's reference (the bank transfer's, a receipt's number); one line.",
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


# --- checkout -----------------------------------------------------------------------------


class CheckoutLineInputSerializer(serializers.Serializer):
    listing = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price_amount = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text="The unit price the buyer agreed to (minor units); a different current price "
        "is a 409 `price_changed`. Without it, the listing's current price is taken.",
    )


class CheckoutCreditInputSerializer(serializers.Serializer):
    seller = serializers.SlugField(help_text="The seller cooperative of one order (its slug).")
    credit_amount = serializers.IntegerField(
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text="Minor units of that order paid in mutual credit at once (the rest by invoice).",
    )


class CheckoutInputSerializer(serializers.Serializer):
    cooperative = serializers.SlugField()
    lines = CheckoutLineInputSerializer(  # type: ignore[call-arg]  # DRF's ListSerializer takes the lengths
        many=True,
        required=False,
        min_length=1,
        max_length=MAX_CART_LINES,
        help_text="Order exactly these listings, in one request, without the cart (which is left "
        "as it is). Without `lines`, the cart's lines are ordered.",
    )
    payment_method = serializers.ChoiceField(choices=rails.choices())
    credit = CheckoutCreditInputSerializer(  # type: ignore[call-arg]
        many=True,
        required=False,
        max_length=MAX_CART_LINES,
        help_text="Per seller, the part of its order paid in mutual credit (invoice checkouts): "
        "at most the seller's accepted credit share and the buyer's available credit; refused "
        "as a whole (409) otherwise.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the registry as it is now (a rail registered later is accepted too)
        cast(serializers.ChoiceField, self.fields["payment_method"]).choices = rails.choices()

    currency = serializers.CharField(
        required=False,
        allow_blank=True,
        min_length=3,
        max_length=3,
        default="",
        help_text="Required when the cart holds several currencies.",
    )
    delivery_address = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    only_card_payable = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With `stripe`: check out only the sellers that can be paid by card and leave "
        "the others in the cart (otherwise such sellers make the checkout a 409).",
    )


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_NOT_IN_TEXT = re.compile("[\x00\ud800-\udfff]")  # what DRF's CharField refuses
# The serializer's limits, read from its fields (the fast path checks the same ones).
_INPUT = CheckoutInputSerializer._declared_fields
_LINES: Any = _INPUT["lines"]
_LINE: Any = CheckoutLineInputSerializer._declared_fields
_LISTING_LEAST, _LISTING_MOST = _LINE["listing"].min_value, _LINE["listing"].max_value
_QUANTITY_LEAST, _QUANTITY_MOST = _LINE["quantity"].min_value, _LINE["quantity"].max_value
_PRICE_LEAST, _PRICE_MOST = (
    _LINE["unit_price_amount"].min_value,
    _LINE["unit_price_amount"].max_value,
)
_TEXT_LIMITS = [
    (name, cast(Any, _INPUT[name]).min_length or 0, cast(Any, _INPUT[name]).max_length)
    for name in ("currency", "delivery_address", "note")
]


def checkout_input(data: Any) -> dict[str, Any]:
    """What `validated(CheckoutInputSerializer, data)` returns, found without DRF's fields for
    a body plainly valid (JSON of the types the API documents, no `credit`), as nearly every
    checkout sends; anything else, valid or not, goes through the serializer, so every 400
    names the same errors. DRF's validation of the nested `lines` was about a twelfth of a
    checkout's CPU (each item's fields deep-copied)."""
    plain = _plainly_valid_checkout(data) if type(data) is dict else None
    return plain if plain is not None else validated(CheckoutInputSerializer, data)


def _plainly_valid_checkout(data: dict[str, Any]) -> dict[str, Any] | None:
    cooperative, method = data.get("cooperative"), data.get("payment_method")
    if "credit" in data or type(cooperative) is not str or not _SLUG.fullmatch(cooperative):
        return None
    if type(method) is not str or method not in dict(rails.choices()):
        return None
    values: dict[str, Any] = {"cooperative": cooperative}
    if "lines" in data:
        lines = _plainly_valid_lines(data["lines"])
        if lines is None:
            return None
        values["lines"] = lines
    values["payment_method"] = method
    for name, shortest, longest in _TEXT_LIMITS:
        text = data.get(name, "")
        if type(text) is not str or _NOT_IN_TEXT.search(text):
            return None
        text = text.strip()
        if text and not shortest <= len(text) <= longest:
            return None
        values[name] = text
    only_card_payable = data.get("only_card_payable", False)
    if type(only_card_payable) is not bool:
        return None
    values["only_card_payable"] = only_card_payable
    return values


def _plainly_valid_lines(lines: Any) -> list[dict[str, int]] | None:
    if type(lines) is not list or not _LINES.min_length <= len(lines) <= _LINES.max_length:
        return None
    valid = []
    for line in lines:
        if type(line) is not dict:
            return None
        listing, quantity = line.get("listing"), line.get("quantity")
        if type(listing) is not int or not _LISTING_LEAST <= listing <= _LISTING_MOST:
            return None
        if type(quantity) is not int or not _QUANTITY_LEAST <= quantity <= _QUANTITY_MOST:
            return None
        item = {"listing": listing, "quantity": quantity}
        if "unit_price_amount" in line:
            price = line["unit_price_amount"]
            if type(price) is not int or not _PRICE_LEAST <= price <= _PRICE_MOST:
                return None
            item["unit_price_amount"] = price
        valid.append(item)
    return valid


class PaymentSerializer(serializers.Serializer):
    client_secret = serializers.CharField(help_text="For Stripe.js (Payment Element).")
    publishable_key = serializers.CharField()


class CheckoutSerializer(FieldsBuiltOnce, ReadOnlyModelSerializer):
    orders = serializers.SerializerMethodField()
    payment = serializers.SerializerMethodField()

    class Meta:
        model = Checkout
        fields = [
            "id",
            "status",
            "payment_method",
            "payment_status",
            "total_amount",
            "fee_amount",
            "currency",
            "delivery_address",
            "note",
            "created_at",
            "orders",
            "payment",
        ]

    @extend_schema_field(OrderDetailSerializer(many=True))
    def get_orders(self, checkout: Checkout) -> list[dict[str, Any]]:
        orders: Any
        if "orders" in getattr(checkout, "_prefetched_objects_cache", {}):
            orders = checkout.orders.all()  # a new checkout: its orders as they were written
        else:
            orders = (
                checkout.orders.select_related("buyer", "seller", "checkout")
                .prefetch_related("lines", "invoices", "events__actor")
                .order_by("id")
            )
        request = self.context.get("request")
        if request is not None:
            # The actions of each order depend on the person's role in both cooperatives.
            prime_roles(request.user, {order.seller_id for order in orders} | {checkout.buyer_id})
        return OrderDetailSerializer(orders, many=True, context=self.context).data  # type: ignore[return-value]

    @extend_schema_field(PaymentSerializer(allow_null=True))
    def get_payment(self, checkout: Checkout) -> dict[str, str] | None:
        return self.context.get("payment")


# A datetime as every serializer here writes it (DRF's format, in the request's time zone).
_WHEN = serializers.DateTimeField()


def _when(value: Any) -> Any:
    return _WHEN.to_representation(value) if value else None


def _choice(value: Any) -> Any:
    return str(value) if value not in ("", None) else value


@dataclass(frozen=True)
class _Written:
    """How `placed_checkout_data` writes one serializer's fields: all of `Meta.fields`, in their
    order; those in `columns` are attributes read as they are (attribute paths by field name),
    the others the writer computes. A field of the serializer that is neither is an error at
    import, so a new field cannot be left out of the answer."""

    fields: list[str]
    columns: tuple[str, ...]
    values: Callable[[Any], Any]  # the columns' values of an instance, in `columns`' order

    def start(self, instance: Any) -> dict[str, Any]:
        """The instance's fields in the serializer's order, the columns' values written."""
        data = dict.fromkeys(self.fields)
        values = self.values(instance)
        data.update(zip(self.columns, values if len(self.columns) > 1 else (values,), strict=True))
        return data


def _written(serializer: Any, columns: dict[str, str], computed: set[str]) -> _Written:
    fields = list(serializer.Meta.fields)
    unwritten = set(fields) - set(columns) - computed
    unknown = (set(columns) | computed) - set(fields)
    if unwritten or unknown:
        raise ImproperlyConfigured(
            f"placed_checkout_data: {serializer.__name__} has {sorted(unwritten)} unwritten"
            f" and no {sorted(unknown)}."
        )
    return _Written(fields, tuple(columns), attrgetter(*columns.values()))


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


# An order line's fields are its columns (the listing's by its id): read in the serializer's order.
_LINE_FIELDS = OrderLineSerializer.Meta.fields
_line_values = attrgetter(*("listing_id" if name == "listing" else name for name in _LINE_FIELDS))
_COOPERATIVE = _written(CooperativeRefSerializer, _same("id", "slug", "name"), {"country"})
_EVENT = _written(
    OrderEventSerializer,
    _same("id", "note", "reference") | {"action_label": "label"},
    {"action", "from_status", "to_status", "actor", "actor_side", "created_at"},
)
_ORDER = _written(
    OrderDetailSerializer,
    _same(
        "id",
        "currency",
        "total_amount",
        "fee_bps",
        "fee_amount",
        "seller_amount",
        "is_paid",
        "is_flagged",
        "payment_terms_days",
        "credit_share_bps",
        "delivery_address",
        "note",
        "flag_reason",
    )
    | {"checkout": "checkout_id", "seller_suspended": "is_seller_suspended"},
    {
        "status",
        "buyer",
        "seller",
        "payment_method",
        "payment_status",
        "payment_state",
        "status_label",
        "paid_at",
        "invoice_number",
        "credit_note_number",
        "placed_at",
        "accepted_at",
        "fulfilled_at",
        "closed_at",
        "lines",
        "events",
        "actions",
    },
)
_CHECKOUT = _written(
    CheckoutSerializer,
    _same("id", "total_amount", "fee_amount", "currency", "delivery_address", "note"),
    {"status", "payment_method", "payment_status", "created_at", "orders", "payment"},
)


def _cooperative_ref(cooperative: Any) -> dict[str, Any]:
    data = _COOPERATIVE.start(cooperative)
    data["country"] = _choice(cooperative.country)
    return data


def _placed_event(event: OrderEvent) -> dict[str, Any]:
    data = _EVENT.start(event)
    data.update(
        action=_choice(event.action),
        from_status=str(event.from_status),
        to_status=str(event.to_status),
        actor=event.actor.name if event.actor else None,
        actor_side=str(event.actor_side),
        created_at=_when(event.created_at),
    )
    return data


def _placed_order(order: Order, user: Any) -> dict[str, Any]:
    data = _ORDER.start(order)
    data.update(
        status=_choice(order.status),
        buyer=_cooperative_ref(order.buyer),
        seller=_cooperative_ref(order.seller),
        payment_method=str(order.payment_method),
        payment_status=_choice(order.checkout.payment_status),
        payment_state=labels.order_payment_state(order).value,
        status_label=labels.order_label(order),
        paid_at=_when(order.paid_at),
        invoice_number=_document_number(order, "invoice"),
        credit_note_number=_document_number(order, "credit_note"),
        placed_at=_when(order.placed_at),
        accepted_at=_when(order.accepted_at),
        fulfilled_at=_when(order.fulfilled_at),
        closed_at=_when(order.closed_at),
        lines=[
            dict(zip(_LINE_FIELDS, _line_values(line), strict=True)) for line in order.lines.all()
        ],
        events=[_placed_event(event) for event in order.events.all()],
        actions=permissions.available_actions(user, order),
    )
    return data


def placed_checkout_data(
    checkout: Checkout, *, request: Any, payment: dict[str, str] | None
) -> dict[str, Any]:
    """What `CheckoutSerializer` writes for a checkout just placed, whose orders carry the rows
    the checkout wrote (lines, events, no invoices): the same fields in the same order (each
    serializer's `Meta.fields`), written straight from those rows. DRF's serializers bind a
    copy of every field of every nested serializer for each answer (about a sixth of a
    checkout's CPU); this is the answer of every checkout, so it is written out here, and tests
    compare it with the serializer's."""
    orders = checkout.orders.all()
    prime_roles(request.user, {order.seller_id for order in orders} | {checkout.buyer_id})
    data = _CHECKOUT.start(checkout)
    data.update(
        status=_choice(checkout.status),
        payment_method=str(checkout.payment_method),
        payment_status=_choice(checkout.payment_status),
        created_at=_when(checkout.created_at),
        orders=[_placed_order(order, request.user) for order in orders],
        payment=payment,
    )
    return data


class CheckoutProblemSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="The cart line; null for a line sent with the checkout."
    )
    listing = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    code = serializers.CharField()
    detail = serializers.CharField()


class OrderedAgainLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.id", help_text="The cart line.")
    order_line = serializers.IntegerField(
        source="ordered.id", help_text="The line of the earlier order."
    )
    listing = serializers.IntegerField(source="line.listing_id")
    title = serializers.CharField(source="line.title")
    unit = serializers.CharField(source="line.unit")
    quantity = serializers.IntegerField(source="ordered.quantity", help_text="What was added now.")
    cart_quantity = serializers.IntegerField(
        source="line.quantity", help_text="The cart line's quantity now (it may have held some)."
    )
    unit_price_amount = serializers.IntegerField(
        source="line.unit_price_amount", help_text="The price the cart remembers for the line."
    )
    ordered_unit_price_amount = serializers.IntegerField(
        source="ordered.unit_price_amount", help_text="The unit price of the earlier order."
    )
    currency = serializers.CharField(source="line.currency")


class OrderedAgainSerializer(serializers.Serializer):
    added = OrderedAgainLineSerializer(many=True)
    skipped = CheckoutProblemSerializer(
        many=True, help_text="The order's lines left out, each with why (`id`: the order line)."
    )


class ConflictSellerSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class CheckoutConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    lines = CheckoutProblemSerializer(many=True, required=False)
    sellers = ConflictSellerSerializer(
        many=True,
        required=False,
        help_text="With `seller_not_card_payable`: the sellers that take payment by invoice only.",
    )


# --- messages, invoices, reports ----------------------------------------------------------


class MessageSerializer(ReadOnlyModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author", "author_side", "body", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, message: Message) -> str | None:
        return message.author.name if message.author else None


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class InvoiceSerializer(ReadOnlyModelSerializer):
    credits: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="A credit note: the number of the invoice it cancels; null on an invoice.",
    )
    pdf_url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "number",
            "kind",
            "year",
            "sequence",
            "issued_at",
            "credits",
            *INVOICE_STATEMENT_FIELDS,
            "pdf_url",
            "html_url",
        ]

    def _url(self, invoice: Invoice, suffix: str) -> str:
        name = "credit-note" if invoice.is_credit_note else "invoice"
        path = f"/api/v1/orders/{invoice.order_id}/{name}.{suffix}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, invoice: Invoice) -> str:
        return self._url(invoice, "pdf")

    def get_html_url(self, invoice: Invoice) -> str:
        return self._url(invoice, "html")


class OrderInvoiceSerializer(InvoiceSerializer):
    """The order's invoice, with its credit note when the order was cancelled after it."""

    credit_note = serializers.SerializerMethodField()
    is_paid = serializers.SerializerMethodField()

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "is_paid", "credit_note"]

    @extend_schema_field(InvoiceSerializer(allow_null=True))
    def get_credit_note(self, invoice: Invoice) -> dict[str, Any] | None:
        note = self.context.get("credit_note")
        return InvoiceSerializer(note, context=self.context).data if note else None

    def get_is_paid(self, invoice: Invoice) -> bool:
        return invoice.order.paid_at is not None


class ReportQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Calendar year; the current one when left out.",
    )


class MonthRowSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    currency = serializers.CharField()
    sales_amount = serializers.IntegerField()
    sales_orders = serializers.IntegerField()
    purchases_amount = serializers.IntegerField()
    purchases_orders = serializers.IntegerField()


class PartnerRowSerializer(MonthRowSerializer):
    month = None  # type: ignore[assignment]
    partner = CooperativeRefSerializer()


class TradeReportSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(source="cooperative.slug")
    year = serializers.IntegerField()
    months = MonthRowSerializer(many=True)
    partners = PartnerRowSerializer(many=True)


# What asking an order's seller again takes: a request's fields (`quotes.api.serializers`) but
# those the order decides (the buyer, the one seller asked); only the dates must be sent, the
# rest is pre-filled from the order.
ASK_AGAIN_DECIDED = ("cooperative", "visibility", "invited", "category", "region", "attachments")
ASK_AGAIN_PREFILLED = ("title", "specification", "quantity", "unit", "delivery_place")


class AskAgainInputSerializer(RfqInputSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ASK_AGAIN_DECIDED:
            del self.fields[name]
        for name in ASK_AGAIN_PREFILLED:
            self.fields[name].required = False
            self.fields[name].help_text = "Pre-filled from the order when left out."
