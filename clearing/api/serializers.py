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
