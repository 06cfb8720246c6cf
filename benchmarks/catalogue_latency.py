"""Latency of catalogue requests through the whole API stack (URL routing, middleware, DRF,
filters, serialisers, the database), measured N times each after a warm-up.

    DATABASE_URL=postgres://... python benchmarks/catalogue_latency.py [--runs 50] [--base-url URL]

Without --base-url requests go through Django's test Client in this process (no network); with
it, through HTTP to a running server (runserver or gunicorn). Prints median and p95 in ms and,
in-process on PostgreSQL, the CPU time one request costs (this process plus its database
backend, from /proc): on a machine shared with other work the latency grows with the
contention, the CPU cost does not. --wait-idle waits for a quiet CPU before each request type.
--signed-in sends them as the bench reader (benchmarks/signed_in.py; a session, in process
only) and adds the HTML catalogue page; --token sends the API requests with the reader's API
token instead, as `make bench`'s signed-in scenarios do; --built adds a parameter the catalogue
ignores with a new value to every request (`fresh=<run>-<n>`, as benchmarks/signed_in.py), so
every answer is built; --only keeps the requests whose name contains a word; --profile FILE
writes a cProfile of the measured requests (not their warm-up), sorted by cumulative time.

The signed-in list of `make bench` (issue #20 item 3), CPU per built request:

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N \
        python benchmarks/catalogue_latency.py --signed-in --token --built --only unfiltered
"""

import argparse
import cProfile
import itertools
import json
import os
import pstats
import secrets
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "false")  # no query log kept in memory

SCENARIOS = [
    ("search, a common word (make bench-scaling)", "/api/v1/listings/?search=organico"),
    (
        "filtered (make bench-scaling)",
        "/api/v1/listings/?category=food&country=AR&currency=ARS&min_price=100000"
        "&max_price=5000000",
    ),
    ("search", "/api/v1/listings/?search=cafe+organico"),
    ("search, a typo", "/api/v1/listings/?search=organik"),
    ("search + filters", "/api/v1/listings/?search=yerba&country=AR&in_stock=true"),
    (
        "filtered list",
        "/api/v1/listings/?category=food&country=AR&in_stock=true&delivery=shipping"
        "&ordering=-published_at",
    ),
    (
        "price range",
        "/api/v1/listings/?currency=BRL&min_price=1000&max_price=50000&ordering=price_amount",
    ),
    ("newest, unfiltered", "/api/v1/listings/"),
    ("newest, page 100", "/api/v1/listings/?page=100"),
]


