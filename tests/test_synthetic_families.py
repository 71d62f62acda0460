"""The benchmark families of optimizer.data.synthetic contain what real lists contain: links
between cities (linked), metro rows (coupled), projects under way and payers (calibrated),
and every one of them is solvable (a family that is infeasible measures nothing)."""

from __future__ import annotations

import pandas as pd
import pytest

import optimizer
from optimizer.data.synthetic import FAMILIES, synthetic_tables


def _cross_city_links(tables) -> int:
    city = tables["projects"].set_index("id")["city"]
    dep = tables.get("dependencies", pd.DataFrame(columns=["project_id", "requires"]))
    n = int((city.reindex(dep["project_id"]).to_numpy() != city.reindex(dep["requires"]).to_numpy()).sum())
    groups = tables["projects"].dropna(subset=["group"]).groupby("group")["city"].nunique()
    return n + int((groups > 1).sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_families_have_their_links_and_solve(seed):
    made = {name: synthetic_tables(80, seed, **kw) for name, kw in FAMILIES.items()}
    assert _cross_city_links(made["independent"][1]) == 0
    assert _cross_city_links(made["linked"][1]) > 0
    shared = made["shared"][1]  # cities joined by links and shared projects, no metro rows
    assert _cross_city_links(shared) > 0 and shared["project_cities"]["project_id"].nunique() >= 3
    assert not (shared["limits"]["scope"] == "ALL").any() and not (shared["indicators"]["scope"] == "ALL").any()
    meta, t = made["calibrated"]
    p = t["projects"]
    assert 0.35 <= (p["status"] == "committed").mean() <= 0.45
    assert (p.loc[p["status"] == "committed", "start"] <= meta["horizon"][0]).all()
    assert t["project_cities"]["project_id"].nunique() >= 0.2 * len(p)
    lim = t["limits"]
    assert {"special_bond", "central"} <= set(lim["resource"]) and (lim["scope"] == "ALL").any()
    assert (t["indicators"]["scope"] == "ALL").any()
    for name, (meta, tables) in made.items():
        r = optimizer.solve(optimizer.from_tables(meta, tables), {"solver": {"time_limit": 60, "mip_gap": 1e-3}})
        assert r.ok, (name, r.message)
        if name == "calibrated":  # every project under way is in, at its start
            port = r.portfolio.set_index("id")
            under_way = p.set_index("id")["status"] == "committed"
            assert port.loc[under_way[under_way].index, "selected"].all()
