"""Blocks that survive a few links: city blocks with cross-block dependencies, exclusive
groups and cross-city projects set aside, put back by branching only where the blocks'
union breaks one — exactly.

A dependency (q requires p, finish-to-start), an exclusive group or a project shared by two
blocks is the only thing joining them (`city_blocks(inst, links=False)`; a metro-wide row
with contributors everywhere or a balance rule still makes one block). A shared project has
a copy in each of its blocks, with that block's rows (its share of the cost in that city's
limits, its contributions to that city's targets). Without the links the blocks are
independent (solve/blocks.py); every portfolio of the whole model is one of every block
with the copies alike and the same score, so the sum of the blocks' bounds bounds the
whole. A search over the links (`LinkSearch`) then makes it exact:

* a node is a set of bound changes per block; its blocks are solved (each to mip_gap) and
  its bound is the sum of their bounds, its portfolio the union of theirs;
* if the copies agree and the union meets every link, it is a feasible portfolio of the
  whole model;
* else one broken link splits the node in two, each child changing the blocks of the
  projects it names and cutting the union off while keeping every portfolio that meets it:
  - a shared project's copies differ, one starting in year s: either it starts in s in
    every copy, or in none;
  - q requires p, q starts in year s but p does not finish by then: either q does not
    start by s (q's starts ≤ s off), or p starts by s − d_p (p's later starts off, p in);
    any portfolio meeting the link is in one of the two;
  - an exclusive group with a and b both in: a out, or b out;
* best bound first; it stops when the best open bound is within mip_gap of the best
  feasible portfolio. A block result is kept per (block, bound changes), so a child
  solves the blocks it changes and reuses the others.

If a block's first solve is not proven in its share of SEARCH_SHARE of the time limit (shares
by block size), or the links the blocks' union breaks, one re-solve each at the blocks' root
time, would not fit in what is left of that share, or the next node's blocks would not, or
the search needs more than MAX_SOLVES block solves or SEARCH_SHARE of the limit, the whole
model takes over, warm-started from the best portfolio found or the blocks'
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

    dependencies: pd.DataFrame  # q, p with no block holding both
    groups: dict[str, list[str]]  # exclusive groups no one block holds
    shared: dict[str, tuple[int, ...]] = field(default_factory=dict)  # project -> its blocks

    def __len__(self) -> int:
        return len(self.dependencies) + len(self.groups) + len(self.shared)

    def projects(self) -> set[str]:
        """Every project a link names."""
        dep = self.dependencies
        named = set(dep["q"]) | set(dep["p"]) | set(self.shared)
        return named | {p for members in self.groups.values() for p in members}


def split_links(inst: Instance, blocks: list[list[str]]) -> tuple[Instance, Links]:
    """The instance without the links between `blocks`, and those links. A dependency or a
    group that one block holds whole (shared projects lie in several) stays in that block."""
    sh = inst.shares[inst.shares["scope"] != "ALL"]
    block_of_city = {c: k for k, cities in enumerate(blocks) for c in cities}
    holders: dict[str, set] = {}
    for p, c in zip(sh["p"], sh["scope"]):
        holders.setdefault(p, set()).add(block_of_city.get(c))
    home = {p: h or {None} for p, h in holders.items()}  # None: in no block

    def together(projects) -> bool:
        return bool(set.intersection(*[home.get(p, {None}) for p in projects]))

    dep = inst.dependencies
    cross = np.array([not together([q, p]) for q, p in zip(dep["q"], dep["p"])], dtype=bool)
    groups = {g: m for g, m in inst.groups.items() if not together(m)}
    can_start = set(inst.starts["p"])  # an excluded project has no copies to keep alike
    shared = {p: tuple(sorted(h)) for p, h in holders.items() if len(h) > 1 and None not in h and p in can_start}
    inner = replace(
        inst,
        dependencies=dep[~cross],
        groups={g: m for g, m in inst.groups.items() if g not in groups},
    )
    return inner, Links(dep[cross].reset_index(drop=True), groups, shared)


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
        # a start's position within each block (-1: not there); a shared project's starts lie
        # in several blocks, every other start in one
        self.local = np.full((len(positions), len(starts)), -1)
        for k, pos in enumerate(positions):
            self.local[k, pos] = np.arange(len(pos))
        self.by_project: dict[str, np.ndarray] = {
            p: np.asarray(idx) for p, idx in starts.groupby("p", sort=False).indices.items()
        }
        self.holders = {p: tuple(np.flatnonzero(self.local[:, idx[0]] >= 0)) for p, idx in self.by_project.items()}
        self.duration = inst.projects["duration"]
        self.cache: dict[tuple, _BlockResult] = {}
        self.solves = 0
        self.nodes = 0
        self.took = np.zeros(len(solvers))  # seconds of each block's last solve

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
        t0 = time.perf_counter()
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
        self.took[k] = time.perf_counter() - t0
        result = _BlockResult(out.status, out.x, out.objective, out.bound)
        if out.status != Status.NO_SOLUTION:  # a time-limited failure is not a fact about the node
            self.cache[key] = result
        return result

    # -- links -----------------------------------------------------------------------
    def _ops(self, p: str, off: np.ndarray, in_by: np.ndarray | None = None) -> list[tuple[int, frozenset]]:
        """In every block holding p: its starts `off` held at 0 and, with `in_by`, p in with
        one of those starts (a row Σ x ≥ 1)."""
        out = []
        for k in self.holders.get(p, ()):
            ops = {("off", int(self.local[k, j])) for j in off}
            if in_by is not None:
                ops.add(("in", p, tuple(int(self.local[k, j]) for j in in_by)))
            out.append((int(k), frozenset(ops)))
        return out

    def count_broken(self, results) -> int:
        """How many links the blocks' `results` break: each needs at least one branching."""
        return sum(1 for _ in self._broken_links(results))

    def broken(self, results) -> list[list[tuple[int, frozenset]]] | None:
        """The first link the blocks' `results` break, as the children (each a list of
        (block, bound changes)), or None when their union is a portfolio of the whole model."""
        return next(self._broken_links(results), None)

    def _broken_links(self, results):
        """The children of every link the blocks' `results` break, in turn: copies that
        differ, dependencies not met, groups with two members in."""
        for p in self.links.shared:
            pos = self.by_project[p]
            chosen = [tuple(self.t_of[pos[results[k].x[self.local[k, pos]]]]) for k in self.holders[p]]
            if len(set(chosen)) > 1:  # the copies differ: p starts in year s everywhere, or nowhere
                s = next(c[0] for c in chosen if c)
                at_s = pos[self.t_of[pos] == s]
                yield [self._ops(p, pos[self.t_of[pos] != s], at_s), self._ops(p, at_s)]
        start = self._starts(self._union(results))
        for q, p in zip(self.links.dependencies["q"], self.links.dependencies["p"]):
            s = start.get(q)
            if s is None or self._met(start, q, p):
                continue
            d = self._duration(p)
            q_pos = self.by_project[q]
            child_a = self._ops(q, q_pos[self.t_of[q_pos] <= s])
            p_pos = self.by_project.get(p, np.array([], dtype=int))
            early = p_pos[self.t_of[p_pos] <= s - d]
            if not len(early):
                yield [child_a]  # p cannot finish by s: only "q not by s" is left
            else:
                yield [child_a, self._ops(p, p_pos[self.t_of[p_pos] > s - d], early)]
        for members in self.links.groups.values():
            on = [p for p in members if p in start]
            if len(on) > 1:
                yield [self._ops(p, self.by_project[p]) for p in on[:2]]

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
            for k, changes in self._ops(p, idx[[self.t_of[j] not in allowed[p] for j in idx]]):
                ops[k] |= changes
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
        # the links only remove portfolios: the blocks' bounds still bound the whole model
        if any(r.status != Status.OPTIMAL for r in results):  # not proven in their shares
            return "gave up", self.repair(self._union(results)), None, sum(r.bound for r in results)
        if self.deadline is not None:  # a tree of at least one branching per broken link
            left = self.deadline - time.perf_counter()
            if self.count_broken(results) * self.took.sum() > left:
                return "gave up", self.repair(self._union(results)), None, sum(r.bound for r in results)
        heap: list[_Node] = []
        best_x, best_obj, best_bound = None, None, -np.inf  # best feasible node and the bound of feasible leaves
        order = 0

        def push(ops, res, cap=np.inf) -> None:
            nonlocal best_x, best_obj, best_bound, order
            x = self._union(res)
            bound = min(sum(r.bound for r in res), cap)  # a child's portfolios are its parent's too
            obj = sum(r.objective for r in res)
            self.nodes += 1
            if self.broken(res) is None:
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
            children = self.broken(heap[0].results)
            if self._too_long(children):
                return "gave up", self._best_or_repaired(best_x, heap), best_obj, max(top, best_bound)
            node = heapq.heappop(heap)
            for child in children:
                ops, res = list(node.ops), list(node.results)
                for k, op in child:
                    ops[k] = node.ops[k] | op
                    res[k] = self.block(k, ops[k])
                    if res[k].status in (Status.INFEASIBLE, Status.NO_SOLUTION):
                        break
                if any(r.status == Status.NO_SOLUTION for r in res):
                    return "gave up", self._best_or_repaired(best_x, heap), best_obj, max(top, best_bound)
                if all(r.status != Status.INFEASIBLE for r in res):  # else no portfolio in this child
                    push(tuple(ops), tuple(res), top)
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
        """The blocks' portfolios as one; a shared project whose copies differ is left out
        (its first copy's start kept if it must be in: the whole model then sorts it out)."""
        x = np.zeros(len(self.p_of), dtype=bool)
        for pos, r in zip(self.positions, results):
            x[pos] = r.x
        status = self.inst.projects["status"]
        for p in self.links.shared:
            pos = self.by_project[p]
            copies = [results[k].x[self.local[k, pos]] for k in self.holders[p]]
            if any((c != copies[0]).any() for c in copies[1:]):
                keep = status.get(p) in ("mandatory", "committed")
                x[pos] = copies[0] if keep else False
        return x

    def _too_long(self, children) -> bool:
        """Whether solving these children would run past the deadline, judged by how long their
        blocks took last time: better to hand the time to the whole model now than to spend it
        on a child that the clock will stop anyway."""
        if self.deadline is None:
            return False
        blocks = {k for child in children for k, _ in child}
        return time.perf_counter() + sum(self.took[k] for k in blocks) > self.deadline

    def _late(self) -> bool:
        return self.deadline is not None and time.perf_counter() > self.deadline


__all__ = ["MAX_LINKS", "LinkSearch", "Links", "split_links"]
