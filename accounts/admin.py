from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.http import HttpRequest

from accounts.forms import AdminSignInForm
from accounts.models import ApiToken, User
from accounts.services import tokens_revoke_all_for

# The admin's sign-in counts failures and honours the lockout like every other way in.
admin.site.login_form = AdminSignInForm


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "name", "language")


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """Staff setting a person's password ends that person's API keys, like any password change
    (the keys would stop answering anyway: they remember the password they were made under)."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            tokens_revoke_all_for(user, reason="password set by staff")
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    change_password_form = StaffPasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API keys: staff see whose they are and when they end, and may revoke them (delete); the
    keys themselves are never stored, and keys are made only by their owners."""

    list_display = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "prefix", "name"]
    readonly_fields = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at"]
    fields = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at")
    ordering = ["-created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
