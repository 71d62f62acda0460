"""assemble(): a Result from the chosen starts and the Instance, recomputed exactly.

Everything here is recomputed from the chosen starts and the Instance, never read back
from solver internals, so the reported score and slacks are exactly those of the
portfolio that is returned. `row_scores` is the one copy of MODEL.md's score formula.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data.instance import HORIZON, Instance, resource_rows, scoped_usage
from ..solve.status import SolveOutcome
from .funding import first_binding, funding_table
from .result import Result

BINDING_TOL = 1e-6
#: a limit used to within this share of itself counts as binding
FULL_SHARE = 0.01


def row_scores(progress: np.ndarray, capped: np.ndarray, rho: float) -> np.ndarray:
    """Each target row's u + ρ·v (MODEL.md): progress capped at 1 plus ρ times the overshoot;
    an uncapped row counts its progress as it is. The score is Σ ω·w times this."""
    return np.where(capped, np.minimum(1.0, progress) + rho * np.maximum(0.0, progress - 1.0), progress)


def _year(y) -> Any:
    return pd.NA if y == HORIZON else int(y)


def assemble(
    inst: Instance,
    out: SolveOutcome,
    build_seconds: float,
    timings: dict[str, float],
    *,
    infeasibility: pd.DataFrame | None = None,
    scenario: dict[str, Any] | None = None,
) -> Result:
    """The Result of a solver outcome; `scenario` (default: the instance's settings) is what
    summary.json records, `infeasibility` the elastic diagnosis of an infeasible scenario."""
    ds = inst.dataset
    x = out.x if out.x is not None else np.zeros(len(inst.starts), dtype=bool)
    chosen = inst.starts[x]
    start_of = dict(zip(chosen["p"], chosen["t"]))
    # portfolio: every project of the dataset, in its order
    p = ds.projects
    eff_status = inst.projects["status"]
    sel = p["id"].isin(start_of.keys())
    start = p["id"].map(start_of).astype("Int64")
    portfolio = pd.DataFrame(
        {
            "id": p["id"],
            "name": p["name"],
            "city": p["city"],
            "task": p["task"],
            "selected": sel,
            "start": start,
            "finish": (start + p["duration"]).astype("Int64") - 1,
            "cost": p["cost"],
            "status": p["id"].map(lambda i: eff_status.get(i, "excluded")),
            "note": p["id"].map(lambda i: inst.unavailable.get(i, "")),
        }
    )
    xpos = np.flatnonzero(x)
    selected_ids = set(chosen["p"])
    chosen_projects_pos = set(np.flatnonzero(inst.starts["p"].isin(selected_ids).to_numpy()))
    # spending by scope and year, with the yearly budget limit where there is one
    su = scoped_usage(inst, "budget")
    su = su[su["pos"].isin(xpos)]
    scopes = list(inst.cities) + ["ALL"]
    grid = pd.MultiIndex.from_product([scopes, inst.years], names=["scope", "year"])
    spend = su.groupby(["scope", "year"])["coef"].sum().reindex(grid, fill_value=0.0)
    lim = inst.limits[(inst.limits["resource"] == "budget") & inst.limits["year"].notna()]
    blim = lim.set_index(["scope", lim["year"].astype(int)])["limit"]
    spending = pd.DataFrame(
        {"spend": spend.to_numpy(), "limit": blim.reindex(grid).to_numpy()}, index=grid
    ).reset_index()
    # every limit row: used, limit, slack
    rows = []
    for res in ds.resources:
        cumulative = res == "budget" and inst.scenario.budget_mode == "cumulative"
        terms, rhs = resource_rows(inst, res, cumulative)
        if terms.empty:
            used = smallest = pd.Series(dtype=float)
        else:
            used = terms[terms["pos"].isin(xpos)].groupby(["scope", "year"])["coef"].sum()
            # the smallest amount any project not chosen would add to the row, were it started
            other = terms[~terms["pos"].isin(chosen_projects_pos)]
            smallest = other[other["coef"] > 0].groupby(["scope", "year"])["coef"].min()
        for scope, year, limit in rhs.itertuples(index=False):
            u = float(used.get((scope, year), 0.0))
            rows.append((res, scope, _year(year), u, float(limit), float(smallest.get((scope, year), np.inf))))
    resources = pd.DataFrame(rows, columns=["resource", "scope", "year", "used", "limit", "next_project"])
    resources = resources.astype({"used": float, "limit": float, "next_project": float})
    resources["year"] = resources["year"].astype("Int64")
    resources["slack"] = resources["limit"] - resources["used"]
    resources["utilisation"] = resources["used"] / resources["limit"].where(resources["limit"] > 0)
    # Binding: no slack left, or too little for any project not chosen to fit in (with projects
    # being lumpy, a limit that blocks the next project rarely has exactly zero slack).
    exhausted = resources["slack"] <= np.maximum(BINDING_TOL, FULL_SHARE * resources["limit"].abs())
    resources["binding"] = exhausted | (
        np.isfinite(resources["next_project"]) & (resources["slack"] < resources["next_project"])
    )
    resources = resources.drop(columns="next_project")
    resources["unit"] = resources["resource"].map({k: v.unit for k, v in ds.resources.items()})
    if inst.scenario.budget_mode == "cumulative":
        resources["basis"] = np.where(resources["resource"].eq("budget") & resources["year"].notna(), "cumulative", "")
    # attainment of each target row
    t = inst.targets
    pr = inst.progress
    pr = pr.merge(inst.starts[["p", "t"]][x], on=["p", "t"])
    ratio = pr.groupby(["indicator", "scope"])["coef"].sum()
    r = ratio.reindex(pd.MultiIndex.from_frame(t[["indicator", "scope"]]), fill_value=0.0).to_numpy()
    g = r * t["delta"].to_numpy()
    attainment = pd.DataFrame(
        {
            "indicator": t["indicator"],
            "scope": t["scope"],
            "name": t["name"],
            "unit": t["unit"],
            "baseline": t["baseline"],
            "target": t["target"],
            "achieved": t["baseline"].to_numpy() + g,
            "progress": r,
            "weight": t["weight"],
        }
    )
    capped = t["capped"].to_numpy()
    clipped = np.clip(r, 0.0, 1.0)
    attainment["attained"] = np.where(capped, clipped, np.nan)
    w = t["weight"].to_numpy()
    rho = inst.scenario.overshoot_weight
    objective = None
    if out.x is not None:
        objective = float(np.sum(t["omega"].to_numpy() * w * row_scores(r, capped, rho)))
    wc = w[capped]
    index = float(100.0 * np.sum(wc * clipped[capped]) / np.sum(wc)) if capped.any() and wc.sum() > 0 else None
    cities = _city_summary(inst, portfolio, spending, attainment, xpos)
    binds = [first_binding(resources, c) for c in cities["city"]] if not cities.empty else []
    cities["binds_first"] = pd.Series([b[0] for b in binds], dtype=object)
    cities["binds_first_year"] = pd.Series([b[1] for b in binds], dtype="Int64")
    total_cost = float(p.loc[sel, "cost"].sum())
    # the bound refers to the solver's objective; keep it consistent with the exact score
    bound = out.bound
    if bound is not None and objective is not None:
        bound = max(bound, objective)
    return Result(
        status=out.status,
        objective=objective,
        bound=bound,
        mip_gap=out.mip_gap,
        attainment_index=index if out.x is not None else None,
        selected_count=int(sel.sum()),
        total_cost=total_cost,
        build_seconds=build_seconds,
        solve_seconds=out.load_seconds + out.solve_seconds,
        portfolio=portfolio,
        spending=spending,
        funding=funding_table(inst, xpos),
        resources=resources,
        attainment=attainment,
        cities=cities,
        scenario=scenario if scenario is not None else inst.scenario.settings(),
        dataset={
            "name": ds.name,
            "source": ds.source,
            "projects": len(ds.projects),
            "horizon": list(map(int, (inst.years[0], inst.years[-1]))),
            "target_year": int(inst.target_year),
            "cities": list(ds.cities),
            "tasks": list(ds.meta.tasks or []),
            "units": {**ds.meta.units, **{k: r.unit for k, r in ds.resources.items() if r.unit}},
        },
        # "solve" is both stages; "tie_break" is stage 2's part of it
        timings={**timings, "load": out.load_seconds, "solve": out.solve_seconds, "tie_break": out.tie_seconds},
        tie_break=out.tie_break,
        solver={"strategy": out.strategy, "termination": out.termination, "nodes": out.nodes},
        model_size=out.size,
        message="; ".join(out.infeasible_rows),
        infeasibility=infeasibility,
    )


def _city_summary(
    inst: Instance, portfolio: pd.DataFrame, spending: pd.DataFrame, attainment: pd.DataFrame, xpos
) -> pd.DataFrame:
    shares = inst.shares
    chosen = set(portfolio.loc[portfolio["selected"], "id"])
    total = spending.loc[spending["scope"] == "ALL", "spend"].sum()
    rows = []
    for c in inst.cities:
        involved = set(shares.loc[(shares["scope"] == c), "p"]) & chosen
        spend = spending.loc[spending["scope"] == c, "spend"].sum()
        own = attainment[(attainment["scope"] == c) & attainment["target"].notna()]
        att = (
            float(100 * (own["weight"] * own["attained"]).sum() / own["weight"].sum())
            if len(own) and own["weight"].sum() > 0
            else None
        )
        land = scoped_usage(inst, "land")
        land = float(land[(land["scope"] == c) & land["pos"].isin(xpos)]["coef"].sum()) if not land.empty else 0.0
        rows.append(
            {
                "city": c,
                "projects": len(involved),
                "spend": float(spend),
                "spend_share": float(spend / total) if total > 0 else None,
                "land": land,
                "attainment": att,
            }
        )
    return pd.DataFrame(rows)
