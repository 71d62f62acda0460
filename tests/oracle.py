"""Brute-force oracle for the portfolio model of MODEL.md.

Independent of the ``optimizer`` package on purpose: it reads the raw tables
(DATA.md) and evaluates MODEL.md literally, so a bug shared by both sides is
unlikely.  Two evaluators live here:

* ``is_feasible`` / ``score`` / ``violations``: one assignment, plain loops over
  the formulas of MODEL.md (``x_{p,t}`` written as "p starts in t").
* ``enumerate_optimum``: every assignment at once, vectorised with numpy
  (needed for speed); the tests cross-check it against the loop version.

An assignment is a dict ``project id -> start year`` (``None`` = not selected).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

ALL = "ALL"
RESOURCES = ("budget", "land", "energy")
FEAS_TOL = 1e-9  # relative (to max(1, |rhs|)) feasibility tolerance
TIE_TOL = 1e-9  # relative tolerance for "same score"
NOT_SELECTED = -(10**6)  # start sentinel in the vectorised enumeration


# --------------------------------------------------------------------------- parsing


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and v.strip() == "":
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _get(row: pd.Series, col: str, default: Any = None) -> Any:
    if col not in row.index:
        return default
    v = row[col]
    return default if _blank(v) else v


def _table(tables: dict, name: str) -> pd.DataFrame:
    t = tables.get(name)
    return pd.DataFrame() if t is None else t


@dataclass
class Project:
    id: str
    city: str
    task: str | None
    d: int
    cost: float
    land: float
    energy: float
    status: str  # candidate | mandatory | committed | excluded (after force_in/out)
    fixed_start: int | None
    starts: list[int]  # T_p (for committed: [start])
    profile: list[float]  # a_{p,k}, k = 0..d-1
    shares: dict[str, float]  # sigma_{p,c} for cities (ALL is implicit 1)
    group: str | None
    contrib: dict[str, float] = field(default_factory=dict)  # b_{p,i}
    funding: dict[str, float] = field(default_factory=dict)  # f_{p,source}; none: no source pays

    def spends(self, resource: str) -> float:
        """The share of the project's spending a resource of timing `spread` counts."""
        return 1.0 if resource == "budget" else self.funding.get(resource, 0.0)

    def sigma(self, scope: str) -> float:
        return 1.0 if scope == ALL else self.shares.get(scope, 0.0)


@dataclass
class Row:  # one (indicator, scope) target row
    indicator: str
    scope: str
    delta: float  # G - beta, or 1 if uncapped
    weight: float
    capped: bool


@dataclass
class Limit:
    resource: str
    scope: str
    year: int | None
    limit: float  # after scenario scale


@dataclass
class Instance:
    years: list[int]
    target_year: int
    pi: float
    rho: float
    budget_mode: str
    cities: list[str]
    projects: list[Project]
    rows: list[Row]
    limits: list[Limit]
    deps: list[tuple[str, str]]  # (q, p): q requires p
    min_share: dict[str, float]
    max_share: dict[str, float]
    min_attainment: dict[str, float]
    task_min: dict[str, int]
    city_weights: dict[str, float]
    #: funding sources (DATA.md funding): spread along the cost profile, times f_{p,source}
    sources: list[str] = field(default_factory=list)

    @property
    def scopes(self) -> list[str]:
        return [ALL, *self.cities]

    def omega(self, scope: str) -> float:
        return 1.0 if scope == ALL else float(self.city_weights.get(scope, 1.0))


