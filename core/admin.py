from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from core.errors import DomainError
from core.models import EmailFailure, TaskFailure


def apply_to_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    rows: Iterable[Any],
    apply: Callable[[Any], Any],
) -> None:
    """An admin action's work: `apply` (a service call) to each selected row in turn. A refusal is
    reported beside its row and does not stop the others; the services' rules hold as in the API."""
    done = 0
    for row in rows:
        try:
            apply(row)
        except DomainError as exc:
            modeladmin.message_user(request, f"{row}: {exc.detail}", messages.ERROR)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{row}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"Done for {done} of them.", messages.SUCCESS)


def every_field(model: type[models.Model], *, but: Iterable[str] = ()) -> tuple[str, ...]:
    """A record shown whole: its columns in their declared order, but the id and `but`."""
    left_out = {"id", *but}
    return tuple(field.name for field in model._meta.fields if field.name not in left_out)


class _WrittenByServices:
    """Rows that only services write: the admin neither adds nor changes them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(_WrittenByServices, admin.TabularInline):
    """Rows of a record that only services write, shown under it."""

    extra = 0
    can_delete = False


class ReadOnlyAdmin(_WrittenByServices, admin.ModelAdmin):
    """Records that only services write."""

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
