"""What each city gets, what balance costs, what more of a resource is worth, and city-versus-metro fronts.

Planners of a metropolitan area argue about distribution, not only about the total
score. This module answers four questions from one base solve and two batches of
re-solves (all through `run_changes`, so every executor gives the same tables):

- cities: each city's attainment of its own targets, share of spending, land and
  energy in the base portfolio;
- balance: the score lost to each balance rule of the scenario (the rule dropped
  alone, and all of them together). Prices do not add up: rules can overlap;
- marginal: the score gained by one step more of each resource in each city and
  year group, by re-solving; beside it the LP duals with every choice fixed, which
  are reported because they are what a textbook would compute, and labelled for
  what they are (with integer choices fixed they are almost always 0);
- pareto: for each city, the best the rest of the metro can do while the city
  reaches at least ε of its own targets (epsilon-constraint), ε from the city's
  base attainment up to the best the city can reach.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.instance import Instance, own_targets, scoped_usage
from ..engine import Change, Progress, Session, base_result, run_changes, starts_of, x_from_starts
from ..errors import InputError, Problem
from ..results import Result, row_scores

#: relative size of a marginal step (of the group's total limit), and the smallest step
STEP_SHARE, MIN_STEP = 0.05, 1.0
#: a Pareto floor is eased by this much, so that a portfolio reaching ε exactly is not lost to rounding
FLOOR_EASE = 1e-7
DUAL_NOTE = "LP duals, every start fixed at the base (0 unless a limit row binds a continuous variable)"


def tradeoffs(
    data: Dataset | str | Path,
    scenario: Any = None,
    points: int = 6,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
    *,
    time_limit: float | None = None,
) -> dict[str, pd.DataFrame]:
    """Tables cities, balance, marginal and pareto for a dataset or scenario (see the module docstring).

    The base portfolio (the scenario with its cost tie-break) is the reference of every
    table and the warm start of every run. If it is infeasible, only `balance` is
    filled (which rule, dropped, makes the scenario feasible); the others are empty.
    """
    ds = data if isinstance(data, Dataset) else load(data)
    sc = resolve_scenario(ds, scenario)
    if time_limit is not None:
        sc = sc.with_updates(solver={**sc.solver.model_dump(), "time_limit": time_limit})
    if points < 2:
        raise InputError([Problem("--points", None, "points", f"need at least 2 points per city, got {points}")])
    t0 = time.perf_counter()
    session = Session(ds, sc)
    base = base_result(session)
    inst = session.inst

    warm = starts_of(base) if base.ok else None
    kw = dict(warm=warm, executor=executor, scheduler=scheduler, workers=workers, progress=progress, session=session)

    def run(changes: list[Change], desc: str) -> list[Result]:
        return run_changes(ds, sc, changes, desc=desc, **kw) if changes else []

    rules = balance_rules(session)
    groups = limit_groups(session) if base.ok else []
    front_cities = [c for c in inst.cities if base.ok and not own_targets(inst.targets, c).empty]
    # stage 1: everything that depends on the base alone
    ran = [r for r in rules if r["in_model"]]
    changes = [Change(label=f"without {r['rule']}", drop=((r["family"], r["index"]),)) for r in ran]
    if ran:
        changes.append(Change(label="without all", drop=tuple((r["family"], r["index"]) for r in ran)))
    changes += [Change(label=f"+{g['resource']} {g['scope']} {g['years']}", limits=g["limits"]) for g in groups]
    changes += [Change(label=f"best {c}", weights=_weights_only(inst, c)) for c in front_cities]
    results = run(changes, "tradeoffs: balance, marginal, city maxima")
    n_bal = len(ran) + (1 if ran else 0)
    bal_res, marg_res, best_res = results[:n_bal], results[n_bal : n_bal + len(groups)], results[n_bal + len(groups) :]
    # stage 2: the Pareto grid, which needs each city's best
    base_att = _city_attainment(base) if base.ok else {}
    best = {
        c: max(_city_attainment(r).get(c, 0.0) if r.ok else 0.0, base_att[c]) for c, r in zip(front_cities, best_res)
    }
    grid = [(c, e) for c in front_cities for e in _grid(base_att[c], best[c], points)]
    rest_weights = {c: {k: 0.0 for k in zip(*_rows_of(inst, c))} for c in front_cities}
    pareto_changes = [
        Change(label=f"front {c} {100 * e:.2f}", weights=rest_weights[c], floors={c: max(0.0, e - FLOOR_EASE)})
        for c, e in grid
    ]
    front_res = run(pareto_changes, "tradeoffs: city fronts")

    out = {
        "cities": city_table(inst, base, best) if base.ok else pd.DataFrame(),
        "balance": _balance_table(rules, ran, base, bal_res),
        "marginal": _marginal_table(session, base, groups, marg_res) if base.ok else pd.DataFrame(),
        "pareto": _pareto_table(inst, grid, front_res),
    }
    meta = dict(dataset=ds.name, scenario=sc.name, base_status=str(base.status), base_score=base.objective)
    meta.update(
        base_index=base.attainment_index, base_message=base.message, runs=1 + len(changes) + len(pareto_changes)
    )
    meta.update(seconds=time.perf_counter() - t0, units={k: v.unit or "" for k, v in ds.resources.items()})
    for table in out.values():
        table.attrs.update(meta)
    return out


# -- the pieces ------------------------------------------------------------------------------
def balance_rules(session: Session) -> list[dict[str, Any]]:
    """The scenario's balance rules as droppable model rows.

    `in_model` False: no row was built, because the rule can never bind or (`unmeetable`) because
    no available project can meet it, which makes every run infeasible whatever is dropped."""
    sc, built = session.scenario, session.infeasible_rows
    found = [
        ("city_share", (c, b), f"city_share[{c},{b}]", v)
        for b, shares in (("min", sc.balance.min_city_share), ("max", sc.balance.max_city_share))
        for c, v in shares.items()
    ]
    found += [
        ("city_attainment", c, f"city_attainment[{c}]", v)
        for c, v in sc.balance.attainment_floor(session.inst.cities).items()
        if v > 0
    ]
    found += [("task_minimum", k, f"task_minimum[{k}]", v) for k, v in sc.task_minimum.items() if v > 0]
    return [
        {
            "family": f,
            "index": i,
            "rule": label,
            "bound": float(v),
            "in_model": session.has_row(f, i),
            "unmeetable": any(msg.startswith(f"{label}:") for msg in built),
        }
        for f, i, label, v in found
    ]


def year_group(inst: Instance, year: Any) -> str:
    """'2024-2027' (up to the target year), '2028-2030' (after it), or 'horizon' for a whole-horizon row."""
    if year is None or isinstance(year, str) or pd.isna(year):  # str: HORIZON
        return "horizon"
    y0, y1, ty = inst.years[0], inst.years[-1], inst.target_year
    a, b = (y0, min(ty, y1)) if int(year) <= ty else (max(ty + 1, y0), y1)
    return str(a) if a == b else f"{a}-{b}"


def limit_groups(session: Session) -> list[dict[str, Any]]:
    """Limit rows grouped by resource, scope and year group, each with its step and raised limits.

    The step is STEP_SHARE of the group's total limit (at least MIN_STEP unit), spread over the
    group's rows in proportion to their limits, so the group keeps its shape over the years.
    """
    inst = session.inst
    lim = session.limits
    lim["years"] = [year_group(inst, y) for y in lim["year"]]
    out = []
    for (res, scope, years), g in lim.groupby(["resource", "scope", "years"], sort=False):
        keys = [(r, s, None if pd.isna(y) else int(y)) for r, s, y in zip(g["resource"], g["scope"], g["year"])]
        total = float(g["limit"].sum())
        step = max(STEP_SHARE * abs(total), MIN_STEP)
        add = g["limit"] / total * step if total > 0 else pd.Series(step / len(g), index=g.index)
        limits = {k: float(v + a) for k, v, a in zip(keys, g["limit"], add)}
        out.append(dict(resource=res, scope=scope, years=years, keys=keys, total=total, step=step, limits=limits))
    return out


def city_table(inst: Instance, base: Result, best: dict[str, float] | None = None) -> pd.DataFrame:
    """result.cities plus energy_peak (the city's added energy use in its busiest year, 万吨标准煤 per year,
    from the instance's usage: operating energy only grows, so this is the last horizon year's),
    the best attainment the city could reach alone, and the rest of the metro's attainment index."""
    t = base.cities.copy()
    x = np.flatnonzero(x_from_starts(inst, starts_of(base)))
    if "energy" in inst.usage:
        u = scoped_usage(inst, "energy")
        per_year = u[u["pos"].isin(x)].groupby(["scope", "year"])["coef"].sum()
        peak = per_year.groupby(level="scope").max() if not per_year.empty else pd.Series(dtype=float)
        t.insert(t.columns.get_loc("land") + 1, "energy_peak", t["city"].map(peak).fillna(0.0).astype(float))
    best = best or {}
    t["best_attainment"] = [100 * best[c] if c in best else np.nan for c in t["city"]]
    t["rest_attainment"] = [_rest(inst, base, c)[0] for c in t["city"]]
    return t


