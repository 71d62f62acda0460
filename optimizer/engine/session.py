"""The engine: a dataset and scenario built once, solved as given and re-solved under Changes.

Every face (the command line, the Python API, a browser workbench) and every analysis goes
through a Session. It builds the sparse Instance and loads the model into HiGHS once, as
one model or as city blocks (solve/strategy.py, whichever the data allows), and then:

- `solve()`: the scenario as given: score, then the cost tie-break if the scenario asks,
  and for an infeasible scenario the elastic diagnosis (what would have to give);
- `solve(change)`: one sweep point: the Change applied (limits, forced projects, dropped
  rules, weights, city floors), solved from a clean solver state, and undone, so that the
  answer does not depend on which runs came before (identical on every executor).

Thread safety: `solve` may be called from any thread. Calls on one Session are
serialised by a lock (one HiGHS instance runs one solve at a time); to solve in
parallel, use one Session per thread or process (engine/runner.py does). Results,
Datasets and Instances are never changed after they are made and may be shared.
Ctrl-C reaches a solve only in the main thread. HiGHS keeps one thread pool per process:
Sessions that solve at the same time in one process should use the same `solver.threads`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.instance import Instance, build_instance
from ..data.scenario import Scenario
from ..results import Result, assemble
from ..solve import Change, LimitKey, Loaded, SolveOutcome, Status, diagnose, fixed_duals, not_forcible, with_limits
from ..solve import load as load_model


class Session:
    """One dataset and scenario, loaded into the solver once (see the module docstring).

    `reusable=False` builds the cheaper fixed model of a single run; a later
    `solve(change)` then rebuilds it once with mutable parameters.
    """

    def __init__(
        self,
        dataset: Dataset | str | Path,
        scenario: Scenario | dict | str | Path | None = None,
        *,
        reusable: bool = True,
    ):
        t0 = time.perf_counter()
        self.dataset = dataset if isinstance(dataset, Dataset) else load(dataset)
        self.scenario = resolve_scenario(self.dataset, scenario)
        self.inst: Instance = build_instance(self.dataset, self.scenario)
        self.prepare_seconds = time.perf_counter() - t0
        self._reusable = reusable
        self._loaded: Loaded | None = None
        self._lock = threading.RLock()
        if reusable:
            self.loaded  # noqa: B018 -- a sweep's runs should not pay for the build

    # -- what is loaded ---------------------------------------------------------------------
    @property
    def loaded(self) -> Loaded:
        """The model(s) in HiGHS: a solve.WholeModel or solve.CityBlocks."""
        with self._lock:
            if self._loaded is None:
                self._loaded = load_model(self.inst, mutable=self._reusable)
            return self._loaded

    @property
    def build_seconds(self) -> float:
        """Instance and model building (HiGHS loading is reported with the first solve)."""
        return self.prepare_seconds + self.loaded.build_seconds

    @property
    def blocks(self) -> int:
        return self.loaded.blocks

    def has_row(self, family: str, index: Any) -> bool:
        """Whether a row of a MODEL.md family was built (a rule that can never bind has none)."""
        models = getattr(self.loaded, "models", [self.loaded])
        return any(index in getattr(b.model, family, ()) for b in models)

    @property
    def infeasible_rows(self) -> list[str]:
        """Rows no portfolio can meet, found while building (e.g. a task minimum no project serves)."""
        return self.loaded.infeasible_rows

    @property
    def limits(self) -> pd.DataFrame:
        """The base limit rows after the scenario: resource, scope, year (<NA>: horizon), limit."""
        return self.inst.limits[["resource", "scope", "year", "limit"]].copy()

    def scaled(self, resource: str, factor: float, scope: str | None = None) -> dict[LimitKey, float]:
        """Limit changes that scale every row of a resource (of one scope, if given)."""
        lim = self.limits
        lim = lim[(lim["resource"] == resource) & ((lim["scope"] == scope) if scope else True)]
        return {(r, s, None if pd.isna(y) else int(y)): float(v) * factor for r, s, y, v in lim.itertuples(index=False)}

    # -- solving -----------------------------------------------------------------------------
    def solve(
        self, change: Change | None = None, warm_start: np.ndarray | None = None, *, measure: Instance | None = None
    ) -> Result:
        """The scenario as given (change None), or one sweep point (see the module docstring).

        `measure`: the instance a sweep point's Result is measured against and records as its
        scenario, when the change stands for another scenario (engine/workbench.py): it must
        have this session's start rows; its limits and target weights are the change's."""
        with self._lock:
            if change is None:
                return self._solve_as_given(warm_start)
            return self._solve_change(change, warm_start, measure)

    run = solve  # the name sweeps have used

    def _solve_as_given(self, warm_start: np.ndarray | None) -> Result:
        loaded = self.loaded
        outcome = loaded.solve(self.scenario.solver, warm_start=warm_start, fresh=self._reusable)
        diagnosis = None
        if outcome.status == Status.INFEASIBLE and not outcome.infeasible_rows:
            diagnosis = diagnose(self.inst)
            outcome = _with_rows(outcome, list(diagnosis["message"]))
        t3 = time.perf_counter()
        result = assemble(
            self.inst,
            outcome,
            build_seconds=self.build_seconds,
            timings={"prepare": self.prepare_seconds, "build": loaded.build_seconds},
            infeasibility=diagnosis,
        )
        result.timings["assemble"] = time.perf_counter() - t3
        return result

    def _solve_change(self, change: Change, warm_start: np.ndarray | None, measure: Instance | None) -> Result:
        if not self._reusable:  # a single-run model has no parameters to change: rebuild once
            self._reusable, self._loaded = True, None
        loaded = self.loaded
        inst = with_limits(measure if measure is not None else self.inst, change.limits)
        problems, undo = not_forcible(loaded, self.inst, change), []
        try:
            found, undo = loaded.apply(change, inst)
            problems += found
            settings = self.scenario.solver.model_copy(
                update={
                    "tie_break": change.tie_break,
                    **({"time_limit": change.time_limit} if change.time_limit else {}),
                }
            )
            if problems:
                outcome = SolveOutcome(Status.INFEASIBLE, infeasible_rows=tuple(problems))
            else:
                outcome = loaded.solve(settings, warm_start=warm_start, fresh=True)
        finally:
            loaded.revert(undo)
        scenario = {**inst.scenario.settings(), "change": change.label}
        return assemble(inst, outcome, build_seconds=self.build_seconds, timings={}, scenario=scenario)

    def near_optimal(
        self, floor: float, prefer: dict[str, int], earlier: list[set[str]], warm_start: np.ndarray | None = None
    ) -> tuple[Result | None, float | None]:
        """A portfolio with score ≥ floor that moves as far as asked from the earlier ones
        (solve/alternatives.py): (its Result, the distance reached), or (None, None) when no
        further distinct portfolio exists within the floor. Needs the whole model."""
        from ..solve.alternatives import near_optimal

        with self._lock:
            if not self._reusable:
                self._reusable, self._loaded = True, None
            loaded = self.loaded
            if not hasattr(loaded, "model"):
                raise ValueError("alternatives need the undivided model: solver.decompose false")
            settings = self.scenario.solver.model_copy(update={"tie_break": False})
            out = near_optimal(loaded, settings, floor, prefer, earlier, warm_start)
            if out.x is None:
                return None, None
            return assemble(self.inst, out, build_seconds=self.build_seconds, timings={}), out.objective

    def candidates(self) -> list[str]:
        """Projects an alternative may change: available, neither committed nor mandatory."""
        from ..solve.alternatives import candidates

        return candidates(self.inst)

    def fixed_duals(self, starts: dict[str, int]) -> tuple[dict[LimitKey, float], str]:
        """LP duals of every limit row with the starts fixed at a portfolio (solve/duals.py)."""
        return fixed_duals(self.inst, x_from_starts(self.inst, starts))


def _with_rows(outcome: SolveOutcome, rows: list[str]) -> SolveOutcome:
    from dataclasses import replace

    return replace(outcome, infeasible_rows=(*outcome.infeasible_rows, *rows))


def base_result(session: Session) -> Result:
    """The scenario itself, with the cost tie-break: the reference every change is measured from."""
    return session.solve(Change(label="base", tie_break=session.scenario.solver.tie_break))


def starts_of(result: Result) -> dict[str, int]:
    """Chosen start year per project of a result."""
    p = result.portfolio
    p = p[p["selected"]]
    return dict(zip(p["id"], p["start"].astype(int)))


def x_from_starts(inst: Instance, starts: dict[str, int]) -> np.ndarray:
    """The 0/1 start vector (aligned with inst.starts) of a portfolio, for warm starts."""
    return np.array([starts.get(p) == t for p, t in zip(inst.starts["p"], inst.starts["t"])], dtype=bool)