def cpu_idle_share(seconds: float = 2.0) -> float | None:
    """The machine's idle CPU share over a short interval (Linux only)."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        return values[3] + values[4], sum(values)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except OSError:
        return None
    return (idle_after - idle_before) / max(total_after - total_before, 1)


def wait_for_quiet(threshold: float, timeout: float) -> float | None:
    """On a shared machine other work distorts latencies: wait (up to `timeout` seconds) until
    at least `threshold` of the CPU is idle."""
    deadline = time.monotonic() + timeout
    share = cpu_idle_share()
    while share is not None and share < threshold and time.monotonic() < deadline:
        share = cpu_idle_share()
    return share


def process_cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) used so far by a process on this machine, from /proc."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--base-url", default="", help="e.g. http://127.0.0.1:8000")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="Before each request type, wait until this share of the CPU is idle (e.g. 0.8).",
    )
    parser.add_argument("--idle-timeout", type=float, default=120, help="Seconds to wait at most.")
    parser.add_argument("--signed-in", action="store_true", help="as the bench reader")
    parser.add_argument("--only", default="", help="comma-separated words of request names")
    parser.add_argument("--token", action="store_true", help="API requests with the reader's token")
    parser.add_argument("--built", action="store_true", help="a new `fresh=` value per request")
    parser.add_argument("--profile", default="", metavar="FILE", help="cProfile the measured runs")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import OperationalError, connection
    from django.test import Client

    from marketplace.models import Listing

    client = Client()
    api_client = client  # with --token, a client without the session's cookie
    headers: dict[str, str] = {}
    fresh = itertools.count()
    run = secrets.token_hex(4)

    def fetch(path: str) -> dict:
        if args.built:
            path += f"{'&' if '?' in path else '?'}fresh={run}-{next(fresh)}"
        if args.base_url:
            with urllib.request.urlopen(args.base_url.rstrip("/") + path) as response:  # noqa: S310
                return json.loads(response.read())
        if path.startswith("/api/"):
            response = api_client.get(path, headers=headers)
        else:
            response = client.get(path)
        if response.status_code == 500:
            raise OperationalError("server error")
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        if not response["Content-Type"].startswith("application/json"):
            return {"count": "page"}
        return response.json()

    published = Listing.objects.filter(status="published").count()
    visible = Listing.objects.filter(status="published").exclude(
        cooperative__verification_status="suspended"
    )
    detail_id = visible.values_list("pk", flat=True).first()
    scenarios = [*SCENARIOS, ("detail", f"/api/v1/listings/{detail_id}/")]
    if args.signed_in:
        from accounts.models import User

        reader = User.objects.filter(email="bench-reader@example.org").first()
        if reader is None:
            from benchmarks import signed_in

            reader = signed_in.reader("not-used-to-sign-in")
        client.force_login(reader)
        if args.token:
            from accounts.services import user_token

            headers["Authorization"] = f"Token {user_token(user=reader)}"
            api_client = Client()
        scenarios.append(("HTML catalogue page", "/catalogue/"))
    if args.only:
        words = args.only.split(",")
        scenarios = [(name, path) for name, path in scenarios if any(w in name for w in words)]
    print(f"{connection.vendor}, {published} published listings, {args.runs} runs each")
    print(
        f"{'request':<22} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'app ms':>7} {'results':>8}"
        f" {'idle':>5}  path"
    )

    def backend_pid() -> int | None:
        if args.base_url or connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def measure(path: str) -> tuple[list[float], dict, float | None, float]:
        for _ in range(args.warmup):
            body = fetch(path)
        pid = backend_pid()
        profile = cProfile.Profile(time.process_time) if args.profile else None
        app_before, db_before = time.process_time(), process_cpu_seconds(pid)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            body = fetch(path)
            if profile is not None:
                profile.disable()
            timings.append((time.perf_counter() - started) * 1000)
        app = time.process_time() - app_before
        db_after = process_cpu_seconds(pid)
        if profile is not None:
            with open(args.profile, "a") as out:
                out.write(f"\n=== {path} ({args.runs} runs)\n")
                stats = pstats.Stats(profile, stream=out)
                stats.sort_stats("cumulative").print_stats(80)
                stats.sort_stats("tottime").print_stats(40)
        cpu = None
        if db_before is not None and db_after is not None and not args.base_url:
            cpu = (app + db_after - db_before) * 1000 / args.runs
        return timings, body, cpu, app * 1000 / args.runs

    for name, path in scenarios:
        idle = wait_for_quiet(args.wait_idle, timeout=args.idle_timeout) if args.wait_idle else None
        for attempt in range(3):
            try:
                timings, body, cpu, app = measure(path)
                break
            except OperationalError:  # the shared server was restarted: measure again
                connection.close()
                time.sleep(5)
                if attempt == 2:
                    raise
        count = body.get("count", 1)
        idle_text = f"{idle:.0%}" if idle is not None else "-"
        cpu_text = f"{cpu:.1f}" if cpu is not None else "-"
        print(
            f"{name:<22} {statistics.median(timings):>10.1f} {percentile(timings, 0.95):>8.1f}"
            f" {cpu_text:>7} {app:>7.1f} {count:>8} {idle_text:>5}  {path}"
        )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
