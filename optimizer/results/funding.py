"""Who pays: spending by funding source per scope and year, and the limit that binds first.

`funding_table` splits the chosen portfolio's spending Σ_p σ[p,c]·s[p,y] by payer with the
`funding` shares (MODEL.md's source rows use the same terms); the part of projects without
funding rows is `UNSPLIT`: paid from their cities' own budget. `first_binding` names, per
city, the earliest year in which one of its limits binds, and which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.instance import Instance, scoped_usage

#: the source label of spending whose project has no funding rows (its cities' own budget)
UNSPLIT = "unsplit"

#: among limits binding in the same year, the order a planner reads them in: payers' quotas
#: (a special-bond quota binds before the envelope it is part of), then total, land, energy
_ORDER = {"land": 2, "energy": 3, "budget": 1}


def funding_table(inst: Instance, xpos: np.ndarray) -> pd.DataFrame:
    """scope, year, source, spend, limit: one row per scope (cities, then ALL), horizon year and
    source (the dataset's, then UNSPLIT where any chosen spending has no funding rows);
    `limit` is that source's yearly limit row for the scope and year, where there is one."""
    ds = inst.dataset
    scopes = list(inst.cities) + ["ALL"]
    su = scoped_usage(inst, "budget")
    su = su[su["pos"].isin(xpos)]
    fu = ds.funding[ds.funding["project_id"].isin(inst.projects.index)]
    paid = su.merge(fu[["project_id", "source", "share"]].rename(columns={"project_id": "p"}), on="p", how="left")
    paid["source"] = paid["source"].fillna(UNSPLIT)
    paid["coef"] = paid["coef"] * paid["share"].fillna(1.0)
    sources = list(ds.sources)
    if (paid["source"] == UNSPLIT).any() or not sources:
        sources.append(UNSPLIT)
    grid = pd.MultiIndex.from_product([scopes, inst.years, sources], names=["scope", "year", "source"])
    spend = paid.groupby(["scope", "year", "source"])["coef"].sum().reindex(grid, fill_value=0.0)
    lim = inst.limits[inst.limits["resource"].isin(sources) & inst.limits["year"].notna()]
    limit = lim.set_index(["scope", lim["year"].astype(int), "resource"])["limit"]
    return pd.DataFrame({"spend": spend.to_numpy(), "limit": limit.reindex(grid).to_numpy()}, index=grid).reset_index()


def first_binding(resources: pd.DataFrame, city: str) -> tuple[str | None, int | None]:
    """The limit of `city` (its own rows; metro-wide rows bind every city alike) that binds in
    the earliest year: (resource, year), a whole-horizon row counting as the horizon's last
    year; (None, None) if none binds."""
    if resources.empty or "binding" not in resources:
        return None, None
    own = resources[(resources["scope"] == city) & resources["binding"].astype(bool)]
    if own.empty:
        return None, None
    year = own["year"].astype("Float64").fillna(np.inf)
    rank = own["resource"].map(lambda r: _ORDER.get(r, 0))
    order = pd.DataFrame({"year": year.to_numpy(float), "rank": rank.to_numpy(), "res": own["resource"].to_numpy()})
    best = order.sort_values(["year", "rank", "res"], kind="stable").iloc[0]
    return str(best["res"]), (None if not np.isfinite(best["year"]) else int(best["year"]))
