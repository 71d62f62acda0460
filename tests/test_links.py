"""Blocks that survive a few links (solve/links.py) are exact: on instances whose cities are
joined only by dependencies and exclusive groups, the link search matches brute-force
enumeration and the undivided model, in score and in the cost of the cheapest best portfolio."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
from test_decompose import EXACT, separable

import optimizer
import oracle
from helpers import untimed_tie_break
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.solve.blocks import city_blocks
from optimizer.solve.strategy import LinkedBlocks, load
from random_instances import random_instance

links_module = importlib.import_module("optimizer.solve.links")


def linked(seed: int):
    """A separable random instance with its dependencies and exclusive groups put back
    (random_instance draws them between any two projects, cross-city ones included)."""
    meta, t, sc = separable(seed)
    _, full, _ = random_instance(seed)
    if "dependencies" in full:
        t["dependencies"] = full["dependencies"]
    if "group" in full["projects"]:
        t["projects"]["group"] = full["projects"]["group"]
    return meta, t, sc


def _dataset(seed: int):
    meta, t, sc = linked(seed)
    try:
        return meta, t, sc, optimizer.from_tables(meta, t)
    except optimizer.InputError:
        pytest.skip("the instance is not valid input (e.g. a target row equal to its baseline)")


class _Count:
    """Counts the link searches and their block solves while patched in."""

    def __init__(self):
        self.runs: list[tuple[int, int, str]] = []
        self._run = links_module.LinkSearch.run

    def __enter__(self):
        count = self

        def run(search, warm):
            found = count._run(search, warm)
            count.runs.append((len(search.solvers), search.solves, found[0]))
            return found

        self._patch = pytest.MonkeyPatch()
        self._patch.setattr(links_module.LinkSearch, "run", run)
        return self

    def __exit__(self, *exc):
        self._patch.undo()


SEEDS = list(range(30))


@pytest.mark.parametrize("seed", SEEDS)
def test_link_search_matches_enumeration_and_the_whole_model(seed):
    meta, t, sc, ds = _dataset(seed)
    want = oracle.enumerate_optimum(meta, t, sc)
    with untimed_tie_break():
        split = optimizer.solve(ds, {**sc, "solver": EXACT})
    whole = optimizer.solve(ds, {**sc, "solver": {**EXACT, "decompose": False}})
    if not want.feasible:
        assert split.status == whole.status == "infeasible"
        return
    assert split.status == whole.status == "optimal"
    assert split.objective == pytest.approx(want.best, abs=1e-6) == whole.objective
    assert split.total_cost == pytest.approx(want.min_cost, abs=1e-6)
    chosen = split.portfolio[split.portfolio["selected"].astype(bool)]
    assert oracle.is_feasible(meta, t, sc, dict(zip(chosen["id"], chosen["start"].astype(int))))


def test_the_search_runs_and_branches_on_most_linked_instances():
    """Not a vacuous check: the strategy is chosen on most instances, and some need branching
    (more block solves than blocks) — the children are what makes the search exact."""
    chosen = branched = 0
    for seed in SEEDS:
        meta, t, sc = linked(seed)
        try:
            ds = optimizer.from_tables(meta, t)
        except optimizer.InputError:
            continue
        inst = build_instance(ds, resolve_scenario(ds, sc))
        if len(city_blocks(inst)) > 1 or not isinstance(load(inst, mutable=False), LinkedBlocks):
            continue
        chosen += 1
        with _Count() as count:
            optimizer.solve(ds, {**sc, "solver": {**EXACT, "tie_break": False}})
        branched += any(solves > blocks for blocks, solves, _ in count.runs)
    assert chosen >= len(SEEDS) // 2
    assert branched >= 3


def test_a_broken_cross_city_dependency_is_put_back():
    """Two cities; A1 (杭州-like city A) needs B1 (city B) to finish first, and B1 alone is
    worth less than its budget elsewhere: the blocks alone take A1 without B1; the search
    must branch and find the better of "A1 without B1 → drop A1" and "B1 then A1"."""
    meta = {"name": "two", "cities": ["A", "B"], "tasks": ["t"], "horizon": [2024, 2027], "target_year": 2027}
    projects = pd.DataFrame(
        [
            {"id": "A1", "name": "A1", "city": "A", "task": "t", "cost": 10, "duration": 1, "earliest_start": 2025},
            {"id": "B1", "name": "B1", "city": "B", "task": "t", "cost": 10, "duration": 1, "earliest_start": 2024},
            {"id": "B2", "name": "B2", "city": "B", "task": "t", "cost": 10, "duration": 1, "earliest_start": 2024},
        ]
    )
    t = {
        "projects": projects,
        "indicators": pd.DataFrame(
            [
                {"indicator": "I", "name": "i", "unit": "u", "scope": "A", "baseline": 0, "target": 10, "weight": 1},
                {"indicator": "J", "name": "j", "unit": "u", "scope": "B", "baseline": 0, "target": 10, "weight": 1},
            ]
        ),
        "contributions": pd.DataFrame(
            [
                {"project_id": "A1", "indicator": "I", "value": 10},
                {"project_id": "B1", "indicator": "J", "value": 1},
                {"project_id": "B2", "indicator": "J", "value": 2},
            ]
        ),
        "limits": pd.DataFrame([{"resource": "budget", "scope": "B", "year": None, "limit": 10}]),
        "dependencies": pd.DataFrame([{"project_id": "A1", "requires": "B1"}]),
    }
    ds = optimizer.from_tables(meta, t)
    sc = {"solver": EXACT}
    inst = build_instance(ds, resolve_scenario(ds, sc))
    assert isinstance(load(inst, mutable=False), LinkedBlocks)
    with untimed_tie_break(), _Count() as count:
        res = optimizer.solve(ds, sc)
    want = oracle.enumerate_optimum(meta, t, sc)
    assert res.objective == pytest.approx(want.best) == pytest.approx(1.1)  # A1 (1.0) + B1 (0.1), not B2
    assert set(res.portfolio.loc[res.portfolio["selected"].astype(bool), "id"]) == {"A1", "B1"}
    assert count.runs and count.runs[0][1] > count.runs[0][0]  # it had to branch


def test_when_the_search_gives_up_the_whole_model_finishes(monkeypatch):
    monkeypatch.setattr(links_module, "MAX_SOLVES", 0)
    for seed in SEEDS[:12]:
        meta, t, sc = linked(seed)
        try:
            ds = optimizer.from_tables(meta, t)
        except optimizer.InputError:
            continue
        want = oracle.enumerate_optimum(meta, t, sc)
        with untimed_tie_break():
            res = optimizer.solve(ds, {**sc, "solver": EXACT})
        if want.feasible:
            assert res.status == "optimal"
            assert res.objective == pytest.approx(want.best, abs=1e-6)
            assert res.total_cost == pytest.approx(want.min_cost, abs=1e-6)
        else:
            assert res.status == "infeasible"
