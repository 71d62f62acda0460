"""Funding by source (DATA.md `funding`, docs/model.md): who pays, and limits on each payer.

Spending of source f in scope c and year y is Σ_p σ[p,c]·f[p,f]·s[p,y]. Each timing and scope
is worked by hand below (yearly row, whole-horizon row, metro-wide row, a start moved by a
quota), then random small instances with funding are checked against the brute-force oracle.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import optimizer
from optimizer.analysis.frontier import frontier
from optimizer.data.dataset import from_tables
from optimizer.data.writer import write_dataset
from optimizer.errors import InputError

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle
from helpers import cli, untimed_tie_break
from random_instances import random_instance

SOLVER = {"mip_gap": 0, "threads": 1, "time_limit": None}
META = {"name": "funding", "cities": ["A", "B"], "horizon": [2024, 2026], "target_year": 2026}


def _tables(limits, funding=None, extra_projects=()):
    """P1: A/B 50/50, 2024 only, cost 10 spent 6 then 4, half special bond, half central, value 5.
    P2: A, 2025 only, cost 3, all special bond, value 4.  P3: A, 2024, cost 2, no funding rows, value 1.
    Special-bond use in A: 2024: 0.5·0.5·6 = 1.5 (P1); 2025: 0.5·0.5·4 = 1.0 (P1) + 3 (P2) = 4.0.
    Special-bond use in B over the horizon: 0.5·0.5·10 = 2.5. Central in ALL, 2024: 0.5·6 = 3."""
    projects = [
        dict(id="P1", name="p1", city="A", duration=2, earliest_start=2024, latest_start=2024, cost=10),
        dict(id="P2", name="p2", city="A", duration=1, earliest_start=2025, latest_start=2025, cost=3),
        dict(id="P3", name="p3", city="A", duration=1, earliest_start=2024, latest_start=2024, cost=2),
        *extra_projects,
    ]
    contrib = [("P1", "v", 5), ("P2", "v", 4), ("P3", "v", 1)] + [(p["id"], "v", 1) for p in extra_projects]
    if funding is None:
        funding = [("P1", "special_bond", 0.5), ("P1", "central", 0.5), ("P2", "special_bond", 1.0)]
        funding += [(p["id"], "special_bond", 1.0) for p in extra_projects]
    return {
        "projects": pd.DataFrame(projects),
        "project_cities": pd.DataFrame([("P1", "A", 0.5), ("P1", "B", 0.5)], columns=["project_id", "city", "share"]),
        "cost_profiles": pd.DataFrame([("P1", 0, 6), ("P1", 1, 4)], columns=["project_id", "year_offset", "cost"]),
        "contributions": pd.DataFrame(contrib, columns=["project_id", "indicator", "value"]),
        "indicators": pd.DataFrame([{"indicator": "v", "scope": "ALL", "target": None}]),
        "funding": pd.DataFrame(funding, columns=["project_id", "source", "share"]),
        "limits": pd.DataFrame(list(limits), columns=["resource", "scope", "year", "limit"]),
    }


def _solve(tables, scenario=None, meta=META):
    with untimed_tie_break():
        return optimizer.solve(from_tables(meta, tables), {"solver": SOLVER, **(scenario or {})})


def _chosen(r):
    return set(r.portfolio.loc[r.portfolio["selected"], "id"])


def _used(r, resource, scope, year):
    row = r.resources[(r.resources["resource"] == resource) & (r.resources["scope"] == scope)]
    row = row[row["year"].isna()] if year is None else row[row["year"] == year]
    assert len(row) == 1
    return float(row["used"].iloc[0])


@pytest.mark.parametrize(("limit", "chosen"), [(3.9, {"P1", "P3"}), (4.0, {"P1", "P2", "P3"})])
def test_yearly_city_row_counts_shares_times_profile(limit, chosen):
    r = _solve(_tables([("special_bond", "A", 2025, limit), ("special_bond", "A", 2024, 100)]))
    assert _chosen(r) == chosen
    assert r.objective == pytest.approx(6.0 if limit < 4 else 10.0)
    assert _used(r, "special_bond", "A", 2024) == pytest.approx(1.5)
    assert _used(r, "special_bond", "A", 2025) == pytest.approx(1.0 + (3.0 if "P2" in chosen else 0.0))


@pytest.mark.parametrize(("limit", "p1"), [(2.4, False), (2.5, True)])
def test_whole_horizon_row_sums_the_years(limit, p1):
    r = _solve(_tables([("special_bond", "B", None, limit)]))
    assert ("P1" in _chosen(r)) is p1
    if p1:
        assert _used(r, "special_bond", "B", None) == pytest.approx(2.5)


@pytest.mark.parametrize(("limit", "p1"), [(2.9, False), (3.0, True)])
def test_metro_wide_row_drops_the_city_share(limit, p1):
    r = _solve(_tables([("central", "ALL", 2024, limit)]))
    assert ("P1" in _chosen(r)) is p1


def test_a_quota_moves_a_start_and_unsplit_projects_count_under_no_source():
    # P4 (B, cost 2, may start 2024 or 2025, all special bond): B's bond in 2024 is 1.5, all
    # of it P1's (0.5·0.5·6), so P4 starts in 2025.
    p4 = dict(id="P4", name="p4", city="B", duration=1, earliest_start=2024, latest_start=2025, cost=2)
    r = _solve(_tables([("special_bond", "B", 2024, 1.5), ("local", "A", 2024, 0)], extra_projects=[p4]))
    starts = r.portfolio.set_index("id")["start"]
    assert _chosen(r) == {"P1", "P2", "P3", "P4"}
    assert starts["P4"] == 2025
    # P3 has no funding rows: a zero `local` quota does not stop it (it is paid from A's own budget)
    assert "P3" in _chosen(r)
    f = r.funding.set_index(["scope", "year", "source"])["spend"]
    assert f["A", 2024, "unsplit"] == pytest.approx(2.0)
    assert f["A", 2024, "central"] == pytest.approx(1.5)
    assert f["ALL", 2024, "central"] == pytest.approx(3.0)
    assert f["B", 2025, "special_bond"] == pytest.approx(2.0 + 0.25 * 4)
    # every year's payers add up to its spending
    total = r.funding.groupby(["scope", "year"])["spend"].sum()
    spend = r.spending.set_index(["scope", "year"])["spend"]
    assert (total - spend.reindex(total.index)).abs().max() < 1e-9


def test_planners_names_meet_and_scale_applies():
    # 地方政府专项债券 in funding, 专项债 in limits and in the scenario's scale: one source
    funding = [("P1", "地方政府专项债券", 0.5), ("P1", "中央预算内投资", 0.5), ("P2", "专项债", 1.0)]
    t = _tables([("专项债", "A", 2025, 8.0)], funding=funding)
    assert _chosen(_solve(t)) == {"P1", "P2", "P3"}
    r = _solve(t, {"scale": {"专项债": 0.49}})  # 3.92 < 4.0
    assert _chosen(r) == {"P1", "P3"}
    row = r.resources[r.resources["resource"] == "special_bond"]
    assert row["limit"].iloc[0] == pytest.approx(3.92)


def test_frontier_on_a_source():
    ds = from_tables(META, _tables([("special_bond", "A", 2025, 4.0)]))
    f = frontier(ds, "专项债", [0.5, 1.0], scenario={"solver": SOLVER}, time_limit=None)
    table = f.table if hasattr(f, "table") else f
    got = dict(zip(table["scale"], table["objective"]))
    assert got[1.0] == pytest.approx(10.0)
    assert got[0.5] == pytest.approx(6.0)  # limit 2: P1's 1.0 fits, P2's 3 does not


@pytest.mark.parametrize(
    ("funding", "limits", "where", "words"),
    [
        ([("P1", "central", 0.5), ("P1", "local", 0.4)], [], "funding.csv, row 2, column share", "sum to 0.9"),
        ([("P9", "central", 1.0)], [], "funding.csv, row 2, column project_id", "P9"),
        ([("P1", "land", 1.0)], [], "funding.csv, row 2, column source", "names a resource"),
        ([("P1", "central", 1.2)], [], "funding.csv, row 2, column share", "1"),
        ([("P1", "central", 1.0)], [("special_bonds", "A", 2025, 1)], "limits.csv, row 2, column resource", "unknown"),
        ([("P1", "central", 0.5), ("P1", "central", 0.5)], [], "funding.csv, row 3", "P1"),
    ],
)
def test_bad_funding_is_an_input_error(funding, limits, where, words):
    with pytest.raises(InputError) as e:
        from_tables(META, _tables(limits, funding=funding))
    text = str(e.value)
    assert where in text and words in text, text


def test_cli_writes_funding_csv_and_cities_say_what_binds_first(tmp_path):
    write_dataset(META, _tables([("special_bond", "A", 2025, 3.9), ("budget", "B", 2025, 100)]), tmp_path / "data")
    run = cli("run", tmp_path / "data", "--out", tmp_path / "out", "--mip-gap", "0", untimed=True)
    assert run.returncode == 0, run.stderr
    f = pd.read_csv(tmp_path / "out" / "funding.csv")
    assert list(f.columns) == ["scope", "year", "source", "spend", "limit"]
    assert set(f["source"]) == {"special_bond", "central", "unsplit"}
    c = pd.read_csv(tmp_path / "out" / "cities.csv").set_index("city")
    assert c.loc["A", "binds_first"] == "special_bond" and c.loc["A", "binds_first_year"] == 2025
    assert pd.isna(c.loc["B", "binds_first"])  # B's budget row is far from full
    run = cli("frontier", tmp_path / "data", "--resource", "专项债", "--scales", "0.5,1.0", "--out", tmp_path / "f")
    assert run.returncode == 0, run.stderr
    front = pd.read_csv(tmp_path / "f" / "frontier.csv").set_index("scale")
    assert front.loc[1.0, "limit"] == pytest.approx(3.9) and front.loc[0.5, "objective"] == pytest.approx(6.0)


# --------------------------------------------------------------------------- enumerated


def _with_funding(seed):
    """A random instance of tests/random_instances.py with random payers and source limits."""
    meta, t, sc = random_instance(seed)
    rng = random.Random(1000 + seed)
    p = t["projects"]
    rows = []
    for pid in p["id"]:
        if rng.random() < 0.25:
            continue  # no funding rows: own budget
        k = rng.choice([1, 2, 2, 3])
        names = rng.sample(["central", "special_bond", "private", "local"], k)
        cuts = sorted(rng.randint(1, 9) for _ in range(k - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10])]
        rows += [(pid, n, v / 10) for n, v in zip(names, parts) if v > 0]
    t["funding"] = pd.DataFrame(rows, columns=["project_id", "source", "share"])
    years = list(range(meta["horizon"][0], meta["horizon"][1] + 1))
    cost = float(p["cost"].sum())
    extra = []
    for _ in range(rng.randint(1, 3)):
        scope = rng.choice(["ALL", *meta["cities"]])
        year = rng.choice([None, *years])
        extra.append(
            ("special_bond" if rng.random() < 0.6 else "central", scope, year, round(cost * rng.uniform(0.05, 0.4), 2))
        )
    lim = pd.DataFrame(extra, columns=["resource", "scope", "year", "limit"])
    lim = lim.drop_duplicates(["resource", "scope", "year"])
    t["limits"] = pd.concat([t["limits"], lim], ignore_index=True)
    return meta, t, sc


@pytest.mark.parametrize("seed", range(30))
def test_random_funding_against_enumeration(seed):
    meta, t, sc = _with_funding(seed)
    o = oracle.enumerate_optimum(meta, t, sc)
    r = _solve(t, {**sc, "solver": SOLVER}, meta=meta)
    if not o.feasible:
        assert r.status == "infeasible"
        return
    assert r.status == "optimal"
    assert r.objective == pytest.approx(o.best, abs=1e-6)
    chosen = {pid: (None if pd.isna(s) else int(s)) for pid, s in zip(r.portfolio["id"], r.portfolio["start"])}
    assert oracle.is_feasible(meta, t, sc, chosen)
    assert r.total_cost == pytest.approx(o.min_cost, abs=1e-6)


def test_a_payer_of_any_name_is_swept_like_budget():
    # a source that is no Python name (soe-equity) still has its limits moved by a sweep
    funding = [("P1", "soe-equity", 0.5), ("P1", "central", 0.5), ("P2", "soe-equity", 1.0)]
    ds = from_tables(META, _tables([("soe-equity", "A", 2025, 4.0)], funding=funding))
    f = frontier(ds, "soe-equity", [0.5, 1.0], scenario={"solver": SOLVER}, time_limit=None)
    got = dict(zip(f["scale"], f["objective"]))
    assert got == {0.5: pytest.approx(6.0), 1.0: pytest.approx(10.0)}


def test_report_and_workbook_say_who_pays_per_city(tmp_path):
    import openpyxl

    from optimizer.report.html import write_report

    r = _solve(_tables([("special_bond", "A", 2025, 3.9), ("special_bond", "A", 2024, 5)]))
    write_report(r, tmp_path, lang="en")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    city_a = page[page.index('id="city-1"') : page.index('id="city-2"')]
    assert "binds first <b>special bonds 2025</b>" in city_a
    payers = city_a[city_a.index("Who pays") :]
    payers = payers[: payers.index("</table>")]
    rows = {
        m[0]: m[1:] for m in re.findall(r"<tr><td>([^<]+)</td>\s*" + r'<td class="n[^"]*">([^<]*)</td>\s*' * 4, payers)
    }
    assert rows["special bonds"] == ("1.5 / 5.0", "1.0 / 3.9", "0.0", "2.5")
    assert rows["central budget"] == ("1.5", "1.0", "0.0", "2.5")
    assert rows["own budget (no split given)"] == ("2.0", "0.0", "0.0", "2.0")  # P3 has no funding rows
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx")
    assert wb.sheetnames.index("funding") == wb.sheetnames.index("spending") + 1
    sheet = [row for row in wb["funding"].iter_rows(values_only=True)]
    assert sheet[0] == ("scope", "year", "payer", "spending (亿元)", "limit (亿元)")
    assert ("A", 2025, "special bonds", 1.0, 3.9) in sheet
    cities = {row[0]: row[-1] for row in wb["cities"].iter_rows(values_only=True)}
    assert cities["A"] == "special bonds 2025" and cities["B"] == "no limit binds"


def test_a_payer_named_like_a_model_family_is_diagnosed_by_its_own_rows():
    # 'exclusive' is a payer here (and also the name of a MODEL.md family): the diagnosis of an
    # infeasible scenario relaxes the payer's rows, found by the resource's name
    funding = [("P1", "exclusive", 0.5), ("P1", "central", 0.5), ("P2", "exclusive", 1.0)]
    t = _tables([("exclusive", "A", 2025, 0.5)], funding=funding)
    t["projects"]["group"] = ["g", None, "g"]  # and there are exclusive groups too
    r = optimizer.solve(from_tables(META, t), {"solver": SOLVER, "force_in": ["P2"]})
    assert r.status == "infeasible"
    row = r.infeasibility.iloc[0]
    assert (row["constraint"], row["scope"], int(row["year"])) == ("exclusive", "A", 2025)
    assert row["short"] == pytest.approx(2.5)
