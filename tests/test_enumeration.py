"""The optimizer against exhaustive enumeration (tests/oracle.py) of MODEL.md.

First the oracle itself on two-project cases worked out by hand, then random
tiny instances mixing every feature (tests/random_instances.py).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd
import pytest

from optimizer.data.schema import TABLES

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle
from helpers import untimed_tie_break
from random_instances import IND_COLS, random_instance

SEEDS = range(60)
#: a proof on both stages, however slow the machine (no time limit; see helpers.untimed_tie_break)
SOLVER = {"mip_gap": 0, "threads": 1, "time_limit": None}


# --------------------------------------------------------------------------- helpers


def _tables(projects, contributions, indicators, limits=(), shares=(), profiles=(), deps=()):
    pcols = TABLES["projects"].columns  # every column of projects.csv, in DATA.md order
    rows = [{"name": p["id"], **p} for p in projects]
    t = {
        "projects": pd.DataFrame(rows, columns=pcols),
        "contributions": pd.DataFrame(list(contributions), columns=["project_id", "indicator", "value"]),
        "indicators": pd.DataFrame(list(indicators), columns=IND_COLS),
        "limits": pd.DataFrame(list(limits), columns=["resource", "scope", "year", "limit"]),
    }
    if shares:
        t["project_cities"] = pd.DataFrame(list(shares), columns=["project_id", "city", "share"])
    if profiles:
        t["cost_profiles"] = pd.DataFrame(list(profiles), columns=["project_id", "year_offset", "cost"])
    if deps:
        t["dependencies"] = pd.DataFrame(list(deps), columns=["project_id", "requires"])
    return t


def _meta(y0, y1, target, cities=("A", "B")):
    return {"name": "hand", "cities": list(cities), "horizon": [y0, y1], "target_year": target}


def _check(o, best, cost, n_opt, assignment=None):
    assert o.feasible
    assert o.best == pytest.approx(best, abs=1e-9)
    assert o.min_cost == pytest.approx(cost, abs=1e-9)
    assert o.n_optimal == n_opt
    if assignment is not None:
        assert o.assignment == assignment


# --------------------------------------------------------------------------- the oracle by hand

# Case A: two one-year projects, one capped indicator, one budget row.
#   P1 (A, cost 4, GDP 3), P2 (B, cost 6, GDP 5); GDP ALL: baseline 0, target 4 (Δ=4).
#   P1: min(1, 3/4)=0.75   P2: min(1, 5/4)=1   both: min(1, 8/4)=1 (cost 10).
CASE_A = dict(
    meta=_meta(2024, 2025, 2025),
    tables=_tables(
        [
            dict(id="P1", city="A", duration=1, earliest_start=2024, latest_start=2024, cost=4),
            dict(id="P2", city="B", duration=1, earliest_start=2024, latest_start=2024, cost=6),
        ],
        [("P1", "GDP", 3), ("P2", "GDP", 5)],
        [("GDP", "gdp", "", "ALL", 0, 4, 1)],
        [("budget", "ALL", 2024, 10)],
    ),
)


def test_oracle_capped_tie_break_on_cost():
    # best 1 reached by {P2} (cost 6) and {P1,P2} (cost 10): the cheaper wins.
    o = oracle.enumerate_optimum(CASE_A["meta"], CASE_A["tables"], {})
    _check(o, 1.0, 6.0, 2, {"P1": None, "P2": 2024})
    assert o.n_assignments == 4 and o.n_feasible == 4


def test_oracle_overshoot():
    # ρ=0.5: {P2}: 1 + 0.5·(5/4−1) = 1.125; both: 1 + 0.5·(8/4−1) = 1.5.
    o = oracle.enumerate_optimum(CASE_A["meta"], CASE_A["tables"], {"overshoot_weight": 0.5})
    _check(o, 1.5, 10.0, 1)
    # budget 10·0.9 = 9 < 10 forbids both: {P2} with 1.125.
    o = oracle.enumerate_optimum(CASE_A["meta"], CASE_A["tables"], {"overshoot_weight": 0.5, "scale": {"budget": 0.9}})
    _check(o, 1.125, 6.0, 1)
    # ρ=1 counts the full ratio: both give 8/4 = 2.
    o = oracle.enumerate_optimum(CASE_A["meta"], CASE_A["tables"], {"overshoot_weight": 1.0})
    _check(o, 2.0, 10.0, 1)


def _case_b(limits=()):
    # P1: d=2, profile [6, 4], starts 2024|2025 (latest blank -> 2026-2+1); CO2 −4.
    # P2: d=1, start 2026 only, cost 2, CO2 −2.  CO2 ALL: 100 -> 95, Δ = −5.
    meta = _meta(2024, 2026, 2025)
    tables = _tables(
        [
            dict(id="P1", city="A", duration=2, earliest_start=2024, cost=10),
            dict(id="P2", city="A", duration=1, earliest_start=2026, cost=2),
        ],
        [("P1", "CO2", -4), ("P2", "CO2", -2)],
        [("CO2", "co2", "", "ALL", 100, 95, None)],
        limits,
        profiles=[("P1", 0, 6), ("P1", 1, 4)],
    )
    return meta, tables


def test_oracle_must_fall_and_partial_credit():
    meta, tables = _case_b()
    # π=0.5.  P1@2024 finishes 2025 ≤ y*: κ=1, g=−4, g/Δ = 0.8.
    # P1@2025 finishes 2026: κ = 0.5·a0/cost = 0.5·6/10 = 0.3, g=−1.2, g/Δ=0.24.
    # P2@2026: no construction year ≤ 2025, κ = 0.  Best 0.8 with or without P2.
    o = oracle.enumerate_optimum(meta, tables, {"partial_credit": 0.5})
    _check(o, 0.8, 10.0, 2, {"P1": 2024, "P2": None})
    assert o.n_assignments == 6
    assert oracle.score(meta, tables, {"partial_credit": 0.5}, {"P1": 2025, "P2": None}) == pytest.approx(0.24)
    assert oracle.score(meta, tables, {}, {"P1": 2025, "P2": 2026}) == 0.0  # π = 0


def test_oracle_budget_annual_versus_cumulative():
    # Rows 2024: 7, 2025: 3 (none for 2026).  P1@2024 spends 6, 4; P1@2025 spends 6 in 2025.
    # annual: 4 > 3 and 6 > 3, P1 never fits; best 0 by {} and {P2} -> cost 0.
    # cumulative: P1@2024: 6 ≤ 7, 10 ≤ 10; P1@2025: 0 ≤ 7, 6 ≤ 10 -> best 0.8 (P1@2024).
    meta, tables = _case_b([("budget", "ALL", 2024, 7), ("budget", "ALL", 2025, 3)])
    _check(oracle.enumerate_optimum(meta, tables, {}), 0.0, 0.0, 2, {"P1": None, "P2": None})
    _check(oracle.enumerate_optimum(meta, tables, {"budget_mode": "cumulative"}), 0.8, 10.0, 2)
    # a blank-year row bounds the whole horizon: 11 < 10 + 2, so P1 and P2 not together.
    meta, tables = _case_b([("budget", "ALL", None, 11)])
    assert not oracle.is_feasible(meta, tables, {}, {"P1": 2024, "P2": 2026})
    assert oracle.is_feasible(meta, tables, {}, {"P1": 2024, "P2": None})


def _case_c():
    # P1 in A (60%) and B (40%), cost 5, GREEN 10; P2 in B, cost 3, GREEN 4.
    # GREEN B uncapped weight 2; GREEN A: 0 -> 5 weight 1.  ω_B = 0.5.
    meta = _meta(2024, 2024, 2024)
    tables = _tables(
        [
            dict(id="P1", city="A", duration=1, earliest_start=2024, cost=5),
            dict(id="P2", city="B", duration=1, earliest_start=2024, cost=3),
        ],
        [("P1", "GREEN", 10), ("P2", "GREEN", 4)],
        [("GREEN", "g", "", "B", None, None, 2), ("GREEN", "g", "", "A", 0, 5, 1)],
        shares=[("P1", "A", 0.6), ("P1", "B", 0.4)],
    )
    return meta, tables


def test_oracle_shares_city_weights_uncapped():
    meta, tables = _case_c()
    sc = {"city_weights": {"B": 0.5}}
    # P1: g_B = 4 -> 0.5·2·4 = 4; g_A = 6 -> min(1, 6/5) = 1: score 5.
    # P2: 0.5·2·4 = 4.  Both: 0.5·2·8 + 1 = 9 (cost 8).
    assert oracle.score(meta, tables, sc, {"P1": 2024, "P2": None}) == pytest.approx(5.0)
    assert oracle.score(meta, tables, sc, {"P1": None, "P2": 2024}) == pytest.approx(4.0)
    _check(oracle.enumerate_optimum(meta, tables, sc), 9.0, 8.0, 1)


def test_oracle_city_share():
    meta, tables = _case_c()
    # max share of B 0.3: both 5/8, P1 2/5, P2 3/3 all too much; only {} (0 ≤ 0).
    sc = {"city_weights": {"B": 0.5}, "balance": {"max_city_share": {"B": 0.3}}}
    _check(oracle.enumerate_optimum(meta, tables, sc), 0.0, 0.0, 1)
    # min share of A 0.5: both 3/8 too little, P2 0/3 too little; P1 3/5 fine -> 5.
    sc = {"city_weights": {"B": 0.5}, "balance": {"min_city_share": {"A": 0.5}}}
    _check(oracle.enumerate_optimum(meta, tables, sc), 5.0, 5.0, 1, {"P1": 2024, "P2": None})


def _case_d(p1=None, p2=None, limits=(), deps=(("P2", "P1"),)):
    # P1: d=1, starts 2024..2025, cost 2, energy 3, GDP 1.  P2: d=1, starts 2024..2026,
    # cost 1, GDP 2, requires P1 (finish-to-start).  GDP uncapped.
    meta = _meta(2024, 2026, 2026)
    tables = _tables(
        [
            {
                **dict(id="P1", city="A", duration=1, earliest_start=2024, latest_start=2025, cost=2, energy=3, land=5),
                **(p1 or {}),
            },
            {**dict(id="P2", city="A", duration=1, earliest_start=2024, cost=1), **(p2 or {})},
        ],
        [("P1", "GDP", 1), ("P2", "GDP", 2)],
        [("GDP", "gdp", "", None, None, None, None)],
        limits,
        deps=deps,
    )
    return meta, tables


def test_oracle_precedence_and_energy():
    meta, tables = _case_d()
    # feasible: {}, P1@24, P1@25, (24,25), (24,26), (25,26): best 3 three times, cost 3.
    o = oracle.enumerate_optimum(meta, tables, {})
    _check(o, 3.0, 3.0, 3)
    assert o.n_assignments == 12 and o.n_feasible == 6
    assert not oracle.is_feasible(meta, tables, {}, {"P1": 2024, "P2": 2024})
    # energy 2 in every year: P1 (3) never, so P2 never: only {}.
    meta, tables = _case_d(limits=[("energy", "ALL", None, 2)])
    _check(oracle.enumerate_optimum(meta, tables, {}), 0.0, 0.0, 1)
    # energy 2 in 2024 only: P1 must complete after 2024 -> (25, 26).
    meta, tables = _case_d(limits=[("energy", "ALL", 2024, 2)])
    _check(oracle.enumerate_optimum(meta, tables, {}), 3.0, 3.0, 1, {"P1": 2025, "P2": 2026})
    # land (start year): 4 in 2025 forbids P1@2025 -> (24,25),(24,26).
    meta, tables = _case_d(limits=[("land", "A", 2025, 4)])
    _check(oracle.enumerate_optimum(meta, tables, {}), 3.0, 3.0, 2)


def test_oracle_exclusive_mandatory_force():
    meta, tables = _case_d(p1={"group": "G"}, p2={"group": "G"})
    # P2 needs P1 but the group allows one: best is P1 alone (2024 or 2025), score 1.
    _check(oracle.enumerate_optimum(meta, tables, {}), 1.0, 2.0, 2)
    meta, tables = _case_d(p2={"status": "mandatory"})
    # P2 must run, so P1 before it: (24,25),(24,26),(25,26).
    o = oracle.enumerate_optimum(meta, tables, {})
    _check(o, 3.0, 3.0, 3)
    assert o.n_assignments == 9
    assert not oracle.enumerate_optimum(meta, tables, {"force_out": ["P1"]}).feasible
    # force_in P1 without P2 mandatory: same optimum, but {} is no longer feasible.
    meta, tables = _case_d()
    assert oracle.enumerate_optimum(meta, tables, {"force_in": ["P1"]}).n_feasible == 5


def test_oracle_committed_before_horizon():
    # P1 committed at 2023 (history): its land (5) and its spending (2) count against nothing.
    meta, tables = _case_d(
        p1={"status": "committed", "start": 2023, "earliest_start": 2023, "latest_start": None},
        limits=[("land", "ALL", None, 1), ("budget", "ALL", None, 1.5)],
    )
    # P1 finished 2023 < 2024: P2 any year; GDP 1 + 2 = 3, three optimal, cost 2 + 1.
    o = oracle.enumerate_optimum(meta, tables, {})
    _check(o, 3.0, 3.0, 3)
    assert o.n_assignments == 4
    assert not oracle.is_feasible(meta, tables, {}, {"P1": None, "P2": 2024})  # committed must run
    # energy counts from completion (2023) on, so in 2024 as well.
    meta, tables = _case_d(
        p1={"status": "committed", "start": 2023, "earliest_start": 2023, "latest_start": None},
        limits=[("energy", "A", 2024, 2.5)],
    )
    assert not oracle.enumerate_optimum(meta, tables, {}).feasible


def _case_e(limit=5, p2_task="T"):
    # one year; P1 (A, cost 4, GDP 2), P2 (B, cost 2, GDP 3); GDP A: Δ=4, GDP B: Δ=2.
    # P1: 2/4 = 0.5; P2: min(1, 3/2) = 1; both 1.5 (cost 6).
    meta = _meta(2024, 2024, 2024)
    tables = _tables(
        [
            dict(id="P1", city="A", duration=1, earliest_start=2024, cost=4),
            dict(id="P2", city="B", duration=1, earliest_start=2024, cost=2, task=p2_task),
        ],
        [("P1", "GDP", 2), ("P2", "GDP", 3)],
        [("GDP", "", "", "A", 0, 4, 1), ("GDP", "", "", "B", 0, 2, 1)],
        [("budget", "ALL", 2024, limit)],
    )
    return meta, tables


def test_oracle_scale_attainment_task_minimum():
    meta, tables = _case_e()
    _check(oracle.enumerate_optimum(meta, tables, {}), 1.0, 2.0, 1)  # both cost 6 > 5
    _check(oracle.enumerate_optimum(meta, tables, {"scale": {"budget": 1.2}}), 1.5, 6.0, 1)  # 6 ≤ 6
    _check(oracle.enumerate_optimum(meta, tables, {"scale": {"budget": {"A": 2}}}), 1.0, 2.0, 1)  # ALL row unscaled
    # each city's attainment ≥ 0.5: needs P1 (A: 0.5) and P2 (B: 1): only with budget 6.
    sc = {"balance": {"min_city_attainment": 0.5}}
    assert not oracle.enumerate_optimum(meta, tables, sc).feasible
    _check(oracle.enumerate_optimum(meta, tables, {**sc, "scale": {"budget": 1.2}}), 1.5, 6.0, 1)
    # at least one project of task T (P2 only) -> {P2}; of task U (none) -> infeasible.
    _check(oracle.enumerate_optimum(meta, tables, {"task_minimum": {"T": 1}}), 1.0, 2.0, 1)
    assert not oracle.enumerate_optimum(meta, tables, {"task_minimum": {"U": 1}}).feasible
    assert oracle.attainment_index(meta, tables, {}, {"P1": 2024, "P2": 2024}) == pytest.approx(75.0)


def test_oracle_force_in_committed_and_excluded():
    # P1 committed at 2025 (y* = 2024: no credit), P2 excluded with GDP −1.
    meta = _meta(2024, 2026, 2024)
    tables = _tables(
        [
            dict(id="P1", city="A", duration=1, earliest_start=2024, cost=2, status="committed", start=2025),
            dict(id="P2", city="A", duration=1, earliest_start=2024, cost=1, status="excluded"),
        ],
        [("P1", "GDP", 1), ("P2", "GDP", -1)],
        [("GDP", "", "", "ALL", None, None, None)],
    )
    # force_in does not free a committed start: P1 stays at 2025 -> score 0, cost 2.
    _check(oracle.enumerate_optimum(meta, tables, {"force_in": ["P1"]}), 0.0, 2.0, 1, {"P1": 2025, "P2": None})
    # force_in makes the excluded P2 mandatory; it escapes its −1 by starting after y*: 2025 or 2026.
    _check(oracle.enumerate_optimum(meta, tables, {"force_in": ["P2"]}), 0.0, 3.0, 2)


def test_oracle_partial_credit_zero_cost():
    # d=2 from 2024, y* = 2024, cost 0: κ = π·(years done)/d = 1·1/2; uncapped GDP 4 -> 2.
    meta = _meta(2024, 2025, 2024)
    tables = _tables(
        [dict(id="P1", city="A", duration=2, earliest_start=2024, cost=0)],
        [("P1", "GDP", 4)],
        [("GDP", "", "", "ALL", None, None, None)],
    )
    assert oracle.score(meta, tables, {"partial_credit": 1.0}, {"P1": 2024}) == pytest.approx(2.0)
    _check(oracle.enumerate_optimum(meta, tables, {"partial_credit": 1.0}), 2.0, 0.0, 1)


@pytest.mark.parametrize("seed", range(0, 200, 7))
def test_oracle_vectorised_matches_literal(seed):
    """The numpy enumeration and the loop evaluation agree on every assignment."""
    meta, tables, sc = random_instance(seed)
    if oracle.count_assignments(meta, tables, sc) > 3000:
        pytest.skip("large")
    inst = oracle.build_instance(meta, tables, sc)
    everything = oracle.enumerate_all(meta, tables, sc)
    for a, feasible, value in everything:
        assert feasible == (not oracle._violations(inst, a)), (a, oracle._violations(inst, a))
        assert value == pytest.approx(oracle._score(inst, a), abs=1e-9)
    # pruning in enumerate_optimum loses nothing
    feasible = [(v, oracle.total_cost(meta, tables, sc, a)) for a, ok, v in everything if ok]
    o = oracle.enumerate_optimum(meta, tables, sc)
    assert o.feasible == bool(feasible) and o.n_feasible == len(feasible)
    if feasible:
        best = max(v for v, _ in feasible)
        ties = [c for v, c in feasible if v >= best - 1e-9 * max(1, abs(best))]
        assert (o.best, o.min_cost, o.n_optimal) == (pytest.approx(best), pytest.approx(min(ties)), len(ties))


# --------------------------------------------------------------------------- the optimizer against the oracle


def _optimizer():
    try:
        import optimizer
    except ImportError:
        pytest.skip("optimizer not importable yet")
    if not hasattr(optimizer, "solve") or not hasattr(optimizer, "from_tables"):
        pytest.skip("optimizer.solve / from_tables not written yet")
    return optimizer


def _assignment(portfolio: pd.DataFrame) -> dict:
    out = {}
    for _, r in portfolio.iterrows():
        sel = bool(r["selected"])
        out[str(r["id"])] = int(r["start"]) if sel else None
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_optimizer_matches_enumeration(seed):
    opt = _optimizer()
    meta, tables, sc = random_instance(seed)
    want = oracle.enumerate_optimum(meta, tables, sc)
    ds = opt.from_tables(meta, tables)
    with untimed_tie_break():
        res = opt.solve(ds, {**sc, "solver": SOLVER})
    if not want.feasible:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal"
    assert res.objective == pytest.approx(want.best, abs=1e-6)
    assert res.total_cost == pytest.approx(want.min_cost, abs=1e-6), "cost tie-break"
    got = _assignment(res.portfolio)
    assert oracle.violations(meta, tables, sc, got) == []
    assert oracle.score(meta, tables, sc, got) == pytest.approx(want.best, abs=1e-6)
    assert oracle.total_cost(meta, tables, sc, got) == pytest.approx(want.min_cost, abs=1e-6)
    if not math.isnan(res.attainment_index or math.nan):
        ai = oracle.attainment_index(meta, tables, sc, got)
        if ai is not None:
            assert res.attainment_index == pytest.approx(ai, abs=1e-6)


def test_random_instances_cover_every_feature():
    """Across SEEDS each feature of the model shows up at least once, and both
    feasible and infeasible instances occur."""
    seen: set[str] = set()
    for seed in SEEDS:
        meta, t, sc = random_instance(seed)
        p = t["projects"]
        seen |= {f"status:{s}" for s in p["status"].dropna()}
        if ((p["status"] == "committed") & (p["start"] < meta["horizon"][0])).any():
            seen.add("committed before y0")
        if "project_cities" in t and (t["project_cities"]["share"] < 1).any():
            seen.add("cross-city")
        if "cost_profiles" in t and len(t["cost_profiles"]):
            seen.add("profiles")
        if "dependencies" in t and len(t["dependencies"]):
            seen.add("dependencies")
        if p["group"].notna().any():
            seen.add("group")
        c = t["contributions"]
        seen |= {f"negative {i}" for i in c.loc[c["value"] < 0, "indicator"]}
        ind = t["indicators"]
        seen |= {f"uncapped {s}" for s in ind.loc[ind["target"].isna(), "scope"].fillna("ALL")}
        capped_scopes = ind.loc[ind["target"].notna(), "scope"].fillna("ALL")
        seen |= {f"capped {'ALL' if s == 'ALL' else 'city'}" for s in capped_scopes}
        lim = t["limits"]
        seen |= {f"{r}:{'blank' if pd.isna(y) else 'year'}" for r, y in zip(lim["resource"], lim["year"])}
        seen |= {f"{r}:city" for r, s in zip(lim["resource"], lim["scope"]) if s in meta["cities"]}
        seen |= {f"scenario:{k}" for k in sc}
        seen |= {f"balance:{k}" for k in sc.get("balance", {})}
        seen |= {f"budget_mode:{sc['budget_mode']}"} if "budget_mode" in sc else set()
        for v in sc.get("scale", {}).values():
            seen.add("scale:map" if isinstance(v, dict) else "scale:number")
        seen.add("feasible" if oracle.enumerate_optimum(meta, t, sc).feasible else "infeasible")
    want = {
        "status:mandatory",
        "status:committed",
        "status:excluded",
        "committed before y0",
        "cross-city",
        "profiles",
        "dependencies",
        "group",
        "negative GDP",
        "negative GREEN",
        "negative CO2",
        "uncapped ALL",
        "capped ALL",
        "capped city",
        "budget:blank",
        "budget:year",
        "land:blank",
        "land:year",
        "energy:blank",
        "energy:year",
        "budget:city",
        "land:city",
        "energy:city",
        "scenario:partial_credit",
        "scenario:overshoot_weight",
        "scenario:city_weights",
        "scenario:task_minimum",
        "scenario:force_in",
        "scenario:force_out",
        "scenario:target_year",
        "scenario:horizon",
        "balance:min_city_share",
        "balance:max_city_share",
        "balance:min_city_attainment",
        "budget_mode:cumulative",
        "budget_mode:annual",
        "scale:map",
        "scale:number",
        "feasible",
        "infeasible",
    }
    assert want <= seen, want - seen


def _hand_cases():
    """Every hand-worked case above, for the optimizer too (name, meta, tables, scenario)."""
    a = (CASE_A["meta"], CASE_A["tables"])
    committed = {"status": "committed", "start": 2023, "earliest_start": 2023, "latest_start": None}
    one = _meta(2024, 2025, 2024)
    zero_cost = _tables(
        [dict(id="P1", city="A", duration=2, earliest_start=2024, cost=0)],
        [("P1", "GDP", 4)],
        [("GDP", "", "", "ALL", None, None, None)],
    )
    # a cost profile given only for a project that takes no part (excluded / forced out)
    unused_profile = _tables(
        [
            dict(id="P1", city="A", duration=1, earliest_start=2024, cost=2),
            dict(id="P2", city="A", duration=1, earliest_start=2024, cost=3, status="excluded"),
        ],
        [("P1", "GDP", 1)],
        [("GDP", "", "", "ALL", None, None, None)],
        profiles=[("P2", 0, 3)],
    )
    # force_in leaves a committed project at its fixed start and brings an excluded one in
    forced = _tables(
        [
            dict(id="P1", city="A", duration=1, earliest_start=2024, cost=2, status="committed", start=2025),
            dict(id="P2", city="A", duration=1, earliest_start=2024, cost=1, status="excluded"),
        ],
        [("P1", "GDP", 1), ("P2", "GDP", -1)],
        [("GDP", "", "", "ALL", None, None, None)],
    )
    cases = [
        ("A", *a, {}),
        ("force-in-committed", _meta(2024, 2026, 2024), forced, {"force_in": ["P1"]}),
        ("force-in-excluded", _meta(2024, 2026, 2024), forced, {"force_in": ["P2"]}),
        ("A-overshoot", *a, {"overshoot_weight": 0.5}),
        ("A-overshoot-scaled", *a, {"overshoot_weight": 0.5, "scale": {"budget": 0.9}}),
        ("A-rho1", *a, {"overshoot_weight": 1.0}),
        ("B-partial", *_case_b(), {"partial_credit": 0.5}),
        ("B-annual", *_case_b([("budget", "ALL", 2024, 7), ("budget", "ALL", 2025, 3)]), {}),
        (
            "B-cumulative",
            *_case_b([("budget", "ALL", 2024, 7), ("budget", "ALL", 2025, 3)]),
            {"budget_mode": "cumulative"},
        ),
        ("B-horizon-budget", *_case_b([("budget", "ALL", None, 11)]), {}),
        ("C", *_case_c(), {"city_weights": {"B": 0.5}}),
        ("C-max-share", *_case_c(), {"city_weights": {"B": 0.5}, "balance": {"max_city_share": {"B": 0.3}}}),
        ("C-min-share", *_case_c(), {"city_weights": {"B": 0.5}, "balance": {"min_city_share": {"A": 0.5}}}),
        ("D", *_case_d(), {}),
        ("D-energy-every-year", *_case_d(limits=[("energy", "ALL", None, 2)]), {}),
        ("D-energy-2024", *_case_d(limits=[("energy", "ALL", 2024, 2)]), {}),
        ("D-land", *_case_d(limits=[("land", "A", 2025, 4)]), {}),
        ("D-group", *_case_d(p1={"group": "G"}, p2={"group": "G"}), {}),
        ("D-mandatory", *_case_d(p2={"status": "mandatory"}), {}),
        ("D-mandatory-force-out", *_case_d(p2={"status": "mandatory"}), {"force_out": ["P1"]}),
        ("D-force-in", *_case_d(), {"force_in": ["P1"]}),
        ("D-committed", *_case_d(p1=committed, limits=[("land", "ALL", None, 1), ("budget", "ALL", None, 1.5)]), {}),
        ("D-committed-energy", *_case_d(p1=committed, limits=[("energy", "A", 2024, 2.5)]), {}),
        ("E", *_case_e(), {}),
        ("E-scale", *_case_e(), {"scale": {"budget": 1.2}}),
        ("E-scale-map", *_case_e(), {"scale": {"budget": {"A": 2}}}),
        ("E-attainment", *_case_e(), {"balance": {"min_city_attainment": 0.5}}),
        ("E-attainment-scaled", *_case_e(), {"balance": {"min_city_attainment": 0.5}, "scale": {"budget": 1.2}}),
        ("E-task", *_case_e(), {"task_minimum": {"T": 1}}),
        ("zero-cost-partial", one, zero_cost, {"partial_credit": 1.0}),
        ("unused-profile-excluded", one, unused_profile, {}),
        (
            "unused-profile-forced-out",
            one,
            {**unused_profile, "projects": unused_profile["projects"].assign(status=None)},
            {"force_out": ["P2"]},
        ),
    ]
    return cases


@pytest.mark.parametrize("case", _hand_cases(), ids=lambda c: c[0])
def test_optimizer_on_hand_cases(case):
    opt = _optimizer()
    _, meta, tables, sc = case
    want = oracle.enumerate_optimum(meta, tables, sc)
    with untimed_tie_break():
        res = opt.solve(opt.from_tables(meta, tables), {**sc, "solver": SOLVER})
    if not want.feasible:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal"
    assert res.objective == pytest.approx(want.best, abs=1e-6)
    assert res.total_cost == pytest.approx(want.min_cost, abs=1e-6)
    assert oracle.violations(meta, tables, sc, _assignment(res.portfolio)) == []
