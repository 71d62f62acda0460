"""Blocks that survive a few links: city blocks with cross-block dependencies and exclusive
groups set aside, put back by branching only where the blocks' union breaks one — exactly.

A dependency (q requires p, finish-to-start) or an exclusive group between two blocks is
the only thing joining them (`city_blocks(inst, links=False)`; a cross-city project, a
metro-wide row with contributors everywhere or a balance rule still makes one block). Without those links
the blocks are independent (solve/blocks.py), and the sum of their bounds bounds the
whole. A search over the links (`LinkSearch`) then makes it exact:

* a node is a set of bound changes per block; its blocks are solved (each to mip_gap) and
  its bound is the sum of their bounds, its portfolio the union of theirs;
* if the union meets every link it is a feasible portfolio of the whole model;
* else one broken link splits the node in two, each child changing one block only and
  cutting the union off while keeping every portfolio that meets the link:
  - q requires p, q starts in year s but p does not finish by then: either q does not
    start by s (q's starts ≤ s off), or p starts by s − d_p (p's later starts off, p in);
    any portfolio meeting the link is in one of the two;
  - an exclusive group with a and b both in: a out, or b out;
* best bound first; it stops when the best open bound is within mip_gap of the best
  feasible portfolio. A block result is kept per (block, bound changes), so a child
  solves one block and reuses the others.

If a block's first solve is not proven in its share of SEARCH_SHARE of the time limit (shares
by block size), or the search needs more than MAX_SOLVES block solves or SEARCH_SHARE of the
limit, the whole model takes over, warm-started from the best portfolio found or the blocks'
union repaired (solve/strategy.py: a neighbourhood of that portfolio first, then the whole
model). The search's bound (the sum of the blocks' bounds at the root) still bounds the whole
model, so the final gap is taken against the better of it and the whole model's own.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from .control import held_at_zero
from .highs import BLOCK_EFFORT, ModelSolver
from .status import Status, relative_gap

#: links (cross-block dependencies + cross-block groups) above which the search is not tried:
#: a tree over many links grows faster than the blocks save. Only broken links are branched
#: on (a few per instance on the linked family: 0-8 block solves beyond the root at N=300,
#: with 12-20 links), so this is a guard, with MAX_SOLVES and SEARCH_SHARE behind it.
MAX_LINKS = 200
#: block solves after which the whole model takes over
MAX_SOLVES = 64
#: share of the time limit the search may use before the whole model takes over
SEARCH_SHARE = 0.6
#: The first solve of every block shares SEARCH_SHARE of the limit by block size, proven or
#: not: a block that cannot be proven in it would be as slow in every child, so the whole
#: model takes over from the blocks' union repaired, with the blocks' bounds as its bound.
#: Linked N=1000 seed 1, 120 s (benchmarks/handover.py): blocks for 72 s, repair and a 20 s
#: neighbourhood reach score 36.297 at gap 6.7e-3; the plain model 36.286 at 7.8e-3; the
#: earlier rule (hand over as soon as one block misses 30% of the limit) 36.193 at 1.1e-2.


@dataclass(frozen=True)
class Links:
    """The links between blocks, on the whole instance's projects."""

    dependencies: pd.DataFrame  # q, p across blocks
    groups: dict[str, list[str]]  # exclusive groups across blocks

    def __len__(self) -> int:
        return len(self.dependencies) + len(self.groups)

    def projects(self) -> set[str]:
        """Every project a link names."""
        dep = self.dependencies
        return set(dep["q"]) | set(dep["p"]) | {p for members in self.groups.values() for p in members}


def split_links(inst: Instance, blocks: list[list[str]]) -> tuple[Instance, Links]:
    """The instance without the links between `blocks`, and those links."""
    sh = inst.shares[inst.shares["scope"] != "ALL"]
    block_of_city = {c: k for k, cities in enumerate(blocks) for c in cities}
    block = {p: block_of_city[c] for p, c in zip(sh["p"], sh["scope"]) if c in block_of_city}
    dep = inst.dependencies
    cross = np.array([block.get(q) != block.get(p) for q, p in zip(dep["q"], dep["p"])], dtype=bool)
    groups = {g: m for g, m in inst.groups.items() if len({block.get(p) for p in m}) > 1}
    inner = replace(
        inst,
        dependencies=dep[~cross],
        groups={g: m for g, m in inst.groups.items() if g not in groups},
    )
    return inner, Links(dep[cross].reset_index(drop=True), groups)


@dataclass(order=True)
class _Node:
    priority: tuple  # (−bound, creation order): best bound first, deterministic ties
    ops: tuple = field(compare=False)  # per block: frozenset of ("off", pos) / ("in", p, positions)
    results: tuple = field(compare=False)  # per block: _BlockResult


@dataclass(frozen=True)
class _BlockResult:
    status: Status
    x: np.ndarray | None
    objective: float | None
    bound: float | None


