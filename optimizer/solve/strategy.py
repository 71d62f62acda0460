"""How an instance is solved: as one model, or as independent city blocks (solve/blocks.py).

`load(inst)` builds the model(s) once and loads them into HiGHS; the loaded object then
answers `solve(settings, warm_start, fresh)` as often as asked, and with `mutable` models
also `apply(change)` / `revert(undo)` in between (solve/change.py). Both strategies answer
the same questions the same way, so the engine above (optimizer/engine) never asks which
one it holds: a single run, a frontier and the browser's re-solves all take the
decomposition when the data allows it.

Neither object is safe to use from two threads at once (HiGHS instances are not); the
engine's Session serialises calls with a lock.
"""

from __future__ import annotations

import time

import numpy as np

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from ..model.build import build_model
from .blocks import block_instance, city_blocks, solve_blocks
from .change import Change, ChangeTarget
from .highs import ModelSolver
from .status import SolveOutcome


class WholeModel:
    """One model of the whole instance in one persistent HiGHS instance."""

    def __init__(self, inst: Instance, mutable: bool = True):
        t0 = time.perf_counter()
        self.inst, self.mutable = inst, mutable
        self.model = build_model(inst, mutable=mutable)
        self.build_seconds = time.perf_counter() - t0
        self.solver = ModelSolver(self.model, inst)
        self.target = ChangeTarget(self.model, self.solver.opt, inst) if mutable else None
        self.blocks = 1

    @property
    def size(self) -> dict:
        return self.solver.size

    @property
    def infeasible_rows(self) -> list[str]:
        """Rows that no portfolio can meet, found while building (MODEL.md's trivial infeasibility)."""
        return list(self.model._infeasible_rows)

    def knows(self, pid: str) -> bool:
        return self.target is not None and self.target.knows(pid)

    def apply(self, change: Change, inst: Instance) -> tuple[list[str], list]:
        if self.target is None:
            raise RuntimeError("a model built with mutable=False cannot take a Change")
        return self.target.apply(change, inst)

    def revert(self, undo: list) -> None:
        if self.target is not None:
            self.target.revert(undo)

    def solve(
        self, settings: SolverSettings, warm_start: np.ndarray | None = None, fresh: bool = False
    ) -> SolveOutcome:
        return self.solver.solve(settings, warm_start=warm_start, fresh=fresh)


class CityBlocks:
    """Independent groups of cities, each its own WholeModel; solved as one (solve/blocks.py)."""

    def __init__(self, inst: Instance, blocks: list[list[str]], mutable: bool = True):
        self.inst, self.mutable, self.cities = inst, mutable, blocks
        parts = [block_instance(inst, cities) for cities in blocks]
        self.positions = [pos for _, pos in parts]
        self.models = [WholeModel(sub, mutable) for sub, _ in parts]
        self.build_seconds = sum(b.build_seconds for b in self.models)
        self.blocks = len(blocks)

    @property
    def size(self) -> dict:
        return {k: sum(b.size.get(k, 0) for b in self.models) for k in ("variables", "constraints", "nonzeros")}

    @property
    def infeasible_rows(self) -> list[str]:
        return [r for b in self.models for r in b.infeasible_rows]

    def knows(self, pid: str) -> bool:
        return any(b.knows(pid) for b in self.models)

    def apply(self, change: Change, inst: Instance) -> tuple[list[str], list]:
        """The change, block by block: each block takes the limit rows, projects, target rows
        and cities it holds (a block's keys are all its own; the whole instance carries them)."""
        problems, undo = [], []
        for b in self.models:
            found, steps = b.apply(change, inst)
            problems += found
            undo.append((b, steps))
        return problems, undo

    def revert(self, undo: list) -> None:
        for b, steps in reversed(undo):
            b.revert(steps)

    def solve(
        self, settings: SolverSettings, warm_start: np.ndarray | None = None, fresh: bool = False
    ) -> SolveOutcome:
        solvers = [b.solver for b in self.models]
        return solve_blocks(solvers, self.positions, len(self.inst.starts), settings, warm_start, fresh)


Loaded = WholeModel | CityBlocks


def load(inst: Instance, mutable: bool = True) -> Loaded:
    """The instance built and loaded into HiGHS: city blocks when the scenario allows the
    decomposition and the data splits into more than one block, else one model."""
    blocks = city_blocks(inst) if inst.scenario.solver.decompose else []
    if len(blocks) > 1:
        return CityBlocks(inst, blocks, mutable)
    return WholeModel(inst, mutable)


def not_forcible(loaded: Loaded, inst: Instance, change: Change) -> list[str]:
    """Projects the change forces in that no model has a start row for, and why."""
    return [
        f"{pid} cannot be forced in: {inst.unavailable.get(pid, 'unknown project')}"
        for pid in change.force_in
        if not loaded.knows(pid)
    ]
