"""Explain: forced runs per project, checked against hand-worked values, in both languages, CLI included."""

from __future__ import annotations

import pandas as pd
import pytest

import optimizer
import optimizer.analysis.explain as explain_mod
from helpers import dataset, meta, project, tables
from optimizer.cli import main as cli

IND = [{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 10, "weight": 1}]
# one budget row for the whole area over the horizon: 10
LIMITS = [{"resource": "budget", "scope": "ALL", "limit": 10}]
# the scenario's horizon ends in 2027, so P6 (2027, two years) has no start that fits
# hand-worked values are proven optima: no time limit
SC = {"horizon": [2024, 2027], "solver": {"mip_gap": 0, "threads": 1, "time_limit": None}}


def _projects():
    return [
        project("P0", status="committed", start=2023, earliest_start=2023, latest_start=2023, cost=1),
        project("P1", cost=6),
        project("P2", city="B", cost=6),
        project("P3", cost=4),
        project("P4", cost=11),
        project("P5", status="excluded"),
        project("P6", earliest_start=2027, duration=2),
    ]


def _parts():
    # P1 cost 6 worth 0.6, P2 cost 6 worth 0.5, P3 cost 4 worth 0.3: the base picks P1+P3 (0.9).
    # P0 is committed and spent before the horizon; P4 alone overruns the budget.
    return dict(
        contributions=[("P1", "g", 6), ("P2", "g", 5), ("P3", "g", 3)],
        indicators=IND,
        limits=LIMITS,
    )


def small():
    return dataset(_projects(), meta_kw={"horizon": (2024, 2028)}, **_parts())


@pytest.fixture(scope="module")
def en():
    return optimizer.explain(small(), scenario=SC, lang="en", executor="serial", progress=False).set_index("id")


def test_hand_worked_numbers(en):
    assert en.loc["P1", "score_base"] == pytest.approx(0.9)
    # P2 forced in: the best with P2 is P2+P3 (0.8); P1 goes; the budget row is full and P2 needs 6 of it
    p2 = en.loc["P2"]
    assert (p2["action"], p2["forced_status"]) == ("force_in", "optimal")
    assert p2["score_forced"] == pytest.approx(0.8)
    assert p2["score_change"] == pytest.approx(-0.1)
    assert p2["score_change_pct"] == pytest.approx(-100 * 0.1 / 0.9)
    assert p2["displaced"] == "P1"
    assert p2["binding"] == "budget ALL horizon short 6.0 亿元"
    # P1 forced out: P2+P3 (0.8), P2 replaces it
    p1 = en.loc["P1"]
    assert (p1["action"], p1["score_forced"], p1["replaced_by"]) == ("force_out", pytest.approx(0.8), "P2")
    # P3 forced out: P1 alone (0.6), nothing else fits beside it
    p3 = en.loc["P3"]
    assert p3["score_change"] == pytest.approx(-0.3)
    assert p3["replaced_by"] == "" and p3["displaced"] == ""


def test_sentences_en(en):
    s = en["sentence"]
    assert "P2" in s["P2"] and "is left out" in s["P2"]
    assert "lowers the score by 0.100 (11.1%)" in s["P2"]
    assert "needs 6.0 亿元 of budget" in s["P2"] and "short 6.0 亿元" in s["P2"] and "displace P1" in s["P2"]
    assert "P2 name P2 would take its place" in s["P1"]
    assert "0.300 (33.3%)" in s["P3"] and "Nothing would take its place" in s["P3"]


def test_no_run_cases(en, monkeypatch):
    assert en.loc["P0", "action"] == "none" and pd.isna(en.loc["P0", "forced_status"])
    assert "committed" in en.loc["P0", "sentence"] and "every portfolio" in en.loc["P0", "sentence"]
    assert en.loc["P5", "status"] == "excluded" and en.loc["P5", "action"] == "none"
    assert en.loc["P6", "status"] == "unavailable" and "2024-2027" in en.loc["P6", "sentence"]
    # only the four candidates get a run
    seen = []
    real = explain_mod.run_changes

    def spy(ds, sc, changes, **kw):
        seen.extend(ch.label for ch in changes)
        return real(ds, sc, changes, **kw)

    monkeypatch.setattr(explain_mod, "run_changes", spy)
    optimizer.explain(small(), ["P0", "P5", "P6", "P2"], scenario=SC, executor="serial", progress=False)
    assert seen == ["P2"]


