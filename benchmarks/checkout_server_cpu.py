"""The checkout scenario of `make bench` with the CPU it costs per order: gunicorn's processes,
their PostgreSQL backends and the load generator, read from /proc (Linux). On a machine shared
with other work the orders per second follow the share of the CPU the server gets; the CPU per
order does not, so compare that, and "server CPUs used" against the machine's busy CPUs.

    DATABASE_URL=postgres://.../minga_bench_<name> BENCH_WORKERS=3 BENCH_THREADS=1 \\
        python benchmarks/checkout_server_cpu.py [--seconds 10] [--buyers 32]

The database must hold a catalogue seeded by `make bench` (or `manage.py seed_bulk`); like the
harness it empties the order tables first, so its name must contain `bench`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import run as bench  # noqa: E402
from benchmarks.catalogue_latency import process_cpu_seconds  # noqa: E402


def machine_idle_and_total() -> tuple[int, int]:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return values[3] + values[4], sum(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument(
        "--cart", action="store_true", help="add to cart, then check out (two requests an order)"
    )
    args = parser.parse_args()
    with_lines = not args.cart
    url = os.environ.get("DATABASE_URL") or bench.DEFAULT_DATABASE_URL
    if "bench" not in url.rsplit("/", 1)[-1] and os.environ.get("BENCH_FORCE") != "1":
        raise SystemExit("The order tables are emptied: use a database whose name has `bench`.")
    bench.django_setup(url)
    bench.reset_orders()
    from django.db import connection

    from benchmarks.checkout import prepare_fixture, run_checkouts
    from orders.models import Order

    def backends() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    settings = bench.server_settings()
    with bench.Server(url, settings) as server:
        assert server.process is not None
        run_checkouts(
            server.base_url,
            prepare_fixture(buyers=args.buyers),
            seconds=args.warmup,
            with_lines=with_lines,
        )
        fixture = prepare_fixture(buyers=args.buyers)
        processes = [server.process.pid, *server.worker_pids()]
        before = {pid: process_cpu_seconds(pid) or 0.0 for pid in processes + backends()}
        idle_before, total_before = machine_idle_and_total()
        client_before = time.process_time()
        stats = run_checkouts(server.base_url, fixture, seconds=args.seconds, with_lines=with_lines)
        client = time.process_time() - client_before
        idle_after, total_after = machine_idle_and_total()
        database_pids = backends()
        after = {pid: process_cpu_seconds(pid) or 0.0 for pid in processes + database_pids}
    served = sum(after[pid] - before.get(pid, 0.0) for pid in processes)
    database = sum(after[pid] - before.get(pid, 0.0) for pid in database_pids)
    orders = Order.objects.filter(pk__gt=fixture.since_order_id).count()
    busy = (1 - (idle_after - idle_before) / max(total_after - total_before, 1)) * (
        os.cpu_count() or 1
    )
    per_order = 1000 / max(orders, 1)
    print(
        f"{settings.workers} workers x {settings.threads} threads: "
        f"{orders / stats.seconds:.1f} orders/s ({orders} orders, {stats.requests} requests,"
        f" {stats.refused} refused as sold out, {stats.server_errors + stats.other_errors} errors)"
    )
    print(
        f"CPU per order: gunicorn {served * per_order:.1f} ms, PostgreSQL"
        f" {database * per_order:.1f} ms, load generator {client * per_order:.1f} ms; total"
        f" {(served + database + client) * per_order:.1f} ms"
    )
    print(
        f"server CPUs used {(served + database) / stats.seconds:.2f}, machine busy {busy:.2f}"
        f" of {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    return 1 if stats.server_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
