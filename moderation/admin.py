"""The Django admin's moderation screens. Nothing here edits a status directly: every decision is an
admin action calling the same service as the API, so the same rules (moderators only, conflict of
interest, reasons required, lifecycle tables) hold. The log is read-only."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from accounts.models import User
from cooperatives.permissions import is_moderator
from core.admin import ReadOnlyAdmin
from core.errors import DomainError
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


def _run(
    modeladmin: admin.ModelAdmin, request: HttpRequest, objects: Any, apply: Callable[[Any], Any]
) -> None:
    """Apply a service to each selected object; report each refusal without stopping the rest."""
    done = 0
    for obj in objects:
        try:
            apply(obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"Done for {done} of them.", messages.SUCCESS)


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
        _run(modeladmin, request, queryset, lambda obj: apply(obj, form.cleaned_data["reason"]))
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
    fields = readonly_fields = (
        "created_at",
        "actor",
        "action",
        "listing",
        "cooperative",
        "report",
        "appeal",
        "from_status",
        "to_status",
        "reason",
    )


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
    actions = ["approve", "reject", "suspend", "reinstate"]

    @admin.action(description="Approve the selected listings")
    def approve(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run(
            self,
            request,
            queryset,
            lambda o: services.listing_approve(listing=o, actor=_actor(request)),
        )

    @admin.action(description="Reject the selected listings (asks for a reason)")
    def reject(self, request: HttpRequest, queryset: QuerySet[Any]) -> TemplateResponse | None:
        return _with_reason(
            self,
            request,
            queryset,
            title="Reject listings",
            apply=lambda o, r: services.listing_reject(listing=o, actor=_actor(request), reason=r),
        )

    @admin.action(description="Suspend the selected listings (asks for a reason)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[Any]) -> TemplateResponse | None:
        return _with_reason(
            self,
            request,
            queryset,
            title="Suspend listings",
            apply=lambda o, r: services.listing_suspend(listing=o, actor=_actor(request), reason=r),
        )

    @admin.action(description="Reinstate the selected listings")
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run(
            self,
            request,
            queryset,
            lambda o: services.listing_reinstate(listing=o, actor=_actor(request)),
        )


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
    actions = ["verify", "reject", "suspend", "reinstate"]

    @admin.action(description="Verify the selected cooperatives")
    def verify(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run(
            self,
            request,
            queryset,
            lambda o: services.cooperative_verify(cooperative=o, actor=_actor(request)),
        )

    @admin.action(description="Reject the verification of the selected cooperatives (reason)")
    def reject(self, request: HttpRequest, queryset: QuerySet[Any]) -> TemplateResponse | None:
        return _with_reason(
            self,
            request,
            queryset,
            title="Reject verification",
            apply=lambda o, r: services.cooperative_reject(
                cooperative=o,
                actor=_actor(request),
                reason=r,
            ),
        )

    @admin.action(description="Suspend the selected cooperatives (asks for a reason)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[Any]) -> TemplateResponse | None:
        return _with_reason(
            self,
            request,
            queryset,
            title="Suspend cooperatives",
            apply=lambda o, r: services.cooperative_suspend(
                cooperative=o,
                actor=_actor(request),
                reason=r,
            ),
        )

    @admin.action(description="Reinstate the selected cooperatives")
    def reinstate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run(
            self,
            request,
            queryset,
            lambda o: services.cooperative_reinstate(cooperative=o, actor=_actor(request)),
        )


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

        _run(self, request, queryset.filter(status=ReportStatus.OPEN), resolve)

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
