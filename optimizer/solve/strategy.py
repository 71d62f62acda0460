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
from dataclasses import replace

import numpy as np

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from ..model.build import build_model
from .blocks import block_instance, city_blocks, solve_blocks
from .change import Change, ChangeTarget
from .highs import ModelSolver, _values_from_x, tie_seconds
from .links import MAX_LINKS, SEARCH_SHARE, LinkSearch, split_links
from .status import SolveOutcome, Status, relative_gap

#: share of the time left, after a link search gave up, for the neighbourhood of its portfolio
#: before the whole model (linked N=1000 seed 1: +0.046 in score in 20 s, where the whole
#: model from the same start found nothing better in 48 s; benchmarks/handover.py)
AROUND_SHARE = 0.5


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
        return replace(self.solver.solve(settings, warm_start=warm_start, fresh=fresh), strategy="whole model")


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
        try:
            for b in self.models:
                found, steps = b.apply(change, inst)
                problems += found
                undo.append((b, steps))
        except BaseException:
            self.revert(undo)  # the blocks already changed are undone before the error goes up
            raise
        return problems, undo

    def revert(self, undo: list) -> None:
        for b, steps in reversed(undo):
            b.revert(steps)

    def solve(
        self, settings: SolverSettings, warm_start: np.ndarray | None = None, fresh: bool = False
    ) -> SolveOutcome:
        solvers = [b.solver for b in self.models]
        out = solve_blocks(solvers, self.positions, len(self.inst.starts), settings, warm_start, fresh)
        return replace(out, strategy=f"city blocks ({self.blocks})")


