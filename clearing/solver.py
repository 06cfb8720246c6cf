"""Multilateral set-off of invoices: the optimum of the minimum-cost-flow formulation.

Pure Python, no Django: the clearing service feeds it the open invoices of one currency and stores
what it returns as a proposal. The formulation is Fleischman & Dini (J. Risk Financial Manag. 14:452,
2021), the one Slovenia's MTCS uses: the invoices are a graph, debtor → creditor, capacity the amount
due. Every cooperative's net position is b(v) = owed to it − owed by it. Keep a flow x, 0 ≤ x ≤ due,
with the same net position at every cooperative, and make the total of x (what remains owed) as small
as possible: that is a minimum-cost flow with unit costs, and due − x is the set-off. It clears at
least as much as any sequence of cycle cancellations, because every set-off that keeps the net
positions is a feasible x.

The algorithm is the primal-dual one: a super-source feeds every net debtor its net position, every
net creditor drains its own into a super-sink; in phases, Dijkstra on reduced costs finds the
shortest residual distances, then Dinic's blocking flow saturates every shortest path at once. Unit
costs keep the number of phases at most the length of the longest shortest path (a few dozen on real
graphs), so 10,000 invoices among 1,000 cooperatives take a few seconds (benchmarks/README.md).
Amounts are integers; nothing is a float.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

INF = float("inf")


@dataclass(frozen=True)
class Obligation:
    """One open invoice: `debtor` owes `creditor` `amount` minor units (amount > 0)."""

    key: Hashable
    debtor: Hashable
    creditor: Hashable
    amount: int


@dataclass(frozen=True)
class Position:
    """What a cooperative is owed and owes, before and after the set-off (minor units)."""

    owed_before: int
    owing_before: int
    owed_after: int
    owing_after: int

    @property
    def net(self) -> int:
        return self.owed_before - self.owing_before


@dataclass
class SetOff:
    """The result: per invoice key the amount set off, per cooperative its position."""

    per_obligation: dict[Hashable, int] = field(default_factory=dict)
    positions: dict[Hashable, Position] = field(default_factory=dict)
    volume_before: int = 0
    cleared: int = 0

    @property
    def volume_after(self) -> int:
        return self.volume_before - self.cleared


class _Network:
    """A residual network in flat lists: arc i and i ^ 1 are each other's reverse."""

    def __init__(self, nodes: int) -> None:
        self.n = nodes
        self.head: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def add(self, u: int, v: int, cap: int, cost: int) -> int:
        arc = len(self.to)
        self.head[u].append(arc)
        self.to.append(v)
        self.cap.append(cap)
        self.cost.append(cost)
        self.head[v].append(arc + 1)
        self.to.append(u)
        self.cap.append(0)
        self.cost.append(-cost)
        return arc

    def min_cost_flow(self, source: int, sink: int) -> int:
        """Send the maximum flow from source to sink at minimum cost; return the flow sent."""
        n, head, to, cap, cost = self.n, self.head, self.to, self.cap, self.cost
        potential = [0] * n  # every cost starts non-negative, so zero potentials are feasible
        sent = 0
        while True:
            dist = [INF] * n
            dist[source] = 0
            queue = [(0, source)]
            while queue:
                d, u = heapq.heappop(queue)
                if d > dist[u]:
                    continue
                pu = potential[u]
                for arc in head[u]:
                    if cap[arc]:
                        v = to[arc]
                        nd = d + cost[arc] + pu - potential[v]
                        if nd < dist[v]:
                            dist[v] = nd
                            heapq.heappush(queue, (nd, v))
            reach = dist[sink]
            if reach == INF:
                return sent
            # Capping at the sink's distance keeps every reduced cost non-negative while the
            # arcs of every shortest source-sink path get reduced cost 0.
            for v in range(n):
                potential[v] += min(dist[v], reach)  # type: ignore[call-overload]
            sent += self._blocking_flow(source, sink, potential)

    def _blocking_flow(self, source: int, sink: int, potential: list[int]) -> int:
        """Dinic's max flow restricted to the arcs of reduced cost 0 (the shortest paths)."""
        n, head, to, cap, cost = self.n, self.head, self.to, self.cap, self.cost
        total = 0
        while True:
            level = [-1] * n
            level[source] = 0
            frontier = [source]
            while frontier and level[sink] < 0:
                nxt = []
                for u in frontier:
                    pu = potential[u]
                    for arc in head[u]:
                        v = to[arc]
                        if cap[arc] and level[v] < 0 and cost[arc] + pu - potential[v] == 0:
                            level[v] = level[u] + 1
                            nxt.append(v)
                frontier = nxt
            if level[sink] < 0:
                return total
            cursor = [0] * n
            while True:
                pushed = self._augment(source, sink, level, cursor, potential)
                if not pushed:
                    break
                total += pushed

    def _augment(
        self, source: int, sink: int, level: list[int], cursor: list[int], potential: list[int]
    ) -> int:
        """One augmenting path in the level graph, found iteratively (no recursion limit)."""
        head, to, cap, cost = self.head, self.to, self.cap, self.cost
        path: list[int] = []
        u = source
        while u != sink:
            arcs = head[u]
            i = cursor[u]
            pu, lu = potential[u], level[u] + 1
            while i < len(arcs):
                arc = arcs[i]
                v = to[arc]
                if cap[arc] and level[v] == lu and cost[arc] + pu - potential[v] == 0:
                    break
                i += 1
            cursor[u] = i
            if i == len(arcs):
                if not path:
                    return 0
                level[u] = -1  # a dead end: nothing more goes through it in this phase
                arc = path.pop()
                u = to[arc ^ 1]
                cursor[u] += 1
                continue
            path.append(arcs[i])
            u = to[arcs[i]]
        pushed = min(cap[arc] for arc in path)
        for arc in path:
            cap[arc] -= pushed
            cap[arc ^ 1] += pushed
        return pushed


