"""Near-optimal alternatives checked against enumeration (tests/oracle.py, independent of the
package): alternative 1's distance from the optimum is the largest any portfolio within the
bound reaches; every alternative's score, recomputed by the oracle, is within the bound; the
alternatives are pairwise distinct; a hand case with two different portfolios of nearly
equal score returns both; the command writes its three tables."""

from __future__ import annotations

import pandas as pd
import pytest

import optimizer
import oracle
from helpers import meta, project, tables
from optimizer.analysis.alternatives import alternatives
from random_instances import random_instance

SOLVER = {"mip_gap": 0, "threads": 1, "time_limit": None}
WITHIN = 0.05


def _selection(alts: pd.DataFrame, k: int) -> dict[str, bool]:
    a = alts[alts["alternative"] == k]
    return dict(zip(a["id"], a["selected"]))


def _assignment(alts: pd.DataFrame, k: int) -> dict:
    a = alts[alts["alternative"] == k]
    return {i: (int(t) if s else None) for i, s, t in zip(a["id"], a["selected"], a["start"])}


@pytest.mark.parametrize("seed", range(40))
def test_alternatives_match_enumeration(seed):
    meta, tables, sc = random_instance(seed)
    if oracle.count_assignments(meta, tables, sc) > 20000:
        pytest.skip("too many assignments to enumerate quickly")
    want = oracle.enumerate_optimum(meta, tables, sc)
    if not want.feasible:
        pytest.skip("infeasible instance: no alternatives")
    ds = optimizer.from_tables(meta, tables)
    try:
        out = alternatives(ds, {**sc, "solver": SOLVER}, within=WITHIN, count=3)
    except optimizer.InputError:
        pytest.skip("the scenario does not fit the instance")
    alts, summary = out["alternatives"], out["summary"]
    bound = want.best - WITHIN * abs(want.best)
    everything = oracle.enumerate_all(meta, tables, sc)
    best0 = _selection(alts, 0)

    def differs(a: dict) -> int:
        return sum((a.get(i) is not None) != bool(best0[i]) for i in best0)

    good = [a for a, ok, s in everything if ok and s >= bound - 1e-7]
    assert summary.loc[0, "objective"] == pytest.approx(want.best, abs=1e-6)
    if len(summary) > 1:
        assert summary.loc[1, "differs_from_best"] == max(differs(a) for a in good)
    else:  # stopped at once: no other feasible portfolio within the bound differs at all
        assert max(differs(a) for a in good) == 0
        assert out["summary"].attrs["stopped"]
    picks = []
    for k in summary["alternative"]:
        a = _assignment(alts, k)
        assert oracle.violations(meta, tables, sc, a) == []
        assert oracle.score(meta, tables, sc, a) >= bound - 1e-6
        picks.append(tuple(sorted(i for i, s in _selection(alts, k).items() if s)))
    assert len(set(picks)) == len(picks), "alternatives are pairwise distinct"
    settled = out["settled"].set_index("id")
    for pid, row in settled.iterrows():
        n = sum(_selection(alts, k)[pid] for k in summary["alternative"])
        assert row["in_count"] == n
        assert row["class"] == ("always" if n == len(summary) else "never" if n == 0 else "open")


def _parts():
    # one budget of 10 over the horizon: P1+P2 (score 1.0) or P3+P4 (score 0.99); P5 never fits
    projects = [project(f"P{i}", cost=5) for i in range(1, 5)] + [project("P5", cost=20)]
    contributions = [("P1", "g", 5), ("P2", "g", 5), ("P3", "g", 4.95), ("P4", "g", 4.95), ("P5", "g", 1)]
    indicators = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]
    limits = [{"resource": "budget", "scope": "ALL", "limit": 10}]
    return meta(horizon=(2024, 2026), target_year=2026), tables(projects, contributions, indicators, limits)


def _two_ways():
    return optimizer.from_tables(*_parts())


def test_two_different_portfolios_of_nearly_equal_score_are_both_returned():
    out = alternatives(_two_ways(), {"solver": SOLVER}, within=0.02, count=3)
    s = out["summary"]
    chosen = [sorted(i for i, v in _selection(out["alternatives"], k).items() if v) for k in s["alternative"]]
    assert chosen[0] == ["P1", "P2"] and chosen[1] == ["P3", "P4"]
    assert s.loc[1, "differs_from_best"] == 4
    assert s.loc[1, "objective"] == pytest.approx(0.99)
    settled = dict(zip(out["settled"]["id"], out["settled"]["class"]))
    assert settled["P5"] == "never"
    # within 0.5% only the best is left: the search stops and says so
    tight = alternatives(_two_ways(), {"solver": SOLVER}, within=0.005, count=3)
    assert len(tight["summary"]) >= 1 and all(
        sorted(i for i, v in _selection(tight["alternatives"], k).items() if v) != ["P3", "P4"]
        for k in tight["summary"]["alternative"]
    )


def test_the_command_writes_its_tables(tmp_path):
    from optimizer.cli import main

    folder = optimizer.write_dataset(*_parts(), tmp_path / "data")
    out = tmp_path / "alts"
    code = main(["alternatives", str(folder), "--within", "0.02", "--count", "2", "--out", str(out), "--no-progress"])
    assert code == 0
    a = pd.read_csv(out / "alternatives.csv")
    assert list(a.columns) == ["alternative", "id", "selected", "start"]
    s = pd.read_csv(out / "alternatives_summary.csv")
    assert list(s.columns[:4]) == ["alternative", "objective", "attainment_index", "differs_from_best"]
    assert s.columns[-1] == "total_cost" and any(c.startswith("spend_") for c in s.columns)
    st = pd.read_csv(out / "settled.csv")
    assert list(st.columns) == ["id", "in_count", "class"] and set(st["class"]) <= {"always", "never", "open"}
    assert (out / "alternatives.png").stat().st_size > 1000


def test_the_html_report_shows_alternatives_in_both_languages(tmp_path):
    import shutil

    from optimizer.cli import main

    folder = optimizer.write_dataset(*_parts(), tmp_path / "data")
    run, alts = tmp_path / "run", tmp_path / "alts"
    assert main(["run", str(folder), "--out", str(run), "--quiet"]) == 0
    assert (
        main(["alternatives", str(folder), "--within", "0.02", "--count", "2", "--out", str(alts), "--no-progress"])
        == 0
    )
    for name in ("alternatives.csv", "alternatives_summary.csv", "settled.csv"):
        shutil.copy(alts / name, run / name)
    for lang, heading in (("zh", "备选组合"), ("en", "Alternatives")):
        out = tmp_path / f"report_{lang}.html"
        assert main(["report", str(run), "--lang", lang, "--out", str(out)]) == 0
        html = out.read_text(encoding="utf-8")
        assert 'id="alternatives"' in html and heading in html and "fig-alternatives" in html
