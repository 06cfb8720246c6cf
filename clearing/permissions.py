"""Who may start, read and execute clearing runs: the credit committee (credit.permissions); who
may read a participant's set-off statement."""

from typing import Any

from cooperatives.models import Cooperative
from cooperatives.permissions import role_in
from credit.permissions import CREDIT_COMMITTEE_GROUP, IsCreditCommittee, is_credit_committee

__all__ = [
    "CREDIT_COMMITTEE_GROUP",
    "IsCreditCommittee",
    "can_read_setoff_statement",
    "is_credit_committee",
]


def can_read_setoff_statement(user: Any, cooperative: Cooperative) -> bool:
    """A set-off statement is the cooperative's record: its members, the credit committee and
    staff read it; for anyone else it does not exist (404)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        user.is_staff or is_credit_committee(user) or role_in(user, cooperative) is not None
    )
