"""The city decomposition: cities that share nothing solved as separate, much smaller models — exactly.

When no limit row, target row, project, dependency, exclusive group or balance rule
spans two groups of cities, the model is a sum of independent blocks: every
constraint lies in one block and the objective is the sum of the blocks' objectives
(a target row of scope ALL with contributors in one block only counts in that
block; elsewhere its progress is fixed at 0). Then the best portfolio is the union of
the blocks' best portfolios, the bound is the sum of their bounds, and the lowest
total cost among best portfolios is the union of each block's cheapest best one.
Blocks are the connected components of cities linked by any such element; coupled
data (a metro-wide limit or target with contributors everywhere) forms one block
and is solved as one model, as before.
"""

from __future__ import annotations

import itertools
import math
import signal
import threading
import time
from dataclasses import replace

import numpy as np

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from .highs import BLOCK_EFFORT, ModelSolver, tie_seconds, use_threads
from .status import SolveOutcome, Status, relative_gap


class _Cities:
    """Union-find over cities."""

    def __init__(self, cities):
        self.parent = {c: c for c in cities}

    def find(self, c):
        while self.parent[c] != c:
            self.parent[c] = self.parent[self.parent[c]]
            c = self.parent[c]
        return c

    def union(self, cities) -> None:
        cities = [c for c in cities if c in self.parent]
        for a, b in itertools.pairwise(cities):
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                self.parent[rb] = ra


def city_blocks(inst: Instance, links: bool = True) -> list[list[str]]:
    """Groups of cities that no row, project or rule links; one group means no decomposition.
    `links=False` sets dependencies, exclusive groups and cross-city projects aside
    (solve/links.py puts them back)."""
    cities = list(inst.cities)
    uf = _Cities(cities)
    sh = inst.shares[inst.shares["scope"] != "ALL"]
    home = sh.groupby("p")["scope"].agg(list)  # the cities each project lies in
    if links:
        for cs in home:
            uf.union(cs)  # a cross-city project links its cities

    def link(projects) -> None:
        cs = sorted({c for p in projects for c in home.get(p, [])})
        uf.union(cs)

    lim = inst.limits
    for res, usage in inst.usage.items():
        if not usage.empty and ((lim["resource"] == res) & (lim["scope"] == "ALL")).any():
            link(usage["p"].unique())  # a metro-wide limit links everything that uses it
    pr = inst.progress
    for (_, scope), g in pr.groupby(["indicator", "scope"]):
        if scope == "ALL":
            link(g["p"].unique())  # a metro-wide target links its contributors
    if links:
        for q, p in zip(inst.dependencies["q"], inst.dependencies["p"]):
            link([q, p])
        for members in inst.groups.values():
            link(members)
    bal = inst.scenario.balance
    if bal.min_city_share or bal.max_city_share:
        uf.union(cities)  # shares of total spending couple every city
    task = inst.projects["task"]
    for k, need in inst.scenario.task_minimum.items():
        if need > 0:
            link(task.index[task == k])
    groups: dict[str, list[str]] = {}
    for c in cities:
        groups.setdefault(uf.find(c), []).append(c)
    used = set(sh["scope"])
    return [g for g in groups.values() if used & set(g)]


def block_instance(inst: Instance, cities: list[str]) -> tuple[Instance, np.ndarray]:
    """The part of the instance in these cities, and the positions of its starts in the whole.

    A project shared with cities outside the block is in it too, with its rows here (its
    copy in the other block has the rest; solve/links.py keeps the copies alike). A
    dependency whose prerequisite lies only in other cities stays out: it is not this
    block's to enforce (the block with both, or the link search, does)."""
    sh = inst.shares
    keep = set(sh.loc[sh["scope"].isin(cities), "p"])
    placed = set(sh.loc[sh["scope"] != "ALL", "p"])
    dep, pr = inst.dependencies, inst.progress  # a shared project's other targets are not here
    in_block = inst.starts["p"].isin(keep).to_numpy()
    scopes = set(cities) | {"ALL"}
    sc = inst.scenario
    if sc.task_minimum:
        tasks = set(inst.projects.loc[list(keep), "task"].dropna())
        sc = sc.with_updates(task_minimum={k: v for k, v in sc.task_minimum.items() if k in tasks})
    sub = replace(
        inst,
        scenario=sc,
        projects=inst.projects.loc[[p for p in inst.projects.index if p in keep]],
        starts=inst.starts[in_block].reset_index(drop=True),
        shares=sh[sh["p"].isin(keep)].reset_index(drop=True),
        usage={k: u[u["p"].isin(keep)].reset_index(drop=True) for k, u in inst.usage.items()},
        limits=inst.limits[inst.limits["scope"].isin(scopes)].reset_index(drop=True),
        targets=inst.targets[inst.targets["scope"].isin(scopes)].reset_index(drop=True),
        progress=pr[pr["p"].isin(keep) & pr["scope"].isin(scopes)].reset_index(drop=True),
        dependencies=dep[dep["q"].isin(keep) & (dep["p"].isin(keep) | ~dep["p"].isin(placed))],
        groups={g: m for g, m in inst.groups.items() if set(m) <= keep},
        profile=inst.profile[inst.profile["p"].isin(keep)].reset_index(drop=True),
    )
    return sub, np.flatnonzero(in_block)


