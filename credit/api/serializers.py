from rest_framework import serializers

from core.text import MAX_REASON_LENGTH
from credit.models import CreditAccount, CreditSystem, LineLog, LineRequest
from credit.selectors import suggested_lower_limit


class SystemSerializer(serializers.ModelSerializer):
    terms_version = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()

    class Meta:
        model = CreditSystem
        fields = ["id", "currency", "name", "default_upper_limit", "terms_version", "terms"]

    def get_terms_version(self, system: CreditSystem) -> int | None:
        terms = system.current_terms
        return terms.version if terms else None

    def get_terms(self, system: CreditSystem) -> str:
        terms = system.current_terms
        return terms.text if terms else ""


class JoinInputSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The cooperative that joins (its slug).")
    terms_version = serializers.IntegerField(help_text="The version of the terms it accepts.")


class LineLogSerializer(serializers.ModelSerializer):
    set_by = serializers.CharField(source="set_by.name", default="")
    approved_by = serializers.CharField(source="approved_by.name", default="")

    class Meta:
        model = LineLog
        fields = [
            "lower_before",
            "upper_before",
            "lower_after",
            "upper_after",
            "reason",
            "set_by",
            "approved_by",
            "created_at",
        ]


class AccountSerializer(serializers.ModelSerializer):
    cooperative = serializers.CharField(source="cooperative.slug")
    currency = serializers.CharField(source="system.currency")
    system = serializers.IntegerField(source="system_id")
    balance = serializers.SerializerMethodField()
    available = serializers.SerializerMethodField()
    terms_version = serializers.SerializerMethodField()
    suggested_lower_limit = serializers.SerializerMethodField(
        help_text="The line Minga suggests from the year's sales (docs/credit.md), ≤ 0."
    )
    log = LineLogSerializer(many=True, read_only=True)

    class Meta:
        model = CreditAccount
        fields = [
            "id",
            "system",
            "currency",
            "cooperative",
            "balance",
            "lower_limit",
            "upper_limit",
            "available",
            "suggested_lower_limit",
            "terms_version",
            "clearing_consent",
            "consent_changed_at",
            "joined_at",
            "log",
        ]

    def get_balance(self, account: CreditAccount) -> int:
        return int(getattr(account, "balance", 0) or 0)

    def get_available(self, account: CreditAccount) -> int:
        return self.get_balance(account) - account.lower_limit

    def get_suggested_lower_limit(self, account: CreditAccount) -> int:
        return suggested_lower_limit(account)

    def get_terms_version(self, account: CreditAccount) -> int | None:
        versions = [acceptance.terms.version for acceptance in account.acceptances.all()]
        return max(versions, default=None)


class AccountQuerySerializer(serializers.Serializer):
    cooperative = serializers.SlugField(help_text="The cooperative whose accounts to list.")


class LineInputSerializer(serializers.Serializer):
    lower_limit = serializers.IntegerField(
        max_value=0, help_text="The credit line: minor units, 0 or below."
    )
    upper_limit = serializers.IntegerField(
        min_value=0, help_text="The upper limit: minor units, 0 or more."
    )
    reason = serializers.CharField(max_length=MAX_REASON_LENGTH, help_text="Why the limits change.")


class LineRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = LineRequest
        fields = ["id", "lower_limit", "upper_limit", "reason", "status", "created_at"]


class ConsentInputSerializer(serializers.Serializer):
    clearing_consent = serializers.BooleanField(
        help_text="Whether the cooperative's open invoices take part in clearing runs."
    )
