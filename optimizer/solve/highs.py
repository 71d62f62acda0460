"""One model in one persistent HiGHS instance: the whole-model run and the cost tie-break.

Two stages, both on one persistent HiGHS instance (Pyomo loads the model into it):
1. maximise the score of MODEL.md (time limit, relative gap, threads, seed from the scenario),
   run on the highspy object directly so that several blocks can run in threads and be
   steered through HiGHS's MIP interrupt callback (see solve/blocks.py);
2. lexicographic tie-break: keep score ≥ stage-1 score (less a tolerance far below any
   score difference the data can express at the solver's precision) and minimise total
   cost, first among stage 1's own projects, then over the whole model warm-started from
   that (_two_step_tie_break), in a tenth of stage 1's time (tie_seconds). Stage 2 can only
   return a portfolio at least as good in score, so the score is never traded for cost.
"""

from __future__ import annotations

import gc
import math
import time
from dataclasses import dataclass, replace

import numpy as np
import pyomo.core as pyo
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs
from pyomo.core.expr.numeric_expr import LinearExpression

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from .control import _warm_start, held_at_zero, interruptible, use_threads
from .status import SolveOutcome, Status, relative_gap

#: HiGHS's mip_heuristic_effort when the scenario leaves it blank. A whole (coupled) model
#: waits on its incumbent: on the coupled synthetic N=300 instances HiGHS's first solutions
#: sit 0.4% below the optimum and the proof ends soon after the optimum is found. 0.25
#: (HiGHS's default is 0.05), mean time to 1e-4 over HiGHS seeds 0-4 on generator seeds
#: 1-3: -31%, -10%, -6% in one measurement, -29%, +1%, -1% in a repeat (speed.py
#: --highs-seeds 0 1 2 3 4 with and without --heuristic-effort 0.05): a clear gain on
#: seed 1, level elsewhere. Per-city blocks are limited by their bound instead, and there
#: 0.25 was slower (N=1000 gap after 60 s 1.5e-3 against 0.9e-3), so they keep HiGHS's 0.05.
WHOLE_MODEL_EFFORT = 0.25
BLOCK_EFFORT = 0.05

#: HiGHS restarts its search after the root when many columns are fixed ("restarting" in its
#: log: presolve again, cuts and pseudo-costs thrown away). Off: stage 1 alone, N=300, 1 thread,
#: 60 s limit (benchmarks/levers.py), time with restarts off / on: coupled seeds 1-4 1.06 1.00
#: 0.92 0.98 (seed 5: both at the limit, gap 8e-3), calibrated 1-5 0.58 0.60 0.84 0.68 0.82,
#: linked 1-3 0.46 0.62 0.72, independent 1-3 0.93 0.65 0.62: never slower by more than 10%,
#: median 0.72. Only the search changes, never the proof.
ALLOW_RESTART = False

#: HiGHS heuristics that solve sub-MIPs to find incumbents; switched off when the run has a
#: warm start (a sweep point or a workbench answer, started from the base portfolio), which
#: gives the incumbent they look for. Median wall time of 20 random workbench changes
#: (in-process, 2 threads, gap 1e-4), on / off: example 1.28 / 0.54 s and 1.16 / 0.57 s
#: (two seeds), synthetic coupled N=120 seeds 1, 2: 1.08 / 0.45 s and 0.98 / 0.66 s;
#: hangzhou_balanced level (0.92 / 1.00 s, worst 5.85 / 3.21 s). Scores agree within the gap.
SUBMIP_HEURISTICS = ("mip_heuristic_run_rins", "mip_heuristic_run_rens", "mip_heuristic_run_root_reduced_cost")

