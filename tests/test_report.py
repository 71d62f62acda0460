"""report.html and results.xlsx from a real (small) run, in both languages; the CLI; notebooks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import openpyxl
import pytest

import optimizer
from helpers import EXACT, meta, project, tables
from optimizer.cli import main as cli
from optimizer.report.html import render_html, write_report
from optimizer.report.workbook import write_workbook
from optimizer.results import Result
from optimizer.results.outdir import MARKER

CITIES = ("杭州", "湖州")
TASKS = ["基础设施一体化", "科技创新一体化"]
UNITS = {"money": "亿元", "land": "亩", "energy": "万吨标准煤"}


def small_dataset(budget: float = 5.0):
    return optimizer.from_tables(*small_parts(budget))


def small_parts(budget: float = 5.0):
    """Two cities, five projects; the yearly budget decides how many fit. (meta, tables)"""
    kw = {"task": TASKS[0], "land": 5.0, "energy": 0.5}
    projects = [
        project("P1", name="杭州地铁一号线", city="杭州", cost=6, duration=2, **kw),
        project("P2", name="湖州科创园", city="湖州", cost=4, **{**kw, "task": TASKS[1]}),
        project("P3", name="杭州城西医院", city="杭州", cost=5, **kw),
        project("P4", name="湖州南太湖大道", city="湖州", cost=7, duration=2, **kw),
        project(
            "P5", name="杭州会展中心", city="杭州", cost=3, status="committed", start=2023, earliest_start=2023, **kw
        ),
    ]
    contributions = [
        ("P1", "rail", 30),
        ("P2", "rd", 0.2),
        ("P3", "beds", 1.0),
        ("P4", "rail", 20),
        ("P5", "beds", 0.5),
    ]
    indicators = [
        {
            "indicator": "rail",
            "name": "轨道交通里程",
            "unit": "km",
            "scope": "ALL",
            "baseline": 0,
            "target": 50,
            "weight": 2,
        },
        {"indicator": "beds", "name": "每千人床位数", "unit": "张", "scope": "杭州", "baseline": 5, "target": 6.2},
        {"indicator": "rd", "name": "研发投入强度", "unit": "%", "scope": "湖州", "baseline": 3.0, "target": 3.2},
    ]
    limits = [{"resource": "budget", "scope": c, "year": y, "limit": budget} for c in CITIES for y in range(2024, 2028)]
    limits += [{"resource": "land", "scope": "ALL", "limit": 40}, {"resource": "energy", "scope": "杭州", "limit": 3}]
    m = meta(cities=CITIES, horizon=(2024, 2027), target_year=2026, tasks=TASKS, units=UNITS)
    m["name"] = "测试都市圈"
    return m, tables(projects, contributions, indicators, limits)


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory):
    """Two runs written by Result.write, as `portfolio run --out` writes them."""
    root = tmp_path_factory.mktemp("runs")
    base = optimizer.solve(small_dataset(), {**EXACT, "name": "基准"})
    tight = optimizer.solve(small_dataset(4.0), {**EXACT, "name": "预算收紧"})
    assert base.ok and tight.ok
    base.write(root / "base")
    tight.write(root / "tight")
    return root / "base", root / "tight", base


class _Page(HTMLParser):
    """Ids, figure ids, svg <text> contents and every src/href of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.figures, self.links, self.svg_text, self._in_text = set(), [], [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "figure" and "fig" in (a.get("class") or "").split():
            self.figures.append(a.get("id"))
        self.links += [v for k, v in attrs if k in ("src", "href", "xlink:href") and v]
        self._in_text = tag == "text"

    def handle_endtag(self, tag):
        if tag == "text":
            self._in_text = False

    def handle_data(self, data):
        if self._in_text and data.strip():
            self.svg_text.append(data.strip())


def _parse(text: str) -> _Page:
    p = _Page()
    p.feed(text)
    return p


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_has_every_section_and_text_svg(run_dirs, lang):
    base_dir, tight_dir, _ = run_dirs
    res = Result.read(base_dir)
    page = render_html(res, lang, compare=[Result.read(tight_dir)])
    p = _parse(page)
    for section in ("headline", "settings", "attainment", "portfolio", "resources", "binding", "cities", "comparison"):
        assert section in p.ids, section
    assert {"city-1", "city-2"} <= p.ids
    assert p.figures == ["fig-attainment", "fig-schedule", "fig-spending", "fig-land", "fig-energy"]
    # one inline svg per figure, its words as <text>, not paths
    figures = re.findall(r'<figure class="fig" id="(fig-\w+)"[^>]*>\s*<svg', page)
    assert len(figures) == 5
    joined = " ".join(p.svg_text)
    assert "杭州" in joined and "湖州" in joined  # data is never translated
    if lang == "zh":
        assert "年度支出" in joined and "目标" in joined
        assert "项目组合优化结果" in page and "分城市情况" in page
    else:
        assert "spending per year" in joined.lower() and "target" in joined
        assert "Project portfolio optimisation result" in page and "City by city" in page
    # ids are unique across the inline figures, and every in-page reference resolves
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', page)) <= set(ids)
    # self-contained: no resource fetched from the network; links are in-page anchors
    assert all(link.startswith("#") for link in p.links), p.links
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and not re.search(r"""url\(\s*['"]?(?!#)""", page)  # only url(#clip-path)
    # every project of the dataset is in the portfolio table; each city lists its own
    for pid in res.portfolio["id"]:
        assert f"<td>{pid}</td>" in page
    assert f"{res.objective:.4f}" in page


def test_html_shows_what_binds_and_the_city_numbers(run_dirs):
    _, _, base = run_dirs
    page = render_html(base, "en")
    binding = page[page.index('id="binding"') : page.index('id="cities"')]
    if len(base.binding):
        assert '<table class="binding">' in binding
        r = base.binding.iloc[0]
        assert f"{r['used']:,.1f}" in binding and f"{r['limit']:,.1f}" in binding
    for c in base.cities.itertuples():
        sec = page[page.index(f"<h3>{c.city}</h3>") :]
        assert f"{c.spend:,.1f}" in sec[:2000]


def test_explanations_and_frontier_tables_in_the_run_folder_appear(run_dirs, tmp_path):
    import shutil

    import pandas as pd

    base_dir, _, base = run_dirs
    d = tmp_path / "run"
    shutil.copytree(base_dir, d)
    pd.DataFrame(
        {"id": ["P1"], "name": ["杭州地铁一号线"], "city": ["杭州"], "selected": [True], "score_change": [-0.5],
         "sentence": ["P1 入选：剔除它得分下降 0.5。"]}
    ).to_csv(d / "explanations.csv", index=False)  # fmt: skip
    total = base.resources.loc[base.resources["resource"] == "budget", "limit"].sum()
    pd.DataFrame(
        {"scale": [0.9, 1.0, 1.1], "limit": [0.9 * total, total, 1.1 * total], "status": ["optimal"] * 3,
         "objective": [1.0, 1.5, 1.6], "attainment_index": [50.0, 60.0, 62.0], "marginal": [None, 0.1, 0.01], "gap": [0.0] * 3}
    ).to_csv(d / "frontier.csv", index=False)  # fmt: skip
    assert cli(["report", str(d), "--lang", "zh"]) == 0
    page = (d / "report.html").read_text(encoding="utf-8")
    p = _parse(page)
    assert {"explanations", "frontier"} <= p.ids and "fig-frontier" in p.figures
    assert "剔除它得分下降" in page and "预算上限" in page  # the frontier figure knows its resource


def test_workbook_sheets_headers_and_values(run_dirs, tmp_path):
    base_dir, tight_dir, _ = run_dirs
    res, other = Result.read(base_dir), Result.read(tight_dir)
    path = write_workbook(res, tmp_path / "results.xlsx", compare=[("基准", res), ("预算收紧", other)], lang="zh")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:6] == ["summary", "portfolio", "spending", "funding", "resources", "attainment"]
    assert "comparison" in wb.sheetnames
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert all(ws.column_dimensions[c].width >= 8 for c in "AB")
    head = {ws.title: [c.value for c in ws[1]] for ws in wb}
    assert "投资 (亿元)" in head["portfolio"]
    assert "支出 (亿元)" in head["spending"] and "上限 (亿元)" in head["spending"]
    assert {"用量", "上限", "单位"} <= set(head["resources"])
    # values are the Result's
    rows = list(wb["portfolio"].iter_rows(min_row=2, values_only=True))
    cost = head["portfolio"].index("投资 (亿元)")
    assert [r[0] for r in rows] == list(res.portfolio["id"])
    assert [r[cost] for r in rows] == pytest.approx(list(res.portfolio["cost"]))
    spend = [r[2] for r in wb["spending"].iter_rows(min_row=2, values_only=True)]
    assert spend == pytest.approx(list(res.spending["spend"]))
    used = [r[3] for r in wb["resources"].iter_rows(min_row=2, values_only=True)]
    assert used == pytest.approx(list(res.resources["used"]))
    summary = {r[0]: r[1] for r in wb["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["得分"] == pytest.approx(res.objective)
    assert summary["目标达成指数 (0-100)"] == pytest.approx(res.attainment_index)
    assert summary["总投资"] == pytest.approx(res.total_cost)
    cmp_rows = list(wb["comparison"].iter_rows(values_only=True))
    assert [r[0] for r in cmp_rows[1:]] == ["基准", "预算收紧"]
    score = cmp_rows[0].index("得分")
    assert [r[score] for r in cmp_rows[1:]] == pytest.approx([res.objective, other.objective])
    assert res.objective > other.objective  # less money, less done
    assert "changes" in wb.sheetnames


def test_english_workbook_headers(run_dirs, tmp_path):
    res = Result.read(run_dirs[0])
    wb = openpyxl.load_workbook(write_workbook(res, tmp_path / "en.xlsx", lang="en"))
    assert "cost (亿元)" in [c.value for c in wb["portfolio"][1]]
    assert "spending (亿元)" in [c.value for c in wb["spending"][1]]
    assert "comparison" not in wb.sheetnames


def test_repr_html_is_a_compact_summary(run_dirs):
    _, _, base = run_dirs
    text = base._repr_html_()
    assert "optimal" in text and f"{base.objective:.4f}" in text and f"{base.attainment_index:.1f}" in text
    assert "杭州" in text and "<svg" not in text and len(text) < 8000


def test_cli_report_and_run_report(run_dirs, tmp_path, capsys):
    base_dir, tight_dir, _ = run_dirs
    out = tmp_path / "rep"
    assert cli(["report", str(base_dir), "--lang", "en", "--compare", str(tight_dir), "--out", str(out)]) == 0
    assert (out / "report.html").stat().st_size > 10_000
    assert "comparison" in openpyxl.load_workbook(out / "results.xlsx").sheetnames
    assert cli(["report", str(base_dir), "--out", str(tmp_path / "one" / "page.html")]) == 0
    assert (tmp_path / "one" / "page.html").is_file() and (tmp_path / "one" / "page.xlsx").is_file()
    # run --report: the report and workbook arrive with the other results, in one folder
    data = tmp_path / "data"
    optimizer.write_dataset(*small_parts(), data)
    run = tmp_path / "run"
    assert cli(["run", str(data), "--out", str(run), "--report", "--lang", "zh", "--quiet"]) == 0
    names = {p.name for p in run.iterdir()}
    assert {"summary.json", "portfolio.csv", "report.html", "results.xlsx"} <= names
    assert not [n for n in names if n.startswith(".") and n != MARKER]  # no temporary file left
    assert "分城市情况" in (run / "report.html").read_text(encoding="utf-8")


def test_cli_bad_run_dir_is_an_input_error(tmp_path, capsys):
    assert cli(["report", str(tmp_path / "nowhere")]) == 2
    assert "summary.json" in capsys.readouterr().err
    assert cli(["report", str(tmp_path), "--compare", str(tmp_path / "nowhere")]) == 2
    assert cli(["run", "whatever", "--report"]) == 2
    assert "--report needs --out" in capsys.readouterr().err


def test_infeasible_run_still_reports(tmp_path):
    res = optimizer.solve(small_dataset(), {**EXACT, "force_in": ["P1", "P3", "P4"], "scale": {"budget": 0.3}})
    assert not res.ok
    paths = write_report(res, tmp_path, lang="en")
    page = paths[0].read_text(encoding="utf-8")
    assert "infeasible" in page and "<svg" not in page
    assert openpyxl.load_workbook(paths[1]).sheetnames[0] == "summary"
