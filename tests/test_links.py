"""Blocks that survive a few links (solve/links.py) are exact: on instances whose cities are
joined only by dependencies, exclusive groups and cross-city projects, the link search matches brute-force
enumeration and the undivided model, in score and in the cost of the cheapest best portfolio."""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json

import numpy as np
import pandas as pd
import pytest
from test_decompose import EXACT, separable

import optimizer
import oracle
from helpers import untimed_tie_break
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.solve import Status
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


def shared(seed: int):
    """A linked instance with its cross-city projects put back (random_instance's
    project_cities: a project in two cities, paid and counted by share in each)."""
    meta, t, sc = linked(seed)
    _, full, _ = random_instance(seed)
    t["project_cities"] = full["project_cities"]
    return meta, t, sc


def _loadable(make, seeds=None):
    """(seed, meta, tables, scenario, dataset) of the instances `make` draws that are valid input."""
    for seed in SEEDS if seeds is None else seeds:
        meta, t, sc = make(seed)
        try:
            ds = optimizer.from_tables(meta, t)
        except optimizer.InputError:
            continue
        yield seed, meta, t, sc, ds


def _dataset(seed: int, make=linked):
    for _, meta, t, sc, ds in _loadable(make, [seed]):
        return meta, t, sc, ds
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


@pytest.mark.parametrize("shares", [False, True], ids=["own-city", "cross-city"])
@pytest.mark.parametrize("seed", SEEDS)
def test_link_search_matches_enumeration_and_the_whole_model(seed, shares):
    """With shares, cross-city projects are links too (a copy per city, kept alike by
    branching), besides the dependencies and groups."""
    meta, t, sc, ds = _dataset(seed, shared if shares else linked)
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
    for _, _, _, sc, ds in _loadable(linked):
        inst = build_instance(ds, resolve_scenario(ds, sc))
        if len(city_blocks(inst)) > 1 or not isinstance(load(inst, mutable=False), LinkedBlocks):
            continue
        chosen += 1
        with _Count() as count:
            optimizer.solve(ds, {**sc, "solver": {**EXACT, "tie_break": False}})
        branched += any(solves > blocks for blocks, solves, _ in count.runs)
    assert chosen >= len(SEEDS) // 2
    assert branched >= 3


def _project(pid: str, city: str, cost: float, **extra) -> dict:
    return {
        "id": pid,
        "name": pid,
        "city": city,
        "task": "t",
        "cost": cost,
        "duration": 1,
        "earliest_start": 2024,
        **extra,
    }


def two_cities(extra_projects=(), extra_deps=()):
    """Two cities; A1 (city A) needs B1 (city B) to finish first, and B1 is worth less than B2
    within B's budget: the blocks alone take A1 with B2, which breaks the link. A2 and A3
    reach target K alike, A2 cheaper (a tie the cost tie-break settles)."""
    meta = {"name": "two", "cities": ["A", "B"], "tasks": ["t"], "horizon": [2024, 2027], "target_year": 2027}
    projects = [
        _project("A1", "A", 10, earliest_start=2025),
        _project("A2", "A", 5),
        _project("A3", "A", 8),
        _project("B1", "B", 10),
        _project("B2", "B", 10),
        *extra_projects,
    ]
    row = {"name": "n", "unit": "u", "baseline": 0, "target": 10, "weight": 1}
    t = {
        "projects": pd.DataFrame(projects),
        "indicators": pd.DataFrame(
            [{"indicator": i, "scope": c, **row} for i, c in (("I", "A"), ("K", "A"), ("J", "B"))]
        ),
        "contributions": pd.DataFrame(
            [
                {"project_id": "A1", "indicator": "I", "value": 10},
                {"project_id": "A2", "indicator": "K", "value": 10},
                {"project_id": "A3", "indicator": "K", "value": 10},
                {"project_id": "B1", "indicator": "J", "value": 1},
                {"project_id": "B2", "indicator": "J", "value": 2},
            ]
        ),
        "limits": pd.DataFrame([{"resource": "budget", "scope": "B", "year": None, "limit": 10}]),
        "dependencies": pd.DataFrame([{"project_id": "A1", "requires": "B1"}, *extra_deps]),
    }
    return meta, t


