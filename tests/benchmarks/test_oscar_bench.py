"""benchmarks/oscar_bench.py: the rows of django-oscar-api beside Minga's in `make bench`'s report,
the ratio the issue's target reads, and the switch that leaves Oscar out (it needs no Oscar)."""

import pytest

from benchmarks import oscar_bench, run


def row(rps: float, p50_ms: float, errors: int = 0) -> dict:
    return {"rps": rps, "p50_ms": p50_ms, "errors": errors}


def report(minga: dict, oscar: dict) -> dict:
    return {
        "results": minga,
        "conditions": {"wrk_connections": 32},
        "oscar": {"results": oscar, "seed_seconds": None},
    }


OSCAR_ROWS = {
    "oscar_anonymous": row(150, 30),
    "oscar_anonymous_1c": row(40, 20.5),
    "oscar_signed_in": row(120, 35, errors=2),
    "oscar_signed_in_1c": row(35, 24.0, errors=1),
}


def test_ratio_is_minga_over_oscar_for_each_kind_of_reader():
    data = report(
        {"list": row(300, 9), "list_signed_in": row(60, 40), "list_signed_in_1c": row(20, 7.5)},
        OSCAR_ROWS,
    )
    rows = {r["reader"]: r for r in oscar_bench.comparison(data)}
    assert rows["anonymous"]["ratio"] == 2.0
    assert rows["signed_in"]["ratio"] == 0.5
    assert rows["signed_in"]["minga_p50_1c_ms"] == 7.5
    assert rows["signed_in"]["oscar_p50_1c_ms"] == 24.0
    assert rows["signed_in"]["oscar_errors"] == 3
    assert rows["anonymous"]["minga_p50_1c_ms"] is None  # no `list_1c` row in this run
    data["oscar"]["comparison"] = list(rows.values())
    data["oscar"]["target"] = oscar_bench.target_check(data["oscar"]["comparison"])
    assert "Target (#20): signed-in list >= 2x oscar-api's req/s: 0.50x (**no**)." in (
        oscar_bench.markdown(data)
    )


def test_the_target_is_met_from_twice_oscar_apis_rate():
    data = report({"list_signed_in": row(240, 7)}, OSCAR_ROWS)
    assert oscar_bench.target_check(oscar_bench.comparison(data))["met"] is True
    data = report({"list_signed_in": row(239, 7)}, OSCAR_ROWS)
    assert oscar_bench.target_check(oscar_bench.comparison(data))["met"] is False


def test_a_minga_row_missing_from_the_run_shows_oscar_alone():
    data = report({"list": row(300, 9)}, OSCAR_ROWS)
    data["oscar"]["comparison"] = oscar_bench.comparison(data)
    signed_in = next(r for r in data["oscar"]["comparison"] if r["reader"] == "signed_in")
    assert signed_in["ratio"] is None
    assert oscar_bench.target_check(data["oscar"]["comparison"]) is None
    table = oscar_bench.markdown(data)
    assert "| signed in | `list_signed_in` (not in this run) | — | 120 | — |" in table
    assert "| anonymous | `list` | 300 | 150 | 2.00x |" in table


def test_the_minga_rows_compared_can_be_named(monkeypatch):
    monkeypatch.setenv("OSCAR_COMPARE", "signed_in=list_built")
    data = report({"list_built": row(450, 5)}, OSCAR_ROWS)
    rows = {r["reader"]: r for r in oscar_bench.comparison(data)}
    assert rows["signed_in"]["minga_key"] == "list_built"
    assert rows["signed_in"]["ratio"] == 3.75


def test_the_shop_database_is_the_bench_database_name_plus_oscar(monkeypatch):
    monkeypatch.delenv("OSCAR_DATABASE_URL", raising=False)
    url = "postgres://postgres@127.0.0.1:5432/minga_bench"
    assert oscar_bench.database_url(url) == "postgres://postgres@127.0.0.1:5432/minga_bench_oscar"
    monkeypatch.setenv("OSCAR_DATABASE_URL", "postgres://postgres@db:5432/other_bench")
    assert oscar_bench.database_url(url) == "postgres://postgres@db:5432/other_bench"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [([], False), (["--with-oscar"], True), (["--with-oscar", "--no-oscar"], False)],
)
def test_oscar_is_measured_only_with_the_flag_and_no_oscar_wins_last(monkeypatch, flags, expected):
    seen = {}
    monkeypatch.setattr(run, "command_bench", lambda args: seen.setdefault("oscar", args.oscar))
    run.main(["bench", *flags])
    assert seen["oscar"] is expected


def test_without_the_flag_nothing_of_oscar_runs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("prepared the oscar shop without --with-oscar")

    monkeypatch.setattr(oscar_bench, "prepare", refuse)
    args = run.argparse.Namespace(oscar=False, listings=10, cooperatives=1)
    assert oscar_bench.run_beside("postgres://x/minga_bench", args) is None
    assert oscar_bench.report_beside(None, {"results": {}}, args, None) == ""
