from rest_framework import serializers

from clearing.models import ClearingItem, ClearingPosition, ClearingRun


class RunInputSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. ARS.")


class ItemSerializer(serializers.ModelSerializer):
    invoice = serializers.IntegerField(source="invoice_id")
    invoice_number = serializers.CharField(source="invoice.number")
    debtor = serializers.CharField(source="debtor.slug")
    creditor = serializers.CharField(source="creditor.slug")

    class Meta:
        model = ClearingItem
        fields = [
            "invoice",
            "invoice_number",
            "debtor",
            "creditor",
            "amount_left",
            "setoff_amount",
        ]


class PositionSerializer(serializers.ModelSerializer):
    cooperative = serializers.CharField(source="cooperative.slug")

    class Meta:
        model = ClearingPosition
        fields = ["cooperative", "owed_before", "owing_before", "owed_after", "owing_after"]


class RunSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = ClearingRun
        fields = [
            "id",
            "currency",
            "status",
            "created_at",
            "executed_at",
            "invoice_count",
            "volume_amount",
            "cleared_amount",
            "items",
            "positions",
        ]


class TransparencyQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text="This year when left out."
    )


class CreditMonthSerializer(serializers.Serializer):
    currency = serializers.CharField()
    month = serializers.DateField(help_text="The month's first day.")
    circulation = serializers.IntegerField(help_text="Credits moved between accounts.")
    cleared = serializers.IntegerField(help_text="Debt cancelled by set-off (minor units).")
    transfers_saved = serializers.IntegerField(
        help_text="Invoices closed entirely by set-off: bank transfers nobody had to make."
    )


class StatementQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=["json", "pdf"], default="json", help_text="`pdf` for the printable record."
    )


class StatementLineSerializer(serializers.Serializer):
    invoice = serializers.IntegerField(source="invoice.id")
    invoice_number = serializers.CharField(source="invoice.number")
    counterparty = serializers.CharField(source="counterparty.slug")
    side = serializers.SerializerMethodField(
        help_text="`receivable`: the counterparty owed it to us; `payable`: we owed it."
    )
    amount_before = serializers.IntegerField(help_text="Left to pay before the run.")
    setoff_amount = serializers.IntegerField(help_text="Compensated by the run.")
    amount_after = serializers.IntegerField(help_text="Left to pay after the run.")

    def get_side(self, line: object) -> str:
        return "receivable" if getattr(line, "is_owed_to_us", False) else "payable"


class StatementSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.id")
    currency = serializers.CharField(source="run.currency")
    executed_at = serializers.DateTimeField(source="run.executed_at")
    cooperative = serializers.CharField(source="cooperative.slug")
    position = PositionSerializer()
    owed_setoff = serializers.IntegerField(help_text="Set off of what was owed to it.")
    owing_setoff = serializers.IntegerField(help_text="Set off of what it owed.")
    lines = StatementLineSerializer(many=True)
