"""Figures of a Result: checked through their artists (bars, lines, legends, titles), not pixels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import optimizer
from optimizer.report import labels
from optimizer.report.figures import (
    BINDING_COLOUR,
    figures,
    plot_attainment,
    plot_frontier,
    plot_resources,
    plot_schedule,
    plot_spending,
    plot_tradeoffs,
)
from optimizer.report.labels import t
from optimizer.results import Result
from optimizer.solve import Status

ROOT = Path(__file__).resolve().parents[1]
TASKS = ["基础设施一体化", "科技创新一体化", "民生共享一体化", "环境治理一体化"]
YEARS = [2024, 2025, 2026, 2027, 2028]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def make_result(projects=None, energy=True) -> Result:
    na = pd.NA
    portfolio = pd.DataFrame(
        projects
        or [
            (
                "P1",
                "杭州地铁十号线二期工程（含车辆段及配套设施）",
                "杭州",
                TASKS[0],
                True,
                2022,
                2025,
                120.0,
                "committed",
            ),
            ("P2", "西湖实验室", "杭州", TASKS[1], True, 2025, 2025, 30.0, "candidate"),
            ("P3", "湖州南太湖大道", "湖州", TASKS[0], True, 2026, 2028, 60.0, "mandatory"),
            ("P4", "湖州医院", "湖州", TASKS[2], False, na, na, 20.0, "candidate"),
        ],
        columns=["id", "name", "city", "task", "selected", "start", "finish", "cost", "status"],
    )
    portfolio["start"] = portfolio["start"].astype("Int64")
    portfolio["finish"] = portfolio["finish"].astype("Int64")
    portfolio["note"] = ""
    spend = {"杭州": [40.0, 55.5, 0.0, 0.0, 0.0], "湖州": [0.0, 0.0, 20.0, 20.0, 20.0]}
    limit = {"杭州": [50.0, 56.0, 30.0, 30.0, np.nan], "湖州": [25.0, 25.0, 20.0, 25.0, 25.0]}
    rows = [(c, y, spend[c][i], limit[c][i]) for c in ("杭州", "湖州") for i, y in enumerate(YEARS)]
    rows += [("ALL", y, spend["杭州"][i] + spend["湖州"][i], 80.0) for i, y in enumerate(YEARS)]
    spending = pd.DataFrame(rows, columns=["scope", "year", "spend", "limit"])
    res_rows = []
    for c in ("杭州", "湖州"):
        for i, y in enumerate(YEARS):
            res_rows.append(("budget", c, y, spend[c][i], limit[c][i], "亿元"))
    land = {"杭州": [100.0, 300.0, 0.0, 0.0, 0.0], "湖州": [0.0, 0.0, 200.0, 50.0, 0.0]}
    for c in ("杭州", "湖州"):
        for i, y in enumerate(YEARS):
            res_rows.append(("land", c, y, land[c][i], 300.0 if c == "杭州" else 200.0, "亩"))
        res_rows.append(("land", c, na, sum(land[c]), 800.0, "亩"))
    if energy:
        for c in ("杭州", "湖州"):
            for i, y in enumerate(YEARS):
                used = 2.0 * (i + 1) if (c, i) == ("湖州", 2) else 1.5 * i  # 湖州 2026: binding
                res_rows.append(("energy", c, y, used, 2.0 * (i + 1), "万吨标准煤"))
    resources = pd.DataFrame(res_rows, columns=["resource", "scope", "year", "used", "limit", "unit"])
    resources["year"] = resources["year"].astype("Int64")
    resources["slack"] = resources["limit"] - resources["used"]
    resources["utilisation"] = resources["used"] / resources["limit"]
    resources["binding"] = resources["slack"] <= 0.01 * resources["limit"].abs()
    resources = resources[["resource", "scope", "year", "used", "limit", "slack", "utilisation", "binding", "unit"]]
    attainment = pd.DataFrame(
        [
            ("rail_km", "ALL", "跨市铁路运营里程", "km", 60.0, 100.0, 90.0, 0.75, 1.0),
            ("pm25", "ALL", "PM2.5年均浓度", "µg/m³", 30.0, 25.0, 24.5, 1.1, 1.0),
            ("gdp", "杭州", "地区生产总值", "亿元", 100.0, 110.0, 104.0, 0.4, 1.5),
            ("gdp", "湖州", "地区生产总值", "亿元", 50.0, 60.0, 60.0, 1.0, 1.5),
            ("jobs", "ALL", "新增就业", "万人", 0.0, np.nan, 3.0, 3.0, 0.5),
        ],
        columns=["indicator", "scope", "name", "unit", "baseline", "target", "achieved", "progress", "weight"],
    )
    attainment["attained"] = np.where(attainment["target"].notna(), attainment["progress"].clip(0, 1), np.nan)
    sel = portfolio[portfolio["selected"]]
    return Result(
        status=Status.OPTIMAL,
        objective=3.2,
        bound=3.2,
        mip_gap=0.0,
        attainment_index=81.0,
        selected_count=len(sel),
        total_cost=float(sel["cost"].sum()),
        build_seconds=0.0,
        solve_seconds=0.0,
        portfolio=portfolio,
        spending=spending,
        resources=resources,
        attainment=attainment,
        cities=pd.DataFrame({"city": ["杭州", "湖州"]}),
        scenario={"name": "hand-made"},
        dataset={
            "name": "hand",
            "horizon": [2024, 2028],
            "target_year": 2026,
            "cities": ["杭州", "湖州"],
            "tasks": TASKS,
            "units": {"money": "亿元", "land": "亩", "energy": "万吨标准煤", "budget": "亿元"},
        },
    )


def container(ax, label):
    found = [c for c in ax.containers if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.containers]
    return found[0]


def vlines_at(ax):
    return [line.get_xdata()[0] for line in ax.get_lines() if len(set(line.get_xdata())) == 1 and line.get_gid()]


def note_of(ax) -> str:
    return "\n".join(x.get_text() for x in ax.texts if x.get_gid() == "note")


def title_of(ax) -> str:
    return ax.get_title(loc="left")


# -- labels ------------------------------------------------------------------------------------
def test_labels_zh_default_en_and_errors():
    assert t("score") == "得分" and t("score", "en") == "score" and t("score", "zh-CN") == "得分"
    assert t("n_projects", "en", n=3) == "3 projects"
    assert labels.status_name("optimal") == "最优" and labels.status_name("optimal", "en") == "optimal"
    assert labels.scope_name("ALL", "en") == "all cities" and labels.scope_name("杭州", "en") == "杭州"
    for key in ("attainment_index", "gap", "projects", "spending", "binding_limits", "city", "target", "scenario"):
        assert t(key, "zh") != t(key, "en")
    assert all(zh and en for zh, en in labels.LABELS.values())
    with pytest.raises(KeyError):
        t("no such key")
    with pytest.raises(ValueError):
        t("score", "fr")


# -- schedule ----------------------------------------------------------------------------------
def test_schedule_bars_labels_legend_and_target_line():
    res = make_result()
    ax = plot_schedule(res)
    bars = container(ax, "_schedule")
    assert len(bars) == 3  # the selected projects only
    ticks = {round(tk): lab.get_text() for tk, lab in zip(ax.get_yticks(), ax.get_yticklabels())}
    p = res.portfolio.set_index("id")
    seen = set()
    for rect in bars:
        label = ticks[round(rect.get_y() + rect.get_height() / 2)]
        pid = label.split()[0]
        seen.add(pid)
        assert rect.get_x() == p.loc[pid, "start"]
        assert rect.get_x() + rect.get_width() == p.loc[pid, "finish"] + 1  # to the end of the finish year
        assert bool(rect.get_hatch()) == (p.loc[pid, "status"] == "committed")
    assert seen == {"P1", "P2", "P3"}
    # long names shortened, city headers present, cities in the dataset's order
    texts = [lab.get_text() for lab in ax.get_yticklabels()]
    assert any(x.startswith("P1 ") and x.endswith("…") for x in texts)
    assert texts[0].startswith("杭州") and any(x.startswith("湖州") for x in texts)
    # the target year ends at x = target_year + 1
    assert vlines_at(ax) == [2027]
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert [x for x in legend if x in TASKS] == [TASKS[0], TASKS[1]]
    assert t("pstatus.committed") in legend and t("target_year_line", year=2026) in legend
    assert title_of(ax) == t("schedule_title", "zh")
    en = plot_schedule(res, lang="en")
    assert title_of(en) == t("schedule_title", "en") != title_of(ax)


def test_schedule_height_follows_the_projects():
    small = plot_schedule(make_result()).figure.get_size_inches()[1]
    many = [(f"Q{i}", f"项目{i}", "杭州", TASKS[i % 4], True, 2024, 2025, 1.0, "candidate") for i in range(40)]
    many[0] = (*many[0][:3], None, *many[0][4:])  # no task area
    ax = plot_schedule(make_result(projects=many))
    assert ax.figure.get_size_inches()[1] > small + 5
    assert len(container(ax, "_schedule")) == 40 and t("no_task") in [x.get_text() for x in ax.get_legend().get_texts()]


# -- spending and resources -------------------------------------------------------------------
def test_spending_bars_limits_and_units():
    res = make_result()
    ax = plot_spending(res)
    s = res.spending
    for city in ("杭州", "湖州"):
        bars = container(ax, city)
        rows = s[s["scope"] == city].sort_values("year")
        assert [r.get_height() for r in bars] == pytest.approx(rows["spend"].tolist())
        (limits,) = [c for c in ax.collections if c.get_gid() == f"limit:{city}"]
        ys = sorted(seg[0][1] for seg in limits.get_segments())
        assert ys == pytest.approx(sorted(rows["limit"].dropna().tolist()))
    assert not any(c.get_label() == "ALL" for c in ax.containers)  # ALL goes into the note
    assert "155.5" in note_of(ax) and "55.5/80" in note_of(ax)  # all-city total; tightest all-city year
    # binding: 杭州 2025 (55.5 of 56) and 湖州 2026 (20 of 20) have the red edge
    red = to_rgba(BINDING_COLOUR)
    edged = {
        (city, i) for city in ("杭州", "湖州") for i, r in enumerate(container(ax, city)) if r.get_edgecolor() == red
    }
    assert edged == {("杭州", 1), ("湖州", 2)}
    assert vlines_at(ax) == [YEARS.index(2026) + 0.5]
    assert "亿元" in title_of(ax) and "亿元" in ax.get_ylabel()
    en = plot_spending(res, lang="en")
    assert "亿元" in title_of(en) and title_of(en) != title_of(ax)


@pytest.mark.parametrize(("resource", "unit"), [("land", "亩"), ("energy", "万吨标准煤")])
def test_resources_binding_highlighted_and_units(resource, unit):
    res = make_result()
    ax = plot_resources(res, resource)
    r = res.resources
    red = to_rgba(BINDING_COLOUR)
    for city in ("杭州", "湖州"):
        rows = r[(r["resource"] == resource) & (r["scope"] == city) & r["year"].notna()].sort_values("year")
        bars = container(ax, city)
        assert [b.get_height() for b in bars] == pytest.approx(rows["used"].tolist())
        assert [b.get_edgecolor() == red for b in bars] == rows["binding"].tolist()
        assert all(b.get_linewidth() > 1.5 for b, hit in zip(bars, rows["binding"]) if hit)
    assert r[(r["resource"] == resource)]["binding"].any()
    assert unit in title_of(ax) and unit in ax.get_ylabel()
    assert title_of(plot_resources(res, resource, lang="en")) != title_of(ax)
    if resource == "land":  # whole-horizon rows in the note: 杭州 400 of 800
        assert "400/800" in note_of(ax) and t("horizon_note") in note_of(ax)


def test_resources_unknown_resource():
    with pytest.raises(ValueError, match="water"):
        plot_resources(make_result(), "water")


# -- attainment --------------------------------------------------------------------------------
def test_attainment_bars_are_the_progress_with_a_line_at_one():
    res = make_result()
    ax = plot_attainment(res)
    bars = container(ax, "_attainment")
    a = res.attainment
    capped = a[a["target"].notna()]
    # ALL first, then the cities in the dataset's order; the uncapped row is left out
    order = pd.concat([capped[capped["scope"] == s] for s in ("ALL", "杭州", "湖州")])
    assert [b.get_width() for b in bars] == pytest.approx(order["progress"].tolist())
    assert all(b.get_x() == 0 for b in bars)
    assert 1.0 in vlines_at(ax)
    texts = [lab.get_text() for lab in ax.get_yticklabels()]
    assert t("scope.ALL") in texts and "杭州" in texts and "新增就业" not in texts
    assert t("uncapped_note", n=1) in note_of(ax)
    assert title_of(plot_attainment(res, lang="en")) == t("attainment_title", "en") != title_of(ax)


# -- every figure, existing axes, analysis figures ---------------------------------------------
def test_figures_keys():
    res = make_result()
    assert list(figures(res)) == ["schedule", "spending", "land", "energy", "attainment"]
    assert plt.get_fignums() == []  # detached from pyplot
    res = make_result(energy=False)
    res.portfolio["selected"] = False
    assert list(figures(res, lang="en")) == ["spending", "land", "attainment"]
    res = dataclasses.replace(res, status=Status.INFEASIBLE)
    assert figures(res) == {}


@pytest.mark.parametrize(
    "draw",
    [plot_schedule, plot_spending, plot_attainment, lambda r, ax, lang: plot_resources(r, "energy", ax=ax, lang=lang)],
)
def test_draws_into_a_given_axes(draw):
    fig, (left, right) = plt.subplots(1, 2)
    assert draw(make_result(), ax=right, lang="en") is right
    assert right.containers and not left.containers
    assert fig.get_size_inches().tolist() == pytest.approx([6.4, 4.8])


def test_frontier_and_tradeoffs_figures():
    table = pd.DataFrame(
        {
            "scale": [0.8, 1.0, 1.2],
            "limit": [80.0, 100.0, 120.0],
            "status": ["infeasible", "optimal", "optimal"],
            "objective": [np.nan, 2.0, 2.5],
            "attainment_index": [np.nan, 70.0, 80.0],
        }
    )
    table.attrs.update(resource="land", scope="杭州", unit="亩", dataset="hand")
    ax = plot_frontier(table)
    assert "亩" in ax.get_xlabel() and "用地" in title_of(ax)
    _, own = plt.subplots()
    assert plot_frontier(table, ax=own, lang="en") is own and "land" in title_of(own)
    pareto = pd.DataFrame(
        {
            "city": ["杭州", "杭州", "湖州", "湖州"],
            "epsilon": [50, 60, 40, 45],
            "city_attainment": [50.0, 60.0, 40.0, 45.0],
            "rest_attainment": [80.0, 75.0, 82.0, 81.0],
        }
    )
    cities = pd.DataFrame({"city": ["杭州", "湖州"], "attainment": [50.0, 40.0], "rest_attainment": [80.0, 82.0]})
    ax = plot_tradeoffs(pareto, cities_table=cities)
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["杭州", "湖州", t("base_portfolio")]
    _, own = plt.subplots()
    assert plot_tradeoffs(pareto, ax=own, lang="en") is own
    assert own.get_xlabel() == t("tradeoffs_x", "en")


def test_real_run_smoke(tmp_path):
    run = tmp_path / "run"
    optimizer.solve(optimizer.load(ROOT / "models" / "hangzhou_default.yaml")).write(run)
    res = Result.read(run)
    figs = figures(res)
    assert list(figs) == ["schedule", "spending", "land", "energy", "attainment"]
    ax = figs["schedule"].axes[0]
    assert len(container(ax, "_schedule")) == int(res.portfolio["selected"].sum())
    for key, fig in figs.items():
        out = tmp_path / f"{key}.png"
        fig.savefig(out, dpi=60)
        assert out.stat().st_size > 5_000
