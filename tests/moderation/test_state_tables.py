"""Table-driven tests of the lifecycles moderation drives. The expected tables are written out here,
independently of the code, so a change to a lifecycle must change both (and be noticed).

They live under tests/moderation/ because moderation is their main driver; the listing and
cooperative tables are owned by their apps. Every action is tried from every status."""

import pytest

from cooperatives import state as cooperative_state
from core.errors import TransitionNotAllowed
from marketplace import state as listing_state
from moderation import state as moderation_state

LISTING_LIFECYCLE = {
    "submit_for_review": ({"draft", "rejected"}, "pending_review"),
    "publish_directly": ({"draft", "rejected"}, "published"),
    "approve": ({"pending_review"}, "published"),
    "reject": ({"pending_review"}, "rejected"),
    "overturn_rejection": ({"rejected"}, "published"),
    "suspend": ({"published", "pending_review"}, "suspended"),
    "reinstate": ({"suspended"}, "published"),
    "send_back_to_review": ({"published"}, "pending_review"),
    "archive": ({"draft", "pending_review", "published", "rejected"}, "archived"),
}
LISTING_STATUSES = ["draft", "pending_review", "published", "rejected", "suspended", "archived"]

COOPERATIVE_LIFECYCLE = {
    "request_verification": ({"unverified"}, "pending"),
    "verify": ({"pending", "unverified"}, "verified"),
    "reject": ({"pending"}, "unverified"),
    "suspend": ({"unverified", "pending", "verified"}, "suspended"),
    "reinstate": ({"suspended"}, "verified"),
    "reinstate_unverified": ({"suspended"}, "unverified"),
}
COOPERATIVE_STATUSES = ["unverified", "pending", "verified", "suspended"]

REPORT_LIFECYCLE = {
    "resolve": ({"open"}, "resolved"),
    "dismiss": ({"open"}, "dismissed"),
}
APPEAL_LIFECYCLE = {
    "uphold": ({"open"}, "upheld"),
    "overturn": ({"open"}, "overturned"),
}


LIFECYCLES = {
    # name: (the code's lifecycle, the expected table, the expected statuses in order)
    "listing": (listing_state.LIFECYCLE, LISTING_LIFECYCLE, LISTING_STATUSES),
    "cooperative": (cooperative_state.LIFECYCLE, COOPERATIVE_LIFECYCLE, COOPERATIVE_STATUSES),
    "report": (
        moderation_state.REPORT_LIFECYCLE,
        REPORT_LIFECYCLE,
        ["open", "resolved", "dismissed"],
    ),
    "appeal": (
        moderation_state.APPEAL_LIFECYCLE,
        APPEAL_LIFECYCLE,
        ["open", "upheld", "overturned"],
    ),
}
CASES = [
    pytest.param(name, action, status, id=f"{name}-{action}-from-{status}")
    for name, (_lifecycle, expected, statuses) in LIFECYCLES.items()
    for action in expected
    for status in statuses
]


@pytest.mark.parametrize("name", LIFECYCLES)
def test_statuses_and_actions_are_the_documented_ones(name):
    lifecycle, expected, statuses = LIFECYCLES[name]
    assert list(lifecycle.statuses.values) == statuses
    assert set(lifecycle.table) == set(expected)


@pytest.mark.parametrize(("name", "action", "status"), CASES)
def test_each_action_from_each_status(name, action, status):
    """A refusal names the status as people read it (its label, translated), never its code."""
    lifecycle, expected, _statuses = LIFECYCLES[name]
    allowed_from, target = expected[action]
    if status in allowed_from:
        assert lifecycle.ensure(action, status) == target
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            lifecycle.ensure(action, status)
        assert f"“{lifecycle.statuses(status).label}”" in refused.value.detail
        assert "_" not in refused.value.detail  # no code such as pending_review
        assert refused.value.status_code == 409


def test_the_public_checks_are_the_lifecycles():
    assert listing_state.ensure_transition == listing_state.LIFECYCLE.ensure
    assert cooperative_state.ensure_transition == cooperative_state.LIFECYCLE.ensure
    assert moderation_state.ensure_report_transition == moderation_state.REPORT_LIFECYCLE.ensure
    assert moderation_state.ensure_appeal_transition == moderation_state.APPEAL_LIFECYCLE.ensure


def test_an_archived_listing_is_final():
    assert all("archived" not in allowed for allowed, _ in listing_state.LIFECYCLE.table.values())


# What a moderator chooses when closing a report or an appeal, the action it takes and the status
# it leaves: (lifecycle, outcome, action, closed status).
CLOSINGS = [
    ("report", "action_taken", "resolve", "resolved"),
    ("report", "dismissed", "dismiss", "dismissed"),
    ("appeal", "upheld", "uphold", "upheld"),
    ("appeal", "overturned", "overturn", "overturned"),
]


@pytest.mark.parametrize(("name", "outcome", "action", "closed"), CLOSINGS)
def test_an_outcome_closes_by_its_own_action(name, outcome, action, closed):
    lifecycle = LIFECYCLES[name][0]
    assert lifecycle.action_for(outcome) == action
    assert lifecycle.ensure(action, "open") == closed
    assert lifecycle.outcome_of(closed) == outcome
    assert lifecycle.outcome_of("open") is None
