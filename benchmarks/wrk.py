"""Run wrk (Debian's `wrk`) with benchmarks/wrk_report.lua and read its JSON line."""

import json
import os
import shutil
import subprocess  # nosec B404: runs wrk, a fixed program, with arguments we build
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
MARKER = "MINGA_WRK_JSON "


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors, timeouts and 4xx/5xx answers
    socket_errors: int
    non_2xx: int
    status_5xx: int
    status_4xx: int

    def as_dict(self) -> dict:
        return asdict(self)


def parse_wrk_output(text: str) -> WrkResult:
    """The result of one wrk run, from the line wrk_report.lua prints in done()."""
    lines = [line for line in text.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise ValueError("wrk printed no result line (was it run with wrk_report.lua?)")
    data = json.loads(lines[-1][len(MARKER) :])
    seconds = data["duration_us"] / 1_000_000
    latency = data["latency_us"]
    errors = data["errors"]
    status = data["status"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    # wrk counts answers >= 400 in errors.status; the Lua counters split them by class.
    non_2xx = max(errors["status"], status["4xx"] + status["5xx"]) + status["3xx"]
    return WrkResult(
        requests=data["requests"],
        seconds=round(seconds, 3),
        rps=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        errors=socket_errors + non_2xx,
        socket_errors=socket_errors,
        non_2xx=non_2xx,
        status_5xx=status["5xx"],
        status_4xx=status["4xx"],
    )


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "wrk is not installed: `make bench` installs Debian's package (apt-get install wrk)."
        )
    return found


def run_wrk(
    base_url: str,
    paths: list[str],
    *,
    seconds: float,
    connections: int,
    threads: int = 2,
    timeout: float = 5.0,
    rate: float | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """Drive `paths` (cycled over by every connection) for `seconds`; `rate` paces the whole
    run at that many requests per second (open loop) instead of as fast as the server answers."""
    threads = max(1, min(threads, connections))
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as file:
        file.write("\n".join(paths) + "\n")
    env = {**os.environ, "MINGA_WRK_PATHS": file.name, "MINGA_WRK_THREADS": str(threads)}
    if rate:
        env["MINGA_WRK_RATE"] = f"{rate:.1f}"
    for name, value in (headers or {}).items():
        env["MINGA_WRK_HEADER"] = f"{name}: {value}"
    command = [
        wrk_binary(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout:g}s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        base_url.rstrip("/") + paths[0],
    ]
    try:
        completed = subprocess.run(  # noqa: S603  # nosec B603: fixed program, our arguments
            command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
    finally:
        os.unlink(file.name)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    return parse_wrk_output(completed.stdout)
