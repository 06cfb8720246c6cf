"""django-oscar-api's product list, measured beside Minga's list in the same `make bench` run
(issue #20, item 3; benchmarks/README.md, "Beside django-oscar-api").

benchmarks/oscar/ is a minimal Oscar shop serving django-oscar-api from PyPI, installed in its own
virtualenv (.venv-oscar, `make bench-oscar-install`). `prepare` seeds its database
(`<bench database>_oscar`, or OSCAR_DATABASE_URL) from Minga's bench catalogue, row for row,
once; `measure` serves it with gunicorn (the same workers as Minga's server, production-like
settings) and drives `/api/products/` with wrk as Minga's list is driven, anonymous and signed
in, at one connection (latency) and at the run's connections (throughput); `markdown` prints the
rows with the ratio Minga / oscar-api. Nothing here imports Oscar: it runs in the other venv.
"""

import json
import os
import secrets
import subprocess  # nosec B404: the oscar venv's python and gunicorn, fixed programs
import time
import urllib.request
from argparse import Namespace
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from benchmarks.run import ROOT, Server, ServerSettings, ensure_database, log, with_database_name
from benchmarks.wrk import run_wrk

OSCAR_DIR = ROOT / "benchmarks" / "oscar"
OSCAR_VENV = ROOT / ".venv-oscar"
PRODUCTS_PATH = "/api/products/"
# Minga's rows each oscar-api row is compared with: results keys of the same run, at the run's
# connections and (key + "_1c") at one connection. OSCAR_COMPARE="anonymous=list,..." overrides.
DEFAULT_COMPARE = {"anonymous": "list", "signed_in": "list_signed_in"}


def installed() -> bool:
    return (OSCAR_VENV / "bin" / "gunicorn").exists() and (OSCAR_VENV / ".installed").exists()


def database_url(minga_url: str) -> str:
    name = urlsplit(minga_url).path.lstrip("/")
    return os.environ.get("OSCAR_DATABASE_URL") or with_database_name(minga_url, f"{name}_oscar")


@dataclass
class Oscar:
    database_url: str
    password: str
    seed_seconds: float | None


def prepare(minga_url: str, listings: int, cooperatives: int) -> Oscar:
    """Create, migrate and (when it does not hold the catalogue) seed the shop's database from
    Minga's, which must hold the requested catalogue already (run.ensure_catalogue)."""
    if not installed():
        raise SystemExit("django-oscar-api is not installed: `make bench-oscar-install`")
    url = database_url(minga_url)
    ensure_database(url)
    password = secrets.token_urlsafe(16)
    log(f"oscar-api: database {urlsplit(url).path.lstrip('/')} (seeds when needed)")
    completed = subprocess.run(  # noqa: S603  # nosec B603: our script in the oscar venv
        [
            str(OSCAR_VENV / "bin" / "python"),
            str(OSCAR_DIR / "seed.py"),
            "--source",
            minga_url,
            "--listings",
            str(listings),
            "--cooperatives",
            str(cooperatives),
        ],
        cwd=OSCAR_DIR,
        env={**os.environ, "OSCAR_DATABASE_URL": url, "OSCAR_BENCH_PASSWORD": password},
        capture_output=True,
        text=True,
        check=False,
    )
    print(completed.stdout, end="", flush=True)
    if completed.returncode != 0:
        print(completed.stderr)
        raise SystemExit("seeding the oscar-api database failed")
    done = [line.split() for line in completed.stdout.splitlines() if line.startswith("OSCAR_SEED")]
    seeded = bool(done) and done[-1][1] == "seeded"
    return Oscar(url, password, float(done[-1][2]) if seeded else None)


class OscarServer(Server):
    """The Oscar shop under gunicorn from .venv-oscar, as run.Server serves Minga."""

    app = "oscarsite.wsgi"
    gunicorn = OSCAR_VENV / "bin" / "gunicorn"
    cwd = OSCAR_DIR

    def __init__(self, database_url: str, settings: ServerSettings) -> None:
        super().__init__(database_url, settings)
        self.env = {
            key: value for key, value in os.environ.items() if not key.startswith("DJANGO")
        } | {
            "OSCAR_DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "oscarsite.settings",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
        }


