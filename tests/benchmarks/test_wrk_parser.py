"""benchmarks/wrk.py reads what wrk_report.lua prints: rates, percentiles and every kind of error."""

import json

import pytest

from benchmarks.wrk import MARKER, parse_wrk_output


def wrk_output(**overrides: object) -> str:
    data = {
        "duration_us": 10_000_000,
        "requests": 5_000,
        "bytes": 1_000_000,
        "latency_us": {
            "p50": 1500,
            "p90": 4000,
            "p95": 6000,
            "p99": 12000,
            "max": 40000,
            "mean": 2100.5,
        },
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
        "status": {"2xx": 5000, "3xx": 0, "4xx": 0, "5xx": 0},
    }
    data.update(overrides)
    return (
        "Running 10s test @ http://127.0.0.1:1/\n  Requests/sec: 500.00\n"
        + MARKER
        + json.dumps(data)
        + "\n"
    )


def test_rate_and_percentiles_in_milliseconds():
    result = parse_wrk_output(wrk_output())
    assert result.rps == 500.0
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (1.5, 6.0, 12.0)
    assert result.errors == 0


def test_server_errors_client_errors_and_timeouts_all_count_as_errors():
    result = parse_wrk_output(
        wrk_output(
            errors={"connect": 1, "read": 2, "write": 0, "status": 7, "timeout": 3},
            status={"2xx": 4990, "3xx": 0, "4xx": 4, "5xx": 3},
        )
    )
    assert result.status_5xx == 3
    assert result.status_4xx == 4
    assert result.socket_errors == 6
    assert result.non_2xx == 7
    assert result.errors == 13


def test_redirects_are_not_counted_as_successes():
    result = parse_wrk_output(wrk_output(status={"2xx": 4000, "3xx": 1000, "4xx": 0, "5xx": 0}))
    assert result.non_2xx == 1000


def test_output_without_the_result_line_is_refused():
    with pytest.raises(ValueError, match="no result line"):
        parse_wrk_output("Running 10s test\n  Requests/sec: 500.00\n")
