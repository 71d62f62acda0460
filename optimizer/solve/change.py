"""A Change to a loaded model, and how it is applied to the model and its HiGHS instance, then undone.

Sweeps and the browser workbench re-solve one model under many changes: new limit values,
projects forced in or out, rows dropped, target weights, floors on a city's attainment.
Limits, project bounds and weights are mutable Params (model/build.py with mutable=True),
so a change is a few parameter updates; dropped rows and floors are removed and added on
the persistent HiGHS instance itself. `apply` returns what would undo it, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import pyomo.core as pyo

from ..data.instance import Instance, own_targets, resource_rows
from ..model.constraints import city_floor

LimitKey = tuple[str, str, Any]  # (resource, scope, year or None for a whole-horizon row)


@dataclass(frozen=True)
class Change:
    """What one run changes relative to the base scenario. Empty: the base case, as a sweep point
    (no cost tie-break unless asked: a sweep compares scores)."""

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


def with_limits(inst: Instance, limits: dict[LimitKey, float]) -> Instance:
    """The instance with some limit rows set to new values (what results are measured against)."""
    if not limits:
        return inst
    lim = inst.limits.copy()
    key = list(zip(lim["resource"], lim["scope"], [None if pd.isna(y) else int(y) for y in lim["year"]]))
    lim["limit"] = [limits.get(k, v) for k, v in zip(key, lim["limit"])]
    return replace(inst, limits=lim)


class ChangeTarget:
    """One mutable model in its persistent HiGHS instance, as a Change sees it."""

    def __init__(self, m: pyo.ConcreteModel, opt, inst: Instance):
        self.m, self.opt, self.inst = m, opt, inst
        self.weights = {k: pyo.value(m.target_weight[k]) for k in m.TARGETS} if hasattr(m, "target_weight") else {}
        self.bounded = {p: pyo.value(m.start_min[p]) for p in m.start_min} if hasattr(m, "start_min") else {}
        self._floors = 0

    def knows(self, pid: str) -> bool:
        """Whether the project has a start row here (an unavailable project has none)."""
        return pid in self.bounded

    def apply(self, change: Change, inst: Instance) -> tuple[list[str], list[Callable[[], Any]]]:
        """Apply the change; (problems that make it infeasible as asked, undo steps).

        `inst` is this model's instance with the change's limits (with_limits); keys that are
        not in this model (another block's city, say) are left to the model that has them."""
        m, opt = self.m, self.opt
        problems: list[str] = []
        undo: list[Callable[[], Any]] = []
        if change.limits and hasattr(m, "limit_value"):
            self._limits(inst, undo)
        for pid in change.force_in:
            if pid not in self.bounded:
                continue
            old = pyo.value(m.start_min[pid])
            m.start_min[pid] = 1.0
            undo.append(lambda p=pid, o=old: m.start_min.__setitem__(p, o))
        for pid in change.force_out:
            if pid not in self.bounded:
                continue
            if pid in self.inst.projects.index and self.inst.projects.at[pid, "status"] == "committed":
                problems.append(f"{pid} is committed (under construction) and cannot be forced out")
                continue
            old_min = pyo.value(m.start_min[pid])
            m.start_min[pid] = 0.0
            m.start_max[pid] = 0.0
            undo.append(lambda p=pid, o=old_min: (m.start_min.__setitem__(p, o), m.start_max.__setitem__(p, 1.0)))
        for k, w in change.weights.items():
            if k not in self.weights:
                continue
            m.target_weight[k] = float(w)
            undo.append(lambda k=k, o=self.weights[k]: m.target_weight.__setitem__(k, o))
        for family, index in change.drop:
            comp = getattr(m, family, None)
            if comp is None or index not in comp:
                continue
            con = comp[index]
            opt.remove_constraints([con])
            con.deactivate()
            undo.append(lambda con=con: (con.activate(), opt.add_constraints([con])))
        for city, floor in change.floors.items():
            own = own_targets(self.inst.targets, city)
            if own.empty or city not in self.inst.cities:
                continue
            self._floors += 1
            name = f"floor_{self._floors}"
            m.add_component(name, pyo.Constraint(expr=city_floor(m, own, floor)))
            con = getattr(m, name)
            opt.add_constraints([con])
            undo.append(lambda con=con, name=name: (opt.remove_constraints([con]), m.del_component(name)))
        return problems, undo

    def _limits(self, inst: Instance, undo: list) -> None:
        m = self.m
        cumulative_budget = inst.scenario.budget_mode == "cumulative"
        if not hasattr(m, "limit_value"):
            return
        for resource in inst.dataset.resources:
            _, rhs = resource_rows(inst, resource, resource == "budget" and cumulative_budget)
            for scope, year, limit in rhs.itertuples(index=False):
                k = (resource, scope, year)
                if k in m.limit_value:
                    old = pyo.value(m.limit_value[k])
                    if old != limit:
                        m.limit_value[k] = float(limit)
                        undo.append(lambda k=k, old=old: m.limit_value.__setitem__(k, old))

    def revert(self, undo: list[Callable[[], Any]]) -> None:
        """Undo in reverse order, then push the restored parameters to HiGHS."""
        for step in reversed(undo):
            step()
        if self.m._mutable:
            self.opt.update_parameters()
