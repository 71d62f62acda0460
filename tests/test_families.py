"""One hand-worked case per constraint family of MODEL.md; expected optima worked out in comments."""

from __future__ import annotations

import pytest

from helpers import chosen, cli, dataset, project, solve

IND = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]


def test_one_start_mandatory_committed_excluded():
    # P1 would help most but is excluded; P2 is mandatory although it contributes nothing;
    # P3 is committed, started 2022 (before the horizon), 3 years: finishes 2024 and counts.
    ds = dataset(
        [
            project("P1", status="excluded"),
            project("P2", status="mandatory", earliest_start=2024, latest_start=2026),
            project("P3", status="committed", start=2022, duration=3, cost=9),
            project("P4", earliest_start=2024, latest_start=2027),
        ],
        contributions=[("P1", "g", 10), ("P3", "g", 4), ("P4", "g", 3)],
        indicators=IND,
    )
    res = solve(ds)
    picks = chosen(res)
    assert "P1" not in picks and picks["P3"] == 2022 and "P2" in picks and "P4" in picks
    # score = min(1, (4 + 3)/10) = 0.7; each project starts once
    assert res.objective == pytest.approx(0.7)
    assert res.status == "optimal"
    # the committed project's spending before 2024 is history: 9/3 = 3 in 2024 only
    sp = res.spending.set_index(["scope", "year"])["spend"]
    assert sp["ALL", 2024] == pytest.approx(3 + (1 if picks["P2"] == 2024 else 0) + (1 if picks["P4"] == 2024 else 0))


def test_budget_annual_city_and_horizon_rows():
    # City A may spend 15 in 2024: P1 (10, value 6) and P2 (10, value 5) cannot both start
    # then; only 2024 is allowed (latest_start 2024). B's whole-horizon row: 4 ≥ P3 cost 5? no.
    ds = dataset(
        [
            project("P1", cost=10, latest_start=2024),
            project("P2", cost=10, latest_start=2024),
            project("P3", city="B", cost=5),
        ],
        contributions=[("P1", "g", 6), ("P2", "g", 5), ("P3", "g", 1)],
        indicators=IND,
        limits=[
            {"resource": "budget", "scope": "A", "year": 2024, "limit": 15},
            {"resource": "budget", "scope": "B", "year": None, "limit": 4},
        ],
    )
    res = solve(ds)
    assert set(chosen(res)) == {"P1"}
    assert res.objective == pytest.approx(0.6)
    r = res.resources.set_index(["resource", "scope"])
    assert r.loc[("budget", "A"), "used"] == pytest.approx(10)


def test_budget_cumulative_carries_unspent_money_forward():
    # 5 per year; P1 costs 8 in one year. Annual: never fits. Cumulative: 2025 has 5+5 = 10 ≥ 8.
    kw = dict(
        contributions=[("P1", "g", 10)],
        indicators=IND,
        limits=[{"resource": "budget", "scope": "ALL", "year": y, "limit": 5} for y in (2024, 2025)],
        meta_kw={"horizon": (2024, 2025), "target_year": 2025},
    )
    ds = dataset([project("P1", cost=8)], **kw)
    assert solve(ds).selected_count == 0
    res = solve(ds, budget_mode="cumulative")
    assert chosen(res) == {"P1": 2025}
    assert res.objective == pytest.approx(1.0)


def test_budget_follows_cost_profile():
    # P1 costs 10 over 2 years as 8 then 2; the 2024 budget is 3, 2025 is 9:
    # starting 2024 spends 8 in 2024 (too much); starting 2025 needs 8 in 2025 and 2 in 2026.
    ds = dataset(
        [project("P1", cost=10, duration=2, latest_start=2025)],
        contributions=[("P1", "g", 10)],
        indicators=IND,
        cost_profiles=[
            {"project_id": "P1", "year_offset": 0, "cost": 8},
            {"project_id": "P1", "year_offset": 1, "cost": 2},
        ],
        limits=[
            {"resource": "budget", "scope": "ALL", "year": 2024, "limit": 3},
            {"resource": "budget", "scope": "ALL", "year": 2025, "limit": 9},
        ],
    )
    res = solve(ds)
    assert chosen(res) == {"P1": 2025}


