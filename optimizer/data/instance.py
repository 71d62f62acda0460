"""A dataset with a scenario applied: the sparse index sets and coefficients of MODEL.md.

Pure pandas/numpy, no Pyomo: the model, the results and the tests all read it.
Every table here holds feasible tuples only (never a dense project x year product).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .dataset import Dataset
from .scenario import Scenario
from .scenario_checks import scenario_against_data

HORIZON = "all"  # year label of a limit row without a year (it bounds the whole horizon)


@dataclass(frozen=True, eq=False)
class Instance:
    dataset: Dataset
    scenario: Scenario
    years: list[int]
    target_year: int
    #: one row per project with variables; index id; effective status after force_in/force_out
    projects: pd.DataFrame
    #: projects that cannot run in this horizon (window empty) or are excluded: id -> reason
    unavailable: dict[str, str]
    #: PROJECT_STARTS: columns p, t, credit (κ of MODEL.md)
    starts: pd.DataFrame
    #: σ: columns p, scope, share (scope ALL included with share 1)
    shares: pd.DataFrame
    #: resource usage per start: resource -> columns p, t, year, amount (unscoped)
    usage: dict[str, pd.DataFrame]
    #: effective limit rows: resource, scope, year (<NA> = whole horizon), limit, rows (source rows)
    limits: pd.DataFrame
    #: target rows: indicator, scope, name, unit, baseline, target, weight, delta, capped, omega
    targets: pd.DataFrame
    #: progress terms: indicator, scope, p, t, coef  (= b·σ·κ/Δ, so that u + v = Σ coef·x)
    progress: pd.DataFrame
    #: dependencies among projects: q (requires) p
    dependencies: pd.DataFrame
    #: exclusive groups with at least two available members: group -> [ids]
    groups: dict[str, list[str]]
    #: spending profile: columns p, k, amount (a_{p,k}, 亿元)
    profile: pd.DataFrame
    #: tables derived from the fields above, kept with the objects they came from (scoped_usage)
    memo: dict = field(default_factory=dict, repr=False)

    @property
    def cities(self) -> list[str]:
        return self.dataset.cities


def build_instance(ds: Dataset, sc: Scenario) -> Instance:
    problems = scenario_against_data(ds, sc)
    if problems:
        raise InputError(problems)
    y0, y1 = sc.horizon or ds.meta.horizon
    years = list(range(y0, y1 + 1))
    ty = sc.target_year if sc.target_year is not None else ds.meta.target_year

    p = ds.projects.sort_values("id", kind="stable").copy()  # the model's order: not the file's (see _normalised)
    p["status"] = p["status"].astype(object)
    # force_in makes a project mandatory; a committed one stays committed (its start is fixed)
    p.loc[p["id"].isin(sc.force_in) & (p["status"] != "committed"), "status"] = "mandatory"
    p.loc[p["id"].isin(sc.force_out), "status"] = "excluded"
    unavailable = {pid: "excluded" for pid in p.loc[p["status"] == "excluded", "id"]}
    p = p[p["status"] != "excluded"]

    # allowed start windows T_p (committed: the one fixed start)
    latest_default = y1 - p["duration"] + 1
    latest = p["latest_start"].astype("float").fillna(np.inf)
    first = np.maximum(p["earliest_start"].to_numpy(float), y0)
    last = np.minimum(latest.to_numpy(float), latest_default.to_numpy(float))
    committed = (p["status"] == "committed").to_numpy()
    first = np.where(committed, p["start"].astype("float").fillna(0).to_numpy(), first)
    last = np.where(committed, first, last)
    empty = last < first
    label = ds.labels["projects"]
    bad = []
    for pid, status, row in p.loc[empty, ["id", "status", "row_"]].itertuples(index=False):
        if status == "mandatory":
            bad.append(
                Problem(
                    label,
                    int(row),
                    "earliest_start",
                    f"mandatory project {pid} has no start year that fits the horizon {y0}-{y1}",
                )
            )
        unavailable[pid] = f"no start year fits the horizon {y0}-{y1}"
    if bad:
        raise InputError(bad)
    p = p.loc[~empty].copy()
    first, last = first[~empty].astype(int), last[~empty].astype(int)
    counts = last - first + 1
    starts = pd.DataFrame(
        {
            "p": np.repeat(p["id"].to_numpy(), counts),
            "t": np.concatenate([np.arange(a, b + 1) for a, b in zip(first, last)]) if len(p) else np.array([], int),
        }
    )
    p = p.set_index("id", drop=False)

    profile = _profiles(ds, p)
    # κ: finished by the target year counts fully; otherwise π times the share of cost spent by then
    d = p["duration"]
    starts["finish"] = starts["t"] + d.reindex(starts["p"]).to_numpy() - 1
    spent = profile.merge(starts[["p", "t"]], on="p")
    spent = spent[spent["t"] + spent["k"] <= ty].groupby(["p", "t"], sort=False)["frac"].sum()
    frac = spent.reindex(pd.MultiIndex.from_frame(starts[["p", "t"]]), fill_value=0.0).to_numpy()
    starts["credit"] = np.where(starts["finish"] <= ty, 1.0, sc.partial_credit * frac)

    shares = _shares(ds, p)
    amounts = _amounts(ds, p)
    usage = {name: _usage(name, res, amounts[name], starts, profile, years) for name, res in ds.resources.items()}
    limits = _limits(ds, sc, years)
    targets, progress = _targets(ds, sc, starts, shares)
    dep = ds.dependencies
    dep = pd.DataFrame({"q": dep["project_id"], "p": dep["requires"], "row_": dep["row_"]})
    dep = dep[dep["q"].isin(p.index)]  # a dependent project that cannot run needs nothing
    groups: dict[str, list[str]] = {}
    for g, members in p.dropna(subset=["group"]).groupby("group", sort=False)["id"]:
        if len(members) > 1:
            groups[str(g)] = list(members)
    return Instance(
        ds, sc, years, ty, p, unavailable, starts, shares, usage, limits, targets, progress, dep, groups, profile
    )


def _profiles(ds: Dataset, p: pd.DataFrame) -> pd.DataFrame:
    """a_{p,k}: the cost profile, or an even split; `frac` is a_{p,k}/cost (by years when cost is 0)."""
    d = p["duration"].to_numpy()
    even = pd.DataFrame(
        {
            "p": np.repeat(p.index.to_numpy(), d),
            "k": np.concatenate([np.arange(n) for n in d]) if len(d) else np.array([], int),
        }
    )
    even["amount"] = (p["cost"] / p["duration"]).reindex(even["p"]).to_numpy()
    cp = ds.cost_profiles
    cp = cp[cp["project_id"].isin(p.index)]  # profiles of projects left out play no part
    if not cp.empty:
        given = cp[["project_id", "year_offset", "cost"]]
        given.columns = ["p", "k", "amount"]
        has = set(given["p"])
        even = even[~even["p"].isin(has)]
        # offsets a profile leaves out spend nothing
        full = pd.DataFrame(
            {
                "p": np.repeat(list(has), p.loc[list(has), "duration"].to_numpy()) if has else [],
                "k": np.concatenate([np.arange(n) for n in p.loc[list(has), "duration"]]) if has else [],
            }
        )
        given = full.merge(given, on=["p", "k"], how="left").fillna({"amount": 0.0})
        even = pd.concat([even, given], ignore_index=True)
    cost = p["cost"].reindex(even["p"]).to_numpy()
    dur = p["duration"].reindex(even["p"]).to_numpy()
    even["frac"] = np.where(cost > 0, even["amount"].to_numpy() / np.where(cost > 0, cost, 1), 1.0 / dur)
    even["k"] = even["k"].astype(int)
    return even.sort_values(["p", "k"], kind="stable").reset_index(drop=True)


def _shares(ds: Dataset, p: pd.DataFrame) -> pd.DataFrame:
    pc = ds.project_cities
    pc = pc[pc["project_id"].isin(p.index)]
    split = pd.DataFrame({"p": pc["project_id"], "scope": pc["city"], "share": pc["share"].astype(float)})
    single = p.loc[~p.index.isin(split["p"])]
    own = pd.DataFrame({"p": single.index, "scope": single["city"].to_numpy(), "share": 1.0})
    whole = pd.DataFrame({"p": p.index, "scope": "ALL", "share": 1.0})
    return pd.concat([split, own, whole], ignore_index=True)


def _amounts(ds: Dataset, p: pd.DataFrame) -> dict[str, pd.Series]:
    """Each resource's amount per project: its projects column, or for a funding source the
    source's part of the cost (cost · f[p,source]; no funding rows: none of any source)."""
    out = {}
    sources = set(ds.sources)
    fu = ds.funding
    for name, res in ds.resources.items():
        col = res.column or name
        if name in sources and name not in p.columns:
            share = fu[fu["source"] == name].set_index("project_id")["share"]
            out[name] = p["cost"].astype(float) * share.reindex(p.index).fillna(0.0).astype(float)
        elif col in p.columns:
            out[name] = pd.to_numeric(p[col], errors="coerce").fillna(0.0)
        else:
            out[name] = pd.Series(0.0, index=p.index)
    return out


