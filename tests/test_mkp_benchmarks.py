"""Published multidimensional knapsack optima, through the dataset file format.

MODEL.md "Known reductions": an MKP is this model with every project fixed to
start in y0, duration m, cost profile = the item's weights and one budget row
per constraint. Each SAC-94 instance (plus pet1) is written with write_dataset,
loaded back with optimizer.load and solved to a zero gap; the score must equal
the published optimum, and the selection is checked against the capacities
here, independently of the optimizer.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

MKP = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "mkp"
if not MKP.is_dir():
    pytest.skip(
        "../shared/benchmarks/mkp not found: published MKP instances are only in CI and the dev workspace",
        allow_module_level=True,
    )

import optimizer  # noqa: E402
from optimizer.data.mkp import (  # noqa: E402
    mkp_tables,
    read_instance,
    read_orlib,
    read_sac94,
    selection_check,
)
from optimizer.data.writer import write_dataset  # noqa: E402

Y0 = 2000
#: a zero-gap proof needs no time limit it could hit on a slow machine (the score is
#: stage 1's; a tie-break cut short by its own clock changes the selection, never the score)
SOLVER = {"solver": {"mip_gap": 0, "threads": 1, "time_limit": None}}


def _optima() -> list[dict]:
    with open(MKP / "optima.csv", newline="") as fh:
        return list(csv.DictReader(fh))


ALL_ROWS = _optima()
# the 54 SAC-94 rows (weing, pet, hp, pb, sento, weish) plus pet1 from OR-Library mknap1
SAC94 = [r for r in ALL_ROWS if r["file"].startswith("sac94/") or r["instance"] == "pet1"]


def _tol(optimum: float) -> float:
    return max(0.5, 1e-6 * abs(optimum))


def test_sac94_rows_cover_all_families():
    names = {r["instance"] for r in SAC94 if r["file"].startswith("sac94/")}
    assert len(names) == 54
    for family in ("weing", "pet", "hp", "pb", "sent", "weish"):
        assert any(n.startswith(family) for n in names), family


@pytest.mark.parametrize("row", SAC94, ids=[r["instance"] for r in SAC94])
def test_published_optimum_through_files(row, tmp_path):
    inst = read_instance(MKP, row["file"], row["instance"])
    meta, tables = mkp_tables(inst, y0=Y0)
    folder = write_dataset(meta, tables, tmp_path / row["instance"])
    ds = optimizer.load(folder)

    res = optimizer.solve(ds, SOLVER)

    optimum = float(row["optimum"])
    assert res.status == "optimal"
    assert res.objective == pytest.approx(optimum, abs=_tol(optimum))

    # the selection, checked against the instance itself
    port = res.portfolio
    chosen = port[port["selected"].astype(bool)]
    assert (chosen["start"].astype(int) == Y0).all()
    index = {pid: j for j, pid in enumerate(tables["projects"]["id"])}
    x = np.zeros(inst.n)
    x[[index[pid] for pid in chosen["id"]]] = 1
    profit, slack = selection_check(inst, x)
    assert (slack >= -1e-9).all(), f"capacity exceeded: slack {slack[slack < 0]}"
    assert profit == pytest.approx(optimum, abs=_tol(optimum))


# ---- readers and the reduction, without a solver ----


def test_read_sac94_weing1_against_file():
    inst = read_sac94(MKP / "sac94" / "weing" / "weing1.dat")
    assert (inst.name, inst.n, inst.m, inst.optimum) == ("weing1", 28, 2, 141278)
    assert inst.profits[0] == 1898 and inst.profits[-1] == 10500
    assert inst.weights.shape == (2, 28)
    assert inst.weights[0, 0] == 45 and inst.weights[1, 0] == 30 and inst.weights[1, -1] == 150
    assert list(inst.capacities) == [600, 600]
    assert inst.profits.dtype.kind == "i"


def test_read_orlib_mknap1_first_problem():
    inst = read_orlib(MKP / "orlib" / "mknap1.txt", 1)
    assert (inst.n, inst.m, inst.optimum) == (6, 10, 3800)
    assert list(inst.profits) == [100, 600, 1200, 2400, 500, 2000]
    assert list(inst.capacities) == [80, 96, 20, 36, 44, 48, 10, 18, 22, 24]
    with pytest.raises(ValueError):
        read_orlib(MKP / "orlib" / "mknap1.txt", 8)


def test_mknap1_problem2_is_pet2_over_ten():
    orlib = read_orlib(MKP / "orlib" / "mknap1.txt", 2)
    sac = read_sac94(MKP / "sac94" / "pet" / "pet2.dat")
    assert np.array_equal(np.round(orlib.profits * 10).astype(int), sac.profits)
    assert np.array_equal(orlib.weights, sac.weights)
    assert np.array_equal(orlib.capacities, sac.capacities)
    assert round(orlib.optimum * 10) == sac.optimum == 87061


@pytest.mark.parametrize("k", range(3, 8))
def test_mknap1_problems_3_to_7_are_pet3_to_pet7(k):
    orlib = read_orlib(MKP / "orlib" / "mknap1.txt", k)
    sac = read_sac94(MKP / "sac94" / "pet" / f"pet{k}.dat")
    for field in ("profits", "weights", "capacities"):
        assert np.array_equal(getattr(orlib, field), getattr(sac, field)), field
    assert orlib.optimum == sac.optimum


def test_every_optima_row_reads_with_its_listed_size():
    for row in ALL_ROWS:
        inst = read_instance(MKP, row["file"], row["instance"])
        assert (inst.n, inst.m) == (int(row["n_items"]), int(row["n_constraints"])), row["instance"]
        if row["file"].startswith("sac94/") or row["instance"] == "pet1":
            assert inst.optimum == int(row["optimum"]), row["instance"]
        elif "mknapcb" in row["file"]:
            assert inst.optimum is None  # opt field 0 = not given


def test_mkp_tables_is_the_reduction():
    inst = read_sac94(MKP / "sac94" / "pet" / "pet3.dat")
    meta, t = mkp_tables(inst, y0=Y0)
    n, m = inst.n, inst.m
    assert meta["horizon"] == [Y0, Y0 + m - 1] and meta["target_year"] == Y0 + m - 1
    p = t["projects"]
    assert len(p) == n and p["id"].is_unique
    assert (p["duration"] == m).all()
    assert (p["earliest_start"] == Y0).all() and (p["latest_start"] == Y0).all()
    assert list(p["cost"]) == list(inst.weights.sum(axis=0))
    cp = t["cost_profiles"]
    assert len(cp) == n * m  # zeros included
    wide = cp.pivot(index="year_offset", columns="project_id", values="cost")[list(p["id"])]
    assert np.array_equal(wide.to_numpy(), inst.weights)
    assert list(t["contributions"]["value"]) == list(inst.profits)
    ind = t["indicators"]
    assert len(ind) == 1 and ind["scope"].iloc[0] == "ALL" and pd.isna(ind["target"].iloc[0])
    assert ind["weight"].iloc[0] == 1
    lim = t["limits"]
    assert list(lim["year"]) == [Y0 + k for k in range(m)]
    assert list(lim["limit"]) == list(inst.capacities)
    assert set(lim["resource"]) == {"budget"} and set(lim["scope"]) == {"ALL"}


def test_write_dataset_round_trip(tmp_path):
    inst = read_sac94(MKP / "sac94" / "hp" / "hp1.dat")
    meta, t = mkp_tables(inst)
    folder = write_dataset(meta, t, tmp_path / "hp1")
    assert yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8")) == meta
    for name, df in t.items():
        back = pd.read_csv(folder / f"{name}.csv", encoding="utf-8")
        assert list(back.columns) == list(df.columns), name
        assert len(back) == len(df), name
    back = pd.read_csv(folder / "cost_profiles.csv")
    assert back["cost"].dtype.kind == "i"  # integers stay integers
    assert (folder / "limits.csv").read_text(encoding="utf-8").splitlines()[1] == "budget,ALL,2000,219"
    # a re-write without a table removes its stale CSV
    write_dataset(meta, {k: v for k, v in t.items() if k != "limits"}, folder)
    assert not (folder / "limits.csv").exists()