class LinkSearch:
    """The search over links for one solve (module docstring)."""

    def __init__(
        self,
        solvers: list[ModelSolver],
        positions: list[np.ndarray],
        inst: Instance,
        links: Links,
        settings: SolverSettings,
        deadline: float | None,
    ):
        """`deadline`: when the search gives up (perf_counter seconds; None: never)."""
        self.solvers, self.positions, self.inst, self.links = solvers, positions, inst, links
        self.deadline, self.gap = deadline, settings.mip_gap
        effort = settings.heuristic_effort if settings.heuristic_effort is not None else BLOCK_EFFORT
        self.block_settings = settings.model_copy(update={"tie_break": False, "heuristic_effort": effort})
        starts = inst.starts
        self.p_of = starts["p"].to_numpy()
        self.t_of = starts["t"].to_numpy().astype(int)
        self.block_of = np.full(len(starts), -1)
        self.local = np.full(len(starts), -1)  # position within its block
        for k, pos in enumerate(positions):
            self.block_of[pos] = k
            self.local[pos] = np.arange(len(pos))
        self.by_project: dict[str, np.ndarray] = {
            p: np.asarray(idx) for p, idx in starts.groupby("p", sort=False).indices.items()
        }
        self.duration = inst.projects["duration"]
        self.cache: dict[tuple, _BlockResult] = {}
        self.solves = 0
        self.nodes = 0

    # -- one block under bound changes -------------------------------------------------
    def block(self, k: int, ops: frozenset, warm: np.ndarray | None = None, until: float | None = None) -> _BlockResult:
        key = (k, ops)
        if key in self.cache:
            return self.cache[key]
        solver = self.solvers[k]
        h = solver.opt._solver_model
        index = solver.opt._pyomo_var_to_solver_var_map
        ins = [op[2] for op in ops if op[0] == "in"]
        rows_before = h.getNumRow()
        settings = self.block_settings
        until = until if until is not None else self.deadline
        if until is not None:
            settings = settings.model_copy(update={"time_limit": max(until - time.perf_counter(), 0.01)})
        with held_at_zero(solver.opt, solver.m._x, [op[1] for op in ops if op[0] == "off"]):
            try:
                for local in ins:  # Σ x over these starts ≥ 1: the project is in, started by then
                    idx = np.array([index[id(solver.m._x[j])] for j in local], dtype=np.int32)
                    h.addRow(1.0, 1.0, len(idx), idx, np.ones(len(idx)))
                out = solver.solve(settings, warm_start=warm, fresh=True)
            finally:
                added = h.getNumRow() - rows_before
                if added:
                    h.deleteRows(added, np.arange(rows_before, rows_before + added, dtype=np.int32))
        self.solves += 1
        result = _BlockResult(out.status, out.x, out.objective, out.bound)
        if out.status != Status.NO_SOLUTION:  # a time-limited failure is not a fact about the node
            self.cache[key] = result
        return result

    # -- links -----------------------------------------------------------------------
    def broken(self, x: np.ndarray):
        """The first link the union `x` breaks, as the two children's (block, op), or None."""
        start = self._starts(x)
        for q, p in zip(self.links.dependencies["q"], self.links.dependencies["p"]):
            s = start.get(q)
            if s is None or self._met(start, q, p):
                continue
            d = self._duration(p)
            q_pos = self.by_project[q]
            off_q = frozenset(("off", int(self.local[j])) for j in q_pos[self.t_of[q_pos] <= s])
            p_pos = self.by_project.get(p, np.array([], dtype=int))
            early = p_pos[self.t_of[p_pos] <= s - d]
            child_a = (int(self.block_of[q_pos[0]]), off_q)
            if not len(early):
                return [child_a]  # p cannot finish by s: only "q not by s" is left
            late = p_pos[self.t_of[p_pos] > s - d]
            ops_p = {("off", int(self.local[j])) for j in late}
            ops_p.add(("in", p, tuple(int(self.local[j]) for j in early)))
            return [child_a, (int(self.block_of[p_pos[0]]), frozenset(ops_p))]
        for members in self.links.groups.values():
            on = [p for p in members if p in start]
            if len(on) > 1:
                return [
                    (
                        int(self.block_of[self.by_project[p][0]]),
                        frozenset(("off", int(self.local[j])) for j in self.by_project[p]),
                    )
                    for p in on[:2]
                ]
        return None

    # -- the search ------------------------------------------------------------------
    def implied(self) -> tuple[frozenset, ...]:
        """Per block, the starts no portfolio meeting the links can use: q's starts in years
        s by which p cannot have finished (p has no start ≤ s − d_p), to a fixed point along
        chains of links. Every node inherits them, so a child never has to find them out."""
        allowed = {p: set(self.t_of[idx]) for p, idx in self.by_project.items()}
        changed = True
        while changed:
            changed = False
            for q, p in zip(self.links.dependencies["q"], self.links.dependencies["p"]):
                if q not in allowed:
                    continue
                d = self._duration(p)
                first = min(allowed.get(p, ()), default=None)  # p's earliest allowed start
                keep = {s for s in allowed[q] if first is not None and first + d <= s}
                if keep != allowed[q]:
                    allowed[q], changed = keep, True
        ops: list[set] = [set() for _ in self.solvers]
        for p, idx in self.by_project.items():
            for j in idx:
                if self.t_of[j] not in allowed[p]:
                    ops[int(self.block_of[j])].add(("off", int(self.local[j])))
        return tuple(frozenset(o) for o in ops)

    def run(self, warm_starts: list) -> tuple[str, np.ndarray | None, float | None, float | None]:
        """('optimal' | 'infeasible' | 'gave up', best x, its score, the search's bound)."""
        n = len(self.solvers)
        root_ops = self.implied()
        results = []
        sizes = np.array([len(pos) for pos in self.positions], dtype=float)
        for k in range(n):
            until = None  # the block's share of what is left before the deadline, by size
            if self.deadline is not None:
                now = time.perf_counter()
                until = now + max(self.deadline - now, 0.0) * sizes[k] / max(sizes[k:].sum(), 1.0)
            r = self.block(k, root_ops[k], warm_starts[k], until=until)
            if r.status == Status.INFEASIBLE:
                return "infeasible", None, None, None
            if r.status == Status.NO_SOLUTION:
                return "gave up", None, None, None
            results.append(r)
        if any(r.status != Status.OPTIMAL for r in results):  # not proven in their shares
            # the links only remove portfolios: the blocks' bounds still bound the whole model
            return "gave up", self.repair(self._union(results)), None, sum(r.bound for r in results)
        heap: list[_Node] = []
        best_x, best_obj, best_bound = None, None, -np.inf  # best feasible node and the bound of feasible leaves
        order = 0

        def push(ops, res) -> None:
            nonlocal best_x, best_obj, best_bound, order
            x = self._union(res)
            bound = sum(r.bound for r in res)
            obj = sum(r.objective for r in res)
            self.nodes += 1
            if self.broken(x) is None:
                if best_obj is None or obj > best_obj:
                    best_x, best_obj = x, obj
                best_bound = max(best_bound, bound)
                return
            order += 1
            heapq.heappush(heap, _Node((-bound, order), ops, res))

        push(root_ops, tuple(results))
        while heap:
            top = -heap[0].priority[0]
            if best_obj is not None and relative_gap(best_obj, max(top, best_bound, best_obj)) <= self.gap:
                break
            if self.solves >= MAX_SOLVES or self._late():
                return "gave up", self._best_or_repaired(best_x, heap), best_obj, max(top, best_bound)
            node = heapq.heappop(heap)
            for k, op in self.broken(self._union(node.results)):
                ops = list(node.ops)
                ops[k] = node.ops[k] | op
                r = self.block(k, ops[k])
                if r.status == Status.INFEASIBLE:
                    continue  # no portfolio in this child
                if r.status == Status.NO_SOLUTION:
                    return "gave up", self._best_or_repaired(best_x, heap), best_obj, max(top, best_bound)
                res = list(node.results)
                res[k] = r
                push(tuple(ops), tuple(res))
        if best_obj is None:
            return "infeasible", None, None, None
        bound = max([best_bound, best_obj] + [-nd.priority[0] for nd in heap])
        return "optimal", best_x, best_obj, bound

    def repair(self, x: np.ndarray) -> np.ndarray | None:
        """`x` with what breaks a dependency or a group dropped (a dependent whose prerequisite
        is missing or late; all but the first chosen member of a group), to a fixed point over
        every dependency: a warm start for the whole model. None if a committed or mandatory
        project would have to go. Other rows (floors, minimums) are left to HiGHS to check."""
        x = x.copy()
        status = self.inst.projects["status"]
        must = set(status.index[status.isin(["mandatory", "committed"])])
        dep = self.inst.dependencies
        changed = True
        while changed:
            changed = False
            start = self._starts(x)
            drop = {q for q, p in zip(dep["q"], dep["p"]) if q in start and not self._met(start, q, p)}
            for members in self.inst.groups.values():
                drop |= set([p for p in members if p in start][1:])
            if drop & must:
                return None
            for q in drop:
                x[self.by_project[q]] = False
                changed = True
        return x

    def _starts(self, x: np.ndarray) -> dict:
        """project -> start year of the chosen starts in `x`."""
        chosen = np.flatnonzero(x)
        return dict(zip(self.p_of[chosen], self.t_of[chosen]))

    def _duration(self, p: str) -> int:
        return int(self.duration.get(p, 0))  # an unavailable p has no starts: q cannot start either

    def _met(self, start: dict, q: str, p: str) -> bool:
        """Whether chosen q's link to p holds: p chosen and finished by q's start (precedence)."""
        return p in start and start[p] + self._duration(p) <= start[q]

    def _best_or_repaired(self, best_x, heap) -> np.ndarray | None:
        if best_x is not None or not heap:
            return best_x
        return self.repair(self._union(heap[0].results))

    def _union(self, results) -> np.ndarray:
        x = np.zeros(len(self.p_of), dtype=bool)
        for pos, r in zip(self.positions, results):
            x[pos] = r.x
        return x

    def _late(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline


__all__ = ["MAX_LINKS", "LinkSearch", "Links", "split_links"]
