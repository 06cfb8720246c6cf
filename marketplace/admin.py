"""The catalogue in the Django admin. Status is read-only here: it changes only through the
services (moderation actions come with the moderation app)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from marketplace import services
from marketplace.models import CatalogueImport, Category, Listing, ListingEvent, ListingImage


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "name_es", "name_pt_br", "slug", "parent", "position"]

    def clean_parent(self) -> Category | None:
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path):
            raise forms.ValidationError("A category cannot be placed inside itself.")
        return parent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ["name", "name_es", "name_pt_br", "slug", "path", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_es", "name_pt_br", "slug"]
    readonly_fields = ["path"]
    ordering = ["path"]

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        services.category_save(category=obj)


class ListingImageInline(admin.TabularInline):
    model = ListingImage
    extra = 0
    fields = ["position", "image", "alt_text", "width", "height"]
    readonly_fields = ["image", "width", "height"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # images go through the API, which validates and re-encodes them


class ListingEventInline(ReadOnlyInline):
    model = ListingEvent
    fields = readonly_fields = ("at", "action", "from_status", "to_status", "actor", "reason")


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "cooperative",
        "kind",
        "category",
        "price_amount",
        "currency",
        "status",
        "published_at",
    ]
    list_filter = [
        "status",
        "kind",
        "currency",
        "unit",
        "cooperative__country",
        "cooperative__verification_status",
        ("category", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "sku", "cooperative__name", "cooperative__slug"]
    list_select_related = ["cooperative", "category"]
    raw_id_fields = ["cooperative", "created_by"]
    readonly_fields = [
        "status",
        "status_reason",
        "submitted_at",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    inlines = [ListingImageInline, ListingEventInline]
    show_full_result_count = False  # no COUNT(*) over a large catalogue on every page


@admin.register(ListingImage)
class ListingImageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "listing", "position", "width", "height", "created_at"]
    search_fields = ["listing__title", "alt_text"]
    raw_id_fields = ["listing"]
    readonly_fields = [
        "image",
        "thumbnail_small",
        "thumbnail_large",
        "width",
        "height",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ListingEvent)
class ListingEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "listing", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status", "from_status"]
    search_fields = ["listing__title", "reason", "actor__email"]
    list_select_related = ["listing", "actor"]
    date_hierarchy = "at"


@admin.register(CatalogueImport)
class CatalogueImportAdmin(ReadOnlyAdmin):
    """Catalogue imports run by the worker (marketplace.tasks.catalogue_import)."""

    list_display = [
        "created_at",
        "cooperative",
        "actor",
        "status",
        "created",
        "updated",
        "error_code",
    ]
    list_filter = ["status"]
    search_fields = ["cooperative__name", "actor__email"]
    list_select_related = ["cooperative", "actor"]
    date_hierarchy = "created_at"
