"""HiGHS controls shared by every solve path: thread scheduler, Ctrl-C, MIP starts, starts held at 0."""

from __future__ import annotations

import contextlib
import signal

import numpy as np
from pyomo.contrib.solver.solvers.highs import Highs

_threads_in_use: int | None = None


def use_threads(threads: int) -> None:
    """HiGHS keeps one thread scheduler per process, sized by the first solve; a later
    solve asking for another thread count fails unless the scheduler is reset first."""
    global _threads_in_use
    if _threads_in_use is not None and _threads_in_use != threads:
        import highspy

        highspy.Highs.resetThreadScheduler(True)  # blocking: wait for the old workers to finish
    _threads_in_use = threads


@contextlib.contextmanager
def interruptible(opt: Highs):
    """Ctrl-C during a solve: ask HiGHS to stop cleanly, then raise KeyboardInterrupt.

    HiGHS calls back into Python while it runs; a KeyboardInterrupt raised inside such a
    callback would surface as a solver error. So, in the main thread, SIGINT only sets
    a flag and asks HiGHS to cancel, and the interrupt is raised once HiGHS has returned.
    """
    hit = []

    def handler(signum, frame):
        hit.append(signum)
        try:
            opt._solver_model.cancelSolve()
        except Exception:
            pass

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if hit:
        raise KeyboardInterrupt


def _warm_start(opt: Highs, m, values: dict[int, float]) -> None:
    """Hand the stage-1 solution to HiGHS as a MIP start (by column order)."""
    try:
        import highspy

        h = opt._solver_model
        n = h.getNumCol()
        col = np.zeros(n)
        for vid, j in opt._pyomo_var_to_solver_var_map.items():
            val = values.get(vid)
            if val is not None and j < n:
                col[j] = val
        sol = highspy.HighsSolution()
        sol.col_value = col.tolist()
        sol.value_valid = True
        h.setSolution(sol)
    except Exception:  # a start is only a hint; without it the solve is still exact
        pass


@contextlib.contextmanager
def held_at_zero(opt: Highs, xs, positions):
    """The start variables `xs[i]`, i in `positions`, held at 0 in the loaded HiGHS model
    meanwhile (a neighbourhood or a branch); their own bounds come back on exit, whatever
    happens. A MIP start must be set inside: HiGHS drops a stored one when bounds change."""
    h, index = opt._solver_model, opt._pyomo_var_to_solver_var_map
    cols = np.array(sorted({index[id(xs[i])] for i in positions}), dtype=np.int32)
    if not len(cols):
        yield
        return
    upper = np.asarray(h.getCols(len(cols), cols)[4])  # their own bounds only, not a copy of the model
    zeros = np.zeros(len(cols))
    h.changeColsBounds(len(cols), cols, zeros, zeros)
    try:
        yield
    finally:
        h.changeColsBounds(len(cols), cols, zeros, upper)
