"""Minga's load benchmarks (benchmarks/README.md): `make bench`, `make bench-scaling`, `make soak`.

    python benchmarks/run.py bench   [--listings 100000] [--seconds 10] [--connections N]
    python benchmarks/run.py scaling [--sizes 10000,100000,1000000]
    python benchmarks/run.py soak    [--seconds 180]

On PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/minga_bench) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/0, which the production settings require): seeds with
seed_bulk when the database does not hold the requested catalogue, serves the app with gunicorn
and the production settings on a free loopback port (BENCH_WORKERS workers x BENCH_THREADS
threads), drives every scenario with wrk for a bounded time and writes JSON and Markdown to
benchmarks/results/.
"""

import argparse
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess  # nosec B404: starts gunicorn and git, fixed programs
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/minga_bench"
# The production settings refuse to start without a shared cache (docs/security.md).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BASELINE_PATH = "/api/v1/_bench/baseline/"
GUNICORN = Path(sys.executable).parent / "gunicorn"

from benchmarks.checkout import CheckoutStats, prepare_fixture, run_checkouts  # noqa: E402
from benchmarks.wrk import run_wrk  # noqa: E402


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def size_label(listings: int) -> str:
    if listings >= 1_000_000 and listings % 1_000_000 == 0:
        return f"{listings // 1_000_000}m"
    if listings >= 1000 and listings % 1000 == 0:
        return f"{listings // 1000}k"
    return str(listings)


# --- the database -----------------------------------------------------------------------------


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist (the server must be reachable)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name and os.environ.get("BENCH_FORCE") != "1":
        raise SystemExit(
            f"Refusing to use database {name!r}: the benchmarks delete its orders. Use a database"
            " whose name contains 'bench' (default minga_bench) or set BENCH_FORCE=1."
        )
    admin = with_database_name(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')  # name checked above; not user input


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def reset_orders() -> None:
    """Empty the order tables (carts, checkouts, orders, invoices...) so every run starts from the
    same state and seed_bulk --reset can remove listings that orders point at."""
    from django.apps import apps
    from django.db import connection

    tables = [model._meta.db_table for model in apps.get_app_config("orders").get_models()]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " CASCADE")


def ensure_catalogue(listings: int, cooperatives: int) -> float | None:
    """Migrate, and seed with seed_bulk unless the database holds exactly this catalogue.
    Returns the seconds seeding took, None when the data was there already."""
    from django.core.management import call_command

    from cooperatives.models import Cooperative
    from marketplace.models import Listing

    call_command("migrate", verbosity=0, interactive=False)
    have_listings = Listing.objects.filter(cooperative__slug__startswith="bulk-").count()
    have_cooperatives = Cooperative.objects.filter(slug__startswith="bulk-").count()
    if have_listings == listings and have_cooperatives == cooperatives:
        log(f"database holds {listings} listings of {cooperatives} cooperatives already")
        from marketplace import cards

        if Listing.objects.filter(card__isnull=True).exists():  # seeded before stored cards
            started = time.monotonic()
            built = cards.rebuild_all()
            log(f"built {built} stored cards in {time.monotonic() - started:.0f} s")
        return None
    # A million listings: the first tenth seeded, then copied in SQL (seed_bulk --replicate).
    replicate = 10 if listings >= 1_000_000 and not listings % 10 and not cooperatives % 10 else 1
    log(
        f"seeding {listings} listings of {cooperatives} cooperatives (seed_bulk"
        + (f", {replicate} copies in SQL)" if replicate > 1 else ")")
    )
    reset_orders()
    started = time.monotonic()
    call_command(
        "seed_bulk",
        listings=listings,
        cooperatives=cooperatives,
        reset=have_cooperatives > 0,
        replicate=replicate,
    )
    seconds = time.monotonic() - started
    record_seed_time(listings, cooperatives, seconds)
    return seconds


def collect_static() -> None:
    """As a deployment does: whitenoise serves the collected files (the HTML pages link them)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def record_seed_time(listings: int, cooperatives: int, seconds: float) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "seed-times.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[size_label(listings)] = {
        "listings": listings,
        "cooperatives": cooperatives,
        "seconds": round(seconds, 1),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path.write_text(json.dumps(data, indent=2) + "\n")


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    """BENCH_PORT when set (a machine shared by several runs gives each its own range)."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServerSettings:
    workers: int
    threads: int
    access_log: bool = False


