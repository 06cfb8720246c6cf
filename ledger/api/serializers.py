from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ledger.models import AccountKind, EntryKind, JournalEntry, JournalLine


class JournalQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The cooperative's slug (one of yours).")


class JournalLineSerializer(serializers.ModelSerializer):
    account_kind = serializers.ChoiceField(source="account.kind", choices=AccountKind.choices)
    rail = serializers.CharField(source="account.rail")
    amount = serializers.IntegerField(help_text="Minor units; debit +, credit −.")
    counterparty = serializers.SerializerMethodField()

    class Meta:
        model = JournalLine
        fields = ["account_kind", "rail", "amount", "counterparty"]

    def get_counterparty(self, line: JournalLine) -> str | None:
        """The other cooperative's slug; null for none, or the platform."""
        return line.counterparty.slug if line.counterparty_id else None  # type: ignore[union-attr]


class JournalEntrySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "kind",
            "kind_label",
            "currency",
            "occurred_at",
            "memo",
            "reverses",
            "lines",
        ]

    @extend_schema_field(JournalLineSerializer(many=True))
    def get_lines(self, entry: JournalEntry) -> list[dict[str, Any]]:
        """The cooperative's own lines of the entry (another party's side is not shown)."""
        return JournalLineSerializer(entry.own_lines, many=True).data  # type: ignore[attr-defined,return-value]