def test_cannot_be_added_says_why(en):
    p4 = en.loc["P4"]
    assert p4["forced_status"] == "infeasible" and pd.isna(p4["score_forced"])
    assert "cannot be added at all" in p4["sentence"]
    assert "11.0" in p4["sentence"] and "10.0" in p4["sentence"]  # the elastic diagnosis, in 亿元


def test_chinese_sentences_and_order():
    t = optimizer.explain(small(), ["P2", "P1"], scenario=SC, executor="serial", progress=False)
    assert list(t["id"]) == ["P2", "P1"]
    p2, p1 = t["sentence"]
    assert p2.startswith("P2 name P2（B）未入选。")
    assert "得分下降0.100（11.1%）" in p2 and "需6.0亿元" in p2 and "缺口6.0亿元" in p2 and "挤出P1" in p2
    assert "P2 name P2将替代它" in p1


def test_mandatory_forced_out_shows_its_cost():
    ps = [project("P1", cost=6), project("P2", city="B", cost=6, status="mandatory"), project("P3", cost=4)]
    ds = dataset(ps, **_parts())
    t = optimizer.explain(ds, ["P2"], scenario=SC, lang="en", executor="serial", progress=False)
    r = t.iloc[0]
    assert r["action"] == "force_out" and r["score_change"] == pytest.approx(0.1)  # 0.8 with it, 0.9 without
    assert "would raise the score by 0.100" in r["sentence"] and "P1 name P1 would take its place" in r["sentence"]


def test_executors_agree():
    serial = optimizer.explain(small(), scenario=SC, executor="serial", progress=False)
    local = optimizer.explain(small(), scenario=SC, executor="local", workers=2, progress=False)
    assert serial.to_csv(index=False) == local.to_csv(index=False)


def test_cli_writes_files_and_rejects_unknown_ids(tmp_path, capsys):
    folder = tmp_path / "data"
    m = meta(horizon=(2024, 2028))
    optimizer.write_dataset(m, tables(_projects(), **_parts()), folder)
    out = tmp_path / "ex"
    args = ["explain", str(folder), "P2", "P0", "--lang", "en", "--executor", "serial", "--no-progress"]
    assert cli([*args, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "P2 name P2 (B) is left out" in printed and "P0 name P0" in printed
    csv = pd.read_csv(out / "explanations.csv")
    assert list(csv["id"]) == ["P2", "P0"] and {"binding", "displaced", "replaced_by", "sentence"} <= set(csv)
    txt = (out / "explanations.txt").read_text(encoding="utf-8")
    assert "tie-break" in txt and "P2 name P2 (B) is left out" in txt
    assert cli(["explain", str(folder), "P2", "P99", "--executor", "serial", "--out", str(tmp_path / "no")]) == 2
    err = capsys.readouterr().err
    assert "P99" in err and "ids" in err
    assert not (tmp_path / "no").exists()


def test_the_analysis_returns_fields_and_the_report_makes_the_sentences():
    """analysis.explain gives which limit, scope, year, shortfall and unit, and who trades places;
    report.explanations turns the same table into the sentences optimizer.explain shows."""
    from optimizer.report.explanations import with_sentences

    fields = explain_mod.explain(small(), ["P2", "P1", "P0"], scenario=SC, executor="serial")
    assert "sentence" not in fields.columns
    t = fields.set_index("id")
    (b,) = t.loc["P2", "limits"]
    assert (b.resource, b.scope, b.year, b.unit) == ("budget", "ALL", None, "亿元")
    assert (b.need, b.left, b.short) == pytest.approx((6.0, 0.0, 6.0))
    assert t.loc["P2", "displaced"] == "P1" and t.loc["P1", "replaced_by"] == "P2"
    assert t.loc["P0", "action"] == "none" and t.loc["P0", "limits"] == ()
    words = with_sentences(fields, "en").set_index("id")
    assert "short 6.0 亿元" in words.loc["P2", "sentence"] and "limits" not in words.columns
    face = optimizer.explain(small(), ["P2", "P1", "P0"], scenario=SC, lang="en", executor="serial", progress=False)
    assert list(face["sentence"]) == list(words["sentence"])
