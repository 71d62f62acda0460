"""A model built once and re-solved under changes: the engine of every multi-run analysis.

A Session builds the model with mutable Params (limits, project bounds, target
weights) and keeps one persistent HiGHS instance. Each `run(change)` applies a
Change, solves from a clean solver state (so the answer does not depend on which
runs came before: identical on every executor), and reverts the change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from ..data.dataset import Dataset, resolve_scenario
from ..data.instance import HORIZON, Instance, build_instance, resource_rows
from ..data.scenario import Scenario
from ..result import Result, assemble
from ..solve import ModelSolver, SolveOutcome, Status

LimitKey = tuple[str, str, Any]  # (resource, scope, year or None for a whole-horizon row)


@dataclass(frozen=True)
class Change:
    """What one run changes relative to the base scenario. Empty: the base case."""

    label: str = ""
    #: new values of limit rows, keyed like limits.csv: (resource, scope, year or None)
    limits: dict[LimitKey, float] = field(default_factory=dict)
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()
    #: rows to drop, e.g. ("city_share", ("湖州", "min")) or ("task_minimum", "社会治理一体化")
    drop: tuple[tuple[str, Any], ...] = ()
    #: objective weight (ω·w) of target rows, keyed (indicator, scope); others keep theirs
    weights: dict[tuple[str, str], float] = field(default_factory=dict)
    #: city -> floor on the weighted attainment (0..1) of the city's own capped targets
    floors: dict[str, float] = field(default_factory=dict)
    tie_break: bool = False
    time_limit: float | None = None
    #: extra information the caller wants back with the result
    tag: Any = None


class Session:
    def __init__(self, dataset: Dataset, scenario: Scenario | dict | str | None = None):
        from ..model.build import build_model

        t0 = time.perf_counter()
        self.dataset = dataset
        self.scenario = resolve_scenario(dataset, scenario)
        self.inst: Instance = build_instance(dataset, self.scenario)
        self.model = build_model(self.inst, mutable=True)
        self.build_seconds = time.perf_counter() - t0
        self.solver = ModelSolver(self.model, self.inst)
        m = self.model
        self._weights = {k: pyo.value(m.target_weight[k]) for k in m.TARGETS} if hasattr(m, "target_weight") else {}
        self._must = {p: pyo.value(m.start_min[p]) for p in m.start_min} if hasattr(m, "start_min") else {}

    # -- what can be changed -------------------------------------------------------------
    @property
    def limits(self) -> pd.DataFrame:
        """The base limit rows after the scenario: resource, scope, year (<NA>: horizon), limit."""
        return self.inst.limits[["resource", "scope", "year", "limit"]].copy()

    def scaled(self, resource: str, factor: float, scope: str | None = None) -> dict[LimitKey, float]:
        """Limit changes that scale every row of a resource (of one scope, if given)."""
        lim = self.limits
        lim = lim[(lim["resource"] == resource) & ((lim["scope"] == scope) if scope else True)]
        return {(r, s, None if pd.isna(y) else int(y)): float(v) * factor for r, s, y, v in lim.itertuples(index=False)}

    # -- running ---------------------------------------------------------------------------
    def run(self, change: Change | None = None, warm_start: np.ndarray | None = None) -> Result:
        change = change or Change()
        m, opt = self.model, self.solver.opt
        inst = self._instance_with(change.limits)
        undo: list = []
        try:
            bad = self._apply(change, inst, undo)
            settings = self.scenario.solver.model_copy(
                update={
                    "tie_break": change.tie_break,
                    **({"time_limit": change.time_limit} if change.time_limit else {}),
                }
            )
            if bad:
                outcome = SolveOutcome(Status.INFEASIBLE, None, None, None, None, infeasible_rows=bad)
            else:
                outcome = self.solver.solve(settings, warm_start=warm_start, fresh=True)
        finally:
            for step in reversed(undo):
                step()
            if m._mutable:
                opt.update_parameters()
        res = assemble(inst, outcome, build_seconds=self.build_seconds, timings={})
        res.scenario = {**res.scenario, "change": change.label}
        return res

    def _instance_with(self, limits: dict[LimitKey, float]) -> Instance:
        if not limits:
            return self.inst
        lim = self.inst.limits.copy()
        key = list(zip(lim["resource"], lim["scope"], [None if pd.isna(y) else int(y) for y in lim["year"]]))
        lim["limit"] = [limits.get(k, v) for k, v in zip(key, lim["limit"])]
        return replace(self.inst, limits=lim)

    def _apply(self, change: Change, inst: Instance, undo: list) -> list[str]:
        m, opt = self.model, self.solver.opt
        problems = []
        if change.limits and hasattr(m, "limit_value"):
            for resource in self.dataset.resources:
                cumulative = resource == "budget" and self.scenario.budget_mode == "cumulative"
                family = resource if hasattr(m, resource) else None
                if family is None:
                    continue
                _, rhs = resource_rows(inst, resource, cumulative)
                for scope, year, limit in rhs.itertuples(index=False):
                    k = (family, scope, year)
                    if k in m.limit_value:
                        old = pyo.value(m.limit_value[k])
                        if old != limit:
                            m.limit_value[k] = float(limit)
                            undo.append(lambda k=k, old=old: m.limit_value.__setitem__(k, old))
        for pid in change.force_in:
            if pid not in self._must:
                problems.append(f"{pid} cannot be forced in: {self.inst.unavailable.get(pid, 'unknown project')}")
                continue
            old = pyo.value(m.start_min[pid])
            m.start_min[pid] = 1.0
            undo.append(lambda p=pid, o=old: m.start_min.__setitem__(p, o))
        for pid in change.force_out:
            if pid not in self._must:
                continue
            if pid in self.inst.projects.index and self.inst.projects.at[pid, "status"] == "committed":
                problems.append(f"{pid} is committed (under construction) and cannot be forced out")
                continue
            old_min = pyo.value(m.start_min[pid])
            m.start_min[pid] = 0.0
            m.start_max[pid] = 0.0
            undo.append(lambda p=pid, o=old_min: (m.start_min.__setitem__(p, o), m.start_max.__setitem__(p, 1.0)))
        for k, w in change.weights.items():
            old = self._weights[k]
            m.target_weight[k] = float(w)
            undo.append(lambda k=k, o=old: m.target_weight.__setitem__(k, o))
        for family, index in change.drop:
            comp = getattr(m, family, None)
            if comp is None or index not in comp:
                continue
            con = comp[index]
            opt.remove_constraints([con])
            con.deactivate()
            undo.append(lambda con=con: (con.activate(), opt.add_constraints([con])))
        for city, floor in change.floors.items():
            t = self.inst.targets
            own = t[(t["scope"] == city) & t["capped"] & (t["weight"] > 0)]
            if own.empty:
                continue
            name = f"floor_{len(undo)}"
            expr = sum(w * m.progress[i, s] for i, s, w in zip(own["indicator"], own["scope"], own["weight"]))
            m.add_component(name, pyo.Constraint(expr=expr >= float(floor) * float(own["weight"].sum())))
            con = getattr(m, name)
            opt.add_constraints([con])
            undo.append(lambda con=con, name=name: (opt.remove_constraints([con]), m.del_component(name)))
        return problems


def base_result(session: Session) -> Result:
    """The scenario itself, with the cost tie-break: the reference every change is measured from."""
    return session.run(Change(label="base", tie_break=session.scenario.solver.tie_break))


def horizon_label(year) -> str:
    return "horizon" if year is None or year == HORIZON or (not isinstance(year, str) and pd.isna(year)) else str(year)


def starts_of(result: Result) -> dict[str, int]:
    """Chosen start year per project of a result."""
    p = result.portfolio
    p = p[p["selected"]]
    return dict(zip(p["id"], p["start"].astype(int)))


def x_from_starts(inst: Instance, starts: dict[str, int]) -> np.ndarray:
    """The 0/1 start vector (aligned with inst.starts) of a portfolio, for warm starts."""
    return np.array([starts.get(p) == t for p, t in zip(inst.starts["p"], inst.starts["t"])], dtype=bool)
