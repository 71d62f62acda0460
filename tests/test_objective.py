"""Objective features of MODEL.md, each on a case small enough to work out by hand."""

from __future__ import annotations

import pytest

from helpers import chosen, dataset, project, solve

IND = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]


def test_cap_and_cost_tie_break():
    # P1 and P2 each close the whole gap (progress capped at 1): one is enough, and the
    # tie-break takes the cheaper one (P2, cost 3) — score 1.0 either way.
    ds = dataset(
        [project("P1", cost=5), project("P2", cost=3)], contributions=[("P1", "g", 10), ("P2", "g", 12)], indicators=IND
    )
    res = solve(ds)
    assert chosen(res) == {"P2": 2024} and res.objective == pytest.approx(1.0)
    assert res.total_cost == pytest.approx(3) and res.tie_break == "proven"
    a = res.attainment.iloc[0]
    assert a["achieved"] == pytest.approx(12) and a["progress"] == pytest.approx(1.2)
    assert res.attainment_index == pytest.approx(100)


def test_overshoot_weight():
    # ρ = 0.5: P1 alone gives 1.0; P1 + P2 gives 1 + 0.5·(15/10 − 1) = 1.25
    ds = dataset([project("P1"), project("P2")], contributions=[("P1", "g", 10), ("P2", "g", 5)], indicators=IND)
    assert solve(ds).objective == pytest.approx(1.0)
    res = solve(ds, overshoot_weight=0.5)
    assert set(chosen(res)) == {"P1", "P2"} and res.objective == pytest.approx(1.25)


def test_partial_credit():
    # P1: 4 years from 2024 (finishes 2027 > target 2026), cost profile 1,2,3,4 (sum 10):
    # by 2026 it has spent 6/10. With π = 0.5 it earns 0.5·0.6·10 = 3 of the gap 10 → 0.3.
    kw = dict(
        contributions=[("P1", "g", 10)],
        indicators=IND,
        cost_profiles=[{"project_id": "P1", "year_offset": k, "cost": k + 1} for k in range(4)],
        meta_kw={"horizon": (2024, 2027), "target_year": 2026},
    )
    ds = dataset([project("P1", duration=4, cost=10, status="mandatory")], **kw)
    assert solve(ds).objective == pytest.approx(0.0)
    res = solve(ds, partial_credit=0.5)
    assert res.objective == pytest.approx(0.3)
    assert res.attainment.iloc[0]["achieved"] == pytest.approx(3)


def test_city_weights():
    # Targets of A and B, one project each, money for one: equal weights → A's (bigger
    # progress 0.8 vs 0.6); weight 2 on B → B's (1.2 > 0.8).
    ind = [
        {"indicator": "g", "scope": "A", "baseline": 0, "target": 10},
        {"indicator": "g", "scope": "B", "baseline": 0, "target": 10},
    ]
    projects = [project("P1", cost=5), project("P2", city="B", cost=5)]
    kw = dict(
        contributions=[("P1", "g", 8), ("P2", "g", 6)],
        indicators=ind,
        limits=[{"resource": "budget", "scope": "ALL", "limit": 5}],
    )
    assert set(chosen(solve(dataset(projects, **kw)))) == {"P1"}
    res = solve(dataset(projects, **kw), city_weights={"B": 2})
    assert set(chosen(res)) == {"P2"} and res.objective == pytest.approx(1.2)


def test_indicator_that_must_fall():
    # Dead-end roads: baseline 15, target 2 (Δ = −13). P1 removes 8 (−8), P2 removes 13.
    # P2 alone closes the gap (1.0); P1 alone 8/13. An industrial project P3 adds PM2.5:
    # baseline 30, target 26 (Δ = −4), contribution +1 → progress −0.25, a loss.
    ind = [
        {"indicator": "roads", "scope": "ALL", "baseline": 15, "target": 2},
        {"indicator": "pm25", "scope": "ALL", "baseline": 30, "target": 26},
        {"indicator": "gdp", "scope": "ALL", "baseline": 0, "target": 10, "weight": 0.2},
    ]
    ds = dataset(
        [project("P1", cost=2), project("P2", cost=9), project("P3", cost=1)],
        contributions=[("P1", "roads", -8), ("P2", "roads", -13), ("P3", "pm25", 1), ("P3", "gdp", 10)],
        indicators=ind,
        limits=[{"resource": "budget", "scope": "ALL", "limit": 10}],
    )
    res = solve(ds)
    # options within budget 10: {P2} 1.0; {P2,P3} 1 − 0.25 + 0.2 = 0.95; {P1,P3} 8/13 − 0.25 + 0.2
    assert set(chosen(res)) == {"P2"} and res.objective == pytest.approx(1.0)
    a = res.attainment.set_index("indicator")
    assert a.loc["roads", "achieved"] == pytest.approx(2) and a.loc["roads", "progress"] == pytest.approx(1)
    # attainment index: 100 · (1·1 + 1·0 + 0.2·0) / 2.2
    assert res.attainment_index == pytest.approx(100 / 2.2)