def build_instance(meta: dict, tables: dict, scenario: dict | None) -> Instance:
    sc = dict(scenario or {})
    y0, y1 = (int(v) for v in (sc.get("horizon") or meta["horizon"]))
    years = list(range(y0, y1 + 1))
    ystar = int(sc.get("target_year", meta["target_year"]))
    cities = [str(c) for c in meta["cities"]]
    force_in = {str(p) for p in sc.get("force_in") or []}
    force_out = {str(p) for p in sc.get("force_out") or []}

    shares: dict[str, dict[str, float]] = {}
    for _, r in _table(tables, "project_cities").iterrows():
        shares.setdefault(str(r["project_id"]), {})[str(r["city"])] = float(r["share"])
    profiles: dict[str, dict[int, float]] = {}
    for _, r in _table(tables, "cost_profiles").iterrows():
        profiles.setdefault(str(r["project_id"]), {})[int(r["year_offset"])] = float(r["cost"])
    funding: dict[str, dict[str, float]] = {}
    for _, r in _table(tables, "funding").iterrows():
        funding.setdefault(str(r["project_id"]), {})[str(r["source"])] = float(r["share"])
    contrib: dict[str, dict[str, float]] = {}
    for _, r in _table(tables, "contributions").iterrows():
        contrib.setdefault(str(r["project_id"]), {})[str(r["indicator"])] = float(r["value"])

    projects = []
    for _, r in _table(tables, "projects").iterrows():
        pid = str(r["id"])
        d = int(r["duration"])
        cost = float(r["cost"])
        status = str(_get(r, "status", "candidate")).strip() or "candidate"
        if pid in force_out:
            status = "excluded"
        elif pid in force_in and status != "committed":
            status = "mandatory"  # the scenario overrides the data; committed is already stronger
        e = int(r["earliest_start"])
        latest = _get(r, "latest_start")
        lat = y1 - d + 1 if latest is None else int(latest)
        fixed = _get(r, "start")
        fixed = None if fixed is None else int(fixed)
        if status == "committed":
            starts = [fixed]
        elif status == "excluded":
            starts = []
        else:
            starts = [t for t in years if e <= t <= lat and t + d - 1 <= y1]
        if pid in profiles:
            prof = [profiles[pid].get(k, 0.0) for k in range(d)]
        else:
            prof = [cost / d] * d
        city = str(r["city"])
        task = _get(r, "task")
        group = _get(r, "group")
        projects.append(
            Project(
                id=pid,
                city=city,
                task=None if task is None else str(task),
                d=d,
                cost=cost,
                land=float(_get(r, "land", 0.0)),
                energy=float(_get(r, "energy", 0.0)),
                status=status,
                fixed_start=fixed,
                starts=starts,
                profile=prof,
                shares=shares.get(pid, {city: 1.0}),
                group=None if group is None else str(group),
                contrib=contrib.get(pid, {}),
                funding=funding.get(pid, {}),
            )
        )

    rows = []
    for _, r in _table(tables, "indicators").iterrows():
        target = _get(r, "target")
        baseline = float(_get(r, "baseline", 0.0))
        capped = target is not None
        rows.append(
            Row(
                indicator=str(r["indicator"]),
                scope=str(_get(r, "scope", ALL)),
                delta=float(target) - baseline if capped else 1.0,
                weight=float(_get(r, "weight", 1.0)),
                capped=capped,
            )
        )

    scale = sc.get("scale") or {}
    limits = []
    for _, r in _table(tables, "limits").iterrows():
        res = str(r["resource"])
        scope = str(_get(r, "scope", ALL))
        year = _get(r, "year")
        if year is not None and int(year) not in years:
            continue  # a year outside the planning horizon binds nothing
        value = float(r["limit"])
        f = scale.get(res)
        if isinstance(f, dict):
            value *= float(f.get(scope, 1.0))
        elif f is not None:
            value *= float(f)
        limits.append(Limit(res, scope, None if year is None else int(year), value))

    deps = [(str(r["project_id"]), str(r["requires"])) for _, r in _table(tables, "dependencies").iterrows()]

    bal = sc.get("balance") or {}
    att = bal.get("min_city_attainment")
    if att is None:
        min_att = {}
    elif isinstance(att, dict):
        min_att = {str(k): float(v) for k, v in att.items()}
    else:
        min_att = {c: float(att) for c in cities}

    return Instance(
        years=years,
        target_year=ystar,
        pi=float(sc.get("partial_credit", 0.0) or 0.0),
        rho=float(sc.get("overshoot_weight", 0.0) or 0.0),
        budget_mode=str(sc.get("budget_mode", "annual") or "annual"),
        cities=cities,
        projects=projects,
        rows=rows,
        limits=limits,
        deps=deps,
        min_share={str(k): float(v) for k, v in (bal.get("min_city_share") or {}).items()},
        max_share={str(k): float(v) for k, v in (bal.get("max_city_share") or {}).items()},
        min_attainment=min_att,
        task_min={str(k): int(v) for k, v in (sc.get("task_minimum") or {}).items()},
        city_weights={str(k): float(v) for k, v in (sc.get("city_weights") or {}).items()},
        sources=sorted({s for f in funding.values() for s in f} | {m.resource for m in limits} - set(RESOURCES)),
    )