def test_land_is_consumed_in_the_start_year():
    # each needs 10 亩; 15 a year: both fit only if they start in different years
    ds = dataset(
        [project("P1", land=10, latest_start=2025), project("P2", land=10, latest_start=2025)],
        contributions=[("P1", "g", 5), ("P2", "g", 5)],
        indicators=IND,
        limits=[{"resource": "land", "scope": "A", "year": y, "limit": 15} for y in (2024, 2025)],
    )
    res = solve(ds)
    picks = chosen(res)
    assert set(picks) == {"P1", "P2"} and picks["P1"] != picks["P2"]
    assert res.objective == pytest.approx(1.0)


def test_energy_from_completion_on():
    # P1 uses 5/yr from its completion year; the 2026 cap is 3, so it may not be in
    # operation in 2026: finishing 2027 is the only way (2-year project starting 2026).
    ds = dataset(
        [project("P1", energy=5, duration=2)],
        contributions=[("P1", "g", 10)],
        indicators=IND,
        limits=[{"resource": "energy", "scope": "A", "year": 2026, "limit": 3}],
    )
    assert chosen(solve(ds)) == {"P1": 2026}
    # a blank-year energy row binds in every year: nothing fits
    ds2 = dataset(
        [project("P1", energy=5, duration=2)],
        contributions=[("P1", "g", 10)],
        indicators=IND,
        limits=[{"resource": "energy", "scope": "A", "year": None, "limit": 3}],
    )
    assert solve(ds2).selected_count == 0


def test_precedence_finish_to_start():
    # Q requires P (2 years): Q may start only once P has finished: start_Q ≥ start_P + 2.
    ds = dataset(
        [project("P", duration=2, latest_start=2026), project("Q", earliest_start=2024)],
        contributions=[("Q", "g", 10)],
        indicators=IND,
        dependencies=[{"project_id": "Q", "requires": "P"}],
    )
    res = solve(ds)
    picks = chosen(res)
    assert picks["Q"] >= picks["P"] + 2 and res.objective == pytest.approx(1.0)
    # with P excluded, Q cannot go ahead
    ds2 = dataset(
        [project("P", duration=2, status="excluded"), project("Q")],
        contributions=[("Q", "g", 10)],
        indicators=IND,
        dependencies=[{"project_id": "Q", "requires": "P"}],
    )
    assert solve(ds2).selected_count == 0


def test_exclusive_group():
    # two alignments of one line: at most one; the better one (7) wins
    ds = dataset(
        [project("P1", group="line"), project("P2", group="line"), project("P3")],
        contributions=[("P1", "g", 5), ("P2", "g", 7), ("P3", "g", 2)],
        indicators=IND,
    )
    res = solve(ds)
    assert set(chosen(res)) == {"P2", "P3"} and res.objective == pytest.approx(0.9)


def test_city_share():
    # Budget 10 in total; A's project is worth more, but B must get ≥ 40% of spending:
    # P1 (A, 6) + P2 (B, 4) → B share 0.4 exactly. Without the rule: P1 + P3 (A, 4, worth 3).
    projects = [project("P1", cost=6), project("P2", city="B", cost=4), project("P3", cost=4)]
    kw = dict(
        contributions=[("P1", "g", 6), ("P2", "g", 1), ("P3", "g", 3)],
        indicators=IND,
        limits=[{"resource": "budget", "scope": "ALL", "year": None, "limit": 10}],
    )
    assert set(chosen(solve(dataset(projects, **kw)))) == {"P1", "P3"}
    res = solve(dataset(projects, **kw), balance={"min_city_share": {"B": 0.4}})
    assert set(chosen(res)) == {"P1", "P2"} and res.objective == pytest.approx(0.7)
    res = solve(dataset(projects, **kw), balance={"max_city_share": {"A": 0.5}})
    # A ≤ 50%: P3 (A, 4) + P2 (B, 4) → 0.5, worth 0.4; P1 + P2 gives A 60%.
    assert set(chosen(res)) == {"P2", "P3"}


