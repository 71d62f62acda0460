"""One function per constraint family of MODEL.md, under MODEL.md's names.

Each family takes its terms from sparse DataFrames of the Instance (feasible
tuples only), groups them once with pandas, and builds each row as one
LinearExpression, so that building stays linear in the number of nonzeros.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.core as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from ..data.instance import Instance, horizon_spending, own_targets, resource_rows
from ..data.meta import BUILTIN_RESOURCES


def linear_rows(terms: pd.DataFrame, keys: list[str], variables: list) -> dict[tuple, LinearExpression]:
    """Group `terms` (keys..., pos, coef) into one LinearExpression per key; `pos` indexes `variables`.

    Repeated (key, pos) pairs are summed first so that no row names a variable twice.
    """
    if terms.empty:
        return {}
    agg = terms.groupby(keys + ["pos"], sort=True, dropna=False)["coef"].sum().reset_index()
    agg = agg[agg["coef"] != 0]
    if agg.empty:
        return {}
    key_frame = agg[keys]
    change = np.ones(len(agg), dtype=bool)
    change[1:] = (key_frame.iloc[1:].to_numpy() != key_frame.iloc[:-1].to_numpy()).any(axis=1)
    bounds = np.flatnonzero(change).tolist() + [len(agg)]
    pos = agg["pos"].to_numpy()
    coef = agg["coef"].to_numpy().tolist()
    key_rows = list(key_frame.iloc[bounds[:-1]].itertuples(index=False, name=None))
    out = {}
    for key, a, b in zip(key_rows, bounds[:-1], bounds[1:]):
        out[key] = LinearExpression(constant=0, linear_coefs=coef[a:b], linear_vars=[variables[i] for i in pos[a:b]])
    return out


def _constraint(m: pyo.ConcreteModel, name: str, rows: dict, doc: str) -> None:
    """Attach an indexed Constraint built from ready relational expressions."""
    if not rows:
        return
    index = list(rows)
    dimen = len(index[0]) if isinstance(index[0], tuple) else 1
    m.add_component(name + "_index", pyo.Set(initialize=index, dimen=dimen, ordered=True))
    m.add_component(
        name, pyo.Constraint(getattr(m, name + "_index"), rule=lambda _m, *k: rows[k if dimen > 1 else k[0]], doc=doc)
    )


def define_one_start(m, inst: Instance) -> None:
    """one_start[p]: Σ_t x[p,t] ≤ 1; = 1 for mandatory and committed projects."""
    terms = inst.starts[["p"]].assign(pos=np.arange(len(inst.starts)), coef=1.0)
    exprs = linear_rows(terms, ["p"], m._x)
    must = set(inst.projects.index[inst.projects["status"].isin(["mandatory", "committed"])])
    if m._mutable:
        # sweeps force projects in or out by moving these bounds: [1, 1] in, [0, 0] out
        keys = [k[0] for k in exprs]
        m.start_min = pyo.Param(keys, mutable=True, initialize={p: 1.0 if p in must else 0.0 for p in keys})
        m.start_max = pyo.Param(keys, mutable=True, initialize=1.0)
        rows = {k[0]: pyo.inequality(m.start_min[k[0]], e, m.start_max[k[0]]) for k, e in exprs.items()}
    else:
        rows = {k[0]: (e == 1 if k[0] in must else e <= 1) for k, e in exprs.items()}
    _constraint(m, "one_start", rows, define_one_start.__doc__)


def define_resource(m, inst: Instance, resource: str, name: str, doc: str, cumulative: bool = False) -> None:
    terms, rhs = resource_rows(inst, resource, cumulative)
    if rhs.empty:
        return
    exprs = linear_rows(terms, ["scope", "year"], m._x)
    rows = {}
    for scope, year, limit in rhs.itertuples(index=False):
        e = exprs.get((scope, year))
        if e is not None:  # a row nothing can use is always satisfied
            # keyed by the resource's own name (a payer named 国企出资 has a component of another name)
            rows[(scope, year)] = e <= (_limit_param(m, resource, scope, year, limit) if m._mutable else float(limit))
    _constraint(m, name, rows, doc)
    if rows:
        m.__dict__.setdefault("_resource_components", {})[resource] = name


def resource_component(m, resource: str):
    """The Constraint holding a resource's limit rows, or None: found by the resource's name,
    not by attribute (a payer may be named soe-equity, or exclusive, which is a family of its own)."""
    name = m.__dict__.get("_resource_components", {}).get(resource)
    return getattr(m, name) if name else None


def _limit_param(m, family: str, scope: str, year, limit: float):
    """A mutable right-hand side, so that sweeps change limits without rebuilding."""
    if not hasattr(m, "limit_value"):
        m.LIMIT_ROWS = pyo.Set(dimen=3, ordered=True)
        m.limit_value = pyo.Param(m.LIMIT_ROWS, mutable=True, within=pyo.Reals)
    m.LIMIT_ROWS.add((family, scope, year))
    m.limit_value[family, scope, year] = float(limit)
    return m.limit_value[family, scope, year]


def define_budget(m, inst: Instance) -> None:
    """budget[c,y]: Σ_p σ[p,c]·s[p,y] ≤ B[c,y]; blank year: over the horizon; cumulative mode: Σ_{y'≤y} spend ≤ Σ_{y'≤y} B."""
    define_resource(m, inst, "budget", "budget", define_budget.__doc__, inst.scenario.budget_mode == "cumulative")


def define_land(m, inst: Instance) -> None:
    """land[c,y]: Σ_p σ[p,c]·λ[p]·x[p,y] ≤ Λ[c,y]; blank year: over the horizon."""
    define_resource(m, inst, "land", "land", define_land.__doc__)


def define_energy(m, inst: Instance) -> None:
    """energy[c,y]: Σ_p σ[p,c]·ε[p]·o[p,y] ≤ E[c,y]; blank year: in every year."""
    define_resource(m, inst, "energy", "energy", define_energy.__doc__)


def define_extra_resources(m, inst: Instance) -> None:
    """Resources a dataset adds (dataset.yaml `resources`) and its funding sources (one family per
    source: Σ_p σ[p,c]·f[p,source]·s[p,y] ≤ F[source,c,y]): the same rows as budget/land/energy by timing."""
    # Components are named resource_<name>: a payer may be called like a family or a variable
    # of the model (exclusive, progress) or be no Python name at all (soe-equity: resource_<k>,
    # digits, which no identifier can end up as); resource_component finds them by name.
    for k, name in enumerate(inst.dataset.resources):
        if name in BUILTIN_RESOURCES:
            continue
        comp = f"resource_{name}" if name.isidentifier() else f"resource_{k}"
        define_resource(m, inst, name, comp, f"{name}[c,y]: usage by timing ≤ limit")


def define_precedence(m, inst: Instance) -> None:
    """precedence[q,p,y]: Σ_{t≤y} x[q,t] ≤ Σ_{t≤y−d_p} x[p,t] (q requires p, finish-to-start).

    Rows are needed only at q's own start years: the left side changes only there
    and the right side never falls as y grows, so these rows imply all others.
    """
    dep = inst.dependencies
    if dep.empty:
        return
    s = inst.starts[["p", "t"]].assign(pos=np.arange(len(inst.starts)))
    d = inst.projects["duration"]
    qs = dep[["q", "p"]].merge(s.rename(columns={"p": "q", "t": "y"})[["q", "y"]], on="q")
    lhs = qs.merge(s.rename(columns={"p": "q"}), on="q")
    lhs = lhs[lhs["t"] <= lhs["y"]].assign(coef=1.0)
    rhs = qs.merge(s, on="p")
    rhs = rhs[rhs["t"] <= rhs["y"] - d.reindex(rhs["p"]).to_numpy()].assign(coef=-1.0)
    terms = pd.concat([lhs, rhs], ignore_index=True)
    exprs = linear_rows(terms[["q", "p", "y", "pos", "coef"]], ["q", "p", "y"], m._x)
    _constraint(m, "precedence", {k: e <= 0 for k, e in exprs.items()}, define_precedence.__doc__)


def define_exclusive(m, inst: Instance) -> None:
    """exclusive[g]: Σ_{p∈g} z[p] ≤ 1 for each alternatives group."""
    if not inst.groups:
        return
    member = {p: g for g, ps in inst.groups.items() for p in ps}
    s = inst.starts.assign(pos=np.arange(len(inst.starts)), coef=1.0)
    s = s[s["p"].isin(member)]
    s["g"] = s["p"].map(member)
    exprs = linear_rows(s[["g", "pos", "coef"]], ["g"], m._x)
    _constraint(m, "exclusive", {k[0]: e <= 1 for k, e in exprs.items()}, define_exclusive.__doc__)


def define_city_share(m, inst: Instance) -> None:
    """city_share[c,bound]: min_share·Σ spend ≤ Σ_p σ[p,c]·spend[p] ≤ max_share·Σ spend over the horizon."""
    bal = inst.scenario.balance
    if not (bal.min_city_share or bal.max_city_share):
        return
    hs = horizon_spending(inst)
    total = hs[hs["scope"] == "ALL"].set_index("pos")["coef"]
    rows = {}
    for bound, shares in (("min", bal.min_city_share), ("max", bal.max_city_share)):
        for city, share in shares.items():
            own = hs[hs["scope"] == city].set_index("pos")["coef"].reindex(total.index, fill_value=0.0)
            coef = own - share * total
            terms = pd.DataFrame({"c": city, "pos": coef.index, "coef": coef.to_numpy()})
            e = linear_rows(terms, ["c"], m._x).get((city,))
            if e is not None:  # no spending can move this row: it holds (0 ≥ 0)
                rows[(city, bound)] = e >= 0 if bound == "min" else e <= 0
    _constraint(m, "city_share", rows, define_city_share.__doc__)


def city_floor(m, own, floor: float):
    """Σ_{capped (i,c)} w·u[i,c] ≥ floor·Σ w over a city's own rows (data.instance.own_targets):
    the one expression of a floor on a city's weighted attainment, for the scenario's
    city_attainment rows and for the floors a sweep adds (solve/change.py)."""
    e = LinearExpression(
        constant=0,
        linear_coefs=own["weight"].tolist(),
        linear_vars=[m.progress[i, s] for i, s in zip(own["indicator"], own["scope"])],
    )
    return e >= float(floor) * float(own["weight"].sum())


def define_city_attainment(m, inst: Instance) -> None:
    """city_attainment[c]: Σ_{capped (i,c)} w·u[i,c] ≥ bound·Σ w (weighted attainment of c's own targets)."""
    floor = inst.scenario.balance.attainment_floor(inst.cities)
    if not floor:
        return
    rows = {}
    for city, bound in floor.items():
        own = own_targets(inst.targets, city)
        if own.empty or bound <= 0:
            continue
        rows[city] = city_floor(m, own, bound)
    _constraint(m, "city_attainment", rows, define_city_attainment.__doc__)


def define_task_minimum(m, inst: Instance) -> None:
    """task_minimum[k]: Σ_{p in task k} z[p] ≥ m_k."""
    mins = {k: v for k, v in inst.scenario.task_minimum.items() if v > 0}
    if not mins:
        return
    task = inst.projects["task"]
    s = inst.starts.assign(pos=np.arange(len(inst.starts)), coef=1.0)
    s["k"] = task.reindex(s["p"]).to_numpy()
    s = s[s["k"].isin(mins)]
    exprs = linear_rows(s[["k", "pos", "coef"]], ["k"], m._x)
    rows = {}
    for k, need in mins.items():
        e = exprs.get((k,))
        if e is None:
            m._infeasible_rows.append(
                f"task_minimum[{k}]: needs {need} projects, but no available project has this task"
            )
            continue
        rows[k] = e >= need
    _constraint(m, "task_minimum", rows, define_task_minimum.__doc__)
