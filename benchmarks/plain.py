"""A plain time-indexed formulation of MODEL.md, built directly with highspy: the speed yardstick.

    from benchmarks.plain import solve_plain
    out = solve_plain(build_instance(dataset, scenario), time_limit=60)

Written for comparison, not for use: every family of MODEL.md in its textbook form
(binary x[p,t] for every allowed start; precedence rows for every year; target rows
u + v − Σ coef·x = 0), no Pyomo, no tie-break, no decomposition, no warm start and no
solver tricks: HiGHS defaults except the time limit, mip_rel_gap, threads and seed.

Families (MODEL.md names): one_start, every limit row of every resource
(`resource_rows`; budget cumulative when the scenario says so), precedence for every
year from the earliest start (a committed start may lie before y0) to the end of the
horizon, exclusive, city_share, city_attainment, task_minimum, target_progress.
The objective is Σ ω·w·(u + ρ·v), maximised.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import highspy
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizer.data.instance import Instance, horizon_spending, resource_rows

INF = highspy.kHighsInf


class _Rows:
    """Rows collected as (row, col, coef) triplets plus bounds, passed to HiGHS at once."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.names: list[str] = []
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []

    def add_grouped(self, terms: pd.DataFrame, keys: list[str], bounds: dict, name: str) -> None:
        """One row per key of `terms` (keys..., col, coef); `bounds[key] = (lower, upper)`.

        Keys missing from `bounds` are dropped; keys of `bounds` with no terms are rows
        of zeros (kept only if they cannot hold: 0 outside [lower, upper]).
        """
        agg = terms.groupby(keys + ["col"], sort=False, dropna=False)["coef"].sum().reset_index()
        agg = agg[agg["coef"] != 0]
        key_tuples = list(agg[keys].itertuples(index=False, name=None))
        first = {}
        for k in key_tuples:
            first.setdefault(k, len(first))
        row_of = {}
        for k, (lo, up) in bounds.items():
            k = k if isinstance(k, tuple) else (k,)
            if k in first or lo > 0 or up < 0:
                row_of[k] = self._new_row(lo, up, f"{name}{list(k)}")
        keep = np.array([k in row_of for k in key_tuples], dtype=bool)
        if keep.any():
            self.r.append(np.array([row_of[k] for k, ok in zip(key_tuples, keep) if ok], dtype=np.int64))
            self.c.append(agg["col"].to_numpy(np.int64)[keep])
            self.v.append(agg["coef"].to_numpy(float)[keep])

    def _new_row(self, lo: float, up: float, name: str) -> int:
        self.lower.append(lo)
        self.upper.append(up)
        self.names.append(name)
        return len(self.lower) - 1

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.lower)
        if not self.r:
            return np.zeros(n + 1, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)
        r, c, v = np.concatenate(self.r), np.concatenate(self.c), np.concatenate(self.v)
        order = np.lexsort((c, r))
        r, c, v = r[order], c[order], v[order]
        start = np.zeros(n + 1, dtype=np.int64)
        np.add.at(start, r + 1, 1)
        return np.cumsum(start).astype(np.int32), c.astype(np.int32), v


