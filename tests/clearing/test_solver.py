"""The clearing solver clears the optimum volume (checked against networkx's minimum-cost flow),
keeps every cooperative's net position, and never sets an invoice off beyond its amount due."""

from collections import defaultdict

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearing.solver import Obligation, clear


def optimum_remaining(obligations: list[Obligation]) -> int:
    """What remains owed at the optimum, by an independent solver (networkx's network simplex)."""
    if not obligations:
        return 0
    graph = nx.DiGraph()
    net: dict[object, int] = defaultdict(int)
    for ob in obligations:
        net[ob.creditor] += ob.amount
        net[ob.debtor] -= ob.amount
        if graph.has_edge(ob.debtor, ob.creditor):
            graph[ob.debtor][ob.creditor]["capacity"] += ob.amount
        else:
            graph.add_edge(ob.debtor, ob.creditor, capacity=ob.amount, weight=1)
    for coop, balance in net.items():
        graph.nodes[coop]["demand"] = balance
    return nx.min_cost_flow_cost(graph)


def assert_sound(obligations: list[Obligation]) -> None:
    result = clear(obligations)
    volume = sum(ob.amount for ob in obligations)
    assert result.volume_before == volume
    assert result.cleared == volume - optimum_remaining(obligations)
    assert result.cleared == sum(result.per_obligation.values())
    net_setoff: dict[object, int] = defaultdict(int)
    for ob in obligations:
        amount = result.per_obligation[ob.key]
        assert 0 <= amount <= ob.amount
        net_setoff[ob.creditor] += amount
        net_setoff[ob.debtor] -= amount
    # The set-off is a circulation: what each cooperative is relieved of owing equals what it
    # stops being owed, so its net position does not move.
    assert all(value == 0 for value in net_setoff.values())
    for position in result.positions.values():
        assert position.owed_after - position.owing_after == position.net
        assert 0 <= position.owed_after <= position.owed_before
        assert 0 <= position.owing_after <= position.owing_before


def invoice_graphs(max_cooperatives: int = 200, max_invoices: int = 400):
    @st.composite
    def build(draw):
        cooperatives = draw(st.integers(min_value=2, max_value=max_cooperatives))
        coop = st.integers(min_value=0, max_value=cooperatives - 1)
        count = draw(st.integers(min_value=0, max_value=max_invoices))
        obligations = []
        for key in range(count):
            debtor = draw(coop)
            creditor = draw(coop.filter(lambda c, d=debtor: c != d))
            amount = draw(st.integers(min_value=1, max_value=10**12))
            obligations.append(Obligation(key, debtor, creditor, amount))
        return obligations

    return build()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_graphs())
def test_random_graphs_clear_the_optimum(obligations):
    assert_sound(obligations)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_graphs(max_cooperatives=6, max_invoices=30))
def test_dense_small_graphs_clear_the_optimum(obligations):
    assert_sound(obligations)


def test_a_loop_of_three_invoices_clears_completely():
    loop = [Obligation("ar", "AR", "UY", 500), Obligation("uy", "UY", "BR", 500)]
    loop.append(Obligation("br", "BR", "AR", 500))
    result = clear(loop)
    assert result.cleared == 1500
    assert result.per_obligation == {"ar": 500, "uy": 500, "br": 500}
    assert all(p.owed_after == p.owing_after == 0 for p in result.positions.values())


def test_a_chain_without_a_loop_clears_nothing():
    chain = [Obligation(1, "a", "b", 100), Obligation(2, "b", "c", 100)]
    assert clear(chain).cleared == 0


def test_the_optimum_beats_greedy_cycle_cancelling():
    # Cancelling the big loop a→b→c→a first (as a greedy search that takes the largest cycle
    # might) is worse than clearing the two small loops that share the arc a→b.
    graph = [
        Obligation(1, "a", "b", 10),
        Obligation(2, "b", "c", 10),
        Obligation(3, "c", "a", 10),
        Obligation(4, "b", "a", 10),
        Obligation(5, "c", "b", 10),
    ]
    assert clear(graph).cleared == volume_minus_optimum(graph)


def volume_minus_optimum(obligations):
    return sum(ob.amount for ob in obligations) - optimum_remaining(obligations)


def test_invoices_of_one_pair_are_set_off_in_the_order_given():
    result = clear(
        [
            Obligation("old", "a", "b", 70),
            Obligation("new", "a", "b", 70),
            Obligation("back", "b", "a", 100),
        ]
    )
    assert result.per_obligation == {"old": 70, "new": 30, "back": 100}


@pytest.mark.parametrize(
    "bad",
    [Obligation(1, "a", "b", 0), Obligation(1, "a", "b", -5), Obligation(1, "a", "a", 5)],
)
def test_bad_obligations_are_refused(bad):
    with pytest.raises(ValueError):
        clear([bad])
