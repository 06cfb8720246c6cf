"""Card settlement in the Django admin: read-only records, filters that surface what needs a
person (failed transfers and refunds, flagged orders, disputes), and a retry action that calls
the same code as `manage.py retry_transfers`."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from orders.admin import ReadOnlyAdmin
from orders.payments.errors import PaymentProviderUnavailable
from orders.payments.execution import settlement_send, transfer_send
from orders.payments.models import (
    OutsideRefund,
    Payment,
    Refund,
    StripeEvent,
    Transfer,
    TransferReversal,
)


class DisputedFilter(admin.SimpleListFilter):
    title = "disputed"
    parameter_name = "disputed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(disputed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(disputed_at__isnull=True)
        return queryset


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "checkout",
        "payment_status",
        "amount",
        "amount_refunded",
        "currency",
        "stripe_payment_intent_id",
        "created_at",
        "succeeded_at",
        "disputed_at",
    ]
    list_filter = ["checkout__payment_status", DisputedFilter, "currency"]
    search_fields = ["stripe_payment_intent_id", "stripe_charge_id", "checkout__id"]
    list_select_related = ["checkout"]
    date_hierarchy = "created_at"

    @admin.display(description="payment status", ordering="checkout__payment_status")
    def payment_status(self, payment: Payment) -> str:
        return payment.checkout.get_payment_status_display()


def _send(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, send: Any
) -> None:
    done = []
    try:
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            done.append(f"{pk}: {send(pk).status}")
    except PaymentProviderUnavailable as exc:
        modeladmin.message_user(request, str(exc.detail), messages.ERROR)
    if done:
        modeladmin.message_user(request, "Sent again — " + ", ".join(done), messages.INFO)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = [
        "order",
        "status",
        "amount",
        "currency",
        "destination",
        "stripe_transfer_id",
        "attempts",
        "is_order_flagged",
        "created_at",
    ]
    list_filter = ["status", "order__is_flagged", "currency"]
    search_fields = ["stripe_transfer_id", "destination", "order__id", "order__seller__name"]
    list_select_related = ["order"]
    actions = ["send_again"]

    @admin.display(boolean=True, description="order flagged", ordering="order__is_flagged")
    def is_order_flagged(self, transfer: Transfer) -> bool:
        return transfer.order.is_flagged

    @admin.action(description="Send again (pending or failed transfers)")
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        _send(self, request, queryset, lambda pk: transfer_send(transfer_id=pk))


class SettlementAdmin(ReadOnlyAdmin):
    """Refunds and transfer reversals: one shape, one "send again" through their one path."""

    list_display = ["status", "amount", "currency", "stripe_id", "attempts", "created_at"]
    list_filter = ["status", "currency"]
    search_fields = ["stripe_id"]
    actions = ["send_again"]

    @admin.action(description="Send again (pending or failed)")
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        _send(self, request, queryset, lambda pk: settlement_send(self.model, pk))


@admin.register(Refund)
class RefundAdmin(SettlementAdmin):
    list_display = ["order", *SettlementAdmin.list_display]
    list_filter = [*SettlementAdmin.list_filter, "order__is_flagged"]
    search_fields = [*SettlementAdmin.search_fields, "order__id"]


@admin.register(TransferReversal)
class TransferReversalAdmin(SettlementAdmin):
    list_display = ["transfer", *SettlementAdmin.list_display]
    list_filter = [*SettlementAdmin.list_filter, "transfer__order__is_flagged"]
    search_fields = [*SettlementAdmin.search_fields, "transfer__order__id"]


@admin.register(OutsideRefund)
class OutsideRefundAdmin(ReadOnlyAdmin):
    """Refunds made in Stripe's dashboard, one order's share each (nothing to send: done)."""

    list_display = ["order", "amount", "currency", "stripe_refund_id", "succeeded_at"]
    list_filter = ["currency", "order__is_flagged"]
    search_fields = ["stripe_refund_id", "order__id"]
    list_select_related = ["order"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["stripe_event_id", "type", "object_id", "outcome", "received_at"]
    list_filter = ["type", "livemode"]
    search_fields = ["stripe_event_id", "object_id", "account", "outcome"]
    date_hierarchy = "received_at"
