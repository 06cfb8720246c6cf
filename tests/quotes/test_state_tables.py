"""Every lifecycle of quotes: each (action, status) pair not in its table is a 409."""

import pytest

from core.errors import TransitionNotAllowed
from quotes import state

TABLES = [
    (state.RFQ_LIFECYCLE.table, state.RfqStatus, state.ensure_rfq_transition),
    (state.QUOTE_LIFECYCLE.table, state.QuoteStatus, state.ensure_quote_transition),
    (state.AGREEMENT_LIFECYCLE.table, state.AgreementStatus, state.ensure_agreement_transition),
    (state.DRAFT_LIFECYCLE.table, state.DraftStatus, state.ensure_draft_transition),
]


@pytest.mark.parametrize(("table", "statuses", "ensure"), TABLES)
def test_each_table_allows_exactly_its_rows(table, statuses, ensure):
    for action, (allowed, target) in table.items():
        for status in statuses.values:
            if status in allowed:
                assert ensure(action, status) == target
            else:
                with pytest.raises(TransitionNotAllowed) as error:
                    ensure(action, status)
                assert error.value.status_code == 409
