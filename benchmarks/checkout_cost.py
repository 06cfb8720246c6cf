"""What one checkout costs, in process: SQL queries and CPU (this process plus its PostgreSQL
backend, from /proc) of `POST /api/v1/cart/items/` and of `POST /api/v1/checkout/`, through the
whole stack (middleware, token authentication, throttle, DRF, services, serialisers).

    DATABASE_URL=postgres://.../minga_<name> python benchmarks/checkout_cost.py [--runs 200]
        [--lines 1] [--sellers 1] [--profile checkout] [--queries]

The catalogue must be seeded (`manage.py seed_bulk`); it uses the benchmark's buyers and listings
(`benchmarks/checkout.py`), resets their stock and writes orders. On a machine shared with other
work the latency grows with the contention; the CPU per request does not, so compare that.
`--lines N --sellers M` puts N lines from M sellers in each cart (the benchmark uses 1 and 1).
`--profile checkout|cart` prints cProfile's top functions by cumulative time; `--queries` prints
the SQL of one addition and one checkout.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ["DEBUG"] = "false"
os.environ["THROTTLE_CHECKOUT"] = "1000000/min"  # as the benchmark's server
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"

from benchmarks.catalogue_latency import percentile, process_cpu_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--lines", type=int, default=1, help="cart lines per checkout")
    parser.add_argument("--sellers", type=int, default=1, help="sellers those lines come from")
    parser.add_argument(
        "--with-lines",
        action="store_true",
        help="one request per order, the lines in the checkout's body (as `make bench`)",
    )
    parser.add_argument("--profile", choices=["cart", "checkout"], default="")
    parser.add_argument("--only", default="", help="cProfile: functions whose path matches")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: tottime...")
    parser.add_argument("--top", type=int, default=45, help="cProfile: how many functions")
    parser.add_argument("--dump", default="", help="cProfile: also write the stats to this file")
    parser.add_argument(
        "--queries", action="store_true", help="print the SQL of one of each request"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.checkout import prepare_fixture
    from marketplace.models import Listing

    fixture = prepare_fixture(buyers=1)
    slug, token = fixture.buyers[0]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    cool = Listing.objects.filter(pk__in=fixture.cool)
    currencies = list(cool.values_list("currency", flat=True))
    currency = max(set(currencies), key=currencies.count)  # one currency: one checkout
    by_seller: dict[int, list[int]] = {}
    for pk, seller_id in cool.filter(currency=currency).values_list("pk", "cooperative_id"):
        by_seller.setdefault(seller_id, []).append(pk)
    sellers = sorted(by_seller, key=lambda seller: -len(by_seller[seller]))[: args.sellers]
    basket = [by_seller[sellers[i % len(sellers)]][i // len(sellers)] for i in range(args.lines)]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 0"
        )
        pid = cursor.fetchone()[0] or None

    costs: dict[str, list[float]] = {"cart": [], "checkout": []}
    backend_costs: dict[str, list[float]] = {"cart": [], "checkout": []}
    times: dict[str, list[float]] = {"cart": [], "checkout": []}
    counts: dict[str, int] = {}
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL

    def call(kind: str, path: str, body: dict, headers: dict, *, measure: bool) -> None:
        app, db = time.process_time(), process_cpu_seconds(pid)
        started = time.perf_counter()
        if measure and args.profile == kind:
            profiler.enable()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(path, body, content_type="application/json", headers=headers)
        if measure and args.profile == kind:
            profiler.disable()
        elapsed = time.perf_counter() - started
        assert response.status_code in (200, 201), (path, response.status_code, response.content)
        counts[kind] = len(queries)
        if args.queries and measure and f"shown {kind}" not in counts:
            counts[f"shown {kind}"] = 1
            print(f"-- {kind}: {len(queries)} queries")
            for query in queries.captured_queries:
                print(query["sql"][:200])
        if measure:
            db_after = process_cpu_seconds(pid)
            backend = db_after - db if db is not None and db_after is not None else 0.0
            cpu = time.process_time() - app + backend
            costs[kind].append(cpu * 1000)
            backend_costs[kind].append(backend * 1000)
            times[kind].append(elapsed * 1000)

    for run in range(args.warmup + args.runs):
        measure = run >= args.warmup
        if args.with_lines:
            call(
                "checkout",
                "/api/v1/checkout/",
                {
                    "cooperative": slug,
                    "payment_method": "invoice",
                    "delivery_address": "Bench 1",
                    "lines": [{"listing": listing, "quantity": 1} for listing in basket],
                },
                {"Idempotency-Key": str(uuid.uuid4())},
                measure=measure,
            )
            continue
        for listing in basket:
            call(
                "cart",
                "/api/v1/cart/items/",
                {"cooperative": slug, "listing": listing, "quantity": 1},
                {},
                measure=measure,
            )
        call(
            "checkout",
            "/api/v1/checkout/",
            {"cooperative": slug, "payment_method": "invoice", "delivery_address": "Bench 1"},
            {"Idempotency-Key": str(uuid.uuid4())},
            measure=measure,
        )

    print(
        f"{connection.vendor}, {args.runs} checkouts of {args.lines} line(s) from"
        f" {len(sellers)} seller(s)"
    )
    print(
        f"{'request':<10} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7}"
        f" {'of which PostgreSQL':>20}"
    )
    for kind in ("checkout",) if args.with_lines else ("cart", "checkout"):
        cpu = sum(costs[kind]) / len(costs[kind])
        backend = sum(backend_costs[kind]) / len(backend_costs[kind])
        print(
            f"{kind:<10} {counts[kind]:>8} {statistics.median(times[kind]):>10.1f}"
            f" {percentile(times[kind], 0.95):>8.1f} {cpu:>7.1f} {backend:>20.1f}"
        )
    per_order = (sum(costs["cart"]) + sum(costs["checkout"])) / args.runs
    print(f"CPU per checkout (its cart additions included): {per_order:.1f} ms")
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    if args.profile:
        restrictions: list[str | int] = [args.only] if args.only else []
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(*restrictions, args.top)
        if args.dump:
            profiler.dump_stats(args.dump)  # for pstats' print_callees / print_callers


if __name__ == "__main__":
    main()
