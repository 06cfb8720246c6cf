import pytest

from core.errors import TransitionNotAllowed
from orders.state import ACTIONS, OrderStatus, ensure_transition

S = OrderStatus

# Every (action, from) pair: where it leads, whose owners/admins take it, whether a reason is due.
EXPECTED = {
    ("accept", S.PLACED): (S.ACCEPTED, {"seller"}, False),
    ("decline", S.PLACED): (S.DECLINED, {"seller"}, True),
    ("fulfil", S.ACCEPTED): (S.FULFILLED, {"seller"}, False),
    ("complete", S.FULFILLED): (S.COMPLETED, {"buyer"}, False),
    ("cancel", S.PLACED): (S.CANCELLED, {"buyer"}, False),
    ("cancel", S.ACCEPTED): (S.CANCELLED, {"buyer", "seller"}, True),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", S.values)
def test_the_lifecycle_table(action, status):
    expected = EXPECTED.get((action, status))
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            ensure_transition(action, status)
        return
    transition = ensure_transition(action, status)
    assert (transition.target, set(transition.sides), transition.is_reason_required) == expected
    assert transition.restores_stock == (transition.target in (S.DECLINED, S.CANCELLED))


def test_closed_orders_allow_nothing():
    for status in (S.COMPLETED, S.DECLINED, S.CANCELLED):
        for action in ACTIONS:
            with pytest.raises(TransitionNotAllowed):
                ensure_transition(action, status)