#: Stage-2 floor: score ≥ z1 − TIE_TOL·max(1, |z1|). Far below a unit of any integer-valued
#: score and below the solver's own feasibility tolerance on realistic scores.
TIE_TOL = 1e-9
#: Stage 2 gets TIE_SHARE of stage 1's time (at least TIE_MIN_SECONDS), within the time
#: limit: the tie-break refines the answer and must not dominate its wall time (issue 15:
#: at most +20%). Where the whole-model step proves, it does so at once: 0.02-0.07 s on the
#: example models and the synthetic N=60/120 cases; on 11 synthetic N=300 instances
#: (coupled 1-3, calibrated 1-5, linked 1-3) it never proved nor found a cheaper portfolio
#: than the neighbourhood step within a fifth of stage 1, its cost gap still 3-15% when
#: stopped, so a tenth is enough. The floor lets a short stage 1 still settle its ties;
#: 0.25 s is under 20% of any `portfolio run`, whose interpreter start and imports alone
#: take over 1.25 s (a 0.5 s floor was 25% of a 2.7 s run: calibrated N=300 seed 2).
#: Without a time limit it runs to its proof: the answer must not depend on the machine's load.
TIE_SHARE = 0.1
TIE_MIN_SECONDS = 0.25
#: share of stage 2's time for the neighbourhood step (only the chosen projects may move);
#: it settles the usual tie, so it may take most of it (it ends as soon as it is proven)
NEIGHBOURHOOD_SHARE = 0.75
#: most of stage 2's time the whole-model step may take when the neighbourhood step ended
#: early: on the N=300 instances above it never found a cheaper portfolio, so the rest of
#: the tenth was wall time for nothing (2-9 s per coupled instance); where it proves, it
#: proves in well under this (the floor, TIE_MIN_SECONDS, still applies)
WHOLE_STEP_SHARE = 0.25


def tie_seconds(stage1: float, left: float | None) -> float | None:
    """Stage 2's time: TIE_SHARE of stage 1's (at least TIE_MIN_SECONDS), within what is left
    of the time limit; None (no limit) when the scenario has none."""
    if left is None:
        return None
    return min(max(TIE_MIN_SECONDS, TIE_SHARE * stage1), left)


@dataclass
class _Run:
    """What one HiGHS run of stage 1 gave (the incumbent itself is loaded into the model)."""

    status: Status  # FEASIBLE = has an incumbent (proven or not), INFEASIBLE, NO_SOLUTION
    termination: str
    bound: float | None = None
    nodes: int | None = None


def _x(m) -> np.ndarray:
    return np.array([v.value if v.value is not None else 0.0 for v in m._x]) > 0.5