def _usage(name, res, amount: pd.Series, starts: pd.DataFrame, profile: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """How much of a resource each start uses in each horizon year (before the city split);
    `spread` follows the cost profile: amount · a[p,k] / cost."""
    y0, y1 = years[0], years[-1]
    if res.timing == "spread":
        u = starts[["p", "t"]].merge(profile[["p", "k", "frac", "amount"]], on="p")
        u["year"] = u["t"] + u["k"]
        if name != "budget":
            u["amount"] = u["frac"] * amount.reindex(u["p"]).to_numpy()
        u = u[(u["year"] >= y0) & (u["year"] <= y1)]
    elif res.timing == "start":
        u = starts[["p", "t"]].copy()
        u["year"] = u["t"]
        u["amount"] = amount.reindex(u["p"]).to_numpy()
        u = u[(u["year"] >= y0) & (u["year"] <= y1)]
    else:  # operation: from the completion year on
        u = starts[["p", "t", "finish"]].copy()
        first = np.maximum(u["finish"].to_numpy(), y0)
        n = np.clip(y1 - first + 1, 0, None)
        u = pd.DataFrame(
            {
                "p": np.repeat(u["p"].to_numpy(), n),
                "t": np.repeat(u["t"].to_numpy(), n),
                "year": np.concatenate([np.arange(a, a + k) for a, k in zip(first, n)])
                if len(n)
                else np.array([], int),
            }
        )
        u["amount"] = amount.reindex(u["p"]).to_numpy()
    u = u[u["amount"] != 0]
    return u[["p", "t", "year", "amount"]].reset_index(drop=True)


def _limits(ds: Dataset, sc: Scenario, years: list[int]) -> pd.DataFrame:
    lim = ds.limits.copy()
    if lim.empty:
        return pd.DataFrame(columns=["resource", "scope", "year", "limit", "rows"])
    lim["limit"] = [float(v) * sc.scale_for(r, s) for r, s, v in zip(lim["resource"], lim["scope"], lim["limit"])]
    timing = {n: r.timing for n, r in ds.resources.items()}
    # energy (operation) rows without a year bind in every year; both kinds may meet: the tighter wins
    every = lim["year"].isna() & lim["resource"].map(timing).eq("operation")
    expanded = lim[every].merge(pd.DataFrame({"year_all": years}), how="cross")
    expanded["year"] = expanded["year_all"].astype("Int64")
    lim = pd.concat([lim[~every], expanded.drop(columns="year_all")], ignore_index=True)
    in_horizon = lim["year"].isna() | lim["year"].isin(years)
    lim = lim[in_horizon]
    lim["rows"] = lim["row_"].astype(int).astype(str)
    out = (
        lim.groupby(["resource", "scope", "year"], dropna=False, sort=False)
        .agg(limit=("limit", "min"), rows=("rows", ",".join))
        .reset_index()
    )
    out["year"] = out["year"].astype("Int64")
    return out


def _targets(
    ds: Dataset, sc: Scenario, starts: pd.DataFrame, shares: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    ind = ds.indicators
    t = pd.DataFrame(
        {
            "indicator": ind["indicator"],
            "scope": ind["scope"],
            "name": ind["name"],
            "unit": ind["unit"],
            "baseline": ind["baseline"].astype(float),
            "target": ind["target"].astype(float),
            "weight": ind["weight"].astype(float),
        }
    )
    t["capped"] = t["target"].notna()
    t["delta"] = np.where(t["capped"], t["target"] - t["baseline"], 1.0)
    t["omega"] = omega(t["scope"], sc)
    t = t.reset_index(drop=True)
    con = ds.contributions
    terms = con[["project_id", "indicator", "value"]].rename(columns={"project_id": "p"})
    terms = terms[terms["p"].isin(starts["p"].unique())]
    terms = terms.merge(t[["indicator", "scope", "delta"]], on="indicator")
    terms = terms.merge(shares, on=["p", "scope"])
    terms = terms.merge(starts[["p", "t", "credit"]], on="p")
    terms["coef"] = terms["value"] * terms["share"] * terms["credit"] / terms["delta"]
    terms = terms[terms["coef"] != 0]
    return t, terms[["indicator", "scope", "p", "t", "coef"]].reset_index(drop=True)


def own_targets(targets: pd.DataFrame, city: str) -> pd.DataFrame:
    """A city's own target rows that a floor on its attainment counts: scope the city, capped,
    positive weight (balance.city_attainment, sweep floors, the trade-off tables)."""
    t = targets
    return t[(t["scope"] == city) & t["capped"] & (t["weight"] > 0)]


def omega(scopes, sc: Scenario) -> list[float]:
    """ω of each target row: the scenario's weight of the row's city (1 for metro-wide rows)."""
    return [1.0 if s == "ALL" else float(sc.city_weights.get(s, 1.0)) for s in scopes]


def with_settings(inst: Instance, sc: Scenario) -> Instance:
    """The instance under the scale and city weights of `sc` (which must agree with the instance's
    scenario in everything else): limit values and ω recomputed, every other table shared."""
    return replace(
        inst,
        scenario=sc,
        limits=_limits(inst.dataset, sc, inst.years),
        targets=inst.targets.assign(omega=omega(inst.targets["scope"], sc)),
    )


def scoped_usage(inst: Instance, resource: str) -> pd.DataFrame:
    """Usage of a resource split by scope: p, t, year, scope, pos, coef (σ·amount).

    Kept in inst.memo with the tables it is made of, so that copies of an instance that share
    them (with_settings, solve.change.with_limits) compute it once; a copy with other tables
    (a city block) recomputes it."""
    u = inst.usage[resource]
    made_of = (u, inst.shares, inst.starts)
    kept = inst.memo.get(("scoped_usage", resource))
    if kept is not None and all(a is b for a, b in zip(kept[0], made_of)):
        return kept[1]
    out = _scoped_usage(inst, u)
    inst.memo[("scoped_usage", resource)] = (made_of, out)
    return out


def _scoped_usage(inst: Instance, u: pd.DataFrame) -> pd.DataFrame:
    if u.empty:
        return pd.DataFrame(columns=["p", "t", "year", "scope", "pos", "coef"])
    u = u.merge(inst.shares, on="p")
    u["coef"] = u["amount"] * u["share"]
    pos = pd.Series(np.arange(len(inst.starts)), index=pd.MultiIndex.from_frame(inst.starts[["p", "t"]]))
    u["pos"] = pos.reindex(pd.MultiIndex.from_frame(u[["p", "t"]])).to_numpy()
    return u[["p", "t", "year", "scope", "pos", "coef"]]


def resource_rows(inst: Instance, resource: str, cumulative: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Terms and right-hand sides of the limit rows of one resource.

    Returns (terms: scope, year, pos, coef; rhs: scope, year, limit) where `year` is
    HORIZON for rows without a year. With `cumulative`, a yearly row sums usage and
    limits over its scope's limited years up to its own year. The terms depend on which
    rows there are, not on their limits: they are kept in inst.memo for copies whose limits
    differ only in value (a sweep, the workbench).
    """
    lim = inst.limits[inst.limits["resource"] == resource]
    su = scoped_usage(inst, resource)
    if lim.empty:
        return pd.DataFrame(columns=["scope", "year", "pos", "coef"]), pd.DataFrame(columns=["scope", "year", "limit"])
    yearly = lim[lim["year"].notna()][["scope", "year", "limit"]].astype({"year": int})
    whole = lim[lim["year"].isna()][["scope", "limit"]].assign(year=HORIZON)
    if cumulative and not yearly.empty:
        yearly = yearly.sort_values(["scope", "year"])
        yearly["limit"] = yearly.groupby("scope")["limit"].cumsum()
    rhs = pd.concat([yearly.astype({"year": object}), whole[["scope", "year", "limit"]]], ignore_index=True)
    rows = (tuple(zip(yearly["scope"], yearly["year"])), tuple(whole["scope"]), cumulative)
    kept = inst.memo.get(("resource_rows", resource))
    if kept is not None and kept[0][0] is su and kept[0][1] == rows:
        return kept[1], rhs
    terms = _terms(su, yearly, whole, cumulative)
    inst.memo[("resource_rows", resource)] = ((su, rows), terms)
    return terms, rhs


def _terms(su: pd.DataFrame, yearly: pd.DataFrame, whole: pd.DataFrame, cumulative: bool) -> pd.DataFrame:
    parts = []
    if not yearly.empty:
        if cumulative:
            t = su.merge(yearly[["scope", "year"]].rename(columns={"year": "row_year"}), on="scope")
            limited = set(zip(yearly["scope"], yearly["year"]))
            keep = (t["year"] <= t["row_year"]).to_numpy() & np.array(
                [k in limited for k in zip(t["scope"], t["year"])], dtype=bool
            )
            t = t[keep].drop(columns="year").rename(columns={"row_year": "year"})
        else:
            t = su.merge(yearly[["scope", "year"]], on=["scope", "year"])
        parts.append(t[["scope", "year", "pos", "coef"]].astype({"year": object}))
    if not whole.empty:
        t = su.merge(whole[["scope"]], on="scope").assign(year=HORIZON)
        parts.append(t[["scope", "year", "pos", "coef"]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["scope", "year", "pos", "coef"])


def horizon_spending(inst: Instance) -> pd.DataFrame:
    """Spending over the horizon per start, by scope: scope, pos, coef (亿元)."""
    su = scoped_usage(inst, "budget")
    return su.groupby(["scope", "pos"], as_index=False)["coef"].sum()