# -- tables --------------------------------------------------------------------------------
def _balance_table(rules, ran, base: Result, results: list[Result]) -> pd.DataFrame:
    by_rule = dict(zip([r["rule"] for r in ran] + ["all"], results))
    with_ = base.objective if base.ok else np.nan
    rows = []
    for r in rules + ([{"rule": "all", "bound": np.nan, "in_model": True}] if ran else []):
        res = by_rule.get(r["rule"])
        if res is None and r.get("unmeetable"):  # no row: no project can ever meet it (the engine keeps it)
            without, status = np.nan, "cannot be met by any project (not droppable)"
        elif res is None:  # no row in the model: the rule can never bind
            without, status = with_, "always holds (no row)"
        else:
            without, status = (res.objective if res.ok else np.nan), str(res.status)
        label = "all balance rules" if r["rule"] == "all" else r["rule"]
        rows.append((label, r["bound"], with_, without, without - with_, status))
    cols = ["rule", "bound", "score_with", "score_without", "price", "status"]
    return pd.DataFrame(rows, columns=cols).astype({c: float for c in cols[1:5]})


def _marginal_table(session: Session, base: Result, groups, results: list[Result]) -> pd.DataFrame:
    duals, why = session.fixed_duals(starts_of(base))
    units = {k: v.unit or "" for k, v in session.dataset.resources.items()}
    rows = []
    for g, res in zip(groups, results):
        change = res.objective - base.objective if res.ok else np.nan
        share = 100 * g["step"] / g["total"] if g["total"] > 0 else np.nan
        how = (
            f"re-solve: each of {len(g['keys'])} rows raised by {share:.2f}%"
            if g["total"] > 0
            else "re-solve: step split evenly"
        )
        rows.append(
            {
                "resource": g["resource"],
                "scope": g["scope"],
                "years": g["years"],
                "rows": len(g["keys"]),
                "limit": g["total"],
                "step": g["step"],
                "unit": units.get(g["resource"], ""),
                "score_change": change,
                "per_unit": change / g["step"],
                "dual_fixed": sum(duals[k] for k in g["keys"] if k in duals) if not why else np.nan,
                "status": str(res.status),
                "method": f"{how}; dual_fixed: {why or DUAL_NOTE}",
            }
        )
    return pd.DataFrame(rows)