# --------------------------------------------------------------------------- one assignment, literal


def _spend(p: Project, t: int | None, y: int) -> float:
    """s_{p,y} = a_{p, y-t} for 0 <= y-t < d_p."""
    if t is None or not 0 <= y - t < p.d:
        return 0.0
    return p.profile[y - t]


def _operating(p: Project, t: int | None, y: int) -> int:
    """o_{p,y} = 1 iff t + d - 1 <= y."""
    return int(t is not None and t + p.d - 1 <= y)


def _kappa(inst: Instance, p: Project, t: int) -> float:
    if t + p.d - 1 <= inst.target_year:
        return 1.0
    if inst.pi == 0:
        return 0.0
    ks = [k for k in range(p.d) if t + k <= inst.target_year]
    if p.cost == 0:  # zero-cost project: share of construction years done
        return inst.pi * len(ks) / p.d
    return inst.pi * sum(p.profile[k] for k in ks) / p.cost


def _progress(inst: Instance, a: dict, row: Row) -> float:
    """g_{i,s} = sum_p b_{p,i} sigma_{p,s} kappa_{p,t}."""
    g = 0.0
    for p in inst.projects:
        t = a.get(p.id)
        if t is not None and row.indicator in p.contrib:
            g += p.contrib[row.indicator] * p.sigma(row.scope) * _kappa(inst, p, t)
    return g


def _le(lhs: float, rhs: float) -> bool:
    return lhs <= rhs + FEAS_TOL * max(1.0, abs(rhs))


def violations(meta: dict, tables: dict, scenario: dict | None, assignment: dict) -> list[str]:
    """Names of the violated constraints (MODEL.md family[index]); [] = feasible."""
    return _violations(build_instance(meta, tables, scenario), _norm(assignment))


def _norm(assignment: dict) -> dict:
    out = {}
    for k, v in assignment.items():
        out[str(k)] = None if _blank(v) else int(v)
    return out


def _violations(inst: Instance, a: dict) -> list[str]:
    bad = []
    Y = inst.years
    P = inst.projects
    # one_start
    for p in P:
        t = a.get(p.id)
        if p.status == "excluded" and t is not None:
            bad.append(f"one_start[{p.id}] excluded")
        elif p.status == "committed" and t != p.fixed_start:
            bad.append(f"one_start[{p.id}] committed")
        elif p.status == "mandatory" and t is None:
            bad.append(f"one_start[{p.id}] mandatory")
        elif p.status in ("candidate", "mandatory") and t is not None and t not in p.starts:
            bad.append(f"one_start[{p.id}] start {t} not allowed")
    if bad:
        return bad

    def use(res: str, scope: str, y: int) -> float:
        total = 0.0
        for p in P:
            t = a.get(p.id)
            if t is None:
                continue
            if res == "land":
                v = p.land * (t == y)
            elif res == "energy":
                v = p.energy * _operating(p, t, y)
            else:  # budget, or a funding source: its share of each year's spending
                v = p.spends(res) * _spend(p, t, y)
            total += p.sigma(scope) * v
        return total

    for lim in inst.limits:
        name = f"{lim.resource}[{lim.scope},{lim.year}]"
        if lim.resource == "energy":
            ys = Y if lim.year is None else [lim.year]
            if any(not _le(use("energy", lim.scope, y), lim.limit) for y in ys):
                bad.append(name)
        elif lim.year is None:  # whole horizon (history before y0 counts against nothing)
            if not _le(sum(use(lim.resource, lim.scope, y) for y in Y), lim.limit):
                bad.append(name)
        elif lim.resource == "budget" and inst.budget_mode == "cumulative":
            lhs = sum(use("budget", lim.scope, y) for y in Y if y <= lim.year)
            rhs = sum(
                m.limit
                for m in inst.limits
                if m.resource == "budget" and m.scope == lim.scope and m.year is not None and m.year <= lim.year
            )
            if not _le(lhs, rhs):
                bad.append(name)
        elif not _le(use(lim.resource, lim.scope, lim.year), lim.limit):
            bad.append(name)

    # precedence: q requires p, finish-to-start: p selected and t_p + d_p <= t_q
    by_id = {p.id: p for p in P}
    for q, p in inst.deps:
        tq, tp = a.get(q), a.get(p)
        if tq is not None and (tp is None or tp + by_id[p].d > tq):
            bad.append(f"precedence[{q},{p}]")

    groups: dict[str, int] = {}
    for p in P:
        if p.group is not None and a.get(p.id) is not None:
            groups[p.group] = groups.get(p.group, 0) + 1
    bad += [f"exclusive[{g}]" for g, n in groups.items() if n > 1]

    total = sum(use("budget", ALL, y) for y in Y)
    for c in inst.cities:
        spent = sum(use("budget", c, y) for y in Y)
        if c in inst.min_share and not _le(inst.min_share[c] * total, spent):
            bad.append(f"city_share[{c}] min")
        if c in inst.max_share and not _le(spent, inst.max_share[c] * total):
            bad.append(f"city_share[{c}] max")

    for c, bound in inst.min_attainment.items():
        rows = [r for r in inst.rows if r.capped and r.scope == c]
        if not rows:
            continue
        att = sum(r.weight * min(1.0, _progress(inst, a, r) / r.delta) for r in rows)
        if not _le(bound * sum(r.weight for r in rows), att):
            bad.append(f"city_attainment[{c}]")

    for k, m in inst.task_min.items():
        n = sum(1 for p in P if p.task == k and a.get(p.id) is not None)
        if n < m:
            bad.append(f"task_minimum[{k}]")
    return bad


