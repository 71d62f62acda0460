"""build_model(): the Pyomo model of MODEL.md from an Instance.

Sets are UPPER, variables lower-case nouns; each constraint family is one
function in constraints.py named after MODEL.md.
"""

from __future__ import annotations

import gc

import numpy as np
import pyomo.core as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from ..data.instance import Instance
from . import constraints as c

FAMILIES = (
    c.define_one_start,
    c.define_budget,
    c.define_land,
    c.define_energy,
    c.define_extra_resources,
    c.define_precedence,
    c.define_exclusive,
    c.define_city_share,
    c.define_city_attainment,
    c.define_task_minimum,
)


def define_variables(m: pyo.ConcreteModel, inst: Instance) -> None:
    starts = list(zip(inst.starts["p"], inst.starts["t"].astype(int)))
    m.PROJECT_STARTS = pyo.Set(initialize=starts, dimen=2, ordered=True, doc="(project, allowed start year)")
    m.start = pyo.Var(m.PROJECT_STARTS, domain=pyo.Binary, doc="x[p,t] = 1: project p starts in year t")
    m._x = [m.start[k] for k in starts]  # position-aligned with inst.starts
    t = inst.targets
    keys = list(zip(t["indicator"], t["scope"]))
    m.TARGETS = pyo.Set(initialize=keys, dimen=2, ordered=True, doc="(indicator, scope) target rows")
    capped = dict(zip(keys, t["capped"]))
    m.progress = pyo.Var(
        m.TARGETS,
        bounds=lambda _m, i, s: (None, 1.0 if capped[i, s] else None),
        doc="u: progress toward the target, capped at 1 (share of the gap Δ)",
    )
    m.CAPPED = pyo.Set(initialize=[k for k in keys if capped[k]], dimen=2, ordered=True)
    m.overshoot = pyo.Var(m.CAPPED, domain=pyo.NonNegativeReals, doc="v: progress past the target")


def define_objective(m: pyo.ConcreteModel, inst: Instance) -> None:
    """target_progress[i,s]: u + v = g/Δ = Σ b·σ·κ/Δ·x;  score = Σ ω·w·(u + ρ·v)."""
    t = inst.targets
    keys = list(zip(t["indicator"], t["scope"]))
    index = {k: n for n, k in enumerate(keys)}
    terms = inst.progress.assign(
        row=[index[k] for k in zip(inst.progress["indicator"], inst.progress["scope"])],
        pos=np.nan,
    )
    pos_of = {k: n for n, k in enumerate(zip(inst.starts["p"], inst.starts["t"]))}
    terms["pos"] = [pos_of[k] for k in zip(terms["p"], terms["t"])]
    if inst.scenario.overshoot_weight == 0 and inst.scenario.solver.strengthen:
        terms["coef"] = _strengthen(terms, dict(zip(range(len(keys)), t["capped"])))
    terms["coef"] = -terms["coef"]
    exprs = c.linear_rows(terms[["row", "pos", "coef"]].astype({"pos": int}), ["row"], m._x)
    rows = {}
    for n, (i, s) in enumerate(keys):
        lhs = m.progress[i, s] + (m.overshoot[i, s] if (i, s) in m.CAPPED else 0)
        e = exprs.get((n,))
        rows[(i, s)] = (lhs + e == 0) if e is not None else (lhs == 0)
    c._constraint(m, "target_progress", rows, define_objective.__doc__)
    rho = inst.scenario.overshoot_weight
    weight = {k: float(w * omega) for k, w, omega in zip(keys, t["weight"], t["omega"])}
    if m._mutable:  # sweeps re-weight target rows (e.g. one city against the rest)
        m.target_weight = pyo.Param(m.TARGETS, mutable=True, initialize=weight, within=pyo.Reals)
    coefs, variables = [], []
    for (i, s), cap in zip(keys, t["capped"]):
        if weight[i, s] == 0 and not m._mutable:
            continue
        w = m.target_weight[i, s] if m._mutable else weight[i, s]
        coefs.append(w)
        variables.append(m.progress[i, s])
        if cap and rho > 0:
            coefs.append(w * rho)
            variables.append(m.overshoot[i, s])
    m.score_expr = pyo.Expression(expr=LinearExpression(constant=0, linear_coefs=coefs, linear_vars=variables))
    m.score = pyo.Objective(expr=m.score_expr, sense=pyo.maximize, doc="Σ ω·w·(u + ρ·v)")


def _strengthen(terms, capped: dict[int, bool]):
    """Clip the coefficients of capped target rows at 1 where that is exact.

    With ρ = 0 only u = min(1, Σ c·x) counts. If a row's coefficients are all
    non-negative, min(1, Σ min(c, 1)·x) equals it for every 0/1 x (a term that reaches
    the cap alone still reaches it; smaller terms are unchanged), so the integer optimum
    is the same, while the LP relaxation can no longer spread one big term over many
    fractional starts. Rows with any negative coefficient are left as they are.
    """
    coef = terms["coef"]
    row_min = coef.groupby(terms["row"]).transform("min")
    clip = terms["row"].map(capped).astype(bool) & (row_min >= 0)
    return coef.where(~clip, coef.clip(upper=1.0))


def build_model(inst: Instance, mutable: bool = False) -> pyo.ConcreteModel:
    """The model of MODEL.md. With `mutable`, limits, project bounds and target weights
    are mutable Params, so that a sweep changes them and re-solves without rebuilding."""
    # Building creates ~10^5 small expression objects and no cycles; the cyclic garbage
    # collector would rescan them over and over, so it is paused while building.
    paused = gc.isenabled()
    gc.disable()
    try:
        m = pyo.ConcreteModel(name=inst.dataset.name)
        m._infeasible_rows = []
        m._mutable = mutable
        define_variables(m, inst)
        for family in FAMILIES:
            if family is not c.define_city_attainment:
                family(m, inst)
        define_objective(m, inst)
        c.define_city_attainment(m, inst)
        return m
    finally:
        if paused:
            gc.enable()