def build_plain(inst: Instance) -> tuple[highspy.HighsLp, dict]:
    """The plain model of `inst` as a HighsLp (columns: x, then u, then v) and its size."""
    starts = inst.starts.reset_index(drop=True)
    n_x = len(starts)
    sc = inst.scenario
    t = inst.targets.reset_index(drop=True)
    n_u = len(t)
    capped = t["capped"].to_numpy(bool)
    v_col = np.full(n_u, -1)
    v_col[capped] = n_x + n_u + np.arange(int(capped.sum()))
    n_cols = n_x + n_u + int(capped.sum())

    weight = (t["weight"] * t["omega"]).to_numpy(float)
    cost = np.zeros(n_cols)
    cost[n_x : n_x + n_u] = weight
    rho = float(sc.overshoot_weight)
    if rho > 0:
        cost[v_col[capped]] = weight[capped] * rho
    lower = np.concatenate([np.zeros(n_x), np.full(n_u, -INF), np.zeros(int(capped.sum()))])
    upper = np.concatenate([np.ones(n_x), np.where(capped, 1.0, INF), np.full(int(capped.sum()), INF)])

    rows = _Rows()
    col = pd.Series(np.arange(n_x), index=pd.MultiIndex.from_frame(starts[["p", "t"]]))
    x = starts[["p", "t"]].assign(col=np.arange(n_x), coef=1.0)

    # one_start[p]
    must = set(inst.projects.index[inst.projects["status"].isin(["mandatory", "committed"])])
    rows.add_grouped(
        x[["p", "col", "coef"]],
        ["p"],
        {p: ((1.0, 1.0) if p in must else (-INF, 1.0)) for p in starts["p"].unique()},
        "one_start",
    )

    # every resource: budget, land, energy and any the dataset adds
    for res in inst.dataset.resources:
        cumulative = res == "budget" and sc.budget_mode == "cumulative"
        terms, rhs = resource_rows(inst, res, cumulative)
        if rhs.empty:
            continue
        terms = terms.rename(columns={"pos": "col"}).astype({"col": np.int64})
        bounds = {(s, y): (-INF, float(lim)) for s, y, lim in rhs.itertuples(index=False)}
        # a row that nothing uses holds unless its limit is negative (the shipped model drops it)
        used = set(zip(terms["scope"], terms["year"]))
        bounds = {k: b for k, b in bounds.items() if k in used}
        rows.add_grouped(terms[["scope", "year", "col", "coef"]], ["scope", "year"], bounds, res)

    # precedence[q,p,y]: Σ_{t≤y} x[q,t] − Σ_{t≤y−d_p} x[p,t] ≤ 0 for every year y
    dep = inst.dependencies
    if not dep.empty and n_x:
        y_first = min(int(starts["t"].min()), inst.years[0])
        ys = pd.DataFrame({"y": np.arange(y_first, inst.years[-1] + 1)})
        pairs = dep[["q", "p"]].drop_duplicates().merge(ys, how="cross")
        d = inst.projects["duration"]
        lhs = pairs.merge(x.rename(columns={"p": "q"}), on="q")
        lhs = lhs[lhs["t"] <= lhs["y"]]
        rhs = pairs.merge(x, on="p")
        rhs = rhs[rhs["t"] <= rhs["y"] - d.reindex(rhs["p"]).to_numpy()].assign(coef=-1.0)
        terms = pd.concat([lhs, rhs], ignore_index=True)[["q", "p", "y", "col", "coef"]]
        # rows whose left side is empty always hold (the right side is ≥ 0)
        # first appearance, not a set: a set of str keys comes out in a per-process hash order,
        # and HiGHS's time on coupled N=300 seed 4 moved 17.9-50.6 s with that order alone
        bounds = {k: (-INF, 0.0) for k in dict.fromkeys(zip(lhs["q"], lhs["p"], lhs["y"]))}
        rows.add_grouped(terms, ["q", "p", "y"], bounds, "precedence")

    # exclusive[g]
    if inst.groups:
        member = {p: g for g, ps in inst.groups.items() for p in ps}
        s = x[x["p"].isin(member)].assign(g=lambda f: f["p"].map(member))
        rows.add_grouped(s[["g", "col", "coef"]], ["g"], {g: (-INF, 1.0) for g in inst.groups}, "exclusive")

    # city_share[c, min|max]: min·Σ spend ≤ Σ σ_c·spend ≤ max·Σ spend over the horizon
    bal = sc.balance
    if bal.min_city_share or bal.max_city_share:
        hs = horizon_spending(inst)
        total = hs[hs["scope"] == "ALL"].set_index("pos")["coef"]
        parts, bounds = [], {}
        for bound, shares in (("min", bal.min_city_share), ("max", bal.max_city_share)):
            for city, share in shares.items():
                own = hs[hs["scope"] == city].set_index("pos")["coef"].reindex(total.index, fill_value=0.0)
                coef = own - share * total
                parts.append(pd.DataFrame({"c": city, "b": bound, "col": coef.index, "coef": coef.to_numpy()}))
                bounds[(city, bound)] = (0.0, INF) if bound == "min" else (-INF, 0.0)
        terms = pd.concat(parts, ignore_index=True).astype({"col": np.int64})
        rows.add_grouped(terms, ["c", "b"], bounds, "city_share")

    # city_attainment[c]: Σ_{capped own rows} w·u ≥ bound·Σ w
    floor = bal.attainment_floor(inst.cities)
    if floor:
        parts, bounds = [], {}
        for city, bound in floor.items():
            own = t[(t["scope"] == city) & t["capped"] & (t["weight"] > 0)]
            if own.empty or bound <= 0:
                continue
            parts.append(pd.DataFrame({"c": city, "col": n_x + own.index.to_numpy(), "coef": own["weight"].to_numpy()}))
            bounds[city] = (float(bound) * float(own["weight"].sum()), INF)
        if parts:
            rows.add_grouped(pd.concat(parts, ignore_index=True), ["c"], bounds, "city_attainment")

    # task_minimum[k]: Σ_{p in task k} z_p ≥ m_k (a task nothing serves is an infeasible empty row)
    mins = {k: v for k, v in sc.task_minimum.items() if v > 0}
    if mins:
        s = x.assign(k=inst.projects["task"].reindex(x["p"]).to_numpy())
        s = s[s["k"].isin(mins)]
        rows.add_grouped(s[["k", "col", "coef"]], ["k"], {k: (float(m), INF) for k, m in mins.items()}, "task_minimum")

    # target_progress[i,s]: u + v − Σ coef·x = 0
    row_of = {k: n for n, k in enumerate(zip(t["indicator"], t["scope"]))}
    pr = inst.progress
    prog = pd.DataFrame(
        {
            "row": [row_of[k] for k in zip(pr["indicator"], pr["scope"])],
            "col": col.reindex(pd.MultiIndex.from_frame(pr[["p", "t"]])).to_numpy(np.int64),
            "coef": -pr["coef"].to_numpy(float),
        }
    )
    uv = pd.DataFrame({"row": np.arange(n_u), "col": n_x + np.arange(n_u), "coef": 1.0})
    ov = pd.DataFrame({"row": np.flatnonzero(capped), "col": v_col[capped], "coef": 1.0})
    rows.add_grouped(
        pd.concat([prog, uv, ov], ignore_index=True), ["row"], {n: (0.0, 0.0) for n in range(n_u)}, "target_progress"
    )

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(rows.lower)
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.array(rows.lower, dtype=float)
    lp.row_upper_ = np.array(rows.upper, dtype=float)
    start, index, value = rows.csr()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = len(rows.lower)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_x + [highspy.HighsVarType.kContinuous] * (n_cols - n_x)
    size = {"variables": n_cols, "binaries": n_x, "constraints": len(rows.lower), "nonzeros": len(value)}
    return lp, size


