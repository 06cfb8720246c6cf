from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import EmailFailure, TaskFailure


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _FailureAdmin(admin.ModelAdmin):
    """Read-only: what could not be done, newest first."""

    date_hierarchy = "failed_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [str(field) for field in self.list_display]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EmailFailure)
class EmailFailureAdmin(_FailureAdmin):
    """What the mail server refused."""

    list_display = ["failed_at", "recipient", "subject", "error"]
    search_fields = ["recipient", "subject"]


@admin.register(TaskFailure)
class TaskFailureAdmin(_FailureAdmin):
    """Background tasks that failed on every retry (core.tasks)."""

    list_display = ["failed_at", "task", "arguments", "attempts", "error"]
    search_fields = ["task", "arguments"]