def _pareto_table(inst: Instance, grid, results: list[Result]) -> pd.DataFrame:
    rows = []
    for (c, e), res in zip(grid, results):
        rest_att, rest_score = _rest(inst, res, c) if res.ok else (np.nan, np.nan)
        att = _city_attainment(res).get(c, np.nan) * 100 if res.ok else np.nan
        rows.append((c, 100 * e, att, rest_att, rest_score, res.objective if res.ok else np.nan, str(res.status)))
    cols = ["city", "epsilon", "city_attainment", "rest_attainment", "rest_score", "score", "status"]
    return pd.DataFrame(rows, columns=cols)


# -- helpers -------------------------------------------------------------------------------
def _rows_of(inst: Instance, city: str):
    t = inst.targets
    own = t[t["scope"] == city]
    return own["indicator"], own["scope"]


def _weights_only(inst: Instance, city: str) -> dict[tuple[str, str], float]:
    """Objective weights that keep only the city's own rows: maximising them finds the best the city can reach."""
    own = set(zip(own_targets(inst.targets, city)["indicator"], own_targets(inst.targets, city)["scope"]))
    return {k: 0.0 for k in zip(inst.targets["indicator"], inst.targets["scope"]) if k not in own}


def _city_attainment(res: Result) -> dict[str, float]:
    """City -> weighted attainment of its own targets, 0..1 (the quantity a floor bounds)."""
    return {
        c: a / 100 for c, a in zip(res.cities["city"], res.cities["attainment"]) if a is not None and not pd.isna(a)
    }


def _grid(low: float, high: float, points: int) -> list[float]:
    """ε values from the base attainment to the best, without repeats (a city already at its best: one point)."""
    return sorted(set(np.round(np.linspace(low, max(low, high), points), 12).tolist()))


def _rest(inst: Instance, res: Result, city: str) -> tuple[float, float]:
    """(rest_attainment, rest_score) of a result for every target row not of the city's scope.

    rest_attainment: 100·Σw·attained/Σw over capped rows (0-100, like the attainment index);
    rest_score: Σω·w·(u + ρ·v) over all those rows: what the Pareto runs maximise.
    """
    a, t = res.attainment, inst.targets
    other = (t["scope"] != city).to_numpy()
    capped = t["capped"].to_numpy()
    w, r = t["weight"].to_numpy(float), a["progress"].to_numpy(float)
    keep = other & capped
    att = float(100 * np.sum(w[keep] * np.clip(r[keep], 0, 1)) / w[keep].sum()) if w[keep].sum() > 0 else np.nan
    rho = inst.scenario.overshoot_weight
    per_row = row_scores(r, capped, rho)
    return att, float(np.sum((t["omega"].to_numpy(float) * w * per_row)[other]))