def _selected(res) -> set[str]:
    return set(res.portfolio.loc[res.portfolio["selected"].astype(bool), "id"])


def test_a_broken_cross_city_dependency_is_put_back():
    meta, t = two_cities()
    ds = optimizer.from_tables(meta, t)
    sc = {"solver": EXACT}
    inst = build_instance(ds, resolve_scenario(ds, sc))
    assert isinstance(load(inst, mutable=False), LinkedBlocks)
    with untimed_tie_break(), _Count() as count:
        res = optimizer.solve(ds, sc)
    want = oracle.enumerate_optimum(meta, t, sc)
    assert res.objective == pytest.approx(want.best) == pytest.approx(2.1)  # A1 + A2 + B1 (0.1), not B2
    assert _selected(res) == {"A1", "A2", "B1"}
    assert count.runs and count.runs[0][1] > count.runs[0][0]  # it had to branch


def test_a_change_reaches_the_model_the_tie_break_runs_on():
    """The workbench's changes (here: A2 forced out, then A3 forced out) apply to the blocks
    and to the whole model on which the cost tie-break runs: the same answer as undivided."""
    from optimizer.engine.session import Session
    from optimizer.solve.change import Change

    meta, t = two_cities()
    ds = optimizer.from_tables(meta, t)
    split = Session(ds, {"solver": EXACT})
    whole = Session(ds, {"solver": {**EXACT, "decompose": False}})
    assert isinstance(split.loaded, LinkedBlocks)
    assert split.has_row("one_start", "A2")
    for out in ("A2", "A3"):
        change = Change(force_out=(out,), tie_break=True)
        with untimed_tie_break():
            a, b = split.solve(change), whole.solve(change)
        assert _selected(a) == _selected(b)
        assert out not in _selected(a)
        assert a.objective == pytest.approx(b.objective)
    with untimed_tie_break():
        assert _selected(split.solve()) == {"A1", "A2", "B1"}  # every change undone


def test_a_dependency_on_an_unavailable_project():
    """A2 requires B9, which is excluded: A2 can never start; the whole model knows, and so
    must the search (no lookup of B9's duration among the available projects)."""
    meta, t = two_cities([_project("B9", "B", 1, status="excluded")], [{"project_id": "A2", "requires": "B9"}])
    ds = optimizer.from_tables(meta, t)
    want = oracle.enumerate_optimum(meta, t, {})
    with untimed_tie_break():
        res = optimizer.solve(ds, {"solver": EXACT})
    assert res.objective == pytest.approx(want.best)
    assert _selected(res) == {"A1", "A3", "B1"}


def test_a_shared_project_and_an_excluded_one():
    """S lies in both cities (60/40) and is worth J in B; X, excluded, lies in both too: it
    has no starts and no copies to keep alike. Matches enumeration."""
    extra = [_project("S", "A", 10), _project("X", "A", 4, status="excluded")]
    meta, t = two_cities(extra)
    t["project_cities"] = pd.DataFrame(
        [
            {"project_id": "S", "city": "A", "share": 0.6},
            {"project_id": "S", "city": "B", "share": 0.4},
            {"project_id": "X", "city": "A", "share": 0.5},
            {"project_id": "X", "city": "B", "share": 0.5},
        ]
    )
    t["contributions"] = pd.concat(
        [t["contributions"], pd.DataFrame([{"project_id": "S", "indicator": "J", "value": 5}])], ignore_index=True
    )
    ds = optimizer.from_tables(meta, t)
    inst = build_instance(ds, resolve_scenario(ds, {"solver": EXACT}))
    loaded = load(inst, mutable=False)
    assert isinstance(loaded, LinkedBlocks) and set(loaded.links.shared) == {"S"}
    want = oracle.enumerate_optimum(meta, t, {})
    with untimed_tie_break():
        res = optimizer.solve(ds, {"solver": EXACT})
    assert res.objective == pytest.approx(want.best)
    assert res.total_cost == pytest.approx(want.min_cost)


