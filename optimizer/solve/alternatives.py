"""Near-optimal alternatives on a loaded model: keep the score near the best, move the portfolio.

Modelling to generate alternatives (MGA; the SPORES idea): on the one persistent model, add
a floor on the score and replace the objective by a distance: for each candidate project,
+1 for choosing it where every earlier alternative left it out, +1 for leaving it out where
every earlier one chose it. No-good rows make the new portfolio differ from each earlier one
in at least one project. Committed and mandatory projects keep their rows (always chosen).
Everything added is removed again, so the model serves the next solve as it was.
"""

from __future__ import annotations

import numpy as np
import pyomo.core as pyo
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.core.expr.numeric_expr import LinearExpression

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from .control import _warm_start, interruptible, use_threads
from .highs import _x
from .status import SolveOutcome, Status, relative_gap
from .strategy import WholeModel


def candidates(inst: Instance) -> list[str]:
    """Projects whose selection an alternative may change: available, neither committed nor mandatory."""
    p = inst.projects
    return sorted(p.index[~p["status"].isin(["committed", "mandatory"])])


def near_optimal(
    loaded: WholeModel,
    settings: SolverSettings,
    floor: float,
    prefer: dict[str, int],
    earlier: list[set[str]],
    warm_start: np.ndarray | None = None,
) -> SolveOutcome:
    """Maximise Σ_{prefer +1} z_p + Σ_{prefer −1} (1 − z_p) subject to score ≥ floor and a no-good
    row per earlier selection (sets of candidate ids); `objective` is the distance reached."""
    m, opt, inst = loaded.model, loaded.solver.opt, loaded.inst
    cand = candidates(inst)
    z: dict[str, list] = {p: [] for p in cand}
    for var, p in zip(m._x, inst.starts["p"]):
        if p in z:
            z[p].append(var)

    def linear(coef_of: dict[str, float], constant: float = 0.0) -> LinearExpression:
        coefs, variables = [], []
        for p, c in coef_of.items():
            if c:
                coefs += [c] * len(z[p])
                variables += z[p]
        return LinearExpression(constant=constant, linear_coefs=coefs, linear_vars=variables)

    gain = {p: float(prefer.get(p, 0)) for p in cand}
    distance = linear(gain, constant=float(sum(1 for v in gain.values() if v < 0)))
    m.alt_floor = pyo.Constraint(expr=m.score_expr >= floor)
    m.alt_nogood = pyo.ConstraintList()
    for chosen in earlier:
        # Σ_{p∈S} (1 − z_p) + Σ_{p∉S} z_p ≥ 1
        away = {p: (-1.0 if p in chosen else 1.0) for p in cand}
        m.alt_nogood.add(linear(away, constant=float(len(chosen & set(cand)))) >= 1)
    m.score.deactivate()
    m.alt_objective = pyo.Objective(expr=distance, sense=pyo.maximize)
    added = [m.alt_floor, *m.alt_nogood.values()]
    opt.add_constraints(added)
    opt.set_objective(m.alt_objective)
    opt._solver_model.clearSolver()
    if warm_start is not None:
        for v, b in zip(m._x, warm_start):
            v.set_value(float(b))
        _warm_start(opt, m, {id(v): v.value for v in m.component_data_objects(pyo.Var) if v.value is not None})
    use_threads(settings.threads)
    try:
        with interruptible(opt):
            res = opt.solve(
                m,
                time_limit=settings.time_limit,
                threads=settings.threads,
                rel_gap=settings.mip_gap,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
                solver_options={"random_seed": settings.seed, "mip_abs_gap": 1e-9},
            )
        if res.incumbent_objective is None:
            infeasible = res.termination_condition in (
                TerminationCondition.provenInfeasible,
                TerminationCondition.infeasibleOrUnbounded,
            )
            return SolveOutcome(
                Status.INFEASIBLE if infeasible else Status.NO_SOLUTION, termination=str(res.termination_condition)
            )
        res.solution_loader.load_vars()
        x = _x(m)
        got = float(res.incumbent_objective)
        bound = res.objective_bound if res.objective_bound is not None else got
        gap = relative_gap(got, max(got, float(bound)))
        status = Status.OPTIMAL if gap <= settings.mip_gap else Status.FEASIBLE
        return SolveOutcome(status, x, got, float(bound), gap, termination=str(res.termination_condition))
    finally:
        opt.remove_constraints(added)
        m.del_component(m.alt_floor)
        m.del_component(m.alt_nogood)
        m.del_component(m.alt_objective)
        m.score.activate()
        opt.set_objective(m.score)
