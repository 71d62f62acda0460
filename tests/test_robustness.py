"""Robustness under uncertainty: core and exterior projects on a case where the answer is clear."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import optimizer
from helpers import cli, dataset, meta, project, tables
from optimizer.analysis.robustness import _stretch, sample_dataset

IND = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]


def clear_case():
    # Budget 12 over the horizon. D is dominant (cost 2, closes 60% of the gap); X is dominated
    # (cost 9, adds 1%); M and N are middling (cost 5, 30% each). Whatever the overruns
    # (median 1.2, sigma 0.3), D always fits and always pays; X never beats M or N.
    return dataset(
        [
            project("D", cost=2, category="rail"),
            project("X", cost=9),
            project("M", cost=5),
            project("N", cost=5),
        ],
        contributions=[("D", "g", 6), ("X", "g", 0.1), ("M", "g", 3), ("N", "g", 3)],
        indicators=IND,
        limits=[{"resource": "budget", "scope": "ALL", "limit": 12}],
    )


SCENARIO = {
    "uncertainty": {"seed": 3, "default": {"median": 1.2, "sigma": 0.3, "delay_probability": 0.3, "max_delay": 1}}
}


def test_dominant_project_is_core_and_dominated_is_exterior():
    table = optimizer.robustness(clear_case(), 12, scenario=SCENARIO, executor="serial", progress=False)
    t = table.set_index("id")
    assert t.loc["D", "class"] == "core" and t.loc["D", "core_index"] == 1.0
    assert t.loc["X", "class"] == "exterior" and t.loc["X", "core_index"] == 0.0
    assert table.attrs["feasible"] == 12
    # start shares of a project sum to its core index
    starts = [c for c in table.columns if c.startswith("start_")]
    assert np.allclose(table[starts].sum(axis=1), table["core_index"])


def test_samples_are_reproducible_and_move_costs():
    ds = clear_case()
    sc = optimizer.Scenario.model_validate(SCENARIO)
    a = sample_dataset(ds, sc, np.random.default_rng(1)).projects
    b = sample_dataset(ds, sc, np.random.default_rng(1)).projects
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["cost"], ds.projects["cost"])
    assert (a["duration"] >= ds.projects["duration"]).all()


def test_stretch_keeps_total_and_shape():
    prof = np.array([1.0, 2.0, 3.0])
    out = _stretch(prof, 4)
    assert out.sum() == pytest.approx(6.0) and len(out) == 4
    assert out[-1] > out[0]


def test_weight_vectors(tmp_path):
    # two targets: A's (P1 helps) and B's (P2 helps); money for one project.
    ind = [{"indicator": "a", "scope": "ALL", "target": 10}, {"indicator": "b", "scope": "ALL", "target": 10}]
    ds = dataset(
        [project("P1", cost=5), project("P2", cost=5)],
        contributions=[("P1", "a", 10), ("P2", "b", 8)],
        indicators=ind,
        limits=[{"resource": "budget", "scope": "ALL", "limit": 5}],
    )
    w = tmp_path / "w.csv"
    pd.DataFrame(
        [
            ("planner-1", "a", "ALL", 1.0),
            ("planner-1", "b", "ALL", 1.0),
            ("planner-2", "a", "ALL", 0.5),
            ("planner-2", "b", "ALL", 1.0),
            ("planner-3", "a", "ALL", 1.0),
            ("planner-3", "b", "ALL", 0.2),
        ],
        columns=["vector", "indicator", "scope", "weight"],
    ).to_csv(w, index=False)
    table = optimizer.robustness(ds, weights_from=w, executor="serial", progress=False).set_index("id")
    # planner-1: P1 (1.0 vs 0.8); planner-2: P2 (0.8 vs 0.5); planner-3: P1
    assert table.loc["P1", "core_index"] == pytest.approx(2 / 3) and table.loc["P1", "class"] == "borderline"
    assert table.loc["P2", "core_index"] == pytest.approx(1 / 3)


def test_bad_weight_file_names_row_and_column(tmp_path):
    w = tmp_path / "w.csv"
    w.write_text("vector,indicator,scope,weight\nv1,g,ALL,1\nv1,zz,ALL,2\nv2,g,ALL,-1\n", encoding="utf-8")
    with pytest.raises(optimizer.InputError) as exc:
        optimizer.robustness(clear_case(), weights_from=w, executor="serial")
    got = {(p.row, p.column) for p in exc.value.problems}
    assert got == {(3, "indicator"), (4, "weight")}


def test_cli_writes_csv_and_figure(tmp_path):
    folder = optimizer.write_dataset(
        meta(),
        tables(
            [project("D", cost=2), project("X", cost=9), project("M", cost=5)],
            contributions=[("D", "g", 6), ("X", "g", 0.1), ("M", "g", 3)],
            indicators=IND,
            limits=[{"resource": "budget", "scope": "ALL", "limit": 12}],
        ),
        tmp_path / "ds",
    )
    out = tmp_path / "rob"
    r = cli("robustness", str(folder), "--samples", "4", "--out", str(out), "--no-progress")
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(out / "robustness.csv")
    assert list(t.columns[:3]) == ["id", "core_index", "class"] and any(c.startswith("start_") for c in t.columns)
    assert (out / "robustness.png").stat().st_size > 5000


def test_local_and_dask_give_identical_tables():
    distributed = pytest.importorskip("distributed")
    local = optimizer.robustness(clear_case(), 4, scenario=SCENARIO, executor="local", progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = optimizer.robustness(
                clear_case(), 4, scenario=SCENARIO, executor="dask", scheduler=client, progress=False
            )
    pd.testing.assert_frame_equal(local, remote)