def _valid_cases(n: int):
    """The first n linked instances that are valid input, with and without their cross-city
    projects, with their enumerated optimum."""
    for make in (linked, shared):
        for _, meta, t, sc, ds in _loadable(make, SEEDS[:n]):
            yield sc, ds, oracle.enumerate_optimum(meta, t, sc)


def test_when_the_search_gives_up_the_whole_model_finishes(monkeypatch):
    monkeypatch.setattr(links_module, "MAX_SOLVES", 0)
    for sc, ds, want in _valid_cases(12):
        with untimed_tie_break():
            res = optimizer.solve(ds, {**sc, "solver": EXACT})
        if want.feasible:
            assert res.status == "optimal"
            assert res.objective == pytest.approx(want.best, abs=1e-6)
            assert res.total_cost == pytest.approx(want.min_cost, abs=1e-6)
        else:
            assert res.status == "infeasible"


def test_blocks_not_proven_at_the_root_hand_over_exactly(monkeypatch):
    """Every block's first solve reported as not proven (as a large block under the clock):
    the blocks' union is repaired, its neighbourhood solved, and the whole model finishes from
    there. Score and cost match enumeration, and the bound (the better of the blocks' sum and
    the whole model's own) never cuts below the optimum."""
    block = links_module.LinkSearch.block

    def unproven(search, k, ops, warm=None, until=None):
        r = block(search, k, ops, warm, until)
        return dataclasses.replace(r, status=Status.FEASIBLE) if r.status == Status.OPTIMAL else r

    monkeypatch.setattr(links_module.LinkSearch, "block", unproven)
    around = 0
    for sc, ds, want in _valid_cases(15):
        with untimed_tie_break():
            res = optimizer.solve(ds, {**sc, "solver": {**EXACT, "time_limit": 60}})
        if not want.feasible:
            assert res.status == "infeasible"
            continue
        assert res.status == "optimal"
        assert res.objective == pytest.approx(want.best, abs=1e-6)
        assert res.total_cost == pytest.approx(want.min_cost, abs=1e-6)
        assert res.bound >= want.best - 1e-6
        around += "neighbourhood" in res.solver.get("termination", "")
    assert around >= 10  # the path under test ran, not only the whole-model fallback


def _two_city_search():
    """two_cities() loaded as linked blocks, and a link search over them with no deadline."""
    meta, t = two_cities()
    ds = optimizer.from_tables(meta, t)
    sc = resolve_scenario(ds, {"solver": EXACT})
    inst = build_instance(ds, sc)
    loaded = load(inst, mutable=False)
    solvers = [b.solver for b in loaded.split.models]
    return inst, links_module.LinkSearch(solvers, loaded.split.positions, inst, loaded.links, sc.solver, None)


def test_the_warm_start_after_giving_up_meets_every_link():
    """When the search gives up, the whole model starts from the blocks' union with whatever
    breaks a link dropped: here A1 (its prerequisite B1 was not taken)."""
    inst, search = _two_city_search()
    union = np.isin(inst.starts["p"], ["A1", "A2", "B2"]) & (inst.starts["t"].to_numpy() == 2025)
    union |= np.isin(inst.starts["p"], ["A2", "B2"]) & (inst.starts["t"].to_numpy() == 2024)
    union &= ~(np.isin(inst.starts["p"], ["A2", "B2"]) & (inst.starts["t"].to_numpy() == 2025))
    fixed = search.repair(union)
    assert set(inst.starts["p"][fixed]) == {"A2", "B2"}
    assert set(inst.starts["p"][union]) == {"A1", "A2", "B2"}