def clear(obligations: Iterable[Obligation]) -> SetOff:
    """The set-off that clears the most volume while leaving every net position unchanged."""
    obligations = list(obligations)
    for ob in obligations:
        if not isinstance(ob.amount, int) or ob.amount <= 0:
            raise ValueError(f"obligation {ob.key!r}: amount must be a positive integer")
        if ob.debtor == ob.creditor:
            raise ValueError(f"obligation {ob.key!r}: debtor and creditor are the same")
    index: dict[Hashable, int] = {}
    for ob in obligations:
        index.setdefault(ob.debtor, len(index))
        index.setdefault(ob.creditor, len(index))
    # Invoices between the same two cooperatives in the same direction are one arc.
    pair_total: dict[tuple[int, int], int] = defaultdict(int)
    owed = [0] * len(index)
    owing = [0] * len(index)
    for ob in obligations:
        d, c = index[ob.debtor], index[ob.creditor]
        pair_total[d, c] += ob.amount
        owing[d] += ob.amount
        owed[c] += ob.amount
    n = len(index)
    source, sink = n, n + 1
    net = _Network(n + 2)
    pair_arc = {pair: net.add(pair[0], pair[1], amount, 1) for pair, amount in pair_total.items()}
    for v in range(n):
        balance = owed[v] - owing[v]
        if balance < 0:
            net.add(source, v, -balance, 0)
        elif balance > 0:
            net.add(v, sink, balance, 0)
    needed = sum(max(0, owing[v] - owed[v]) for v in range(n))
    sent = net.min_cost_flow(source, sink)
    assert sent == needed, "the invoices themselves are a feasible flow"

    # An arc's residual capacity is due − x, the set-off of the pair; spread it over the pair's
    # invoices in the order given (the service passes the oldest first).
    setoff_pair = {pair: net.cap[arc] for pair, arc in pair_arc.items()}
    result = SetOff(volume_before=sum(pair_total.values()))
    owed_after = owed[:]
    owing_after = owing[:]
    for ob in obligations:
        pair = (index[ob.debtor], index[ob.creditor])
        amount = min(ob.amount, setoff_pair[pair])
        setoff_pair[pair] -= amount
        result.per_obligation[ob.key] = amount
        result.cleared += amount
        owing_after[pair[0]] -= amount
        owed_after[pair[1]] -= amount
    for coop, v in index.items():
        result.positions[coop] = Position(owed[v], owing[v], owed_after[v], owing_after[v])
    return result