class ModelSolver:
    """A model loaded once into a persistent HiGHS instance, solved as often as needed.

    Multi-run analyses change mutable Params (limits, project bounds, target weights)
    or add and remove rows between solves; `solve` pushes those changes to HiGHS.
    """

    def __init__(self, m: pyo.ConcreteModel, inst: Instance):
        self.m, self.inst = m, inst
        t0 = time.perf_counter()
        opt = Highs()
        updates = opt.config.auto_updates
        for flag in (
            "check_for_new_or_removed_constraints",
            "check_for_new_or_removed_vars",
            "check_for_new_or_removed_params",
            "update_constraints",
            "update_vars",
            "update_parameters",
            "update_named_expressions",
        ):
            setattr(updates, flag, False)  # changes are pushed explicitly, not searched for
        paused = gc.isenabled()
        gc.disable()  # as in build_model: many small objects, no cycles
        try:
            opt.set_instance(m)
        finally:
            if paused:
                gc.enable()
        self.opt = opt
        #: HiGHS options set after the optimizer's own on every stage-1 run (empty as shipped;
        #: benchmarks/levers.py tries one solver lever at a time through it)
        self.options: dict = {}
        self.load_seconds = time.perf_counter() - t0
        h = opt._solver_model
        self.size = {"variables": int(h.getNumCol()), "constraints": int(h.getNumRow()), "nonzeros": int(h.getNumNz())}

    def solve(
        self,
        settings: SolverSettings | None = None,
        warm_start: np.ndarray | None = None,
        fresh: bool = False,
        progress=None,
    ) -> SolveOutcome:
        """Stage 1 (score) and, if the settings ask, stage 2 (cost tie-break).

        `fresh` drops what HiGHS kept from an earlier solve, so that the answer depends
        only on the model and the warm start (deterministic whatever ran before).
        """
        m, inst, opt = self.m, self.inst, self.opt
        settings = settings or inst.scenario.solver
        load_seconds, self.load_seconds = self.load_seconds, 0.0
        if m._infeasible_rows:
            return SolveOutcome(
                Status.INFEASIBLE,
                None,
                None,
                None,
                None,
                load_seconds,
                infeasible_rows=tuple(m._infeasible_rows),
                termination="trivially infeasible rows",
            )
        if m._mutable:
            opt.update_parameters()
        if fresh:
            opt._solver_model.clearSolver()
        if warm_start is not None:
            _warm_start(opt, m, _values_from_x(m, warm_start))
        use_threads(settings.threads)
        t1 = time.perf_counter()
        with interruptible(opt):
            run = self.run_highs(settings, progress, warm=warm_start is not None)
        if run.status == Status.INFEASIBLE:
            return self._without_portfolio(Status.INFEASIBLE, run.termination, load_seconds, t1)
        if run.status == Status.NO_SOLUTION:
            return self._without_portfolio(Status.NO_SOLUTION, run.termination, load_seconds, t1)
        x = _x(m)
        z1 = pyo.value(m.score_expr)
        bound = max(run.bound if run.bound is not None else z1, z1)
        gap = relative_gap(z1, bound)
        status = Status.OPTIMAL if gap <= settings.mip_gap else Status.FEASIBLE
        out = SolveOutcome(
            status,
            x,
            z1,
            bound,
            gap,
            load_seconds,
            time.perf_counter() - t1,
            "off",
            run.termination,
            nodes=run.nodes,
            size=self.size,
        )
        if settings.tie_break:
            stage1 = out.solve_seconds
            left = None if settings.time_limit is None else settings.time_limit - stage1
            out = self.tie_break(out, settings, tie_seconds(stage1, left))
        return out

    def solve_around(self, settings: SolverSettings, warm_start: np.ndarray, off: np.ndarray) -> SolveOutcome:
        """Stage 1 alone in a neighbourhood: the starts at positions `off` held at 0 meanwhile
        (their bounds are restored after, whatever happens); the start is set after them."""
        with held_at_zero(self.opt, self.m._x, off):
            return self.solve(settings.model_copy(update={"tie_break": False}), warm_start=warm_start, fresh=True)

    def run_highs(self, settings: SolverSettings, progress=None, warm: bool = False) -> _Run:
        """Stage 1 on HiGHS directly (no output captured, so several may run in threads).

        `progress(event)` is called at HiGHS's MIP interrupt points (event.data_out has the
        incumbent and bound; event.interrupt() stops the run with its incumbent). The
        incumbent, if any, is loaded into the model's variables.
        """
        import highspy

        h = self.opt._solver_model
        options = {
            "output_flag": False,
            "threads": settings.threads,
            "time_limit": settings.time_limit if settings.time_limit is not None else highspy.kHighsInf,
            "mip_rel_gap": settings.mip_gap,
            "mip_abs_gap": 1e-9,
            "random_seed": settings.seed,
            "mip_heuristic_effort": (
                settings.heuristic_effort if settings.heuristic_effort is not None else WHOLE_MODEL_EFFORT
            ),
            "mip_allow_restart": ALLOW_RESTART,
        }
        for key, value in options.items():
            h.setOptionValue(key, value)
        for key in SUBMIP_HEURISTICS:  # set every run: options stay on the HiGHS object
            h.setOptionValue(key, not warm)
        for key, value in self.options.items():
            h.setOptionValue(key, value)
        h.HandleUserInterrupt = True  # cancelSolve() (Ctrl-C, see interruptible) stops the run
        if progress is not None:
            h.cbMipInterrupt.subscribe(progress)
        try:
            h.run()
        finally:
            if progress is not None:
                h.cbMipInterrupt.unsubscribe(progress)
        ms = h.getModelStatus()
        info = h.getInfo()
        name = h.modelStatusToString(ms)
        S = highspy.HighsModelStatus
        if ms in (S.kInfeasible, S.kUnboundedOrInfeasible):
            return _Run(Status.INFEASIBLE, name)
        if info.primal_solution_status != 2:  # no feasible point
            if ms == S.kOptimal:  # "optimal" without a point: nothing feasible
                return _Run(Status.INFEASIBLE, name)
            if ms in (S.kTimeLimit, S.kInterrupt, S.kIterationLimit, S.kSolutionLimit):
                return _Run(Status.NO_SOLUTION, name)
            raise RuntimeError(f"HiGHS stopped with '{name}' and no solution")
        col = h.getSolution().col_value
        opt = self.opt
        for vid, j in opt._pyomo_var_to_solver_var_map.items():
            opt._vars[vid][0].set_value(col[j], skip_validation=True)
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
        return _Run(Status.FEASIBLE, name, bound, max(int(info.mip_node_count), 0))

    def tie_break(self, out: SolveOutcome, settings: SolverSettings, seconds: float | None) -> SolveOutcome:
        """Stage 2 after a stage-1 outcome whose portfolio is loaded in the model (seconds None: no limit)."""
        m, inst = self.m, self.inst
        t0 = time.perf_counter()
        x = out.x
        if seconds is not None and seconds < 0.05:
            tie = "skipped: no time left"
        else:
            use_threads(settings.threads)  # blocks may have run stage 1 on another thread count
            options = {"random_seed": settings.seed, "mip_abs_gap": 1e-9}
            common = dict(
                threads=settings.threads,
                rel_gap=settings.mip_gap,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
            )
            tie = _two_step_tie_break(self.opt, m, inst, out.objective, x, seconds, options, common)
            if tie.startswith("improved") or tie.startswith("proven"):
                x = _x(m)
                cost = _start_costs(inst)
                if tie.startswith("improved") and cost[x].sum() >= cost[out.x].sum() * (1 - 1e-12):
                    tie = "no cheaper portfolio found, not proven (time limit)"
            else:  # stage 2 found nothing of its own: restore stage 1's portfolio
                for v, val in zip(m._x, x):
                    v.set_value(float(val))
        # The proof is stage 1's: its incumbent against its bound. Stage 2 holds the score to
        # within TIE_TOL of that incumbent, far inside the noise that relative_gap ignores.
        z = pyo.value(m.score_expr)
        return replace(
            out,
            x=x,
            objective=z,
            bound=max(out.bound, z),
            solve_seconds=out.solve_seconds + time.perf_counter() - t0,
            tie_break=tie,
            tie_seconds=out.tie_seconds + time.perf_counter() - t0,
        )

    def _without_portfolio(self, status: Status, termination: str, load_seconds: float, t1: float) -> SolveOutcome:
        return SolveOutcome(
            status,
            load_seconds=load_seconds,
            solve_seconds=time.perf_counter() - t1,
            termination=termination,
            size=self.size,
        )


