"""The engine: one Session answers solve() and solve(change), through city blocks or one model alike.

Every figure is checked against an independent answer: the same change expressed as a scenario
and solved from scratch, or the undivided model. Exact settings (no time limit, gap 0), so a
slow machine is slower, never wrong.
"""

from __future__ import annotations

import dataclasses
import threading

import pytest

import optimizer
from optimizer.data.synthetic import synthetic_tables
from optimizer.engine import Change, Session, starts_of

EXACT = {"partial_credit": 0.5, "solver": {"mip_gap": 0, "threads": 1, "time_limit": None, "tie_break": False}}
WHOLE = {**EXACT, "solver": {**EXACT["solver"], "decompose": False}}


@pytest.fixture(scope="module")
def ds():
    return optimizer.from_tables(*synthetic_tables(36, seed=5))


@pytest.fixture(scope="module")
def blocks(ds):
    s = Session(ds, EXACT)
    assert s.blocks > 1, "the uncoupled synthetic data splits by city"
    return s


@pytest.fixture(scope="module")
def whole(ds):
    s = Session(ds, WHOLE)
    assert s.blocks == 1
    return s


def _changes(s: Session) -> list[Change]:
    base = s.solve()
    chosen = starts_of(base)
    left_out = [p for p in base.portfolio["id"] if p not in chosen and p in set(s.inst.starts["p"])]
    city = s.inst.cities[0]
    own = [(i, c) for i, c in zip(s.inst.targets["indicator"], s.inst.targets["scope"]) if c == city]
    return [
        Change(label="budget 0.7", limits=s.scaled("budget", 0.7)),
        Change(label="land 0.5 in one city", limits=s.scaled("land", 0.5, city)),
        Change(label="in", force_in=(left_out[0],)),
        Change(label="out", force_out=(sorted(chosen)[0],)),
        Change(label="weights", weights={k: 0.0 for k in own}),
        Change(label="floor", floors={city: 0.95}),
    ]


def test_sweep_points_through_city_blocks_match_the_whole_model(blocks, whole):
    for a, b in zip(_changes(blocks), _changes(whole)):
        assert a == b
        split, one = blocks.solve(a), whole.solve(b)
        assert split.status == one.status, a.label
        if one.ok:
            assert split.objective == pytest.approx(one.objective, abs=1e-6), a.label
            assert "blocks" in split.tie_break


def test_a_change_equals_the_same_scenario_solved_from_scratch(ds, blocks):
    scaled = blocks.solve(Change(limits=blocks.scaled("budget", 0.7)))
    fresh = optimizer.solve(ds, {**EXACT, "scale": {"budget": 0.7}})
    assert fresh.ok and scaled.objective == pytest.approx(fresh.objective, abs=1e-6)
    pid = sorted(starts_of(blocks.solve()))[0]
    out = blocks.solve(Change(force_out=(pid,)))
    assert out.objective == pytest.approx(optimizer.solve(ds, {**EXACT, "force_out": [pid]}).objective, abs=1e-6)
    assert pid not in starts_of(out)


def test_every_change_is_undone(blocks):
    before = blocks.solve()
    for ch in _changes(blocks):
        blocks.solve(ch)
    after = blocks.solve()
    assert after.objective == pytest.approx(before.objective, abs=1e-9)
    assert starts_of(after) == starts_of(before)
    assert optimizer.solve(blocks.dataset, EXACT).objective == pytest.approx(before.objective, abs=1e-9)


def test_a_change_that_fails_in_one_block_leaves_every_block_as_it_was(blocks, monkeypatch):
    """A change that the first blocks take and a later one refuses must not stay half-applied:
    the blocks already changed are undone before the error goes up."""
    from optimizer.solve.strategy import CityBlocks

    loaded = blocks.loaded
    assert isinstance(loaded, CityBlocks) and len(loaded.models) > 1
    before = blocks.solve()

    def refuse(change, inst):
        raise RuntimeError("refused")

    monkeypatch.setattr(loaded.models[-1], "apply", refuse)
    with pytest.raises(RuntimeError, match="refused"):
        blocks.solve(Change(limits=blocks.scaled("budget", 0.3)))
    monkeypatch.undo()
    after = blocks.solve()
    assert after.objective == pytest.approx(before.objective, abs=1e-9)
    assert starts_of(after) == starts_of(before)


def test_forcing_in_a_project_no_model_has_is_infeasible_and_says_why(blocks):
    res = blocks.solve(Change(force_in=("NO-SUCH",)))
    assert res.status == "infeasible" and "NO-SUCH cannot be forced in" in res.message


def test_threads_may_share_one_session(blocks):
    changes = _changes(blocks)
    serial = [blocks.solve(ch).objective for ch in changes]
    got: dict[int, float] = {}

    def work(k: int) -> None:
        got[k] = blocks.solve(changes[k]).objective

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(changes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[k] for k in range(len(changes))] == pytest.approx(serial, abs=1e-9)


def test_a_single_run_session_rebuilds_once_to_take_a_change(ds):
    s = Session(ds, WHOLE, reusable=False)
    base = s.solve()
    cut = s.solve(Change(limits=s.scaled("budget", 0.7)))
    assert cut.objective <= base.objective + 1e-9
    assert cut.scenario["change"] == "" and "change" not in base.scenario


def test_results_are_frozen(blocks):
    res = blocks.solve()
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.objective = 0.0  # type: ignore[misc]