#: Seconds a block keeps its turn before the turns are dealt again.
TURN_SECONDS = 0.5
#: A block's expected progress is never counted below 1/FLOOR of its gap per turn, so a
#: block whose bound has stalled still gets a turn now and then.
FLOOR = 200


class _Turns:
    """Blocks take turns on `width` cores, each keeping its branch-and-bound tree.

    Every block's HiGHS run lives in its own thread and waits, inside HiGHS's interrupt
    callback, until it holds a turn; only `width` runs hold one at a time. When a turn
    ends, it goes to the block expected to shrink the total gap (Σ bound − Σ incumbent)
    most in its next turn: a block without an incumbent or not yet measured first, then
    the highest recent rate of closing its own bound − incumbent (averaged with the
    earlier rate each turn, so old bursts fade; never counted below 1/FLOOR of its gap).
    Blocks used to run one after another with time in proportion to their size, so a
    hard small block ran out of time while an easy big one idled; time now goes where
    the proof moves.

    Each block still stops at its own mip_gap, so the sum is within mip_gap too; and as a
    block's HiGHS search does not depend on when it was paused, the answer is the same
    as solving the blocks one after another, unless the time limit ends the run.
    """

    def __init__(self, n: int, width: int, deadline: float | None):
        self.cond = threading.Condition()  # on an RLock: halt() may run with it held
        self.width, self.deadline = width, deadline
        self.obj: list[float | None] = [None] * n
        self.bound = [math.inf] * n
        self.done = [False] * n
        self.running = set(range(min(width, n)))
        self.began = [time.perf_counter()] * n  # when each block's current turn began
        self.lag_at_turn = [math.inf] * n
        self.rate: list[float | None] = [None] * n  # recent shrinkage of the lag per second
        self.stop = False

    def lag(self, k: int) -> float:
        """What block k adds to the total gap: bound − incumbent (∞ without an incumbent)."""
        return math.inf if self.obj[k] is None else self.bound[k] - self.obj[k]

    def priority(self, k: int) -> float:
        """Expected shrinkage of the total gap in k's next turn (see the class docstring)."""
        lag = self.lag(k)
        if self.rate[k] is None or not math.isfinite(lag):
            return lag
        return min(lag, max(self.rate[k] * TURN_SECONDS, lag / FLOOR))

    def _hand_over(self, k: int | None) -> None:
        """Fill free turns (and, if k's turn has ended, maybe pass k's on)."""
        waiting = [j for j in range(len(self.done)) if not self.done[j] and j not in self.running]
        now = time.perf_counter()
        if k is not None:
            lag, before = self.lag(k), self.lag_at_turn[k]
            if math.isfinite(lag) and math.isfinite(before):
                rate = max(before - lag, 0.0) / max(now - self.began[k], 1e-3)
                self.rate[k] = rate if self.rate[k] is None else (self.rate[k] + rate) / 2
            self.lag_at_turn[k], self.began[k] = lag, now
        if k is not None and waiting:
            best = max(waiting, key=lambda j: (self.priority(j), -j))
            if self.priority(best) >= self.priority(k):
                self.running.discard(k)
        while len(self.running) < self.width and waiting:
            best = max(waiting, key=lambda j: (self.priority(j), -j))
            waiting.remove(best)
            self.running.add(best)
            self.began[best], self.lag_at_turn[best] = now, self.lag(best)
        self.cond.notify_all()

    def wait_turn(self, k: int) -> bool:
        """Block until k holds a turn; False if the whole run has stopped meanwhile.
        (Also called from the callback with the lock held: the condition's RLock allows it.)"""
        with self.cond:
            while k not in self.running and not self.stop:
                self.cond.wait()
            return not self.stop

    def callback(self, k: int):
        def progress(event) -> None:
            d = event.data_out
            with self.cond:
                if abs(d.mip_primal_bound) < 1e30:
                    self.obj[k], self.bound[k] = d.mip_primal_bound, d.mip_dual_bound
                now = time.perf_counter()
                if self.deadline is not None and now >= self.deadline:
                    self.halt()
                if not self.stop and now - self.began[k] >= TURN_SECONDS:
                    self._hand_over(k)
                if not self.wait_turn(k):
                    event.interrupt()

        return progress

    def finish(self, k: int, out: SolveOutcome | None) -> None:
        with self.cond:
            self.done[k] = True
            self.running.discard(k)
            if out is not None and out.objective is not None:
                self.obj[k], self.bound[k] = out.objective, out.bound
            if out is None or out.status in (Status.INFEASIBLE, Status.NO_SOLUTION):
                self.stop = True  # the whole has no portfolio: the other blocks need not go on
            self._hand_over(None)

    def halt(self) -> None:
        with self.cond:  # re-entrant: also called with the lock held
            self.stop = True
            self.cond.notify_all()