def sign_in(base_url: str, password: str) -> str:
    """django-oscar-api's login (POST /api/login/): the session cookie, as a browser keeps it."""
    request = urllib.request.Request(  # noqa: S310  (our loopback server)
        base_url + "/api/login/",
        data=json.dumps({"username": "bench", "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    if "sessionid" not in cookies:
        raise SystemExit("oscar-api's login set no session cookie")
    return f"sessionid={cookies['sessionid'].value}"


def measure_list(
    base_url: str, key: str, name: str, connections: int, seconds: float, headers: dict[str, str]
) -> dict[str, Any]:
    for _ in range(5):  # warm-up, and the first answer must be the list
        request = urllib.request.Request(base_url + PRODUCTS_PATH, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            body = response.read()
    result = run_wrk(
        base_url, [PRODUCTS_PATH], seconds=seconds, connections=connections, headers=headers
    )
    log(
        f"{name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms,"
        f" p95 {result.p95_ms:.1f} ms, errors {result.errors}"
    )
    return {
        "name": name,
        "key": key,
        "path": PRODUCTS_PATH,
        "connections": connections,
        "bytes": len(body),
        **result.as_dict(),
    }


def measure(oscar: Oscar, args: Namespace, settings: ServerSettings) -> dict[str, Any]:
    """oscar-api's product list, anonymous and signed in, at 1 and at the run's connections."""
    rows = {}
    with OscarServer(oscar.database_url, settings) as server:
        signed_in = {"Cookie": sign_in(server.base_url, oscar.password)}
        for who, headers in (("anonymous", {}), ("signed_in", signed_in)):
            label = "signed in" if headers else "anonymous"
            for connections, suffix in ((1, "_1c"), (args.connections, "")):
                key = f"oscar_{who}{suffix}"
                name = f"oscar-api product list, {label}, {connections} connections"
                rows[key] = measure_list(
                    server.base_url, key, name, connections, args.seconds, headers
                )
    return {"seed_seconds": oscar.seed_seconds, "results": rows}


def compare_keys() -> dict[str, str]:
    pairs = dict(DEFAULT_COMPARE)
    for pair in filter(None, os.environ.get("OSCAR_COMPARE", "").split(",")):
        who, _, key = pair.partition("=")
        pairs[who.strip()] = key.strip()
    return pairs


def comparison(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per kind of reader: Minga's req/s and p50 beside oscar-api's, and the ratio."""
    minga = report["results"]
    oscar = report["oscar"]["results"]
    rows = []
    for who, key in compare_keys().items():
        theirs, theirs_1c = oscar.get(f"oscar_{who}"), oscar.get(f"oscar_{who}_1c")
        if theirs is None:
            continue
        ours, ours_1c = minga.get(key), minga.get(f"{key}_1c")
        rows.append(
            {
                "reader": who,
                "minga_key": key,
                "minga_rps": ours["rps"] if ours else None,
                "oscar_rps": theirs["rps"],
                "ratio": round(ours["rps"] / theirs["rps"], 2) if ours and theirs["rps"] else None,
                "minga_p50_1c_ms": ours_1c["p50_ms"] if ours_1c else None,
                "oscar_p50_1c_ms": theirs_1c["p50_ms"] if theirs_1c else None,
                "oscar_errors": theirs["errors"] + (theirs_1c["errors"] if theirs_1c else 0),
            }
        )
    return rows


def target_check(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """#20's target: the signed-in list (every response built) at least 2x oscar-api's req/s."""
    signed_in = next((row for row in rows if row["reader"] == "signed_in"), None)
    if signed_in is None or signed_in["ratio"] is None:
        return None
    return {
        "target": "signed-in list >= 2x oscar-api's req/s",
        "measured": f"{signed_in['ratio']:.2f}x",
        "met": signed_in["ratio"] >= 2,
    }


def markdown(report: dict[str, Any]) -> str:
    def cell(value: float | None, form: str) -> str:
        return "—" if value is None else format(value, form)

    connections = report["conditions"]["wrk_connections"]
    lines = [
        "",
        "#### Beside django-oscar-api (the same catalogue, the same gunicorn and wrk settings)",
        "",
        f"| list | Minga row | Minga req/s ({connections} conn.) | oscar-api req/s"
        " | Minga / oscar-api | Minga p50 ms (1 conn.) | oscar-api p50 ms (1 conn.) | oscar-api errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["oscar"]["comparison"]:
        ratio = row["ratio"]
        lines.append(
            f"| {row['reader'].replace('_', ' ')} | `{row['minga_key']}`"
            f"{'' if row['minga_rps'] is not None else ' (not in this run)'}"
            f" | {cell(row['minga_rps'], ',.0f')} | {row['oscar_rps']:,.0f}"
            f" | {'—' if ratio is None else f'{ratio:.2f}x'}"
            f" | {cell(row['minga_p50_1c_ms'], '.1f')} | {cell(row['oscar_p50_1c_ms'], '.1f')}"
            f" | {row['oscar_errors']} |"
        )
    target = report["oscar"].get("target")
    if target:
        lines += [
            "",
            f"Target (#20): {target['target']}: {target['measured']}"
            f" ({'met' if target['met'] else '**no**'}).",
        ]
    if report["oscar"].get("seed_seconds"):
        lines += [
            "",
            f"oscar-api's database seeded in this run: {report['oscar']['seed_seconds']:.0f} s.",
        ]
    return "\n".join(lines) + "\n"


def run_beside(minga_url: str, args: Namespace) -> "Oscar | None":
    """run.py's first hook: None unless --with-oscar."""
    if not getattr(args, "oscar", False):
        return None
    started = time.monotonic()
    oscar = prepare(minga_url, args.listings, args.cooperatives)
    log(f"oscar-api ready in {time.monotonic() - started:.0f} s")
    return oscar


def report_beside(
    oscar: "Oscar | None", report: dict[str, Any], args: Namespace, settings: ServerSettings
) -> str:
    """run.py's second hook, after Minga's scenarios: oscar-api's rows into the report, and
    their Markdown ('' without --with-oscar)."""
    if oscar is None:
        return ""
    report["oscar"] = measure(oscar, args, settings)
    report["oscar"]["comparison"] = comparison(report)
    report["oscar"]["target"] = target_check(report["oscar"]["comparison"])
    return markdown(report)