def solve_model(m: pyo.ConcreteModel, inst: Instance, settings: SolverSettings | None = None) -> SolveOutcome:
    """Load the model into HiGHS and solve it once."""
    return ModelSolver(m, inst).solve(settings)


def _values_from_x(m, x: np.ndarray) -> dict[int, float]:
    """A full start from chosen starts: progress and overshoot follow from x."""
    for v, b in zip(m._x, x):
        v.set_value(float(b))
    for (i, s), con in m.target_progress.items() if hasattr(m, "target_progress") else []:
        m.progress[i, s].set_value(0.0)
        capped = (i, s) in m.CAPPED
        if capped:
            m.overshoot[i, s].set_value(0.0)
        ratio = -pyo.value(con.body)  # body = progress + overshoot − Σ coef·x
        m.progress[i, s].set_value(min(1.0, ratio) if capped else ratio)
        if capped:
            m.overshoot[i, s].set_value(max(0.0, ratio - 1.0))
    return {id(v): v.value for v in m.component_data_objects(pyo.Var) if v.value is not None}


def _two_step_tie_break(opt: Highs, m, inst: Instance, z1: float, x1: np.ndarray, seconds, options, common) -> str:
    """Stage 2 in two steps, both exact searches of their own space:

    1. the neighbourhood of stage 1's portfolio: the starts of projects it left out are fixed
       at 0, so only its own projects may be dropped or moved. The model is a fraction of the
       whole and the usual tie (a target reached twice over, a project that adds nothing)
       is settled here, in a small share of the time;
    2. the whole model, warm-started from step 1's portfolio, in the time left (at most
       WHOLE_STEP_SHARE of it). Only its proof makes the tie-break "proven"; step 1 alone
       improves, it does not prove.
    Without a time limit both run to their proofs.
    """
    chosen = set(inst.starts["p"][x1])
    out_cols = np.flatnonzero(~inst.starts["p"].isin(chosen).to_numpy())
    t0 = time.perf_counter()
    first = None if seconds is None else seconds * NEIGHBOURHOOD_SHARE
    if len(out_cols):
        step1 = _tie_break(opt, m, inst, z1, first, options, common, fix_off=out_cols)
        if step1.startswith("skipped"):
            return step1
    left = None if seconds is None else seconds - (time.perf_counter() - t0)
    if left is not None:
        left = min(left, max(WHOLE_STEP_SHARE * seconds, TIE_MIN_SECONDS))
    if left is not None and left < 0.05:
        return "improved, not proven (time limit)"
    step2 = _tie_break(opt, m, inst, z1, left, options, common)
    return "improved, not proven (time limit)" if step2.startswith("skipped") else step2


