"""Who is the credit committee (docs/credit.md): the `credit_committee` group, and superusers."""

from typing import Any

from rest_framework.permissions import BasePermission

CREDIT_COMMITTEE_GROUP = "credit_committee"


def is_credit_committee(user: Any) -> bool:
    """Members of the `credit_committee` group, and superusers, are the committee."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or CREDIT_COMMITTEE_GROUP in user.group_names)


class IsCreditCommittee(BasePermission):
    message = "Only the credit committee may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_credit_committee(request.user)
