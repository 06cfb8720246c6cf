"""Serializers of the receivables API (invoices as receivables, payments, notices, aging,
statements)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ReadOnlyModelSerializer
from core.text import MAX_REASON_LENGTH
from orders.api.serializers import CooperativeRefSerializer
from orders.models import Invoice
from orders.receivables.models import FeePayment, InvoicePayment, PaymentNotice
from orders.receivables.state import (
    AGING_BUCKETS,
    MANUAL_RAILS,
    InvoiceStatus,
    NoticeStatus,
    PaymentRail,
)
from orders.state import Side


class InvoiceListQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The cooperative whose invoices to list.")
    role = serializers.ChoiceField(
        choices=[Side.SELLER, Side.BUYER],
        required=False,
        help_text="`seller`: receivables; `buyer`: payables; both when left out.",
    )
    status = serializers.ChoiceField(choices=InvoiceStatus.choices, required=False)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)


class InvoicePaymentSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = InvoicePayment
        fields = ["id", "amount", "paid_on", "reference", "rail", "created_at"]


class ReceivableSerializer(ReadOnlyModelSerializer):
    order = serializers.IntegerField(source="order_id")
    buyer = CooperativeRefSerializer(source="order.buyer")
    seller = CooperativeRefSerializer(source="order.seller")
    amount_left = serializers.IntegerField(help_text="amount_due − amount_paid, minor units.")

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "order",
            "buyer",
            "seller",
            "issued_at",
            "due_date",
            "currency",
            "amount_due",
            "amount_paid",
            "amount_left",
            "status",
        ]


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**15, help_text="Minor units.")
    paid_on = serializers.DateField(required=False, help_text="Defaults to today.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    rail = serializers.ChoiceField(choices=MANUAL_RAILS, default=PaymentRail.BANK_TRANSFER)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_REASON_LENGTH, default=""
    )


class PaymentRecordedSerializer(serializers.Serializer):
    payment = InvoicePaymentSerializer()
    invoice = ReceivableSerializer()


class NoticeInputSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**15, help_text="Minor units.")
    paid_on = serializers.DateField(required=False, help_text="Defaults to today.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    rail = serializers.ChoiceField(choices=MANUAL_RAILS, default=PaymentRail.BANK_TRANSFER)
    proof = serializers.FileField(help_text="A PDF or a JPEG, PNG or WebP image.")


class NoticeSerializer(ReadOnlyModelSerializer):
    invoice = serializers.IntegerField(source="invoice_id")
    status = serializers.ChoiceField(choices=NoticeStatus.choices)
    payment = serializers.IntegerField(source="payment_id", allow_null=True)

    class Meta:
        model = PaymentNotice
        fields = [
            "id",
            "invoice",
            "amount",
            "paid_on",
            "reference",
            "rail",
            "proof_name",
            "status",
            "sent_at",
            "decided_at",
            "reason",
            "payment",
        ]


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON_LENGTH, help_text="Why: the buyer reads it."
    )


class AgingQuerySerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[Side.SELLER, Side.BUYER],
        default=Side.SELLER,
        help_text="`seller`: what buyers owe the cooperative; `buyer`: what it owes.",
    )


class AgingRowSerializer(serializers.Serializer):
    """One currency's unpaid amounts by how late they are (minor units)."""

    currency = serializers.CharField()
    total = serializers.IntegerField()
    for _key, _first, _last in AGING_BUCKETS:
        vars()[_key] = serializers.IntegerField(
            source=f"buckets.{_key}",
            help_text="Not yet due."
            if _first is None
            else f"{_first}–{_last or '…'} days past the due date.",
        )


class AgingSerializer(serializers.Serializer):
    role = serializers.CharField()
    as_of = serializers.DateField()
    rows = AgingRowSerializer(many=True)


class StatementQuerySerializer(serializers.Serializer):
    counterparty = serializers.SlugField(required=False, help_text="Another cooperative's slug.")
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    # `from` is a Python keyword, so these two are declared through the class namespace.
    vars()["from"] = serializers.DateField(required=False, help_text="First day, inclusive.")
    vars()["to"] = serializers.DateField(required=False, help_text="Last day, inclusive.")
    format = serializers.ChoiceField(choices=["json", "csv", "pdf"], default="json")


class StatementRowSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry.id")
    date = serializers.DateTimeField(source="entry.occurred_at")
    kind = serializers.CharField(source="entry.kind")
    memo = serializers.CharField(source="entry.memo")
    currency = serializers.CharField()
    amount = serializers.IntegerField(help_text="+ owed to the cooperative, − owed by it.")
    balance = serializers.IntegerField(help_text="The running balance in the currency.")


class CreditPaymentInputSerializer(serializers.Serializer):
    invoice = serializers.IntegerField(
        required=False, help_text="The open invoice to pay (its id); or `order`."
    )
    order = serializers.IntegerField(
        required=False,
        help_text="The order to pay (its id): its invoice once issued, else the order itself.",
    )
    amount = serializers.IntegerField(help_text="Minor units of the invoice's currency, > 0.")

    def validate(self, attrs: dict) -> dict:
        if ("invoice" in attrs) == ("order" in attrs):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send either an invoice or an order.")]}
            )
        return attrs


class CreditPaymentRecordedSerializer(serializers.Serializer):
    payment = InvoicePaymentSerializer()
    invoice = ReceivableSerializer(
        allow_null=True, help_text="The invoice as it is now; null while the order has none."
    )
    order = serializers.IntegerField()


class FeeQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM; this month when left out."
    )


class FeeOwedSerializer(serializers.Serializer):
    currency = serializers.CharField()
    owed = serializers.IntegerField(help_text="Minor units the seller owes (negative: paid ahead).")


class FeeRowSerializer(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.CharField(help_text="The ledger entry's kind: invoice_issued, fee_paid…")
    memo = serializers.CharField()
    currency = serializers.CharField()
    due = serializers.IntegerField(help_text="Fee that fell due (minor units).")
    paid = serializers.IntegerField(help_text="Fee paid or kept from a transfer (minor units).")
    owed = serializers.IntegerField(help_text="What is owed after this line, in its currency.")


class FeeStatementSerializer(serializers.Serializer):
    month = serializers.CharField()
    owed = FeeOwedSerializer(many=True)
    how_to_pay = serializers.CharField(help_text="The platform's bank details.")
    rows = FeeRowSerializer(many=True)


class FeePaymentInputSerializer(serializers.Serializer):
    currency = serializers.RegexField(r"^[A-Za-z]{3}$")
    amount = serializers.IntegerField(min_value=1, max_value=10**15, help_text="Minor units.")
    paid_on = serializers.DateField(required=False, help_text="Defaults to today.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    rail = serializers.ChoiceField(choices=MANUAL_RAILS, default=PaymentRail.BANK_TRANSFER)


class FeePaymentSerializer(ReadOnlyModelSerializer):
    seller = serializers.SlugField(source="seller.slug")
    rail = serializers.CharField()  # the rail's code (the schema has always said a string)
    owed = serializers.IntegerField(help_text="What the seller still owes in this currency.")

    class Meta:
        model = FeePayment
        fields = [
            "id",
            "seller",
            "currency",
            "amount",
            "paid_on",
            "reference",
            "rail",
            "created_at",
            "owed",
        ]
