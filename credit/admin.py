"""Admin of mutual credit: systems and their terms are set up here; accounts, limits and the
line log are read-only (limits change through the committee's service, with a reason)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from credit.models import CreditAccount, CreditSystem, CreditTerms, LineLog, LineRequest


class TermsInline(admin.TabularInline):
    model = CreditTerms
    extra = 0
    fields = ["version", "text", "published_at"]
    readonly_fields = ["published_at"]


@admin.register(CreditSystem)
class CreditSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "default_upper_limit"]
    inlines = [TermsInline]


@admin.register(CreditAccount)
class CreditAccountAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "system", "lower_limit", "upper_limit", "joined_at"]
    list_filter = ["system"]


@admin.register(LineRequest)
class LineRequestAdmin(ReadOnlyAdmin):
    list_display = ["account", "lower_limit", "upper_limit", "status", "requested_by"]
    list_filter = ["status"]


@admin.register(LineLog)
class LineLogAdmin(ReadOnlyAdmin):
    list_display = ["account", "lower_after", "upper_after", "set_by", "approved_by", "created_at"]
