"""Scenario keys that change the data: scale, horizon, target_year, force_in/out, solver limits."""

from __future__ import annotations

import pytest

import optimizer
from helpers import chosen, dataset, project, solve

IND = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]


def budget_case():
    # A's 2024 budget is 10; P1 costs 12 (value 8), P2 costs 6 (value 5); both start 2024 only
    return dataset(
        [
            project("P1", cost=12, latest_start=2024),
            project("P2", cost=6, latest_start=2024),
            project("P3", city="B", cost=6, latest_start=2024),
        ],
        contributions=[("P1", "g", 8), ("P2", "g", 5), ("P3", "g", 2)],
        indicators=IND,
        limits=[
            {"resource": "budget", "scope": "A", "year": 2024, "limit": 10},
            {"resource": "budget", "scope": "B", "year": 2024, "limit": 5},
        ],
    )


def test_scale_number_and_per_scope():
    ds = budget_case()
    assert set(chosen(solve(ds))) == {"P2"}
    # ×1.2 on every budget row: A 12 → P1 fits (P1+P2 = 18 > 12); B 6 → P3 fits
    assert set(chosen(solve(ds, scale={"budget": 1.2}))) == {"P1", "P3"}
    # only A's rows scaled ×2: A 20 → P1 + P2 (value 13 capped at 10 → 1.0); B stays 5
    res = solve(ds, scale={"budget": {"A": 2}})
    assert set(chosen(res)) == {"P1", "P2"} and res.objective == pytest.approx(1.0)
    r = res.resources.set_index(["resource", "scope"])
    assert r.loc[("budget", "A"), "limit"] == pytest.approx(20) and r.loc[("budget", "B"), "limit"] == pytest.approx(5)


def test_horizon_and_target_year():
    # P1 takes 3 years, earliest 2024: with target 2026 it can finish in time (2024-2026).
    ds = dataset([project("P1", duration=3)], contributions=[("P1", "g", 10)], indicators=IND)
    assert solve(ds, target_year=2026).objective == pytest.approx(1.0)
    # target 2025: it cannot finish in time, so it scores nothing (and costs, so it is left out)
    assert solve(ds, target_year=2025).selected_count == 0
    # a horizon ending 2025 leaves no start year for a 3-year project: it becomes unavailable
    res = solve(ds, horizon=[2024, 2025], target_year=2025)
    assert res.selected_count == 0
    assert "no start year fits" in res.portfolio.set_index("id").loc["P1", "note"]


def test_force_in_and_out():
    ds = budget_case()
    # with A's budget doubled the best is P1 + P2; forcing P1 out leaves P2 alone
    assert set(chosen(solve(ds, scale={"budget": {"A": 2}}, force_out=["P1"]))) == {"P2"}
    # forcing P3 in (cost 6) breaks B's budget of 5: infeasible, and the message says where
    res = solve(ds, force_in=["P3"])
    assert res.status == "infeasible" and "B budget 2024" in res.message and "short 1.0" in res.message


def test_time_limit_returns_incumbent_with_gap():
    from optimizer.data.synthetic import synthetic_tables

    meta, tables = synthetic_tables(1000, seed=1)
    ds = optimizer.from_tables(meta, tables)
    res = optimizer.solve(ds, {"partial_credit": 0.5, "solver": {"time_limit": 3, "threads": 1}})
    assert res.status == "feasible"
    assert res.mip_gap > 1e-4 and res.bound >= res.objective
    assert res.selected_count > 0 and res.solve_seconds < 15


def test_ctrl_c_leaves_earlier_result_untouched(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from optimizer.data.synthetic import synthetic_tables
    from optimizer.outdir import MARKER, _marker_bytes

    folder = optimizer.write_dataset(*synthetic_tables(1000, seed=1), tmp_path / "ds")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"status": "optimal"}', encoding="utf-8")
    (out / MARKER).write_bytes(_marker_bytes(["summary.json"]))  # an earlier result of this tool
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "run", str(folder), "--out", str(out), "--time-limit", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # well into the solve
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "summary.json"]
    assert (out / "summary.json").read_text(encoding="utf-8") == '{"status": "optimal"}'


def test_thread_count_may_change_between_solves_in_one_process():
    # HiGHS sizes one scheduler per process; a second solve with another thread count
    # used to return at once with no solution
    ds = budget_case()
    for threads in (1, 2, 1):
        res = optimizer.solve(ds, {"solver": {"threads": threads, "mip_gap": 0}})
        assert res.status == "optimal" and set(chosen(res)) == {"P2"}
    res = optimizer.solve(ds, {"force_in": ["P3"], "solver": {"threads": 2}})
    assert res.status == "infeasible" and "B budget 2024" in res.message
