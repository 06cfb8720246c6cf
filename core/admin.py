from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import EmailFailure


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EmailFailure)
class EmailFailureAdmin(admin.ModelAdmin):
    """Read-only: what the mail server refused, newest first."""

    list_display = ["failed_at", "recipient", "subject", "error"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "failed_at"
    readonly_fields = ["failed_at", "recipient", "subject", "error"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