def _score(inst: Instance, a: dict) -> float:
    total = 0.0
    for r in inst.rows:
        ratio = _progress(inst, a, r) / r.delta
        if r.capped:
            value = min(1.0, ratio) + inst.rho * max(0.0, ratio - 1.0)
        else:
            value = ratio
        total += inst.omega(r.scope) * r.weight * value
    return total


def is_feasible(meta: dict, tables: dict, scenario: dict | None, assignment: dict) -> bool:
    return not violations(meta, tables, scenario, assignment)


def score(meta: dict, tables: dict, scenario: dict | None, assignment: dict) -> float:
    """Objective of MODEL.md for one assignment (feasibility is not checked)."""
    return _score(build_instance(meta, tables, scenario), _norm(assignment))


def total_cost(meta: dict, tables: dict, scenario: dict | None, assignment: dict) -> float:
    inst = build_instance(meta, tables, scenario)
    a = _norm(assignment)
    return sum(p.cost for p in inst.projects if a.get(p.id) is not None)


def attainment_index(meta: dict, tables: dict, scenario: dict | None, assignment: dict) -> float | None:
    inst = build_instance(meta, tables, scenario)
    a = _norm(assignment)
    rows = [r for r in inst.rows if r.capped]
    if not rows:
        return None
    num = sum(r.weight * min(1.0, max(0.0, _progress(inst, a, r) / r.delta)) for r in rows)
    return 100.0 * num / sum(r.weight for r in rows)


# --------------------------------------------------------------------------- enumeration, vectorised


@dataclass
class Oracle:
    feasible: bool
    best: float | None  # best score
    min_cost: float | None  # least total cost among portfolios with the best score
    n_optimal: int  # feasible portfolios with the best score
    assignment: dict | None  # one optimal portfolio (the cheapest)
    n_assignments: int  # assignments enumerated (before pruning)
    n_feasible: int


def count_assignments(meta: dict, tables: dict, scenario: dict | None) -> int:
    inst = build_instance(meta, tables, scenario)
    return math.prod(len(_options(p)) for p in inst.projects)


def _options(p: Project) -> list[int | None]:
    if p.status == "excluded":
        return [None]
    if p.status in ("committed", "mandatory"):
        return list(p.starts)
    return [None, *p.starts]


