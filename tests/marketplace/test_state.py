"""The listing lifecycle table, every action from every status."""

import pytest

from core.errors import TransitionNotAllowed
from marketplace.state import TRANSITIONS, ListingStatus, ensure_transition

S = ListingStatus
EXPECTED = {
    "submit_for_review": ({S.DRAFT, S.REJECTED}, S.PENDING_REVIEW),
    "publish_directly": ({S.DRAFT, S.REJECTED}, S.PUBLISHED),
    "approve": ({S.PENDING_REVIEW}, S.PUBLISHED),
    "reject": ({S.PENDING_REVIEW}, S.REJECTED),
    "overturn_rejection": ({S.REJECTED}, S.PUBLISHED),
    "suspend": ({S.PUBLISHED, S.PENDING_REVIEW}, S.SUSPENDED),
    "reinstate": ({S.SUSPENDED}, S.PUBLISHED),
    "send_back_to_review": ({S.PUBLISHED}, S.PENDING_REVIEW),
    "archive": ({S.DRAFT, S.PENDING_REVIEW, S.PUBLISHED, S.REJECTED}, S.ARCHIVED),
}
CASES = [(action, status) for action in EXPECTED for status in S.values]


def test_the_table_has_exactly_the_expected_actions():
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize(("action", "current"), CASES)
def test_each_action_from_each_status(action, current):
    allowed_from, target = EXPECTED[action]
    if current in allowed_from:
        assert ensure_transition(action, current) == target
    else:
        with pytest.raises(TransitionNotAllowed):
            ensure_transition(action, current)


def test_archived_is_final():
    assert all(S.ARCHIVED not in allowed for allowed, _target in TRANSITIONS.values())
