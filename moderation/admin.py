"""The Django admin's moderation screens. Nothing here edits a status directly: every decision is an
admin action calling the same service as the API, so the same rules (moderators only, conflict of
interest, reasons required, lifecycle tables) hold. The log is read-only."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from accounts.models import User
from cooperatives.permissions import is_moderator
from core.admin import ReadOnlyAdmin, apply_to_each, every_field
from moderation import services
from moderation.models import (
    Appeal,
    AppealOutcome,
    CooperativeModeration,
    ListingModeration,
    ModerationAction,
    Report,
    ReportOutcome,
)
from moderation.state import AppealStatus, ReportStatus


def _actor(request: HttpRequest) -> User:
    """Admin views only run for signed-in staff."""
    return request.user  # type: ignore[return-value]


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=2000)


def _with_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    title: str,
    apply: Callable[[Any, str], Any],
) -> TemplateResponse | None:
    """An admin action that first asks for the reason the cooperative will read."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        apply_to_each(modeladmin, request, queryset, lambda obj: apply(obj, reason))
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/moderation/reason_form.html", context)


def _decision_action(decision: str, description: str, reason_title: str = "") -> Any:
    """An admin action taking `decision` on each selected listing or cooperative through the one
    decision service; with a `reason_title` it first asks for the reason the cooperative reads."""

    def take(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        def decide(target: Any, reason: str = "") -> Any:
            return services.decide(
                target=target, decision=decision, actor=_actor(request), reason=reason
            )

        if reason_title:
            return _with_reason(modeladmin, request, queryset, title=reason_title, apply=decide)
        return apply_to_each(modeladmin, request, queryset, decide)

    take.__name__ = decision
    return admin.action(description=description)(take)


class ModeratorOnlyAdmin(ReadOnlyAdmin):
    """Moderators see these screens; nobody adds, edits or deletes rows through them."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_moderator(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_moderator(request.user)


@admin.register(ModerationAction)
class ModerationActionAdmin(ModeratorOnlyAdmin):
    list_display = ["created_at", "action", "actor", "listing", "cooperative", "to_status"]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "listing", "cooperative"]
    search_fields = ["reason", "actor__email", "listing__title", "cooperative__name"]
    date_hierarchy = "created_at"
    actions = None
    fields = readonly_fields = every_field(ModerationAction)


@admin.register(ListingModeration)
class ListingModerationAdmin(ModeratorOnlyAdmin):
    list_display = ["title", "cooperative", "status", "submitted_at", "published_at"]
    list_filter = ["status", "cooperative__verification_status", "kind"]
    list_select_related = ["cooperative"]
    search_fields = ["title", "cooperative__name"]
    fields = readonly_fields = (
        "title",
        "description",
        "cooperative",
        "category",
        "status",
        "status_reason",
    )
    actions = [
        _decision_action("approve", "Approve the selected listings"),
        _decision_action(
            "reject", "Reject the selected listings (asks for a reason)", "Reject listings"
        ),
        _decision_action(
            "suspend", "Suspend the selected listings (asks for a reason)", "Suspend listings"
        ),
        _decision_action("reinstate", "Reinstate the selected listings"),
    ]


@admin.register(CooperativeModeration)
class CooperativeModerationAdmin(ModeratorOnlyAdmin):
    list_display = ["name", "country", "legal_form", "verification_status", "verified_at"]
    list_filter = ["verification_status", "country", "legal_form"]
    search_fields = ["name", "slug", "tax_id"]
    fields = readonly_fields = (
        "name",
        "slug",
        "legal_form",
        "country",
        "tax_id",
        "verification_status",
    )
    actions = [
        _decision_action("verify", "Verify the selected cooperatives"),
        _decision_action(
            "reject",
            "Reject the verification of the selected cooperatives (reason)",
            "Reject verification",
        ),
        _decision_action(
            "suspend",
            "Suspend the selected cooperatives (asks for a reason)",
            "Suspend cooperatives",
        ),
        _decision_action("reinstate", "Reinstate the selected cooperatives"),
    ]


@admin.register(Report)
class ReportAdmin(ModeratorOnlyAdmin):
    list_display = ["id", "listing", "cooperative", "reason", "status", "reporter", "created_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["listing", "cooperative", "reporter"]
    search_fields = ["details", "listing__title", "cooperative__name", "reporter__email"]
    fields = readonly_fields = (
        "reporter",
        "listing",
        "cooperative",
        "reason",
        "details",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
        "resolution_note",
        "decision",
    )
    actions = ["dismiss", "mark_action_taken"]

    def _resolve(self, request: HttpRequest, queryset: QuerySet[Any], outcome: str) -> None:
        def resolve(report: Report) -> None:
            # Resolving one report closes its whole group, so a later one may be closed already.
            report.refresh_from_db(fields=["status"])
            if report.status == ReportStatus.OPEN:
                services.report_resolve(report=report, actor=_actor(request), outcome=outcome)

        apply_to_each(self, request, queryset.filter(status=ReportStatus.OPEN), resolve)

    @admin.action(description="Dismiss the selected reports (and others on the same item)")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._resolve(request, queryset, ReportOutcome.DISMISSED)

    @admin.action(description="Mark as action taken (and others on the same item)")
    def mark_action_taken(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._resolve(request, queryset, ReportOutcome.ACTION_TAKEN)


@admin.register(Appeal)
class AppealAdmin(ModeratorOnlyAdmin):
    list_display = ["id", "cooperative", "decision", "status", "created_at", "resolved_by"]
    list_filter = ["status"]
    list_select_related = ["cooperative", "decision", "resolved_by"]
    fields = readonly_fields = (
        "decision",
        "cooperative",
        "appellant",
        "decided_by",
        "statement",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
        "resolution_note",
    )
    actions = ["uphold", "overturn"]

    def _resolve(
        self, request: HttpRequest, queryset: QuerySet[Any], outcome: str, title: str
    ) -> TemplateResponse | None:
        return _with_reason(
            self,
            request,
            queryset.filter(status=AppealStatus.OPEN),
            title=title,
            apply=lambda o, note: services.appeal_resolve(
                appeal=o,
                actor=_actor(request),
                outcome=outcome,
                note=note,
            ),
        )

    @admin.action(description="Uphold the selected appeals' decisions (asks for a note)")
    def uphold(self, request: HttpRequest, queryset: QuerySet[Any]) -> TemplateResponse | None:
        return self._resolve(request, queryset, AppealOutcome.UPHELD, "Uphold decisions")

    @admin.action(description="Overturn the selected appeals' decisions (asks for a note)")
    def overturn(self, request: HttpRequest, queryset: QuerySet[Any]) -> TemplateResponse | None:
        return self._resolve(request, queryset, AppealOutcome.OVERTURNED, "Overturn decisions")