def _tie_break(opt: Highs, m, inst: Instance, z1: float, remaining, options, common, fix_off=None) -> str:
    """Stage 2: minimise total cost subject to score ≥ z1 − tolerance, warm-started from the
    portfolio loaded in the model; `fix_off`: positions of starts held at 0 meanwhile."""
    cost = _start_costs(inst)
    x1 = [v.value for v in m._x]
    values = {id(v): v.value for v in m.component_data_objects(pyo.Var)}
    m.tie_floor = pyo.Constraint(expr=m.score_expr >= z1 - TIE_TOL * max(1.0, abs(z1)))
    m.score.deactivate()
    m.total_cost = pyo.Objective(
        expr=LinearExpression(constant=0, linear_coefs=cost.tolist(), linear_vars=list(m._x)), sense=pyo.minimize
    )
    opt.add_constraints([m.tie_floor])
    opt.set_objective(m.total_cost)
    try:
        with held_at_zero(opt, m._x, () if fix_off is None else fix_off):
            _warm_start(opt, m, values)  # inside: HiGHS drops a stored start when bounds change
            with interruptible(opt):
                res = opt.solve(m, time_limit=remaining, solver_options=options, **{**common, "rel_gap": 0.0})
            found = res.incumbent_objective is not None
            if found:  # before the bounds come back: that change drops HiGHS's solution too
                res.solution_loader.load_vars()
    finally:
        opt.remove_constraints([m.tie_floor])
        m.del_component(m.tie_floor)
        m.del_component(m.total_cost)
        m.score.activate()
        opt.set_objective(m.score)
    if not found:
        for v, val in zip(m._x, x1):
            v.set_value(val, skip_validation=True)  # raw HiGHS values (1 ± 1e-15)
        return "skipped: no solution in the time left"
    proven = res.termination_condition == TerminationCondition.convergenceCriteriaSatisfied
    return "proven" if proven else "improved, not proven (time limit)"


def _start_costs(inst: Instance) -> np.ndarray:
    return inst.projects["cost"].reindex(inst.starts["p"]).to_numpy(float)