_threads_in_use: int | None = None


def _use_threads(threads: int) -> None:
    """HiGHS keeps one thread scheduler per process; reset it when the thread count changes."""
    global _threads_in_use
    if _threads_in_use is not None and _threads_in_use != threads:
        highspy.Highs.resetThreadScheduler(True)
    _threads_in_use = threads


def solve_plain(
    inst: Instance,
    time_limit: float | None,
    mip_gap: float = 1e-4,
    threads: int = 1,
    seed: int = 0,
    options: dict | None = None,
    gap_at: float | None = None,
) -> dict:
    """Build and solve the plain model.

    Returns status (optimal | feasible | infeasible | no_solution | HiGHS's model status),
    objective, bound, gap, seconds (handing the model to HiGHS + the solve, as the shipped
    solver's `solve_seconds` counts), time_to_gap (seconds at which the relative gap first
    reached ≤ mip_gap: HiGHS stops right there, so = seconds if it ended optimal, else None),
    build_seconds (pandas → arrays) and size. `options` adds HiGHS options (the check uses
    it for mip_abs_gap; the benchmark leaves HiGHS at its defaults). With `gap_at`, also
    gap_at_seconds: the relative gap HiGHS had reached `gap_at` seconds into the solve
    (read at its first interrupt point after that; the final gap if it ended sooner).
    """
    t0 = time.perf_counter()
    lp, size = build_plain(inst)
    t1 = time.perf_counter()
    _use_threads(threads)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS rejected the plain model")
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    seen: dict[str, float] = {}

    def watch(event) -> None:
        d = event.data_out
        if "gap" not in seen and d.running_time >= gap_at and abs(d.mip_primal_bound) < 1e30:
            seen["gap"] = abs(d.mip_dual_bound - d.mip_primal_bound) / max(abs(d.mip_primal_bound), 1e-10)

    if gap_at is not None:
        h.cbMipInterrupt.subscribe(watch)
    h.run()
    t2 = time.perf_counter()
    ms = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = float(info.objective_function_value) if has_solution else None
    bound = float(info.mip_dual_bound) if has_solution else None
    gap = float(info.mip_gap) if has_solution else None
    M = highspy.HighsModelStatus
    if ms == M.kOptimal:
        status = "optimal"
    elif ms in (M.kInfeasible, M.kUnboundedOrInfeasible):
        status = "infeasible"
    elif has_solution:
        status = "feasible"
    elif ms in (M.kTimeLimit, M.kIterationLimit, M.kSolutionLimit, M.kInterrupt):
        status = "no_solution"
    else:
        status = h.modelStatusToString(ms)
    seconds = t2 - t1
    return {
        "status": status,
        "objective": objective,
        "bound": bound,
        "gap": gap,
        "seconds": seconds,
        "time_to_gap": seconds if status == "optimal" else None,
        "build_seconds": t1 - t0,
        "size": size,
        "gap_at_seconds": seen.get("gap", gap) if gap_at is not None else None,
    }


__all__ = ["build_plain", "solve_plain"]