class Server:
    """gunicorn with config.settings.production on 127.0.0.1:<free port>."""

    app = "config.wsgi"  # the WSGI module, run from `cwd` by `gunicorn` (oscar_bench.py's differ)
    gunicorn = GUNICORN
    cwd = ROOT

    def __init__(self, database_url: str, settings: ServerSettings) -> None:
        self.settings = settings
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP over loopback; TLS ends at the proxy
            "MINGA_BENCH_BASELINE": "1",
            "THROTTLE_CHECKOUT": "1000000/min",  # 32 buyers check out far more than 30/hour
            "THROTTLE_MESSAGES": "1000000/min",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
            "DEBUG": "false",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(self.gunicorn),
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.settings.workers),
            "--threads",
            str(self.settings.threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
        ]
        if self.settings.access_log:
            command += ["--access-logfile", "-"]
        log(
            f"gunicorn on {self.base_url}: {self.settings.workers} workers x"
            f" {self.settings.threads} threads"
        )
        self.process = subprocess.Popen(command, cwd=self.cwd, env=self.env)  # noqa: S603  # nosec B603
        # BENCH_START_SECONDS: 5 workers importing Django on a loaded 2-CPU machine take longer.
        wait = float(os.environ.get("BENCH_START_SECONDS") or 60)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited at start: see the messages above")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=5) as response:  # noqa: S310  # nosec B310
                    if response.status == 200 and len(self.worker_pids()) >= self.settings.workers:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()  # not left serving (and holding the port) after the harness gives up
        raise SystemExit(f"gunicorn did not answer /healthz within {wait:.0f} s")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return sorted(int(pid) for pid in text.split())

    def worker_rss_kb(self) -> dict[int, int]:
        sizes = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1])
            except OSError:
                continue
        return sizes

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def fetch(base_url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310
        base_url + path, headers={"Accept-Language": "en", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- scenarios --------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    key: str
    paths: list[str]
    what: str
    headers: dict[str, str] | None = None  # one header at most (wrk_report.lua)
    connections: int | None = None  # instead of --connections


SIGNED_IN_KEYS = ("list_signed_in_1c", "list_signed_in", "html_signed_in_1c", "html_signed_in")


def signed_in_scenarios(base_url: str, connections: int) -> list[Scenario]:
    """Issue #20 item 3: the bench reader (benchmarks/signed_in.py), signed in with a token (API)
    or a session (page), every answer built (each path new to the cache); at one connection
    for the latency, at `connections` (32 in the issue) for the throughput."""
    from benchmarks import signed_in

    token, cookie = signed_in.credentials(base_url)
    api = {"Authorization": token}
    page = {"Cookie": cookie}
    built = "signed in, every response built"
    return [
        Scenario(
            "signed-in list, built, 1 connection",
            "list_signed_in_1c",
            signed_in.built_paths("/api/v1/listings/"),
            built,
            api,
            1,
        ),
        Scenario(
            f"signed-in list, built, {connections} connections",
            "list_signed_in",
            signed_in.built_paths("/api/v1/listings/"),
            built,
            api,
            connections,
        ),
        Scenario(
            "signed-in HTML catalogue, built, 1 connection",
            "html_signed_in_1c",
            signed_in.built_paths("/catalogue/"),
            built,
            page,
            1,
        ),
        Scenario(
            f"signed-in HTML catalogue, built, {connections} connections",
            "html_signed_in",
            signed_in.built_paths("/catalogue/"),
            built,
            page,
            connections,
        ),
    ]


def read_scenarios() -> list[Scenario]:
    """The read scenarios, with ids and slugs taken from the seeded catalogue."""
    from django.db.models import Count, Q

    from cooperatives.models import Cooperative
    from marketplace.models import Listing

    visible = Listing.objects.filter(
        status="published", cooperative__slug__startswith="bulk-"
    ).exclude(cooperative__verification_status="suspended")
    ids = list(visible.order_by("?").values_list("pk", flat=True)[:200])
    sellers = list(
        Cooperative.objects.filter(slug__startswith="bulk-")
        .exclude(verification_status="suspended")
        .annotate(published=Count("listings", filter=Q(listings__status="published")))
        .filter(published__gte=5)
        .order_by("?")
        .values_list("slug", flat=True)[:50]
    )
    return [
        Scenario("baseline (constant JSON, no DB)", "baseline", [BASELINE_PATH], "ceiling"),
        Scenario(
            "catalogue list (24, seller, thumbnail)",
            "list",
            ["/api/v1/listings/"],
            "newest first, page 1",
        ),
        Scenario(
            "search, common word", "search", ["/api/v1/listings/?search=organico"], "full text"
        ),
        Scenario("search, a typo", "search_typo", ["/api/v1/listings/?search=organik"], "typo"),
        Scenario(
            "filtered list",
            "filtered",
            [
                "/api/v1/listings/?category=food&country=AR&currency=ARS"
                "&min_price=100000&max_price=5000000"
            ],
            "category subtree + country + price range",
        ),
        Scenario("deep page (page 200)", "deep_page", ["/api/v1/listings/?page=200"], "offset"),
        Scenario(
            "listing detail",
            "detail",
            [f"/api/v1/listings/{pk}/" for pk in ids],
            f"{len(ids)} listings in turn",
        ),
        Scenario(
            "cooperative page with its catalogue (HTML)",
            "cooperative",
            [f"/cooperatives/{slug}/" for slug in sellers],
            f"{len(sellers)} cooperatives in turn",
        ),
        Scenario("HTML catalogue page", "html_catalogue", ["/catalogue/"], "first page"),
    ]


def warm_up(base_url: str, scenario: Scenario) -> dict[str, Any]:
    """A few requests per path before measuring; the first answer's status and result count."""
    info: dict[str, Any] = {}
    for path in scenario.paths[-20:]:  # the end of the list: wrk starts from the beginning
        for _ in range(2):
            status, body = fetch(base_url, path, scenario.headers)
        if "status" not in info:
            info["status"] = status
            try:
                info["count"] = json.loads(body).get("count")
            except ValueError:
                info["count"] = None
            info["bytes"] = len(body)
        if status != 200:
            log(f"warning: {path} answered {status}: {body[:200]!r}")
    return info


def measure(base_url: str, scenario: Scenario, args: argparse.Namespace) -> dict[str, Any]:
    info = warm_up(base_url, scenario)
    connections = scenario.connections or args.connections
    result = run_wrk(
        base_url,
        scenario.paths,
        seconds=args.seconds,
        connections=connections,
        threads=2,
        headers=scenario.headers,
    )
    log(
        f"{scenario.name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms,"
        f" p95 {result.p95_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, errors {result.errors}"
    )
    return {
        "name": scenario.name,
        "key": scenario.key,
        "path": scenario.paths[0],
        "what": scenario.what,
        "first_answer": info,
        "connections": connections,
        **result.as_dict(),
    }


def checkout_scenario(base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks.consistency import check_consistency

    fixture = prepare_fixture(buyers=args.buyers)
    with_lines = not getattr(args, "checkout_cart", False)
    stats = run_checkouts(base_url, fixture, seconds=args.seconds, with_lines=with_lines)
    problems = check_consistency(
        since_order_id=fixture.since_order_id, initial_stock=fixture.initial_stock
    )
    from orders.models import Order

    orders = Order.objects.filter(pk__gt=fixture.since_order_id).count()
    hot_left = dict(
        __import__("marketplace.models", fromlist=["Listing"])
        .Listing.objects.filter(pk__in=fixture.hot)
        .values_list("pk", "stock")
    )
    latencies = sorted(stats.latencies_ms) or [0.0]
    result = {
        "name": f"checkout, {args.buyers} concurrent buyers (invoice)",
        "key": "checkout",
        "path": "/api/v1/checkout/ with lines"
        if with_lines
        else "/api/v1/cart/items/ + /api/v1/checkout/",
        "what": "one request per order (lines in the body); orders per second"
        if with_lines
        else "add to cart, then check out; orders per second",
        "requests": stats.requests,
        "seconds": round(stats.seconds, 2),
        "rps": round(stats.requests / stats.seconds, 1),
        "orders_per_second": round(orders / stats.seconds, 1),
        "checkouts": stats.checkouts,
        "orders": orders,
        "refused_sold_out": stats.refused,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "errors": stats.server_errors + stats.other_errors,
        "status_5xx": stats.server_errors,
        "error_examples": stats.examples,
        "hot_stock_left": sorted(hot_left.values()),
        "consistency_problems": problems,
        "oversold": any("negative" in problem for problem in problems)
        or any(stock is not None and stock < 0 for stock in hot_left.values()),
    }
    log(
        f"checkout: {result['orders_per_second']} orders/s ({orders} orders, {stats.refused}"
        f" refused as sold out), checkout p50 {result['p50_ms']} ms, errors {result['errors']},"
        f" consistency problems {len(problems)}"
    )
    return result


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- reports ----------------------------------------------------------------------------------


def git_commit() -> str:
    try:
        completed = subprocess.run(  # nosec B603 B607: git, fixed arguments
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return completed.stdout.strip()


def conditions(args: argparse.Namespace, server: ServerSettings) -> dict[str, Any]:
    commit = git_commit()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
        "gunicorn_workers": server.workers,
        "gunicorn_threads": server.threads,
        "wrk_connections": getattr(args, "connections", None),
        "seconds_per_scenario": args.seconds,
        "note": os.environ.get("BENCH_NOTE", ""),
    }


def target_checks(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    baseline = results["baseline"]["rps"] or 1.0
    checks = []

    def check(target: str, measured: str, passed: bool) -> None:
        checks.append({"target": target, "measured": measured, "met": passed})

    if "list" in results:
        ratio = results["list"]["rps"] / baseline
        check("catalogue list >= 40% of baseline rps", f"{ratio:.0%}", ratio >= 0.40)
    if "html_catalogue" in results:
        ratio = results["html_catalogue"]["rps"] / baseline
        check("HTML catalogue page >= 30% of baseline rps", f"{ratio:.0%}", ratio >= 0.30)
    for key in ("search", "search_typo", "filtered"):
        if key in results:
            p95 = results[key]["p95_ms"]
            check(f"{results[key]['name']}: p95 <= 50 ms", f"{p95:.1f} ms", p95 <= 50)
    if "deep_page" in results and "list" in results:
        ratio = results["deep_page"]["p50_ms"] / max(results["list"]["p50_ms"], 0.001)
        check("deep page p50 within 20% of page 1", f"{ratio:.2f}x", ratio <= 1.2)
    for key, target, limit in (
        ("list_signed_in_1c", "signed-in list, built: p50 < 8 ms at 1 connection", 8.0),
        ("html_signed_in_1c", "signed-in HTML catalogue, built: p50 < 15 ms at 1 connection", 15.0),
    ):
        if key in results:
            p50 = results[key]["p50_ms"]
            check(target, f"{p50:.1f} ms", p50 < limit)
    if "checkout" in results:
        result = results["checkout"]
        check(
            "checkout >= 100 orders/s, no oversell",
            f"{result['orders_per_second']} orders/s, oversold: {result['oversold']}",
            result["orders_per_second"] >= 100 and not result["oversold"],
        )
    return checks


def markdown_table(report: dict[str, Any]) -> str:
    results = report["results"]
    baseline = results["baseline"]["rps"] or 1.0
    load = report["conditions"]
    lines = [
        f"### {report['listings']:,} listings, {report['cooperatives']:,} cooperatives"
        f" ({load['date']}, commit {load['commit']})",
        "",
        f"gunicorn {load['gunicorn_workers']} workers x {load['gunicorn_threads']} threads,"
        f" wrk {load['wrk_connections']} connections, {load['seconds_per_scenario']} s per"
        f" scenario, {load['cpus']} CPUs, load average before"
        f" {' '.join(str(v) for v in load['load_average_before'])}"
        + (f"; {load['note']}" if load["note"] else ""),
        "",
        "| scenario | req/s | vs baseline | p50 ms | p95 ms | p99 ms | errors | results |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results.values():
        ratio = result["rps"] / baseline
        if result["key"] == "checkout":
            extra = (
                f"{result['orders_per_second']} orders/s; {result['orders']} orders,"
                f" {result['refused_sold_out']} sold out"
            )
        else:
            count = result.get("first_answer", {}).get("count")
            extra = f"{count:,}" if isinstance(count, int) else ""
        lines.append(
            f"| {result['name']} | {result['rps']:,.0f} | {ratio:.0%} | {result['p50_ms']:.1f}"
            f" | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} | {result['errors']} | {extra} |"
        )
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    for check in report["targets"]:
        lines.append(
            f"| {check['target']} | {check['measured']} | {'yes' if check['met'] else '**no**'} |"
        )
    if report.get("seed_seconds"):
        lines += ["", f"Seeded in this run: {report['seed_seconds']:.0f} s (seed_bulk)."]
    return "\n".join(lines) + "\n"


def write_report(name: str, report: dict[str, Any], markdown: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)
    log(f"wrote benchmarks/results/{name}.json and .md")


# --- commands ---------------------------------------------------------------------------------


def server_settings() -> ServerSettings:
    return ServerSettings(
        workers=int(os.environ.get("BENCH_WORKERS") or 3),
        threads=int(os.environ.get("BENCH_THREADS") or 1),
        access_log=os.environ.get("BENCH_ACCESS_LOG") == "1",
    )


def default_connections(settings: ServerSettings) -> int:
    return int(os.environ.get("BENCH_CONNECTIONS") or 2 * settings.workers * settings.threads)


def command_bench(args: argparse.Namespace) -> int:
    from benchmarks import oscar_bench

    started = time.monotonic()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    ensure_database(url)
    django_setup(url)
    seed_seconds = ensure_catalogue(args.listings, args.cooperatives)
    oscar = oscar_bench.run_beside(url, args)  # --with-oscar: django-oscar-api's shop, seeded
    reset_orders()
    collect_static()
    settings = server_settings()
    args.connections = args.connections or default_connections(settings)
    scenarios = read_scenarios()
    wanted = set(args.only.split(",")) | {"baseline"} if args.only else None
    if wanted:
        scenarios = [scenario for scenario in scenarios if scenario.key in wanted]
    report: dict[str, Any] = {
        "listings": args.listings,
        "cooperatives": args.cooperatives,
        "seed_seconds": seed_seconds,
        "conditions": conditions(args, settings),
        "results": {},
    }
    with Server(url, settings) as server:
        if wanted is None or wanted & set(SIGNED_IN_KEYS):
            scenarios += [
                scenario
                for scenario in signed_in_scenarios(server.base_url, args.signed_in_connections)
                if wanted is None or scenario.key in wanted
            ]
        for scenario in scenarios:
            report["results"][scenario.key] = measure(server.base_url, scenario, args)
        if not args.only or "checkout" in args.only.split(","):
            report["results"]["checkout"] = checkout_scenario(server.base_url, args)
    beside_oscar = oscar_bench.report_beside(oscar, report, args, settings)
    report["targets"] = target_checks(report["results"])
    report["conditions"]["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    report["conditions"]["total_seconds"] = round(time.monotonic() - started, 1)
    markdown = markdown_table(report) + beside_oscar
    write_report(args.name or f"bench-{size_label(args.listings)}", report, markdown)
    print()
    print(markdown)
    log(f"done in {time.monotonic() - started:.0f} s")
    server_errors = sum(result.get("status_5xx", 0) for result in report["results"].values())
    return 1 if server_errors else 0


def command_scaling(args: argparse.Namespace) -> int:
    """Search and list p50 at several catalogue sizes, each in its own database
    (<database>_<size>, kept for the next run), so the growth of the cost is visible."""
    started = time.monotonic()
    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    base_name = urlsplit(base_url).path.lstrip("/")
    settings = server_settings()
    args.connections = args.connections or default_connections(settings)
    sizes = [int(size) for size in args.sizes.split(",")]
    keys = ["baseline", "list", "search", "search_typo", "filtered"]
    rows: dict[str, Any] = {}
    for listings in sizes:
        label = size_label(listings)
        url = with_database_name(base_url, f"{base_name}_{label}")
        ensure_database(url)
        cooperatives = max(20, args.cooperatives * listings // 100_000)
        code = (
            "import sys, json; sys.argv = sys.argv[:1];"
            "from benchmarks import run;"
            f"run.django_setup({url!r});"
            f"print('SEED', json.dumps(run.ensure_catalogue({listings}, {cooperatives})))"
        )
        # Each size in a fresh process: Django binds to one database per process.
        seeded = subprocess.run(  # noqa: S603  # nosec B603: this interpreter, our code
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if seeded.returncode != 0:
            print(seeded.stdout, seeded.stderr)
            raise SystemExit(f"seeding {label} failed")
        seed_line = [line for line in seeded.stdout.splitlines() if line.startswith("SEED ")]
        seed_seconds = json.loads(seed_line[-1][5:]) if seed_line else None
        paths = {
            "baseline": [BASELINE_PATH],
            "list": ["/api/v1/listings/"],
            "search": ["/api/v1/listings/?search=organico"],
            "search_typo": ["/api/v1/listings/?search=organik"],
            "filtered": [
                "/api/v1/listings/?category=food&country=AR&currency=ARS"
                "&min_price=100000&max_price=5000000"
            ],
        }
        row: dict[str, Any] = {"listings": listings, "seed_seconds": seed_seconds}
        with Server(url, settings) as server:
            for key in keys:
                scenario = Scenario(key, key, paths[key], "")
                row[key] = measure(server.base_url, scenario, args)
        rows[label] = row
    reference = rows.get("100k")
    lines = [
        f"### Scaling ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {settings.workers} workers x"
        f" {settings.threads} threads, wrk {args.connections} connections, {args.seconds} s each,"
        f" {os.cpu_count()} CPUs)",
        "",
        "| listings | seeded in | " + " | ".join(f"{key} p50 ms" for key in keys[1:]) + " |",
        "| ---: | ---: | " + " | ".join("---:" for _ in keys[1:]) + " |",
    ]
    for row in rows.values():
        seeded_text = f"{row['seed_seconds']:.0f} s" if row["seed_seconds"] else "earlier"
        cells = []
        for key in keys[1:]:
            cell = f"{row[key]['p50_ms']:.1f}"
            if reference and row is not reference:
                cell += f" ({row[key]['p50_ms'] / max(reference[key]['p50_ms'], 0.001):.1f}x)"
            cells.append(cell)
        lines.append(f"| {row['listings']:,} | {seeded_text} | " + " | ".join(cells) + " |")
    if reference and "1m" in rows:
        worst = max(
            rows["1m"][key]["p50_ms"] / max(reference[key]["p50_ms"], 0.001) for key in keys[1:]
        )
        lines += [
            "",
            f"Target p50 at 1M <= 3x p50 at 100k: worst {worst:.1f}x ({'met' if worst <= 3 else '**missed**'}).",
        ]
    markdown = "\n".join(lines) + "\n"
    report = {"sizes": sizes, "rows": rows, "total_seconds": round(time.monotonic() - started, 1)}
    write_report("scaling", report, markdown)
    print()
    print(markdown)
    return 0


def command_soak(args: argparse.Namespace) -> int:
    """At about 80% of the read mix's measured maximum, reads and checkouts together for a
    bounded time: no 5xx, worker memory growth under 10%, consistent data afterwards."""
    from benchmarks.consistency import check_consistency

    started = time.monotonic()
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    ensure_database(url)
    django_setup(url)
    ensure_catalogue(args.listings, args.cooperatives)
    reset_orders()
    collect_static()
    settings = server_settings()
    # enough connections that the pacing, not the connections, bounds the rate when answers slow
    connections = args.connections or max(16, default_connections(settings) * 4)
    scenarios = {scenario.key: scenario for scenario in read_scenarios()}
    mix = (
        scenarios["list"].paths * 3
        + scenarios["search"].paths * 2
        + scenarios["search_typo"].paths
        + scenarios["filtered"].paths * 2
        + scenarios["deep_page"].paths
        + scenarios["detail"].paths[:40]
        + scenarios["cooperative"].paths[:10]
        + scenarios["html_catalogue"].paths * 2
    )
    fixture = prepare_fixture(buyers=args.buyers)
    report: dict[str, Any] = {"listings": args.listings, "seconds": args.seconds}
    with Server(url, settings) as server:
        for key in ("list", "search", "detail", "cooperative", "html_catalogue"):
            warm_up(server.base_url, scenarios[key])
        log("measuring the maximum throughput of the read mix")
        peak = run_wrk(
            server.base_url, mix, seconds=args.calibrate_seconds, connections=connections
        )
        target = peak.rps * args.share
        # Checkouts take a share of the capacity too: reads get the rest of the 80%.
        read_rate = target * (1 - args.checkout_share)
        log(f"maximum {peak.rps:.0f} req/s; soak: reads at {read_rate:.0f} req/s + checkouts")
        memory_start = server.worker_rss_kb()
        samples: list[dict[str, Any]] = [{"t": 0, "rss_kb": memory_start}]
        checkout_stats: dict[str, CheckoutStats] = {}

        def checkouts() -> None:
            checkout_stats["all"] = run_checkouts(
                server.base_url,
                fixture,
                seconds=args.seconds,
                pause=args.checkout_pause,
                accept=True,
            )

        stop = threading.Event()

        def sample_memory() -> None:
            while not stop.wait(10):
                samples.append(
                    {"t": round(time.monotonic() - soak_started), "rss_kb": server.worker_rss_kb()}
                )

        soak_started = time.monotonic()
        writer = threading.Thread(target=checkouts, daemon=True)
        sampler = threading.Thread(target=sample_memory, daemon=True)
        writer.start()
        sampler.start()
        reads = run_wrk(
            server.base_url, mix, seconds=args.seconds, connections=connections, rate=read_rate
        )
        writer.join(args.seconds + 180)
        stop.set()
        memory_end = server.worker_rss_kb()
        samples.append({"t": round(time.monotonic() - soak_started), "rss_kb": memory_end})
    writes = checkout_stats.get("all") or CheckoutStats()
    problems = check_consistency(
        since_order_id=fixture.since_order_id, initial_stock=fixture.initial_stock
    )
    growth = {
        str(pid): round((memory_end.get(pid, 0) - size) / size, 4)
        for pid, size in memory_start.items()
        if size
    }
    same_workers = sorted(memory_start) == sorted(memory_end)
    total_rps = (reads.requests + writes.requests) / args.seconds
    server_errors = reads.status_5xx + writes.server_errors
    report.update(
        {
            "conditions": conditions(args, settings),
            "peak_read_rps": peak.rps,
            "target_share": args.share,
            "achieved_rps": round(total_rps, 1),
            "achieved_share_of_peak": round(total_rps / peak.rps, 3) if peak.rps else None,
            "reads": reads.as_dict(),
            "checkouts": {
                "requests": writes.requests,
                "checkouts": writes.checkouts,
                "accepted_orders": writes.accepted,
                "refused_sold_out": writes.refused,
                "server_errors": writes.server_errors,
                "other_errors": writes.other_errors,
                "examples": writes.examples,
                "checkout_p50_ms": round(statistics.median(writes.latencies_ms), 1)
                if writes.latencies_ms
                else None,
            },
            "server_errors": server_errors,
            "socket_errors": reads.socket_errors,
            "memory_start_kb": memory_start,
            "memory_end_kb": memory_end,
            "memory_growth": growth,
            "memory_samples": samples,
            "same_workers": same_workers,
            "consistency_problems": problems,
        }
    )
    failures = []
    if server_errors:
        failures.append(f"{server_errors} server errors (5xx)")
    if reads.socket_errors:
        failures.append(f"{reads.socket_errors} socket errors or timeouts")
    if writes.other_errors:
        failures.append(f"{writes.other_errors} unexpected answers to checkouts")
    if not same_workers:
        failures.append("a worker was replaced during the soak (crash or timeout)")
    worst = max(growth.values(), default=0.0)
    if worst >= 0.10:
        failures.append(f"worker memory grew {worst:.0%}")
    failures += problems
    report["failures"] = failures
    report["total_seconds"] = round(time.monotonic() - started, 1)
    start_mb = ", ".join(f"{kb / 1024:.0f}" for kb in memory_start.values())
    end_mb = ", ".join(f"{kb / 1024:.0f}" for kb in memory_end.values())
    markdown = (
        "\n".join(
            [
                f"### Soak ({report['conditions']['date']}, commit {report['conditions']['commit']},"
                f" {args.listings:,} listings, {args.seconds} s)",
                "",
                f"- read mix maximum {peak.rps:.0f} req/s; soak at {total_rps:.0f} req/s"
                f" ({total_rps / max(peak.rps, 1):.0%} of it): {reads.requests:,} reads"
                f" (p50 {reads.p50_ms:.1f} ms, p99 {reads.p99_ms:.1f} ms) and {writes.requests:,}"
                f" cart/checkout/accept requests ({writes.checkouts} checkouts,"
                f" {writes.accepted} orders accepted with an invoice, {writes.refused} sold out)",
                f"- server errors (5xx): {server_errors}; socket errors: {reads.socket_errors};"
                f" unexpected checkout answers: {writes.other_errors}",
                f"- worker RSS MB at start: {start_mb}; at end: {end_mb}; worst growth {worst:.1%}"
                f" ({'same workers' if same_workers else 'workers replaced'})",
                "- consistency (stock, orders, checkouts, invoices): "
                + ("consistent" if not problems else "; ".join(problems[:5])),
                f"- result: {'**PASS**' if not failures else '**FAIL**: ' + '; '.join(failures[:5])}",
            ]
        )
        + "\n"
    )
    write_report("soak", report, markdown)
    print()
    print(markdown)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser, seconds: float) -> None:
        sub.add_argument("--listings", type=int, default=int(os.environ.get("LISTINGS") or 100_000))
        sub.add_argument("--cooperatives", type=int, default=2_000)
        sub.add_argument("--seconds", type=float, default=seconds, help="per scenario / soak")
        sub.add_argument(
            "--connections", type=int, default=0, help="wrk -c (default 2 x workers x threads)"
        )
        sub.add_argument("--buyers", type=int, default=32)

    bench = commands.add_parser("bench", help="every scenario at one size")
    common(bench, float(os.environ.get("BENCH_SECONDS") or 10))
    bench.add_argument("--only", default="", help="comma-separated scenario keys")
    bench.add_argument(
        "--signed-in-connections",
        type=int,
        default=int(os.environ.get("BENCH_SIGNED_IN_CONNECTIONS") or 32),
        help="wrk connections of the signed-in throughput scenarios (issue #20: 32)",
    )
    bench.add_argument("--name", default="", help="results file name (default bench-<size>)")
    bench.add_argument(
        "--checkout-cart",
        action="store_true",
        help="check out through the cart (two requests per order) instead of lines in the body",
    )
    bench.add_argument(
        "--with-oscar",
        dest="oscar",
        action="store_true",
        help="also measure django-oscar-api's product list (make bench-oscar-install)",
    )
    bench.add_argument("--no-oscar", dest="oscar", action="store_false")
    scaling = commands.add_parser("scaling", help="search and list p50 at several sizes")
    common(scaling, float(os.environ.get("BENCH_SECONDS") or 10))
    scaling.add_argument("--sizes", default=os.environ.get("SIZES") or "10000,100000,1000000")
    soak = commands.add_parser("soak", help="bounded soak at ~80%% of the maximum")
    common(soak, float(os.environ.get("SOAK_SECONDS") or 180))
    soak.add_argument("--share", type=float, default=0.8)
    soak.add_argument("--checkout-share", type=float, default=0.15)
    soak.add_argument("--checkout-pause", type=float, default=0.5)
    soak.add_argument("--calibrate-seconds", type=float, default=10)
    args = parser.parse_args(argv)
    if args.command == "soak" and "--buyers" not in (argv or sys.argv):
        args.buyers = 8
    return {"bench": command_bench, "scaling": command_scaling, "soak": command_soak}[args.command](
        args
    )


if __name__ == "__main__":
    sys.exit(main())