def test_uncapped_indicator_counts_every_unit():
    ds = dataset(
        [project("P1"), project("P2")],
        contributions=[("P1", "v", 3), ("P2", "v", 4)],
        indicators=[{"indicator": "v", "scope": "ALL"}],
    )
    res = solve(ds)
    assert res.objective == pytest.approx(7) and res.attainment_index is None


def test_cross_city_shares_split_progress_and_spending():
    # A rail line 60% in A, 40% in B, cost 10: A's target (gap 6) gets 0.6·10 = 6 → 1.0;
    # B's target (gap 8) gets 4 → 0.5. A's budget 5 < 6 would forbid it; 6 allows it.
    ind = [{"indicator": "km", "scope": "A", "target": 6}, {"indicator": "km", "scope": "B", "target": 8}]
    kw = dict(
        contributions=[("R", "km", 10)],
        indicators=ind,
        project_cities=[{"project_id": "R", "city": "A", "share": 0.6}, {"project_id": "R", "city": "B", "share": 0.4}],
    )
    res = solve(
        dataset(
            [project("R", cost=10, latest_start=2024)],
            limits=[{"resource": "budget", "scope": "A", "year": 2024, "limit": 6}],
            **kw,
        )
    )
    assert res.objective == pytest.approx(1.5)
    res = solve(
        dataset(
            [project("R", cost=10, latest_start=2024)],
            limits=[{"resource": "budget", "scope": "A", "year": 2024, "limit": 5}],
            **kw,
        )
    )
    assert res.selected_count == 0


def test_tie_break_steps_leave_the_model_whole_and_reach_outside_the_first_portfolio():
    """Stage 2's first step holds the projects stage 1 left out at 0; the second must free them
    again (or a cheaper portfolio outside stage 1's could not be found), and the next solve
    of the same loaded model must see every project's bounds as they were."""
    import importlib

    import numpy as np

    from optimizer.data.instance import build_instance
    from optimizer.data.scenario import Scenario
    from optimizer.model.build import build_model

    # P1, P2, P3 each close the gap; the cheapest best is P2 (cost 2), not in stage 1's {P1}
    ds = dataset(
        [project("P1", cost=9), project("P2", cost=2), project("P3", cost=4)],
        contributions=[("P1", "g", 10), ("P2", "g", 10), ("P3", "g", 10)],
        indicators=IND,
    )
    hs = importlib.import_module("optimizer.solve.highs")
    inst = build_instance(ds, Scenario.model_validate({"solver": {"mip_gap": 0, "threads": 1, "time_limit": None}}))
    m = build_model(inst)
    solver = hs.ModelSolver(m, inst)
    x1 = inst.starts["p"].eq("P1").to_numpy()
    for v, b in zip(m._x, x1):
        v.set_value(float(b))
    tied = solver.tie_break(hs.SolveOutcome(hs.Status.OPTIMAL, x1, 1.0, 1.0, 0.0), inst.scenario.solver, None)
    assert tied.tie_break == "proven" and set(inst.starts["p"][tied.x]) == {"P2"}
    lp = solver.opt._solver_model.getLp()
    cols = [solver.opt._pyomo_var_to_solver_var_map[id(v)] for v in m._x]
    assert np.all(np.asarray(lp.col_upper_)[cols] == 1.0) and np.all(np.asarray(lp.col_lower_)[cols] == 0.0)
    again = solver.solve()  # the loaded model solves as before
    assert again.objective == pytest.approx(1.0) and set(inst.starts["p"][again.x]) == {"P2"}
