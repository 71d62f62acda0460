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


@pytest.mark.parametrize(("decompose", "seconds"), [(False, 3), (True, 8)], ids=["whole", "blocks"])
def test_time_limit_returns_incumbent_with_gap(decompose, seconds):
    """The time limit ends the run with what it has, at any speed. N=1000 is never proven in
    seconds (gap ~2% after 3 s as one model, ~0.2% after 30 s in blocks on the dev machine), so
    the limit is always hit. Whether an incumbent exists by then depends on the machine: one
    model has one within ~0.5 s even when busy, a decomposed solve needs one in every block
    (~2.5 s idle, over 3 s busy: blocks take 0.5 s turns), so both outcomes are checked."""
    from optimizer.data.synthetic import synthetic_tables

    meta, tables = synthetic_tables(1000, seed=1)
    ds = optimizer.from_tables(meta, tables)
    sc = {"partial_credit": 0.5, "solver": {"time_limit": seconds, "threads": 1, "decompose": decompose}}
    res = optimizer.solve(ds, sc)
    assert res.status in ("feasible", "no_solution")  # never "optimal": the limit is hit
    if res.status == "feasible":  # the usual case: the incumbent, with its gap
        assert res.mip_gap > 1e-4 and res.bound >= res.objective
        assert res.selected_count > 0
    else:  # no incumbent in time: nothing to show, nothing made up
        assert res.objective is None and res.selected_count == 0 and not res.ok
    # the limit stops the solve (unstopped it would run for minutes); the slack only absorbs
    # the work after the limit, which is milliseconds, on a slow or busy machine
    assert res.solve_seconds < seconds + 30


#: `portfolio ...` in a fresh interpreter that says on stderr when HiGHS's first run starts
CLI_SAYING_WHEN_SOLVING = """
import importlib
import sys
s = importlib.import_module("optimizer.solve")  # the module: optimizer.solve is also the function
real = s.ModelSolver.run_highs
def run_highs(self, *args, **kwargs):
    print("HIGHS STARTS", file=sys.stderr, flush=True)
    return real(self, *args, **kwargs)
s.ModelSolver.run_highs = run_highs
from optimizer.cli import console
console()
"""


def test_ctrl_c_leaves_earlier_result_untouched(tmp_path):
    """Ctrl-C during the solve. The signal goes once HiGHS is running (a fixed sleep would, on
    a busy machine, land while Python is still importing); N=1000 is never proven within
    the 600 s limit, so the solve is still running when it lands."""
    import signal
    import subprocess
    import sys
    import threading

    from optimizer.data.synthetic import synthetic_tables
    from optimizer.results.outdir import MARKER, _marker_bytes

    folder = optimizer.write_dataset(*synthetic_tables(1000, seed=1), tmp_path / "ds")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"status": "optimal"}', encoding="utf-8")
    (out / MARKER).write_bytes(_marker_bytes(["summary.json"]))  # an earlier result of this tool
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI_SAYING_WHEN_SOLVING, "run", str(folder), "--out", str(out), "--time-limit", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines, solving = [], threading.Event()

    def read_stderr():
        for line in proc.stderr:
            lines.append(line)
            if "HIGHS STARTS" in line:
                solving.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert solving.wait(timeout=300), "".join(lines)  # a hang guard, not a clock
    finally:
        proc.send_signal(signal.SIGINT)
        proc.stdout.read()  # to EOF: the process has ended
        proc.wait(timeout=300)
        reader.join(timeout=300)
    err = "".join(line for line in lines if "HIGHS STARTS" not in line)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "summary.json"]
    assert (out / "summary.json").read_text(encoding="utf-8") == '{"status": "optimal"}'


def test_thread_count_may_change_between_solves_in_one_process():
    # HiGHS sizes one scheduler per process; a second solve with another thread count
    # used to return at once with no solution
    ds = budget_case()
    for threads in (1, 2, 1):
        res = optimizer.solve(ds, {"solver": {"threads": threads, "mip_gap": 0, "time_limit": None}})
        assert res.status == "optimal" and set(chosen(res)) == {"P2"}
    res = optimizer.solve(ds, {"force_in": ["P3"], "solver": {"threads": 2}})
    assert res.status == "infeasible" and "B budget 2024" in res.message