def test_the_search_counts_the_links_the_blocks_break():
    """The blocks alone take A1 with B2 (B1 is worth less): one broken link, the count by
    which the search judges whether its tree can fit in the time left."""
    _, search = _two_city_search()
    root = [search.block(k, ops) for k, ops in enumerate(search.implied())]
    assert search.count_broken(root) == 1
    ops = list(search.implied())
    for k, off in search._ops("B2", search.by_project["B2"]):  # B2 out: B1 then fits B's budget
        ops[k] |= off
    fixed = [search.block(k, o) for k, o in enumerate(ops)]
    assert search.count_broken(fixed) == 0 and search.broken(fixed) is None


def test_the_summary_says_which_strategy_ran(tmp_path):
    """summary.json's `solver` names what stage 1 ran on: the linked blocks with their one
    link, city blocks once the link is gone, the whole model when decomposition is off."""
    meta, t = two_cities()
    free = {**t, "dependencies": t["dependencies"].iloc[0:0]}
    cases = (
        (t, EXACT, "linked blocks (2, 1 links)"),
        (free, EXACT, "city blocks (2)"),
        (t, {**EXACT, "decompose": False}, "whole model"),
    )
    for tables, solver, strategy in cases:
        with untimed_tie_break():
            res = optimizer.solve(optimizer.from_tables(meta, tables), {"solver": solver})
        back = optimizer.Result.read(res.write(tmp_path / strategy.split()[0]))
        got = json.loads((tmp_path / strategy.split()[0] / "summary.json").read_text(encoding="utf-8"))["solver"]
        assert got["strategy"] == strategy, (strategy, got)
        assert got["termination"] and got["nodes"] is not None
        assert back.solver == got
        assert res.objective == pytest.approx(oracle.enumerate_optimum(meta, tables, {"solver": solver}).best)


def _shared_cases():
    """The shared instances on which the search runs with shared projects among its links."""
    for seed, meta, t, sc, ds in _loadable(shared):
        inst = build_instance(ds, resolve_scenario(ds, sc))
        loaded = load(inst, mutable=False)
        if len(city_blocks(inst)) == 1 and isinstance(loaded, LinkedBlocks) and loaded.links.shared:
            yield seed, meta, t, sc, ds


def test_cross_city_projects_make_linked_blocks_and_copies_get_branched_on(monkeypatch):
    """Not vacuous: most of these instances run the search with shared projects, and on some
    the blocks' copies of a shared project first disagree (a child per copy choice)."""
    forked = []
    broken = links_module.LinkSearch.broken

    def watch(search, results):
        children = broken(search, results)
        if children and len(children) == 2 and len(children[0]) > 1 and len(children[1]) > 1:
            forked.append(1)  # one child changes several blocks: only a shared project does that
        return children

    monkeypatch.setattr(links_module.LinkSearch, "broken", watch)
    cases = list(_shared_cases())
    assert len(cases) >= len(SEEDS) // 3
    for _, _, _, sc, ds in cases:
        optimizer.solve(ds, {**sc, "solver": {**EXACT, "tie_break": False}})
    assert len(forked) >= 3


def test_forcing_a_shared_project_in_or_out_matches_the_undivided_model():
    """The workbench's changes reach every copy of a shared project: forced in, then out,
    the linked blocks give the undivided model's score and cheapest cost."""
    from optimizer.engine.session import Session
    from optimizer.solve.change import Change

    checked = 0
    for _, _, _, sc, ds in itertools.islice(_shared_cases(), 4):  # not all 30 built to use 4
        split = Session(ds, {**sc, "solver": EXACT})
        whole = Session(ds, {**sc, "solver": {**EXACT, "decompose": False}})
        p = sorted(split.loaded.links.shared)[0]
        for change in (Change(force_in=(p,), tie_break=True), Change(force_out=(p,), tie_break=True)):
            with untimed_tie_break():
                a, b = split.solve(change), whole.solve(change)
            assert a.status == b.status
            if b.objective is not None:
                assert a.objective == pytest.approx(b.objective, abs=1e-6)
                assert a.total_cost == pytest.approx(b.total_cost, abs=1e-6)
                assert (p in _selected(a)) == bool(change.force_in)
            checked += 1
    assert checked == 8
