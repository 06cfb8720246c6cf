"""Table-driven tests of the lifecycles moderation drives. The expected tables are written out here,
independently of the code, so a change to a lifecycle must change both (and be noticed).

They live under tests/moderation/ because moderation is their main driver; the listing and
cooperative tables are owned by their apps."""

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


def cases(lifecycle, statuses):
    return [
        pytest.param(action, status, lifecycle[action], id=f"{action}-from-{status}")
        for action in lifecycle
        for status in statuses
    ]


def check(ensure, action, status, expected, statuses):
    """`statuses` is the TextChoices: a refusal names the status as people read it (its label,
    translated), never its code."""
    allowed_from, target = expected
    if status in allowed_from:
        assert ensure(action, status) == target
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            ensure(action, status)
        assert f"“{statuses(status).label}”" in refused.value.detail
        assert (
            "_" not in refused.value.detail
        )  # no code such as pending_review or submit_for_review
        assert refused.value.status_code == 409


def test_listing_statuses_and_actions_are_the_documented_ones():
    assert list(listing_state.ListingStatus.values) == LISTING_STATUSES
    assert set(listing_state.TRANSITIONS) == set(LISTING_LIFECYCLE)


@pytest.mark.parametrize(
    ("action", "status", "expected"), cases(LISTING_LIFECYCLE, LISTING_STATUSES)
)
def test_listing_transition(action, status, expected):
    check(listing_state.ensure_transition, action, status, expected, listing_state.ListingStatus)


def test_cooperative_statuses_and_actions_are_the_documented_ones():
    assert list(cooperative_state.VerificationStatus.values) == COOPERATIVE_STATUSES
    assert set(cooperative_state.TRANSITIONS) == set(COOPERATIVE_LIFECYCLE)


@pytest.mark.parametrize(
    ("action", "status", "expected"), cases(COOPERATIVE_LIFECYCLE, COOPERATIVE_STATUSES)
)
def test_cooperative_transition(action, status, expected):
    check(
        cooperative_state.ensure_transition,
        action,
        status,
        expected,
        cooperative_state.VerificationStatus,
    )


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    cases(REPORT_LIFECYCLE, list(moderation_state.ReportStatus.values)),
)
def test_report_transition(action, status, expected):
    assert set(moderation_state.REPORT_TRANSITIONS) == set(REPORT_LIFECYCLE)
    check(
        moderation_state.ensure_report_transition,
        action,
        status,
        expected,
        moderation_state.ReportStatus,
    )


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    cases(APPEAL_LIFECYCLE, list(moderation_state.AppealStatus.values)),
)
def test_appeal_transition(action, status, expected):
    assert set(moderation_state.APPEAL_TRANSITIONS) == set(APPEAL_LIFECYCLE)
    check(
        moderation_state.ensure_appeal_transition,
        action,
        status,
        expected,
        moderation_state.AppealStatus,
    )
