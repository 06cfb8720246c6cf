"""The Django admin shows statuses read-only; its actions call the same services as the API."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline, apply_to_each, every_field
from orders import labels, services
from orders.models import (
    Cart,
    CartLine,
    Checkout,
    FeePayment,
    Invoice,
    InvoiceSequence,
    Message,
    Order,
    OrderEvent,
    OrderLine,
)
from orders.receivables import fees


class CartLineInline(ReadOnlyInline):
    model = CartLine
    readonly_fields = ("listing", "seller", "title", "quantity", "unit_price_amount", "currency")
    fields = readonly_fields


@admin.register(Cart)
class CartAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "updated_at"]
    search_fields = ["cooperative__name"]
    inlines = [CartLineInline]


class OrderInline(ReadOnlyInline):
    model = Order
    readonly_fields = ("id", "seller", "status", "total_amount", "fee_amount")
    fields = readonly_fields
    show_change_link = True


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "buyer",
        "status",
        "payment_method",
        "payment_status",
        "total_amount",
        "currency",
        "created_at",
    ]
    list_filter = ["status", "payment_method", "payment_status", "currency"]
    search_fields = ["buyer__name", "idempotency_key"]
    inlines = [OrderInline]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    readonly_fields = (
        "title",
        "quantity",
        "unit",
        "unit_price_amount",
        "line_total_amount",
        "listing",
    )
    fields = readonly_fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    readonly_fields = every_field(OrderEvent, but=["order"])
    fields = readonly_fields


class InvoiceInline(ReadOnlyInline):
    model = Invoice
    readonly_fields = ("number", "kind", "issued_at", "total_amount")
    fields = readonly_fields
    show_change_link = True


def _order_action(name: str, description: str, call: Callable[[Order, Any], Any]) -> Any:
    """An admin action that calls a service, `call(order, user)`, on each selected order (in
    primary-key order, the order the services lock them in)."""

    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        apply_to_each(
            modeladmin, request, queryset.order_by("pk"), lambda order: call(order, request.user)
        )

    run.__name__ = name
    return admin.action(description=description)(run)


def _transition_action(action: str) -> Any:
    return _order_action(
        f"order_{action}",
        f"{action.capitalize()} (as a member of the cooperative)",
        lambda order, user: services.order_transition(
            order=order, action=action, actor=user, reason="From the admin."
        ),
    )


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "buyer",
        "seller",
        "status",
        "state_label",
        "total_amount",
        "currency",
        "fee_amount",
        "payment_method",
        "is_flagged",
        "placed_at",
    ]
    list_filter = ["status", "payment_method", "is_flagged", "currency"]
    list_select_related = ("buyer", "seller", "checkout")

    def get_queryset(self, request: Any) -> Any:
        return labels.with_refund_status(super().get_queryset(request))

    search_fields = ["id", "buyer__name", "seller__name"]
    date_hierarchy = "placed_at"
    readonly_fields = every_field(Order)
    fields = readonly_fields
    inlines = [OrderLineInline, OrderEventInline, InvoiceInline]
    actions = [
        *[
            _transition_action(action)
            for action in ("accept", "decline", "fulfil", "complete", "cancel")
        ],
        _order_action(
            "flag",
            "Flag for a person to settle (moderators)",
            lambda order, user: services.order_flag(
                order=order, reason="Flagged from the admin.", actor=user
            ),
        ),
        _order_action(
            "unflag",
            "Clear the flag (moderators)",
            lambda order, user: services.order_unflag(order=order, actor=user),
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Status and payment"))
    def state_label(self, order: Order) -> str:
        return labels.order_label(order)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyAdmin):
    list_display = [
        "order",
        "action",
        "from_status",
        "to_status",
        "actor",
        "reference",
        "created_at",
    ]
    list_filter = ["action", "to_status"]
    search_fields = ["order__id", "note"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["order", "author", "author_side", "created_at"]
    search_fields = ["order__id"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "kind",
        "seller",
        "buyer_name",
        "total_amount",
        "currency",
        "issued_at",
    ]
    list_filter = ["kind", "year", "currency"]
    search_fields = ["number", "seller_name", "buyer_name"]


@admin.register(InvoiceSequence)
class InvoiceSequenceAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "year", "prefix", "last_number"]
    list_filter = ["year"]


# Card settlement's records (Payment, Transfer, Refund, TransferReversal, StripeEvent).
from orders.payments import admin as payments_admin  # noqa: E402, F401

# What a treasurer types for a fee payment: the form's fields and `fee_payment_record`'s arguments.
FEE_PAYMENT_FIELDS = ("seller", "currency", "amount", "paid_on", "reference", "rail")


class FeePaymentForm(forms.ModelForm):
    class Meta:
        model = FeePayment
        fields = FEE_PAYMENT_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seller, currency, amount = (data.get(name) for name in ("seller", "currency", "amount"))
        if seller and currency and amount:
            owed = fees.fee_owed(seller, currency.upper())
            if amount > owed:
                raise ValidationError(
                    _(
                        "That is more than the fee owed in %(currency)s (%(owed)s minor units); "
                        "nothing was recorded."
                    )
                    % {"currency": currency.upper(), "owed": max(owed, 0)}
                )
        return data


@admin.register(FeePayment)
class FeePaymentAdmin(admin.ModelAdmin):
    """A treasurer adds a seller's fee payment here (through `fee_payment_record`: the ledger
    entry is posted, more than is owed is refused); once recorded it is read-only."""

    list_display = ["id", "seller", "currency", "amount", "paid_on", "rail", "reference"]
    list_filter = ["currency", "rail"]
    list_select_related = ("seller",)
    search_fields = ["seller__name", "reference"]
    form = FeePaymentForm

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return FEE_PAYMENT_FIELDS
        return (*FEE_PAYMENT_FIELDS, "recorded_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return fees.is_treasurer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and fees.is_treasurer(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: FeePayment, form: Any, change: bool) -> None:
        typed = {field: getattr(obj, field) for field in FEE_PAYMENT_FIELDS}
        recorded = fees.fee_payment_record(actor=request.user, **typed)
        obj.pk = recorded.payment.pk
