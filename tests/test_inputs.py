"""Every input check: the message names file, row and column; the CLI exits 2 and writes nothing."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

import optimizer
from helpers import cli, meta, project, tables

GOOD_PROJECTS = [
    project("P1", cost=4, duration=2),
    project("P2", city="B", cost=3, earliest_start=2025),
    project("P3", cost=2, status="committed", start=2023, duration=2),
]


def good():
    m = meta(tasks=["infra", "science"])
    t = tables(
        [dict(p, task="infra") for p in GOOD_PROJECTS],
        contributions=[("P1", "g", 5), ("P2", "g", 3)],
        indicators=[{"indicator": "g", "scope": "ALL", "baseline": 0, "target": 6, "weight": 1}],
        limits=[{"resource": "budget", "scope": "A", "year": 2024, "limit": 5}],
        project_cities=[
            {"project_id": "P1", "city": "A", "share": 0.7},
            {"project_id": "P1", "city": "B", "share": 0.3},
        ],
        cost_profiles=[
            {"project_id": "P1", "year_offset": 0, "cost": 1},
            {"project_id": "P1", "year_offset": 1, "cost": 3},
        ],
        dependencies=[{"project_id": "P2", "requires": "P1"}],
    )
    return m, t


def problems_of(tmp_path, mutate) -> list[optimizer.Problem]:
    m, t = good()
    mutate(m, t)
    folder = optimizer.write_dataset(m, t, tmp_path / "ds")
    with pytest.raises(optimizer.InputError) as exc:
        optimizer.load(folder)
    return exc.value.problems


def one(problems, file, row, column, text):
    hits = [p for p in problems if p.file.endswith(file) and p.row == row and p.column == column and text in p.message]
    assert hits, f"expected {file} row {row} column {column} '{text}', got: {[str(p) for p in problems]}"


def test_good_dataset_loads(tmp_path):
    m, t = good()
    ds = optimizer.load(optimizer.write_dataset(m, t, tmp_path / "ds"))
    assert len(ds.projects) == 3


def set_cell(table, row, col, value):
    def f(m, t):
        t[table] = t[table].astype(object)
        t[table].loc[row, col] = value

    return f


CASES = [
    # (mutation, file, spreadsheet row, column, message part)
    (set_cell("projects", 1, "id", "P1"), "projects.csv", 3, "id", "duplicate key"),
    (set_cell("projects", 0, "city", "上海"), "projects.csv", 2, "city", "unknown city '上海'"),
    (set_cell("projects", 0, "task", "space"), "projects.csv", 2, "task", "unknown task 'space'"),
    (set_cell("projects", 0, "cost", -1), "projects.csv", 2, "cost", "at least 0"),
    (set_cell("projects", 0, "cost", "abc"), "projects.csv", 2, "cost", "must be a number"),
    (set_cell("projects", 0, "cost", float("inf")), "projects.csv", 2, "cost", "finite"),
    (set_cell("projects", 0, "cost", 1e15), "projects.csv", 2, "cost", "implausibly large"),
    (set_cell("projects", 0, "duration", 1.5), "projects.csv", 2, "duration", "whole number"),
    (set_cell("projects", 0, "duration", 0), "projects.csv", 2, "duration", "at least 1"),
    (set_cell("projects", 0, "status", "maybe"), "projects.csv", 2, "status", "must be one of"),
    (set_cell("projects", 2, "start", None), "projects.csv", 4, "start", "committed project needs its start"),
    (set_cell("projects", 1, "start", 2025), "projects.csv", 3, "start", "only for committed"),
    (set_cell("projects", 0, "earliest_start", 2031), "projects.csv", 2, "earliest_start", "no start year fits"),
    (set_cell("projects", 0, "latest_start", 2023), "projects.csv", 2, "latest_start", "before earliest_start"),
    (set_cell("projects", 0, "name", None), "projects.csv", 2, "name", "a value is required"),
    (set_cell("project_cities", 1, "share", 0.2), "project_cities.csv", 2, "share", "sum to 0.9"),
    (set_cell("project_cities", 1, "city", "上海"), "project_cities.csv", 3, "city", "unknown city"),
    (set_cell("project_cities", 1, "project_id", "P9"), "project_cities.csv", 3, "project_id", "unknown project 'P9'"),
    (set_cell("cost_profiles", 1, "cost", 2), "cost_profiles.csv", 2, "cost", "sums to 3"),
    (set_cell("cost_profiles", 1, "year_offset", 2), "cost_profiles.csv", 3, "year_offset", "outside 0..1"),
    (set_cell("contributions", 0, "indicator", "h"), "contributions.csv", 2, "indicator", "unknown indicator"),
    (set_cell("contributions", 1, "project_id", "P1"), "contributions.csv", 3, "indicator", "duplicate key"),
    (set_cell("indicators", 0, "target", 0), "indicators.csv", 2, "target", "equals baseline"),
    (set_cell("indicators", 0, "scope", "上海"), "indicators.csv", 2, "scope", "unknown scope"),
    (set_cell("indicators", 0, "weight", -1), "indicators.csv", 2, "weight", "at least 0"),
    (set_cell("limits", 0, "resource", "water"), "limits.csv", 2, "resource", "unknown resource 'water'"),
    (set_cell("limits", 0, "scope", "上海"), "limits.csv", 2, "scope", "unknown scope"),
    (set_cell("limits", 0, "limit", float("nan")), "limits.csv", 2, "limit", "a value is required"),
    (set_cell("dependencies", 0, "requires", "P2"), "dependencies.csv", 2, "requires", "dependency cycle: P2 -> P2"),
    (set_cell("dependencies", 0, "requires", "P7"), "dependencies.csv", 2, "requires", "unknown project 'P7'"),
]


@pytest.mark.parametrize("mutate,file,row,column,text", CASES, ids=[f"{c[1]}:{c[3]}:{c[4][:20]}" for c in CASES])
def test_bad_cell(tmp_path, mutate, file, row, column, text):
    one(problems_of(tmp_path, mutate), file, row, column, text)


def test_cycle_over_two_rows(tmp_path):
    def f(m, t):
        t["dependencies"] = pd.DataFrame(
            [{"project_id": "P2", "requires": "P1"}, {"project_id": "P1", "requires": "P2"}]
        )

    one(problems_of(tmp_path, f), "dependencies.csv", 2, "requires", "cycle")


def test_all_problems_reported_together(tmp_path):
    def f(m, t):
        set_cell("projects", 0, "cost", -1)(m, t)
        set_cell("limits", 0, "resource", "water")(m, t)
        set_cell("indicators", 0, "target", 0)(m, t)

    assert len(problems_of(tmp_path, f)) == 3


def test_missing_column_and_table(tmp_path):
    def f(m, t):
        t["projects"] = t["projects"].drop(columns=["cost"])
        del t["contributions"]

    probs = problems_of(tmp_path, f)
    one(probs, "projects.csv", 1, "cost", "required column is missing")
    assert any(p.file.endswith("contributions.csv") and "required" in p.message for p in probs)


def test_dataset_yaml_problems(tmp_path):
    def f(m, t):
        m["cities"] = ["A", "A"]

    probs = problems_of(tmp_path, f)
    assert any(p.file.endswith("dataset.yaml") and "twice" in p.message for p in probs)


def test_gbk_and_bom_files_load(tmp_path):
    m, t = good()
    t["projects"]["name"] = ["杭州站", "湖州线", "绍兴院"]
    folder = optimizer.write_dataset(m, t, tmp_path / "ds")
    text = (folder / "projects.csv").read_text(encoding="utf-8")
    (folder / "projects.csv").write_bytes(text.encode("gbk"))
    ctext = (folder / "contributions.csv").read_text(encoding="utf-8")
    (folder / "contributions.csv").write_bytes(ctext.encode("utf-8-sig"))
    ds = optimizer.load(folder)
    assert list(ds.projects["name"]) == ["杭州站", "湖州线", "绍兴院"]
    assert list(ds.contributions.columns[:3]) == ["project_id", "indicator", "value"]


def test_workbook_same_as_folder(tmp_path):
    m, t = good()
    path = tmp_path / "data.xlsx"
    with pd.ExcelWriter(path) as xw:
        rows = [
            (k, yaml.safe_dump(v, allow_unicode=True, default_flow_style=True).strip() if isinstance(v, list) else v)
            for k, v in m.items()
        ]
        pd.DataFrame(rows, columns=["key", "value"]).to_excel(xw, sheet_name="dataset", index=False)
        for name, df in t.items():
            df.to_excel(xw, sheet_name=name, index=False)
    a = optimizer.solve(optimizer.load(path), {"solver": {"mip_gap": 0}})
    b = optimizer.solve(optimizer.load(optimizer.write_dataset(m, t, tmp_path / "ds")), {"solver": {"mip_gap": 0}})
    assert a.objective == pytest.approx(b.objective) and a.selected_count == b.selected_count


def test_workbook_bad_cell_names_sheet_and_row(tmp_path):
    m, t = good()
    t["projects"] = t["projects"].astype(object)
    t["projects"].loc[1, "duration"] = "two"
    path = tmp_path / "data.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame([(k, str(v)) for k, v in m.items()], columns=["key", "value"]).to_excel(
            xw, sheet_name="dataset", index=False
        )
        for name, df in t.items():
            df.to_excel(xw, sheet_name=name, index=False)
    with pytest.raises(optimizer.InputError) as exc:
        optimizer.load(path)
    one(exc.value.problems, "data.xlsx [projects]", 3, "duration", "must be a number")


def scenario_problems(tmp_path, text):
    m, t = good()
    optimizer.write_dataset(m, t, tmp_path / "ds")
    sc = tmp_path / "s.yaml"
    sc.write_text("data: ds\n" + text, encoding="utf-8")
    with pytest.raises(optimizer.InputError) as exc:
        optimizer.solve(optimizer.load(sc))
    return exc.value.problems


@pytest.mark.parametrize(
    "text,column,part",
    [
        ("overshoot_weight: 1.5\n", "overshoot_weight", "at most 1"),
        ("budget_cap: 3\n", "budget_cap", "unknown key"),
        ("solver: {time_limt: 3}\n", "solver.time_limt", "unknown key"),
        ("partial_credit: lots\n", "partial_credit", "must be a number"),
        ("scale: {water: 2}\n", "scale.water", "unknown resource"),
        ("city_weights: {上海: 2}\n", "city_weights.上海", "unknown city"),
        ("balance: {min_city_share: {Z: 0.2}}\n", "balance.min_city_share.Z", "unknown city"),
        ("task_minimum: {space: 1}\n", "task_minimum.space", "unknown task"),
        ("force_in: [P99]\n", "force_in", "unknown project"),
        ("force_out: [P3]\n", "force_out", "committed"),
    ],
)
def test_bad_scenario(tmp_path, text, column, part):
    probs = scenario_problems(tmp_path, text)
    assert any(p.column == column and part in p.message for p in probs), [str(p) for p in probs]
    if column in ("overshoot_weight", "budget_cap", "partial_credit"):
        assert all(p.row == 2 for p in probs if p.column == column)  # the YAML line


def test_scenario_data_path_missing(tmp_path):
    sc = tmp_path / "s.yaml"
    sc.write_text("data: nowhere\n", encoding="utf-8")
    with pytest.raises(optimizer.InputError, match="dataset not found"):
        optimizer.load(sc)


def test_cli_bad_input_exit_2_no_traceback_nothing_written(tmp_path):
    m, t = good()
    t["projects"].loc[0, "cost"] = -5
    folder = optimizer.write_dataset(m, t, tmp_path / "ds")
    out = tmp_path / "out"
    r = cli("run", str(folder), "--out", str(out))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "projects.csv, row 2, column cost" in r.stderr
    assert not out.exists()


def test_cli_keeps_earlier_result_on_bad_input(tmp_path):
    m, t = good()
    folder = optimizer.write_dataset(m, t, tmp_path / "ds")
    out = tmp_path / "out"
    r = cli("run", str(folder), "--out", str(out))
    assert r.returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (folder / "projects.csv").write_text(
        (folder / "projects.csv").read_text(encoding="utf-8").replace("P1,", "P1;", 1), encoding="utf-8"
    )
    r = cli("run", str(folder), "--out", str(out))
    assert r.returncode == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(before) == [
        ".portfolio-result.json",
        "attainment.csv",
        "cities.csv",
        "funding.csv",
        "portfolio.csv",
        "resources.csv",
        "spending.csv",
        "summary.json",
    ]