def _block_stage1(
    solvers: list[ModelSolver], settings: SolverSettings, deadline: float | None, starts: list, fresh: bool
) -> list[SolveOutcome | None]:
    """Stage 1 of every block, the blocks taking turns (see _Turns); None = never started."""
    width = min(settings.threads, len(solvers))
    turns = _Turns(len(solvers), width, deadline)
    # several blocks at once: one HiGHS thread each (HiGHS's own MIP parallelism is slight)
    effort = settings.heuristic_effort if settings.heuristic_effort is not None else BLOCK_EFFORT
    block = settings.model_copy(
        update={"tie_break": False, "threads": 1 if width > 1 else settings.threads, "heuristic_effort": effort}
    )
    outs: list[SolveOutcome | None] = [None] * len(solvers)
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            if turns.wait_turn(k):
                outs[k] = solvers[k].solve(block, warm_start=starts[k], fresh=fresh, progress=turns.callback(k))
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)
            turns.halt()
        finally:
            turns.finish(k, outs[k])

    use_threads(block.threads)
    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(len(solvers))]
    interrupted = []

    def on_sigint(signum, frame):
        interrupted.append(signum)
        turns.halt()

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread
        previous = None
    try:
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt
    if errors:
        raise errors[0]
    return outs


def solve_blocks(
    solvers: list[ModelSolver],
    positions: list[np.ndarray],
    n_starts: int,
    settings: SolverSettings,
    warm_start: np.ndarray | None = None,
    fresh: bool = False,
) -> SolveOutcome:
    """Solve each block's loaded model on its own and put the portfolios together (module docstring).

    `positions[k]` are block k's rows among the whole instance's `n_starts` starts."""
    t0 = time.perf_counter()
    deadline = None if settings.time_limit is None else t0 + settings.time_limit
    load = sum(s.load_seconds for s in solvers)  # loading into HiGHS, reported by each solver's first solve
    size = {k: sum(s.size.get(k, 0) for s in solvers) for k in ("variables", "constraints", "nonzeros")}
    starts = [None if warm_start is None else warm_start[pos] for pos in positions]
    outs = _block_stage1(solvers, settings, deadline, starts, fresh)

    def failed(out: SolveOutcome | None) -> SolveOutcome:
        if out is None:
            out = SolveOutcome(Status.NO_SOLUTION, termination="time limit (blocks)")
        return replace(out, x=None, load_seconds=load, solve_seconds=time.perf_counter() - t0, size=size)

    for out in outs:  # an infeasible block makes the whole infeasible, whatever the others did
        if out is not None and out.status == Status.INFEASIBLE:
            return failed(out)
    for out in outs:
        if out is None or out.status == Status.NO_SOLUTION:
            return failed(out)

    stage1 = time.perf_counter() - t0
    if settings.tie_break:  # stage 2 block by block, in the time stage 2 of one model would get
        sizes = np.array([len(pos) for pos in positions], dtype=float)
        # no time limit: every block's tie-break runs to its proof (as one model's would)
        budget = tie_seconds(stage1, None if deadline is None else deadline - time.perf_counter())
        end = None if budget is None else time.perf_counter() + budget
        for k, solver in enumerate(solvers):
            share = None if end is None else (end - time.perf_counter()) * sizes[k] / max(sizes[k:].sum(), 1.0)
            outs[k] = solver.tie_break(outs[k], settings, share)

    x = np.zeros(n_starts, dtype=bool)
    for pos, out in zip(positions, outs):
        x[pos] = out.x
    total_obj = sum(out.objective for out in outs)
    total_bound = max(sum(out.bound for out in outs), total_obj)
    gap = relative_gap(total_obj, total_bound)
    status = Status.OPTIMAL if gap <= settings.mip_gap else Status.FEASIBLE
    ties = {out.tie_break for out in outs}
    tie = ties.pop() if len(ties) == 1 else "; ".join(sorted(ties))
    return SolveOutcome(
        status,
        x,
        total_obj,
        total_bound,
        gap,
        load,
        time.perf_counter() - t0,
        f"{tie} ({len(solvers)} blocks)",
        "blocks",
        infeasible_rows=tuple(r for out in outs for r in out.infeasible_rows),
        nodes=sum(out.nodes or 0 for out in outs),
        size=size,
        tie_seconds=sum(out.tie_seconds for out in outs),
    )


def describe(blocks: list[list[str]]) -> str:
    return " | ".join(", ".join(b) for b in blocks)


__all__ = ["block_instance", "city_blocks", "describe", "solve_blocks"]
