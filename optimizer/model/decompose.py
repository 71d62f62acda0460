"""Solving cities that share nothing as separate, much smaller models — exactly.

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
import time
from dataclasses import replace

import numpy as np

from ..data.instance import Instance
from ..data.scenario import SolverSettings
from ..solve import ModelSolver, SolveOutcome, Status, relative_gap


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


def city_blocks(inst: Instance) -> list[list[str]]:
    """Groups of cities that no row, project or rule links; one group means no decomposition."""
    cities = list(inst.cities)
    uf = _Cities(cities)
    sh = inst.shares[inst.shares["scope"] != "ALL"]
    home = sh.groupby("p")["scope"].agg(list)  # the cities each project lies in
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
    """The part of the instance in these cities, and the positions of its starts in the whole."""
    sh = inst.shares
    keep = set(sh.loc[sh["scope"].isin(cities), "p"])
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
        progress=inst.progress[inst.progress["p"].isin(keep)].reset_index(drop=True),
        dependencies=inst.dependencies[inst.dependencies["q"].isin(keep)],
        groups={g: m for g, m in inst.groups.items() if set(m) <= keep},
        profile=inst.profile[inst.profile["p"].isin(keep)].reset_index(drop=True),
    )
    return sub, np.flatnonzero(in_block)


def solve_blocks(inst: Instance, blocks: list[list[str]], settings: SolverSettings) -> SolveOutcome:
    """Solve each block on its own and put the portfolios together (see the module docstring)."""
    from .build import build_model

    t0 = time.perf_counter()
    parts = [block_instance(inst, cities) for cities in blocks]
    sizes = np.array([len(sub.starts) for sub, _ in parts], dtype=float)
    x = np.zeros(len(inst.starts), dtype=bool)
    total_obj = total_bound = 0.0
    ties, rows, load, built = [], [], 0.0, 0.0
    size = {"variables": 0, "constraints": 0, "nonzeros": 0}
    for i, (sub, pos) in enumerate(parts):
        block_settings = settings
        if settings.time_limit is not None:  # share what is left in proportion to block size
            left = settings.time_limit - (time.perf_counter() - t0)
            share = left * sizes[i] / max(sizes[i:].sum(), 1.0)
            if share <= 0.05:
                return SolveOutcome(
                    Status.NO_SOLUTION,
                    None,
                    None,
                    None,
                    None,
                    load,
                    time.perf_counter() - t0,
                    termination="time limit (blocks)",
                )
            block_settings = settings.model_copy(update={"time_limit": share})
        tb = time.perf_counter()
        block_model = build_model(sub)
        built += time.perf_counter() - tb
        solver = ModelSolver(block_model, sub)
        out = solver.solve(block_settings)
        load += out.load_seconds
        for k in size:
            size[k] += out.size.get(k, 0)
        if out.status in (Status.INFEASIBLE, Status.NO_SOLUTION):
            return replace(
                out,
                x=None,
                load_seconds=load,
                solve_seconds=time.perf_counter() - t0 - built - load,
                size=size,
                build_seconds=built,
            )
        x[pos] = out.x
        total_obj += out.objective
        total_bound += out.bound
        ties.append(out.tie_break)
        rows += out.infeasible_rows
    gap = relative_gap(total_obj, max(total_bound, total_obj))
    status = Status.OPTIMAL if gap <= settings.mip_gap else Status.FEASIBLE
    tie = ties[0] if len(set(ties)) == 1 else "; ".join(sorted(set(ties)))
    return SolveOutcome(
        status,
        x,
        total_obj,
        max(total_bound, total_obj),
        gap,
        load,
        time.perf_counter() - t0 - load - built,
        f"{tie} ({len(blocks)} blocks)",
        "blocks",
        size=size,
        build_seconds=built,
    )


def describe(blocks: list[list[str]]) -> str:
    return " | ".join(", ".join(b) for b in blocks)


__all__ = ["block_instance", "city_blocks", "describe", "solve_blocks"]