class LinkedBlocks:
    """City blocks joined only by a few dependencies, exclusive groups and cross-city projects (solve/links.py):
    the blocks without those links, searched over the links, and the whole model beside
    them for the cost tie-break and for the cases the search gives up on."""

    def __init__(self, inst: Instance, blocks: list[list[str]], mutable: bool = True, split=None):
        """`split`: split_links(inst, blocks), if the caller has it already."""
        self.inst, self.mutable, self.cities = inst, mutable, blocks
        inner, self.links = split if split is not None else split_links(inst, blocks)
        self._whole_only = False  # set by apply() for a Change the search cannot honour
        self.whole = WholeModel(inst, mutable)
        self.split = CityBlocks(inner, blocks, mutable)
        self.build_seconds = self.whole.build_seconds + self.split.build_seconds
        self.blocks = len(blocks)

    @property
    def size(self) -> dict:
        return self.whole.size

    @property
    def infeasible_rows(self) -> list[str]:
        return self.whole.infeasible_rows

    def knows(self, pid: str) -> bool:
        return self.whole.knows(pid)

    @property
    def models(self) -> list[WholeModel]:
        """The model that holds every row (Session.has_row looks rows up here)."""
        return [self.whole]

    def apply(self, change: Change, inst: Instance) -> tuple[list[str], list]:
        undo: list = []
        try:
            problems, steps = self.whole.apply(change, inst)
            undo.append((self.whole, steps))
            _, steps = self.split.apply(change, inst)
            undo.append((self.split, steps))
        except BaseException:
            self.revert(undo)  # what was applied is undone before the error goes up
            raise
        # the search puts every link back: a change that drops a dependency or group row is
        # solved on the whole model, which has the row to drop
        self._whole_only = any(family in ("precedence", "exclusive") for family, _ in change.drop)
        return problems, undo

    def revert(self, undo: list) -> None:
        for part, steps in reversed(undo):
            part.revert(steps)
        self._whole_only = False

    def solve(
        self, settings: SolverSettings, warm_start: np.ndarray | None = None, fresh: bool = False
    ) -> SolveOutcome:
        out = self._solve(settings, warm_start, fresh)
        return out if out.strategy else replace(out, strategy=f"linked blocks ({self.blocks}, {len(self.links)} links)")

    def _solve(self, settings: SolverSettings, warm_start: np.ndarray | None, fresh: bool) -> SolveOutcome:
        whole = self.whole.solver
        if self.whole.infeasible_rows or self._whole_only:
            return self.whole.solve(settings, warm_start=warm_start, fresh=fresh)  # labelled "whole model"
        t0 = time.perf_counter()
        solvers = [b.solver for b in self.split.models]
        load_seconds = whole.load_seconds + sum(s.load_seconds for s in solvers)
        for s in [whole, *solvers]:  # counted once, here, whichever path the solve takes
            s.load_seconds = 0.0
        limit = settings.time_limit
        search = LinkSearch(
            solvers, self.split.positions, self.inst, self.links, settings,
            None if limit is None else t0 + SEARCH_SHARE * limit,
        )  # fmt: skip
        starts = [None if warm_start is None else warm_start[pos] for pos in self.split.positions]
        found, x, obj, bound = search.run(starts)
        how = f"link search: {search.solves} block solves, {len(self.links)} links"
        if found == "infeasible":  # the blocks without their links have no portfolio: nor has the whole
            return SolveOutcome(
                Status.INFEASIBLE, load_seconds=load_seconds, solve_seconds=time.perf_counter() - t0,
                termination=how, size=self.size,
            )  # fmt: skip
        if found == "gave up":  # the whole model goes on from the best portfolio found
            if x is not None and limit is not None:  # first its neighbourhood (links.py docstring)
                x, how = self._around(settings, x, limit - (time.perf_counter() - t0), how)
            left = None if limit is None else max(limit - (time.perf_counter() - t0), 0.01)
            out = whole.solve(settings.model_copy(update={"time_limit": left}), warm_start=x, fresh=True)
            if bound is not None and out.objective is not None and out.bound is not None and bound < out.bound:
                gap = relative_gap(out.objective, bound)  # the search's bound is the better one
                status = Status.OPTIMAL if gap <= settings.mip_gap else out.status
                out = replace(out, bound=bound, mip_gap=gap, status=status)
            return replace(
                out,
                load_seconds=load_seconds,
                solve_seconds=time.perf_counter() - t0,
                termination=f"{out.termination} (after a {how})",
            )
        gap = relative_gap(obj, bound)
        stage1 = time.perf_counter() - t0
        _values_from_x(self.whole.model, x)
        out = SolveOutcome(
            Status.OPTIMAL if gap <= settings.mip_gap else Status.FEASIBLE,
            x, obj, bound, gap, load_seconds, stage1, "off", how, nodes=search.nodes, size=self.size,
        )  # fmt: skip
        if settings.tie_break:
            if self.whole.model._mutable:  # a Change's parameters reach the whole model too
                whole.opt.update_parameters()
            if fresh:  # as ModelSolver.solve: nothing kept from an earlier solve steers stage 2
                whole.opt._solver_model.clearSolver()
            left = None if limit is None else limit - stage1
            out = whole.tie_break(out, settings, tie_seconds(stage1, left))
        return out

    def _around(self, settings: SolverSettings, x: np.ndarray, left: float, how: str) -> tuple[np.ndarray, str]:
        """A share of the time left on the whole model with only x's projects and the linked
        ones free (the repair dropped linked projects only, so this holds every way of putting
        the links back): the best portfolio for the whole model to start from."""
        starts = self.inst.starts["p"]
        keep = set(starts[x]) | self.links.projects()
        off = np.flatnonzero(~starts.isin(keep).to_numpy())
        near = self.whole.solver.solve_around(settings.model_copy(update={"time_limit": AROUND_SHARE * left}), x, off)
        if near.x is None:
            return x, how
        return near.x, f"{how}, a neighbourhood of {len(starts) - len(off)} starts"


Loaded = WholeModel | CityBlocks | LinkedBlocks


def load(inst: Instance, mutable: bool = True) -> Loaded:
    """The instance built and loaded into HiGHS: city blocks when the scenario allows the
    decomposition and the data splits into more than one block; blocks searched over their
    links when only a few dependencies, exclusive groups and cross-city projects join them;
    else one model."""
    if not inst.scenario.solver.decompose:
        return WholeModel(inst, mutable)
    blocks = city_blocks(inst)
    if len(blocks) > 1:
        return CityBlocks(inst, blocks, mutable)
    loose = city_blocks(inst, links=False)
    if len(loose) > 1:
        split = split_links(inst, loose)
        if len(split[1]) <= MAX_LINKS:
            return LinkedBlocks(inst, loose, mutable, split)
    return WholeModel(inst, mutable)


def not_forcible(loaded: Loaded, inst: Instance, change: Change) -> list[str]:
    """Projects the change forces in that no model has a start row for, and why."""
    return [
        f"{pid} cannot be forced in: {inst.unavailable.get(pid, 'unknown project')}"
        for pid in change.force_in
        if not loaded.knows(pid)
    ]