def test_city_attainment():
    # One budget of 5 for both: P1 moves the metro target a lot, P2 moves B's own target.
    # With min_city_attainment 0.5, B's target (gap 2) needs P2 (+1 → 0.5).
    ind = IND + [{"indicator": "h", "scope": "B", "baseline": 0, "target": 2, "weight": 1}]
    projects = [project("P1", cost=5), project("P2", city="B", cost=5)]
    kw = dict(
        contributions=[("P1", "g", 10), ("P2", "h", 1)],
        indicators=ind,
        limits=[{"resource": "budget", "scope": "ALL", "year": None, "limit": 5}],
    )
    assert set(chosen(solve(dataset(projects, **kw)))) == {"P1"}
    res = solve(dataset(projects, **kw), balance={"min_city_attainment": 0.5})
    assert set(chosen(res)) == {"P2"} and res.objective == pytest.approx(0.5)


def test_task_minimum():
    ds = dataset(
        [project("P1", task="infra", cost=5), project("P2", task="science", cost=5)],
        contributions=[("P1", "g", 10), ("P2", "g", 1)],
        indicators=IND,
        limits=[{"resource": "budget", "scope": "ALL", "year": None, "limit": 5}],
    )
    assert set(chosen(solve(ds))) == {"P1"}
    assert set(chosen(solve(ds, task_minimum={"science": 1}))) == {"P2"}
    assert solve(ds, task_minimum={"science": 2}).status == "infeasible"


def test_infeasible_scenario_is_explained_in_planners_units(tmp_path):
    # Two mandatory projects need 8 + 6 = 14 亩 in 2024 (single start year); the quota is 10.

    import optimizer
    from helpers import meta, tables

    m = meta()
    t = tables(
        [
            project("P1", land=8, status="mandatory", latest_start=2024),
            project("P2", land=6, status="mandatory", latest_start=2024),
        ],
        contributions=[("P1", "g", 1)],
        indicators=IND,
        limits=[{"resource": "land", "scope": "A", "year": 2024, "limit": 10}],
    )
    res = solve(optimizer.from_tables(m, t))
    assert res.status == "infeasible"
    row = res.infeasibility.iloc[0]
    assert (row["constraint"], row["scope"], row["year"]) == ("land", "A", 2024)
    assert row["need"] == pytest.approx(14) and row["short"] == pytest.approx(4)
    assert "A land 2024" in res.message and "short 4.0 亩" in res.message
    folder = optimizer.write_dataset(m, t, tmp_path / "ds")
    out = tmp_path / "out"
    r = cli("run", str(folder), "--out", str(out))
    assert r.returncode == 3 and "short 4.0 亩" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == [".portfolio-result.json", "infeasibility.csv", "summary.json"]


def test_two_forced_alternatives_are_named():
    ds = dataset(
        [project("P1", group="line", status="mandatory"), project("P2", group="line")],
        contributions=[("P1", "g", 1)],
        indicators=IND,
    )
    res = solve(ds, force_in=["P2"])
    assert res.status == "infeasible" and "exclusive group line" in res.message


def test_infeasible_as_typed_exception_with_the_table():
    import optimizer

    ds = dataset(
        [project("P1", cost=8, status="mandatory", latest_start=2024)],
        contributions=[("P1", "g", 1)],
        indicators=IND,
        limits=[{"resource": "budget", "scope": "A", "year": 2024, "limit": 5}],
    )
    res = solve(ds)
    with pytest.raises(optimizer.InfeasibleError) as exc:
        res.raise_for_status()
    row = exc.value.table.iloc[0]
    assert (row["constraint"], row["scope"], row["year"], row["short"]) == ("budget", "A", 2024, pytest.approx(3))
    assert "short 3.0 亿元" in str(exc.value)
    ok = solve(dataset([project("P1")], contributions=[("P1", "g", 1)], indicators=IND))
    assert ok.raise_for_status() is ok
