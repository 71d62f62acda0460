"""Scenario comparison and resource frontiers: hand-checked values, the example's monotone frontier, executors agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import optimizer
from helpers import GENEROUS_SECONDS, cli, dataset, project, without_time_limit
from optimizer.analysis.frontier import parse_scales

ROOT = Path(__file__).resolve().parents[1]
IND = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]


def three_projects():
    # budget row ALL over the horizon: 10. P1 (A, cost 6, +6), P2 (B, cost 6, +5), P3 (A, cost 4, +3)
    return dataset(
        [project("P1", cost=6), project("P2", city="B", cost=6), project("P3", cost=4)],
        contributions=[("P1", "g", 6), ("P2", "g", 5), ("P3", "g", 3)],
        indicators=IND,
        limits=[{"resource": "budget", "scope": "ALL", "limit": 10}],
    )


def test_parse_scales():
    assert parse_scales("0.5:1.5:0.25") == [0.5, 0.75, 1.0, 1.25, 1.5]
    assert parse_scales("1,0.8") == [0.8, 1.0]
    with pytest.raises(optimizer.InputError):
        parse_scales("1:0:0.1")


def test_frontier_hand_values():
    # limit 6 (scale .6): best single project P1 → 0.6; limit 10: P1+P3 → 0.9; limit 12: P1+P2 → 1.0 (cap);
    # limit 3: nothing fits → 0 (feasible: empty portfolio)
    table = optimizer.frontier(
        three_projects(),
        "budget",
        [0.3, 0.6, 1.0, 1.2],
        scenario={"solver": {"mip_gap": 0, "time_limit": None}},
        executor="serial",
    )
    assert list(table["limit"]) == pytest.approx([3, 6, 10, 12])
    assert list(table["objective"]) == pytest.approx([0.0, 0.6, 0.9, 1.0])
    # marginal: score per 亿元 between neighbours
    assert table["marginal"].iloc[1] == pytest.approx(0.6 / 3)
    assert table["marginal"].iloc[2] == pytest.approx(0.3 / 4)
    assert table["marginal"].iloc[3] == pytest.approx(0.1 / 2)
    assert np.isnan(table["marginal"].iloc[0])


def test_frontier_scope_scales_only_that_city():
    ds = dataset(
        [project("P1", cost=6, latest_start=2024), project("P2", city="B", cost=6, latest_start=2024)],
        contributions=[("P1", "g", 6), ("P2", "g", 5)],
        indicators=IND,
        limits=[
            {"resource": "budget", "scope": "A", "year": 2024, "limit": 5},
            {"resource": "budget", "scope": "B", "year": 2024, "limit": 6},
        ],
    )
    table = optimizer.frontier(ds, "budget", [1.0, 1.2], scope="A", executor="serial")
    assert list(table["limit"]) == pytest.approx([5, 6])
    assert list(table["objective"]) == pytest.approx([0.5, 1.0])


def test_example_frontier_never_falls_as_budget_loosens():
    # proven points and a proven base: no 60 s limit a slow or busy machine could hit
    table = optimizer.frontier(
        ROOT / "models" / "hangzhou_default.yaml",
        "budget",
        "0.85:1.25:0.1",
        executor="local",
        progress=False,
        time_limit=GENEROUS_SECONDS,  # None here means "the scenario's"
    )
    ok = table[table["status"] == "optimal"]
    assert len(ok) >= 4
    assert (np.diff(ok["objective"].to_numpy()) >= -1e-6).all()
    assert (np.diff(ok["limit"].to_numpy()) > 0).all()
    example = optimizer.load(ROOT / "models" / "hangzhou_default.yaml")
    base = optimizer.solve(example, without_time_limit(example))
    assert ok.loc[np.isclose(ok["scale"], 1.05) | np.isclose(ok["scale"], 0.95), "objective"].notna().all()
    at_one = table[np.isclose(table["scale"], 1.0)]
    if not at_one.empty:
        assert at_one["objective"].iloc[0] == pytest.approx(base.objective, rel=2e-4)


def test_local_and_dask_give_identical_frontiers():
    distributed = pytest.importorskip("distributed")
    ds = three_projects()
    scales = [0.6, 0.8, 1.0, 1.2]
    local = optimizer.frontier(ds, "budget", scales, executor="local", workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = optimizer.frontier(ds, "budget", scales, executor="dask", scheduler=client, progress=False)
    pd.testing.assert_frame_equal(local, remote)


def test_compare_tables(tmp_path):
    ds = three_projects()
    table = optimizer.compare(
        [{"name": "tight", "scale": {"budget": 0.6}}, {"name": "plan"}], data=ds, executor="serial"
    )
    assert list(table["scenario"]) == ["tight", "plan"]
    assert list(table["objective"]) == pytest.approx([0.6, 0.9])
    assert {"attainment_A", "spend_A", "projects_A", "attainment_B", "spend_B", "projects_B"} <= set(table.columns)
    assert list(table["spend_A"]) == pytest.approx([6, 10]) and list(table["projects_A"]) == [1, 2]
    changes = table.attrs["changes"]
    # P3 joins in "plan"
    row = changes.set_index("id").loc["P3"]
    assert not row["base_selected"] and row["selected"] and row["scenario"] == "plan"


def test_compare_cli_writes_both_tables(tmp_path):
    out = tmp_path / "cmp"
    r = cli(
        "compare",
        str(ROOT / "models" / "hangzhou_default.yaml"),
        str(ROOT / "models" / "hangzhou_budget_cut.yaml"),
        "--out",
        str(out),
        "--no-progress",
        "--time-limit",  # the objectives are compared as optima: no limit a slow machine could hit
        GENEROUS_SECONDS,
    )
    assert r.returncode == 0, r.stderr
    comp = pd.read_csv(out / "comparison.csv")
    assert list(comp.columns[:5]) == ["scenario", "status", "mip_gap", "objective", "attainment_index"]
    assert comp["objective"].iloc[1] <= comp["objective"].iloc[0] + 1e-6
    changes = pd.read_csv(out / "changes.csv")
    assert len(changes) > 0 and set(changes["scenario"]) == {comp["scenario"].iloc[1]}
    assert "hangzhou-default" in r.stdout


def test_frontier_cli_writes_csv_and_png(tmp_path):
    out = tmp_path / "fr"
    r = cli(
        "frontier",
        str(ROOT / "models" / "hangzhou_default.yaml"),
        "--resource",
        "land",
        "--scope",
        "嘉兴",
        "--scales",
        "0.9,1,1.1",
        "--out",
        str(out),
        "--no-progress",
    )
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out / "frontier.csv")
    assert list(table.columns) == ["scale", "limit", "status", "objective", "attainment_index", "marginal", "gap"]
    assert (out / "frontier.png").stat().st_size > 10_000
    bad = cli("frontier", str(ROOT / "models" / "hangzhou_default.yaml"), "--resource", "water")
    assert bad.returncode == 2 and "unknown resource 'water'" in bad.stderr