class _Features:
    """Column layout of the per-option feature vectors (all linear in x)."""

    def __init__(self, inst: Instance):
        self.cols: dict[tuple, int] = {}
        for res in (*RESOURCES, *inst.sources):
            for s in inst.scopes:
                for y in inst.years:
                    self._add((res, s, y))
        for j in range(len(inst.rows)):
            self._add(("g", j))
        self._add(("cost",))
        for k in {p.task for p in inst.projects if p.task is not None}:
            self._add(("task", k))
        for g in {p.group for p in inst.projects if p.group is not None}:
            self._add(("group", g))

    def _add(self, key: tuple) -> None:
        self.cols[key] = len(self.cols)

    def __getitem__(self, key: tuple) -> int:
        return self.cols[key]

    def __len__(self) -> int:
        return len(self.cols)


def _option_vector(inst: Instance, F: _Features, p: Project, t: int | None) -> np.ndarray:
    v = np.zeros(len(F))
    if t is None:
        return v
    for s in inst.scopes:
        sig = p.sigma(s)
        for y in inst.years:
            v[F["budget", s, y]] = sig * _spend(p, t, y)
            v[F["land", s, y]] = sig * p.land * (t == y)
            v[F["energy", s, y]] = sig * p.energy * _operating(p, t, y)
            for f in inst.sources:
                v[F[f, s, y]] = sig * p.spends(f) * _spend(p, t, y)
    kap = _kappa(inst, p, t)
    for j, r in enumerate(inst.rows):
        v[F["g", j]] = p.contrib.get(r.indicator, 0.0) * p.sigma(r.scope) * kap
    v[F["cost",]] = p.cost
    if p.task is not None:
        v[F["task", p.task]] = 1
    if p.group is not None:
        v[F["group", p.group]] = 1
    return v


def _le_vec(lhs: np.ndarray, rhs: float) -> np.ndarray:
    return lhs <= rhs + FEAS_TOL * max(1.0, abs(rhs))


def _monotone_checks(inst: Instance, F: _Features) -> list[tuple[list[int], float]]:
    """(columns whose sum must stay <= limit): every upper bound on sums of
    non-negative terms, so a partial assignment that breaks one can be pruned."""
    checks = []
    Y = inst.years
    for lim in inst.limits:
        if lim.resource == "energy":
            for y in Y if lim.year is None else [lim.year]:
                checks.append(([F["energy", lim.scope, y]], lim.limit))
        elif lim.year is None:
            checks.append(([F[lim.resource, lim.scope, y] for y in Y], lim.limit))
        elif lim.resource == "budget" and inst.budget_mode == "cumulative":
            rhs = sum(
                m.limit
                for m in inst.limits
                if m.resource == "budget" and m.scope == lim.scope and m.year is not None and m.year <= lim.year
            )
            checks.append(([F["budget", lim.scope, y] for y in Y if y <= lim.year], rhs))
        else:
            checks.append(([F[lim.resource, lim.scope, lim.year]], lim.limit))
    for key, col in F.cols.items():
        if key[0] == "group":
            checks.append(([col], 1.0))
    return checks


def _enumerate(inst: Instance, prune: bool = True):
    """All assignments passing one_start (and, with ``prune``, the monotone families):
    returns (totals[N, F], starts[N, n_projects], features, n_enumerated)."""
    F = _Features(inst)
    checks = _monotone_checks(inst, F) if prune else []
    assert all(p.profile[k] >= 0 for p in inst.projects for k in range(p.d))
    totals = np.zeros((1, len(F)))
    starts = np.zeros((1, 0), dtype=np.int64)
    n_enum = 1
    for p in inst.projects:
        opts = _options(p)
        n_enum *= len(opts)
        vecs = np.array([_option_vector(inst, F, p, t) for t in opts]).reshape(len(opts), len(F))
        sv = np.array([NOT_SELECTED if t is None else t for t in opts], dtype=np.int64)
        n, m = len(totals), len(opts)
        totals = (totals[:, None, :] + vecs[None, :, :]).reshape(n * m, len(F))
        starts = np.concatenate([np.repeat(starts, m, axis=0), np.tile(sv, n)[:, None]], axis=1)
        keep = np.ones(len(totals), dtype=bool)
        for cols, rhs in checks:
            keep &= _le_vec(totals[:, cols].sum(axis=1), rhs)
        totals, starts = totals[keep], starts[keep]
    return totals, starts, F, n_enum


