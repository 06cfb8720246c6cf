"""The clearing solver's speed (benchmarks/README.md, "Clearing"): `make bench-clearing`, also the
first step of `make bench`.

    python benchmarks/clearing.py [--invoices 10000] [--cooperatives 1000] [--runs 3] [--seed 18]

Builds a random invoice graph in memory (amounts 1..10,000,000 minor units, debtor and creditor
drawn uniformly, a fixed seed so every run solves the same graph), times `clearing.solver.clear`
(the whole proposal computation: net positions, the minimum-cost flow, the per-invoice split) and
prints the best and median time, the share of the volume cleared and the load average before the
run (the machine may be shared: the load says how much). Exits non-zero past the 10 s target.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clearing.solver import Obligation, clear

TARGET_SECONDS = 10.0


def random_invoices(invoices: int, cooperatives: int, seed: int) -> list[Obligation]:
    rng = random.Random(seed)  # noqa: S311 - a repeatable test graph, not a secret
    result = []
    for key in range(invoices):
        debtor, creditor = rng.sample(range(cooperatives), 2)
        result.append(Obligation(key, debtor, creditor, rng.randint(1, 10_000_000)))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--cooperatives", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    load = os.getloadavg()
    obligations = random_invoices(args.invoices, args.cooperatives, args.seed)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = clear(obligations)
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    print(
        f"clearing proposal: {args.invoices:,} invoices among {args.cooperatives:,} cooperatives; "
        f"best {best:.2f} s, median {median:.2f} s of {args.runs} runs; "
        f"cleared {result.cleared:,} of {result.volume_before:,} "
        f"({100 * result.cleared / result.volume_before:.1f}%); "
        f"load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs; "
        f"target < {TARGET_SECONDS:.0f} s: {'met' if median < TARGET_SECONDS else 'MISSED'}"
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
