"""Who may start, read and execute clearing runs: the credit committee (credit.permissions)."""

from credit.permissions import CREDIT_COMMITTEE_GROUP, IsCreditCommittee, is_credit_committee

__all__ = ["CREDIT_COMMITTEE_GROUP", "IsCreditCommittee", "is_credit_committee"]