def _as_assignment(inst: Instance, starts_row: np.ndarray) -> dict:
    return {p.id: (None if starts_row[j] == NOT_SELECTED else int(starts_row[j])) for j, p in enumerate(inst.projects)}


def _feasible_mask(inst: Instance, totals: np.ndarray, starts: np.ndarray, F: _Features) -> np.ndarray:
    ok = np.ones(len(totals), dtype=bool)
    for cols, rhs in _monotone_checks(inst, F):
        ok &= _le_vec(totals[:, cols].sum(axis=1), rhs)
    idx = {p.id: j for j, p in enumerate(inst.projects)}
    d = {p.id: p.d for p in inst.projects}
    for q, p in inst.deps:
        tq, tp = starts[:, idx[q]], starts[:, idx[p]]
        q_on = tq != NOT_SELECTED
        p_ok = (tp != NOT_SELECTED) & (tp + d[p] <= tq)
        ok &= ~q_on | p_ok
    Y = inst.years
    total = totals[:, [F["budget", ALL, y] for y in Y]].sum(axis=1)
    for c in inst.cities:
        spent = totals[:, [F["budget", c, y] for y in Y]].sum(axis=1)
        if c in inst.min_share:
            rhs = inst.min_share[c] * total
            ok &= spent >= rhs - FEAS_TOL * np.maximum(1.0, np.abs(rhs))
        if c in inst.max_share:
            rhs = inst.max_share[c] * total
            ok &= spent <= rhs + FEAS_TOL * np.maximum(1.0, np.abs(rhs))
    for c, bound in inst.min_attainment.items():
        js = [j for j, r in enumerate(inst.rows) if r.capped and r.scope == c]
        if not js:
            continue
        att = sum(inst.rows[j].weight * np.minimum(1.0, totals[:, F["g", j]] / inst.rows[j].delta) for j in js)
        rhs = bound * sum(inst.rows[j].weight for j in js)
        ok &= att >= rhs - FEAS_TOL * max(1.0, abs(rhs))
    for k, m in inst.task_min.items():
        col = F.cols.get(("task", k))
        n = totals[:, col] if col is not None else np.zeros(len(totals))
        ok &= n >= m - 1e-9
    return ok


def _scores(inst: Instance, totals: np.ndarray, F: _Features) -> np.ndarray:
    out = np.zeros(len(totals))
    for j, r in enumerate(inst.rows):
        ratio = totals[:, F["g", j]] / r.delta
        if r.capped:
            value = np.minimum(1.0, ratio) + inst.rho * np.maximum(0.0, ratio - 1.0)
        else:
            value = ratio
        out += inst.omega(r.scope) * r.weight * value
    return out


def enumerate_optimum(meta: dict, tables: dict, scenario: dict | None) -> Oracle:
    inst = build_instance(meta, tables, scenario)
    totals, starts, F, n_enum = _enumerate(inst)
    ok = _feasible_mask(inst, totals, starts, F)
    n_feas = int(ok.sum())
    if n_feas == 0:
        return Oracle(False, None, None, 0, None, n_enum, 0)
    totals, starts = totals[ok], starts[ok]
    sc = _scores(inst, totals, F)
    best = float(sc.max())
    opt = sc >= best - TIE_TOL * max(1.0, abs(best))
    cost = totals[:, F["cost",]]
    i = int(np.flatnonzero(opt)[np.argmin(cost[opt])])
    return Oracle(True, best, float(cost[i]), int(opt.sum()), _as_assignment(inst, starts[i]), n_enum, n_feas)


def enumerate_all(meta: dict, tables: dict, scenario: dict | None) -> list[tuple[dict, bool, float]]:
    """For self-checks: every assignment passing one_start (no pruning) with its
    vectorised feasibility and score, as (assignment, feasible, score)."""
    inst = build_instance(meta, tables, scenario)
    totals, starts, F, _ = _enumerate(inst, prune=False)
    ok = _feasible_mask(inst, totals, starts, F)
    sc = _scores(inst, totals, F)
    return [(_as_assignment(inst, starts[i]), bool(ok[i]), float(sc[i])) for i in range(len(totals))]
