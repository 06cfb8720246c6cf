"""The admin's deletion of a person is the flow of "delete my account" (flows.people), so it is
registered here, above the apps, on top of the accounts app's `UserAdmin`."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.admin import UserAdmin as AccountUserAdmin
from accounts.models import User
from cooperatives.selectors import cooperatives_solely_owned_by
from flows.people import user_erase

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AccountUserAdmin):
    # Deleting a person goes through the same service as "delete my account": never a
    # cooperative without an owner; orders and invoices kept with "Former member"; the
    # moderation log kept whole (a tombstone where it names the person). One at a time, so the
    # last-owner rule can be told per person (no bulk delete action).
    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        user = self.get_object(request, object_id)
        sole = cooperatives_solely_owned_by(user) if user is not None else []
        if user is not None and sole:
            self.message_user(
                request,
                _("%(person)s is the only owner of %(cooperatives)s: name another owner first.")
                % {"person": user, "cooperatives": ", ".join(c.name for c in sole)},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_erase(user=obj)
