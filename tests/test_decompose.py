"""Per-city decomposition is exact: on instances whose cities share nothing, the blocks'
combined portfolio matches brute-force enumeration and the undivided model, score and cost."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import optimizer
import oracle
from helpers import untimed_tie_break
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.solve.blocks import city_blocks
from random_instances import random_instance

#: a proof on both stages, however slow the machine (no time limit; see helpers.untimed_tie_break)
EXACT = {"mip_gap": 0, "threads": 1, "time_limit": None}


def separable(seed: int):
    """A random instance with every element that links cities removed."""
    meta, t, sc = random_instance(seed)
    t = {k: v.copy() for k, v in t.items()}
    p = t["projects"]
    city = dict(zip(p["id"], p["city"]))
    t.pop("project_cities", None)
    if "limits" in t:
        lim = t["limits"]
        t["limits"] = lim[lim["scope"].fillna("ALL") != "ALL"]
    ind = t["indicators"]
    scopes = ind["scope"].fillna("ALL")
    # metro-wide targets become one row per city, so every city keeps something to aim at
    metro = ind[scopes == "ALL"]
    per_city = [metro.assign(scope=c) for c in meta["cities"]]
    t["indicators"] = pd.concat([ind[scopes != "ALL"], *per_city], ignore_index=True).drop_duplicates(
        ["indicator", "scope"]
    )
    if "dependencies" in t:
        d = t["dependencies"]
        t["dependencies"] = d[[city.get(a) == city.get(b) for a, b in zip(d["project_id"], d["requires"])]]
    if "group" in p:
        g = p["group"].where(p["group"].isna(), p["group"].astype(str) + "-" + p["city"].astype(str))
        p["group"] = g
    sc = {k: v for k, v in sc.items() if k not in ("task_minimum",)}
    if "balance" in sc:
        sc["balance"] = {k: v for k, v in sc["balance"].items() if k == "min_city_attainment"}
    return meta, t, sc


SEEDS = [s for s in range(40)]


@pytest.mark.parametrize("seed", SEEDS)
def test_blocks_match_enumeration_and_the_whole_model(seed):
    meta, t, sc = separable(seed)
    try:
        ds = optimizer.from_tables(meta, t)
    except optimizer.InputError:
        pytest.skip("the stripped instance is not valid input (e.g. a target row equal to its baseline)")
    inst = build_instance(ds, resolve_scenario(ds, sc))
    blocks = city_blocks(inst)
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
    if len(blocks) > 1:
        assert "blocks" in split.tie_break
    if not math.isnan(split.attainment_index or math.nan):
        assert split.attainment_index == pytest.approx(whole.attainment_index, abs=1e-6)


def test_most_separable_instances_do_split():
    split = 0
    for seed in SEEDS:
        meta, t, sc = separable(seed)
        try:
            ds = optimizer.from_tables(meta, t)
        except optimizer.InputError:
            continue
        split += len(city_blocks(build_instance(ds, resolve_scenario(ds, sc)))) > 1
    assert split >= len(SEEDS) // 3


def test_a_metro_wide_row_keeps_one_block():
    meta, t, sc = separable(1)
    t["limits"] = pd.concat(
        [
            t.get("limits", pd.DataFrame()),
            pd.DataFrame([{"resource": "budget", "scope": "ALL", "year": None, "limit": 1e6}]),
        ],
        ignore_index=True,
    )
    ds = optimizer.from_tables(meta, t)
    assert len(city_blocks(build_instance(ds, resolve_scenario(ds, sc)))) == 1


def test_blocks_on_two_cores_give_the_one_core_answer():
    """Blocks run side by side (threads 2) or taking turns on one core: each block's HiGHS
    search is the same either way, so the portfolio is identical, and proven.
    Only when no clock stops either stage: with a time limit, or the tie-break's own share
    of max(2 s, stage-1 time), a busy machine ends a block's tie-break unproven."""
    from optimizer.data.synthetic import synthetic_scenario, synthetic_tables

    ds = optimizer.from_tables(*synthetic_tables(160, seed=4))
    runs = []
    for threads in (1, 2):
        sc = {**synthetic_scenario(), "solver": {"time_limit": None, "mip_gap": 1e-4, "threads": threads}}
        with untimed_tie_break():
            runs.append(optimizer.solve(ds, sc))
    one, two = runs
    assert one.status == two.status == "optimal"
    assert one.tie_break == two.tie_break == "proven (4 blocks)"  # stage 2 ran on 2 threads too
    assert one.portfolio.equals(two.portfolio)
    assert one.objective == two.objective


