"""The elastic model: why a scenario is infeasible, in planners' units.

Every limit, balance rule, task minimum, dependency and exclusive group gets a slack
variable; mandatory and committed projects stay fixed demands. Minimising the
weighted relative slack finds the smallest relaxation that makes a portfolio
possible, and each row that needs slack is reported with its shortfall.
"""

from __future__ import annotations

import pandas as pd
import pyomo.core as pyo

from ..data.instance import HORIZON, Instance
from ..model.build import build_model
from ..model.constraints import resource_component
from .control import interruptible, use_threads

#: families that may be relaxed, with how much a unit of relative slack costs: limits
#: first; rules that encode logic (dependencies, alternatives) only as a last resort
RELAXABLE = {
    "budget": 1.0,
    "land": 1.0,
    "energy": 1.0,
    "city_share": 1.0,
    "city_attainment": 1.0,
    "task_minimum": 1.0,
    "precedence": 100.0,
    "exclusive": 100.0,
}


def _families(m: pyo.ConcreteModel, inst: Instance) -> dict[str, float]:
    fams = dict(RELAXABLE)
    for name in inst.dataset.resources:
        if name not in fams and resource_component(m, name) is not None:
            fams[name] = 1.0
    return fams


def diagnose(inst: Instance, time_limit: float = 30.0) -> pd.DataFrame:
    """Rows to relax: family, scope, year, need, limit, short, unit, message.

    The elastic copy is a model of its own (built here), so the model a Session keeps
    loaded is never touched."""
    m = build_model(inst)
    from pyomo.contrib.solver.solvers.highs import Highs

    rows = []
    for family, weight in _families(m, inst).items():
        comp = resource_component(m, family) if family in inst.dataset.resources else getattr(m, family, None)
        if comp is None:
            continue
        for idx, con in comp.items():
            if not con.active:
                continue
            rhs = con.upper if con.has_ub() else con.lower
            rhs = pyo.value(rhs)
            rows.append((family, idx, con, weight / max(1.0, abs(rhs))))
    if not rows:
        return _empty()
    m.ELASTIC = pyo.Set(initialize=range(len(rows)))
    m.elastic_slack = pyo.Var(m.ELASTIC, domain=pyo.NonNegativeReals)
    m.elastic_rows = pyo.ConstraintList()
    for k, (_, _, con, _) in enumerate(rows):
        con.deactivate()
        if con.has_ub():
            m.elastic_rows.add(con.body - m.elastic_slack[k] <= con.upper)
        if con.has_lb():
            m.elastic_rows.add(con.body + m.elastic_slack[k] >= con.lower)
    m.score.deactivate()
    m.elastic_objective = pyo.Objective(
        expr=sum(row[3] * m.elastic_slack[k] for k, row in enumerate(rows)), sense=pyo.minimize
    )
    opt = Highs()
    threads = inst.scenario.solver.threads
    use_threads(threads)
    with interruptible(opt):
        res = opt.solve(
            m, time_limit=time_limit, threads=threads, load_solutions=False, raise_exception_on_nonoptimal_result=False
        )
    if res.incumbent_objective is None:
        return _fixed_demand_conflicts(inst)
    res.solution_loader.load_vars()
    out = []
    units = {k: v.unit or "" for k, v in inst.dataset.resources.items()}
    for k, (family, idx, con, _) in enumerate(rows):
        short = pyo.value(m.elastic_slack[k])
        if short is None or short <= 1e-6 * max(1.0, abs(pyo.value(con.upper if con.has_ub() else con.lower))):
            continue
        limit = pyo.value(con.upper if con.has_ub() else con.lower)
        out.append(_describe(family, idx, limit, short, units, inst))
    return pd.DataFrame(out, columns=_COLUMNS) if out else _fixed_demand_conflicts(inst)


_COLUMNS = ["constraint", "scope", "year", "need", "limit", "short", "unit", "message"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=_COLUMNS)


def _describe(family: str, idx, limit: float, short: float, units: dict, inst: Instance) -> dict:
    idx = idx if isinstance(idx, tuple) else (idx,)
    if family in units:
        scope, year = idx
        unit = units[family]
        when = "over the horizon" if year == HORIZON else str(year)
        if family == "budget" and inst.scenario.budget_mode == "cumulative" and year != HORIZON:
            when = f"up to {year} (cumulative)"
        need = limit + short
        msg = f"{scope} {family} {when}: the fixed demands need at least {need:,.1f} {unit}, limit {limit:,.1f} (short {short:,.1f} {unit})"
        return dict(
            constraint=family,
            scope=scope,
            year=None if year == HORIZON else year,
            need=need,
            limit=limit,
            short=short,
            unit=unit,
            message=msg,
        )
    if family == "task_minimum":
        (task,) = idx
        msg = f"task_minimum {task}: at least {limit:g} projects are required, only {limit - short:g} can go ahead together"
        return dict(
            constraint=family,
            scope=task,
            year=None,
            need=limit,
            limit=limit - short,
            short=short,
            unit="projects",
            message=msg,
        )
    if family == "city_attainment":
        (city,) = idx
        msg = f"city_attainment {city}: the floor cannot be reached with the other rules (short {short:,.3g} weighted target units)"
        return dict(
            constraint=family, scope=city, year=None, need=limit, limit=limit - short, short=short, unit="", message=msg
        )
    if family == "city_share":
        city, bound = idx
        msg = f"city_share {city} ({bound}): the {bound} share of spending cannot be met (off by {short:,.1f} {units.get('budget', '')})"
        return dict(
            constraint=family,
            scope=city,
            year=None,
            need=None,
            limit=None,
            short=short,
            unit=units.get("budget", ""),
            message=msg,
        )
    if family == "exclusive":
        (group,) = idx
        members = inst.groups.get(group, [])
        msg = f"exclusive group {group}: more than one of {', '.join(members)} must go ahead (mandatory, committed or forced in)"
        return dict(
            constraint=family, scope=group, year=None, need=None, limit=1, short=short, unit="projects", message=msg
        )
    if family == "precedence":
        q, p, y = idx
        msg = f"precedence {q} requires {p}: {q} must go ahead but {p} cannot finish before it starts"
        return dict(constraint=family, scope=q, year=y, need=None, limit=None, short=short, unit="", message=msg)
    return dict(
        constraint=family,
        scope=str(idx),
        year=None,
        need=None,
        limit=limit,
        short=short,
        unit="",
        message=f"{family}{list(idx)}: short {short:g}",
    )


def _fixed_demand_conflicts(inst: Instance) -> pd.DataFrame:
    """When even the elastic model fails, the fixed demands alone conflict: say which."""
    return pd.DataFrame(
        [
            dict(
                constraint="one_start",
                scope="",
                year=None,
                need=None,
                limit=None,
                short=None,
                unit="",
                message="mandatory and committed projects cannot all be scheduled (check their start windows)",
            )
        ],
        columns=_COLUMNS,
    )
