"""Trade-offs: per-city table, price of balance, marginal values and city fronts, on hand-worked cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import optimizer
from helpers import EXACT, GENEROUS_SECONDS, dataset, project
from optimizer.analysis.tradeoffs import tradeoffs, year_group

ROOT = Path(__file__).resolve().parents[1]
G_ALL = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]


def three_projects(**limits_kw):
    # budget ALL over the horizon: 10. P1 (A, cost 6, +6), P2 (B, cost 6, +5, task x), P3 (A, cost 4, +3)
    return dataset(
        [project("P1", cost=6, task="t"), project("P2", city="B", cost=6, task="x"), project("P3", cost=4, task="t")],
        contributions=[("P1", "g", 6), ("P2", "g", 5), ("P3", "g", 3)],
        indicators=G_ALL,
        limits=[{"resource": "budget", "scope": "ALL", "limit": 10}],
    )


def test_price_of_balance_by_hand():
    # Without rules: P1+P3 (cost 10) → 0.9. B's share ≥ 40 %, A's ≤ 90 % and one project of task x each
    # force P2 in: P2+P3 (cost 10) → 0.8. Each rule alone is redundant (the others still force P2):
    # price 0 each; all three together: 0.1. A has no own targets, so its attainment floor has no row.
    sc = {
        **EXACT,
        "balance": {"min_city_share": {"B": 0.4}, "max_city_share": {"A": 0.9}, "min_city_attainment": {"A": 0.5}},
        "task_minimum": {"x": 1},
    }
    t = tradeoffs(three_projects(), sc, points=2, executor="serial", progress=False)["balance"]
    t = t.set_index("rule")
    assert list(t.index) == [
        "city_share[B,min]",
        "city_share[A,max]",
        "city_attainment[A]",
        "task_minimum[x]",
        "all balance rules",
    ]
    assert list(t["score_with"]) == pytest.approx([0.8] * 5)
    assert list(t["score_without"]) == pytest.approx([0.8, 0.8, 0.8, 0.8, 0.9])
    assert list(t["price"]) == pytest.approx([0, 0, 0, 0, 0.1])
    assert t.loc["city_attainment[A]", "status"] == "always holds (no row)"
    assert t.loc["city_share[B,min]", "bound"] == pytest.approx(0.4)
    assert t.loc["all balance rules", "status"] == "optimal"


def test_price_of_one_share_rule_by_hand():
    # only B ≥ 40 %: P2+P3 (0.8) against P1+P3 (0.9) → price 0.1
    sc = {**EXACT, "balance": {"min_city_share": {"B": 0.4}}}
    t = tradeoffs(three_projects(), sc, points=2, executor="serial", progress=False)["balance"]
    assert list(t["rule"]) == ["city_share[B,min]", "all balance rules"]
    assert list(t["price"]) == pytest.approx([0.1, 0.1])


def marginal_case():
    # horizon 2024-2030, target 2027; every project starts in 2024 and takes one year.
    # budget ALL 2024: 11; land A (whole horizon): 24; budget A 2029: 5 (nothing can use it).
    # P1 (A, cost 6, land 20, +6), P2 (B, cost 6, +5), P3 (A, cost 4, land 5, +3)
    # base: P1+P3 needs land 25 > 24, P1+P2 cost 12 > 11 → P2+P3 = 0.8
    return dataset(
        [
            project("P1", cost=6, land=20, latest_start=2024),
            project("P2", city="B", cost=6, land=0, latest_start=2024),
            project("P3", cost=4, land=5, latest_start=2024),
        ],
        contributions=[("P1", "g", 6), ("P2", "g", 5), ("P3", "g", 3)],
        indicators=G_ALL,
        limits=[
            {"resource": "budget", "scope": "ALL", "year": 2024, "limit": 11},
            {"resource": "land", "scope": "A", "limit": 24},
            {"resource": "budget", "scope": "A", "year": 2029, "limit": 5},
        ],
        meta_kw={"horizon": (2024, 2030)},
    )


def test_marginal_values_by_hand():
    tables = tradeoffs(marginal_case(), EXACT, points=2, executor="serial", progress=False)
    m = tables["marginal"].set_index(["resource", "scope", "years"])
    assert len(m) == 3
    # budget ALL 2024-2027: 5 % of 11 < 1 → step 1 → 12: P1+P2 fits → 1.0 (capped), +0.2 per 亿元
    b = m.loc[("budget", "ALL", "2024-2027")]
    assert (b["step"], b["score_change"], b["per_unit"]) == pytest.approx((1.0, 0.2, 0.2))
    assert b["unit"] == "亿元" and b["status"] == "optimal"
    # land A horizon: 5 % of 24 = 1.2 → 25.2: P1+P3 fits (cost 10) → 0.9: +0.1, i.e. 0.1/1.2 per 亩
    la = m.loc[("land", "A", "horizon")]
    assert (la["step"], la["score_change"], la["per_unit"]) == pytest.approx((1.2, 0.1, 0.1 / 1.2))
    # budget A 2029 (after the target year): nothing can use it
    late = m.loc[("budget", "A", "2028-2030")]
    assert (late["step"], late["score_change"]) == pytest.approx((1.0, 0.0))
    # with every choice fixed no limit row binds a continuous variable: duals 0, as labelled
    assert (m["dual_fixed"] == 0).all()
    assert m["method"].str.contains("re-solve").all() and m["method"].str.contains("fixed").all()


def test_year_groups():
    inst = optimizer.Session(marginal_case(), EXACT).inst
    assert [year_group(inst, y) for y in (2024, 2027, 2028, 2030, pd.NA, "all")] == [
        "2024-2027",
        "2024-2027",
        "2028-2030",
        "2028-2030",
        "horizon",
        "horizon",
    ]


def front_case():
    # Targets g of A and g of B (10 each), no metro rows; budget ALL 2024: 10, so two projects at most.
    # P1 (A, cost 5, +5), P2 (B, cost 5, +6), P3 (half A, half B, cost 5, +8 → +4 each).
    # (A, B) attainment: P1+P2 (.5, .6) = 1.1; P1+P3 (.9, .4) = 1.3; P2+P3 (.4, 1.0) = 1.4 (base)
    return dataset(
        [
            project("P1", cost=5, latest_start=2024),
            project("P2", city="B", cost=5, latest_start=2024, energy=2),
            project("P3", cost=5, latest_start=2024, energy=1, land=10),
        ],
        contributions=[("P1", "g", 5), ("P2", "g", 6), ("P3", "g", 8)],
        indicators=[
            {"indicator": "g", "scope": "A", "baseline": 0, "target": 10, "weight": 1},
            {"indicator": "g", "scope": "B", "baseline": 0, "target": 10, "weight": 1},
        ],
        limits=[{"resource": "budget", "scope": "ALL", "year": 2024, "limit": 10}],
        project_cities=[
            {"project_id": "P3", "city": "A", "share": 0.5},
            {"project_id": "P3", "city": "B", "share": 0.5},
        ],
    )


def test_pareto_front_by_hand():
    tables = tradeoffs(front_case(), EXACT, points=6, executor="serial", progress=False)
    p = tables["pareto"]
    a = p[p["city"] == "A"]
    # A from its base 40 to its best 90 (P1+P3) in 6 steps; B is best off with A at 40 (P2+P3),
    # with A ≥ 50 only P1+P2 (B .6), beyond only P1+P3 (B .4)
    assert list(a["epsilon"]) == pytest.approx([40, 50, 60, 70, 80, 90])
    assert list(a["city_attainment"]) == pytest.approx([40, 50, 90, 90, 90, 90])
    assert list(a["rest_attainment"]) == pytest.approx([100, 60, 40, 40, 40, 40])
    assert list(a["rest_score"]) == pytest.approx([1.0, 0.6, 0.4, 0.4, 0.4, 0.4])
    assert list(a["score"]) == pytest.approx([1.4, 1.1, 1.3, 1.3, 1.3, 1.3])
    assert (np.diff(a["rest_attainment"]) <= 1e-9).all()  # the rest never gains as A's floor rises
    assert (a["city_attainment"] >= a["epsilon"] - 1e-6).all()
    # B is at its best (100) already: one point, where A gets 40
    b = p[p["city"] == "B"]
    assert list(b["epsilon"]) == pytest.approx([100])
    assert list(b["rest_attainment"]) == pytest.approx([40])
    assert (p["status"] == "optimal").all()


def test_city_table_by_hand():
    c = tradeoffs(front_case(), EXACT, points=2, executor="serial", progress=False)["cities"].set_index("city")
    # base P2+P3: A has half of P3 (cost 2.5, land 5, energy 0.5 a year); B has P2 and the other half
    assert list(c["projects"]) == [1, 2]
    assert list(c["spend"]) == pytest.approx([2.5, 7.5])
    assert list(c["spend_share"]) == pytest.approx([0.25, 0.75])
    assert list(c["land"]) == pytest.approx([5, 5])
    assert list(c["energy_peak"]) == pytest.approx([0.5, 2.5])
    assert list(c["attainment"]) == pytest.approx([40, 100])
    assert list(c["best_attainment"]) == pytest.approx([90, 100])
    assert list(c["rest_attainment"]) == pytest.approx([100, 40])


def test_infeasible_scenario_reports_which_rule_to_drop():
    # two projects of task x are needed, one exists: only dropping that rule gives a portfolio,
    # P2+P3 (0.8: B's share ≥ 10 % still needs P2); dropping both rules: P1+P3 (0.9)
    sc = {**EXACT, "task_minimum": {"x": 2}, "balance": {"min_city_share": {"B": 0.1}}}
    tables = tradeoffs(three_projects(), sc, points=2, executor="serial", progress=False)
    bal = tables["balance"].set_index("rule")
    assert bal.loc["task_minimum[x]", "status"] == "optimal"
    assert bal.loc["task_minimum[x]", "score_without"] == pytest.approx(0.8)
    assert bal.loc["all balance rules", "score_without"] == pytest.approx(0.9)
    assert bal.loc["city_share[B,min]", "status"] == "infeasible"
    assert np.isnan(bal.loc["task_minimum[x]", "score_with"])
    assert tables["cities"].empty and tables["marginal"].empty and tables["pareto"].empty
    assert tables["balance"].attrs["base_status"] == "infeasible"


def test_local_executor_gives_the_serial_tables():
    serial = tradeoffs(front_case(), EXACT, points=3, executor="serial", progress=False)
    local = tradeoffs(front_case(), EXACT, points=3, executor="local", workers=2, progress=False)
    for name in serial:
        pd.testing.assert_frame_equal(serial[name], local[name])


def test_cli_writes_every_file_on_the_balanced_example(tmp_path, capsys):
    from optimizer.cli import main

    out = tmp_path / "tr"
    code = main(
        [
            "tradeoffs",
            str(ROOT / "models" / "hangzhou_balanced.yaml"),
            "--out",
            str(out),
            "--executor",
            "serial",
            "--points",
            "3",
            "--no-progress",
            "--time-limit",  # the marginal values are differences of optima: no limit a slow machine could hit
            str(GENEROUS_SECONDS),
        ]
    )
    assert code == 0
    assert sorted(f.name for f in out.iterdir()) == [
        ".portfolio-result.json",
        "balance.csv",
        "cities.csv",
        "marginal.csv",
        "tradeoffs.csv",
        "tradeoffs.png",
    ]
    text = capsys.readouterr().out
    assert "price of balance" in text and "湖州" in text
    bal = pd.read_csv(out / "balance.csv")
    assert "city_share[湖州,min]" in set(bal["rule"]) and "all balance rules" in set(bal["rule"])
    ok = bal[bal["status"] == "optimal"]
    assert (ok["price"] >= -1e-3 * ok["score_with"].abs()).all()  # dropping a rule never costs (to the gap)
    front = pd.read_csv(out / "tradeoffs.csv")
    assert set(front["city"]) == {"杭州", "湖州", "嘉兴", "绍兴"}
    for _, g in front[front["status"] == "optimal"].groupby("city"):
        assert (np.diff(g["rest_score"]) <= 1e-3 * g["rest_score"].abs().max()).all()
    marg = pd.read_csv(out / "marginal.csv")
    assert {"budget", "land", "energy"} <= set(marg["resource"]) and (marg["score_change"] >= -1e-3).all()