def test_the_turn_goes_where_the_total_gap_shrinks_most():
    from optimizer.solve.blocks import FLOOR, _Turns

    turns = _Turns(4, 1, None)
    assert turns.running == {0}
    turns.obj = [9.0, 8.0, 7.0, 6.0]
    turns.bound = [9.01, 8.2, 7.05, 6.3]  # gaps 0.01, 0.2, 0.05, 0.3; no rates measured yet
    with turns.cond:  # held by the callback that ends a turn
        turns._hand_over(0)
        assert turns.running == {3}  # the largest gap first
        turns.obj[1] = None  # no incumbent yet: first in line
        turns._hand_over(3)  # block 3's turn closed nothing: its rate is 0
        assert turns.running == {1}
        assert turns.priority(3) == pytest.approx(0.3 / FLOOR)
        turns.obj[1], turns.bound[1] = 8.0, 8.0001
        turns._hand_over(1)
        assert turns.running == {2}  # 0.05 unmeasured beats 3's stalled 0.3
        turns.bound[2] = 7.03  # its turn closed 0.02 of its 0.05: it keeps the core
        turns._hand_over(2)
        assert turns.running == {2} and turns.rate[2] > 0
    turns.finish(1, None)  # a block without a portfolio stops the whole run
    assert turns.stop


def test_an_error_in_one_block_stops_the_others_and_is_raised(monkeypatch):
    from optimizer.data.synthetic import synthetic_scenario, synthetic_tables
    from optimizer.solve import ModelSolver

    real = ModelSolver.solve
    calls = []

    def failing(self, settings=None, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("block solver broke")
        return real(self, settings, *args, **kwargs)

    monkeypatch.setattr(ModelSolver, "solve", failing)
    ds = optimizer.from_tables(*synthetic_tables(160, seed=4))
    with pytest.raises(RuntimeError, match="block solver broke"):
        optimizer.solve(ds, {**synthetic_scenario(), "solver": {"time_limit": None, "threads": 1}})


def test_heuristic_effort_follows_the_model_shape_and_never_changes_the_optimum(monkeypatch):
    """Blank: 0.25 for a whole model, HiGHS's 0.05 for blocks; a scenario value wins.
    Heuristics steer the search only: the proven optimum is the same at 0 and 1."""
    from optimizer.data.synthetic import synthetic_scenario, synthetic_tables
    from optimizer.solve.highs import BLOCK_EFFORT, WHOLE_MODEL_EFFORT, ModelSolver

    seen = []
    real = ModelSolver.run_highs

    def spy(self, settings, progress=None, **kw):
        out = real(self, settings, progress, **kw)
        seen.append(self.opt._solver_model.getOptionValue("mip_heuristic_effort")[1])  # (status, value)
        return out

    monkeypatch.setattr(ModelSolver, "run_highs", spy)
    exact = {"time_limit": None, "mip_gap": 0, "threads": 1, "tie_break": False}
    for coupled, expected in ((True, WHOLE_MODEL_EFFORT), (False, BLOCK_EFFORT)):
        ds = optimizer.from_tables(*synthetic_tables(40, seed=3, coupled=coupled))
        scores = []
        for effort in (None, 0.0, 1.0):
            seen.clear()
            res = optimizer.solve(ds, {**synthetic_scenario(), "solver": {**exact, "heuristic_effort": effort}})
            assert res.status == "optimal"
            assert seen and set(seen) == {expected if effort is None else effort}
            scores.append(res.objective)
        assert scores == pytest.approx([scores[0]] * 3, rel=1e-9, abs=1e-9)
