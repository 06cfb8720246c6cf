from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from cooperatives.models import (
    Cooperative,
    Invitation,
    Membership,
    Role,
    VerificationDocument,
    VerificationRequest,
)
from cooperatives.services import LAST_OWNER


class MembershipInlineFormSet(BaseInlineFormSet):
    """Staff may fix memberships here, but not leave a cooperative that had an owner without one."""

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return
        if not self.instance.memberships.filter(role=Role.OWNER).exists():
            return
        remaining_owners = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Role.OWNER
        ]
        if not remaining_owners:
            raise ValidationError(LAST_OWNER)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "cooperative", "role"]

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role != Role.OWNER and self.instance.pk is not None:
            stored = Membership.objects.select_related("cooperative").get(pk=self.instance.pk)
            if stored.is_last_owner:
                raise ValidationError(LAST_OWNER)
        return role


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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
    form = MembershipAdminForm
    list_display = ["user", "cooperative", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "cooperative__name"]
    autocomplete_fields = ["user", "cooperative"]
    list_select_related = ["user", "cooperative"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving a membership to another cooperative or person is a removal plus an invitation.
        return ["user", "cooperative", "created_at"] if obj else ["created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_last_owner:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk deletion could take away every owner of a cooperative at once.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


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
    fields = readonly_fields = ("original_name", "content_type", "size", "uploaded_at")


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
