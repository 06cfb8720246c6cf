from django.contrib import admin

from cooperatives.models import (
    Cooperative,
    Invitation,
    Membership,
    VerificationDocument,
    VerificationRequest,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "country",
        "sector",
        "legal_form",
        "verification_status",
        "is_recuperated",
    ]
    list_filter = [
        "verification_status",
        "country",
        "sector",
        "legal_form",
        "is_recuperated",
        "is_payouts_enabled",
    ]
    search_fields = ["name", "slug", "city", "region", "tax_id"]
    prepopulated_fields = {"slug": ["name"]}
    # Status changes go through the moderation services, never through this form.
    readonly_fields = [
        "verification_status",
        "verified_at",
        "stripe_account_id",
        "is_payouts_enabled",
        "created_at",
        "updated_at",
    ]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cooperative", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "cooperative__name"]
    autocomplete_fields = ["user", "cooperative"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "cooperative",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "cooperative__name"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by"]
    autocomplete_fields = ["cooperative", "invited_by"]


class VerificationDocumentInline(admin.TabularInline):
    model = VerificationDocument
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]
    fields = readonly_fields


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["cooperative__name"]
    readonly_fields = [
        "cooperative",
        "submitted_by",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "decision_reason",
    ]
    inlines = [VerificationDocumentInline]
