"""`portfolio import`: a commission's project list, as planners keep it, into a dataset.

The workbooks are built here with openpyxl the way a 发改委 sheet looks: a title row, a
"单位：万元" line, a two-row header with merged cells (总投资 over its sub-columns), section
headings, 小计 and 合计 rows, footnotes, district names, mixed units, and a GBK CSV export.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import optimizer
from helpers import EXACT, cli
from optimizer.api import import_list
from optimizer.data.dataset import load
from optimizer.data.listimport import Fit, read_list
from optimizer.data.listoptions import ListMapping
from optimizer.errors import InputError

CITIES = ["杭州", "湖州", "嘉兴"]
HEADER = [
    "序号",
    "项目名称",
    "建设地点",
    "建设性质",
    "建设起止年限",
    "总投资",
    None,
    None,
    "用地面积\n（公顷）",
    "能耗（吨标准煤）",
    "资金来源",
    "备注",
]
SUB = [None, None, None, None, None, "合计", "其中：中央预算内投资", "专项债", None, None, None, None]


def commission_workbook(path: Path, projects: list[list], sheet: str = "项目清单") -> Path:
    """A 万元 list: title, 单位 line, two-row merged header, sections, subtotals, footnotes."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["2024年杭州都市圈重大建设项目计划表"])
    ws.merge_cells("A1:L1")
    ws.append(["单位：万元"])
    ws.append(HEADER)
    ws.append(SUB)
    for rng in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:H3", "I3:I4", "J3:J4", "K3:K4", "L3:L4"):
        ws.merge_cells(rng)
    for row in projects:
        ws.append(row)
        if isinstance(row[0], str) and row[0][:1] in "一二三":
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=12)
    ws.append(["合计", None, None, None, None, 302000])
    ws.append(["注：1. 数据来源：各地发改委；2. 前期项目暂不安排年度投资。"])
    wb.save(path)
    return path


#: the list of the first workbook: sections, a 小计 row, districts, 续建/新建/前期/储备, text amounts
LIST_ROWS = [
    ["一、续建项目"],
    [1, "杭州西站枢纽", "杭州市余杭区", "续建", "2022-2026", 200000, 50000, 100000, 10, 3000, None, None],
    [2, "湖州南浔水厂", "南浔区", "续建", "2023—2025年", "12,000", None, None, 2, 0, None, None],
    ["小计", None, None, None, None, 212000],
    ["二、新建及前期项目"],
    [
        3,
        "嘉兴科创走廊",
        "嘉兴市、杭州市",
        "新建",
        "2024.03-2027.12",
        50000,
        None,
        None,
        6.5,
        1200,
        "专项债2亿元、企业自筹3亿元",
        None,
    ],
    [4, "萧山医院", "萧山", "前期", "2024年3月-2026年12月", "3.2亿元", None, None, 1, 0, "企业自筹", None],
    [
        5,
        "临安储备地块",
        "临安区",
        "储备",
        "2025",
        8000,
        None,
        None,
        None,
        None,
        "中央预算内投资30%，专项债50%，企业自筹20%",
        "待定",
    ],
]

EXPECTED = pd.DataFrame(
    [
        ["P001", "杭州西站枢纽", "杭州", 5, 2022, 20.0, 150.0, 0.3, "committed", 2022.0],
        ["P002", "湖州南浔水厂", "湖州", 3, 2023, 1.2, 30.0, 0.0, "committed", 2023.0],
        ["P003", "嘉兴科创走廊", "嘉兴", 4, 2024, 5.0, 97.5, 0.12, "candidate", None],
        ["P004", "萧山医院", "杭州", 3, 2025, 3.2, 15.0, 0.0, "candidate", None],
        ["P005", "临安储备地块", "杭州", 1, 2025, 0.8, None, None, "candidate", None],
    ],
    columns=["id", "name", "city", "duration", "earliest_start", "cost", "land", "energy", "status", "start"],
)


def test_the_commission_list_reads_as_the_hand_written_table(tmp_path):
    book = commission_workbook(tmp_path / "list.xlsx", LIST_ROWS)
    got = read_list(book, Fit(cities=CITIES, horizon=(2024, 2030)))
    table = got.projects[EXPECTED.columns].astype(object).where(got.projects[EXPECTED.columns].notna(), None)
    expected = EXPECTED.astype(object).where(EXPECTED.notna(), None)
    assert table.to_dict("records") == expected.to_dict("records")
    assert got.header_row == 3 and got.plan_year == 2024
    assert got.project_cities.to_dict("records") == [
        {"project_id": "P003", "city": "嘉兴", "share": 0.5},
        {"project_id": "P003", "city": "杭州", "share": 0.5},
    ]
    funding = {(r["project_id"], r["source"]): round(r["share"], 6) for r in got.funding.to_dict("records")}
    assert funding == {
        # the amount columns under 总投资 (50000 + 100000 of 200000: reported, shares of the sum)
        ("P001", "central"): round(1 / 3, 6),
        ("P001", "special_bond"): round(2 / 3, 6),
        ("P003", "special_bond"): 0.4,
        ("P003", "private"): 0.6,
        ("P004", "private"): 1.0,
        ("P005", "central"): 0.3,
        ("P005", "special_bond"): 0.5,
        ("P005", "private"): 0.2,
    }
    kinds = [(e.kind, e.fields.get("row")) for e in got.log if e.kind == "skipped"]
    assert kinds == [("skipped", 5), ("skipped", 8), ("skipped", 9), ("skipped", 13), ("skipped", 14)]
    assert any(e.kind == "funding_sum" and e.fields["id"] == "P001" for e in got.log)


def test_an_out_folder_is_a_new_dataset_with_templates_and_a_report(tmp_path):
    book = commission_workbook(tmp_path / "list.xlsx", LIST_ROWS)
    res = import_list(book, out=tmp_path / "new")
    folder = tmp_path / "new"
    assert {p.name for p in folder.iterdir()} >= {
        "dataset.yaml", "projects.csv", "project_cities.csv", "funding.csv", "contributions.csv",
        "indicators.csv", "limits.csv", "dependencies.csv", "cost_profiles.csv", "README.md", "import_report.txt",
    }  # fmt: skip
    assert res.meta["cities"] == ["杭州", "湖州", "嘉兴"]  # in order of appearance
    assert res.meta["horizon"] == [2024, 2027] and res.meta["target_year"] == 2027
    assert pd.read_csv(folder / "indicators.csv").empty
    report = (folder / "import_report.txt").read_text(encoding="utf-8")
    for words in ("第 8 行", "小计", "第 14 行：注释", "二、新建及前期项目", "P001", "no id column", "萧山", "万元"):
        assert words in report, words
    # the template folder does not solve: the loader says what to fill in
    with pytest.raises(InputError, match=r"indicators\.csv"):
        load(folder)
    # a second import may replace the first; a filled-in template makes the folder the planner's
    import_list(book, out=folder)
    (folder / "indicators.csv").write_text("indicator,target\ngdp,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"indicators\.csv"):
        import_list(book, out=folder)
    import_list(book, out=folder, force=True)
    assert (folder / "indicators.csv").read_text(encoding="utf-8").startswith("indicator,name")


# ---------------------------------------------------------------- --into gives the same optimum

DATASET = {
    "dataset.yaml": "name: 都市圈\ncities: [杭州, 湖州, 嘉兴]\nhorizon: [2024, 2028]\ntarget_year: 2027\n",
    "projects.csv": (
        "id,name,city,duration,earliest_start,cost,land,energy,status,start\n"
        "H1,西湖隧道,杭州,3,2023,10,30,0.5,committed,2023\n"
        "H2,滨江学校,杭州,2,2024,8,15,0,candidate,\n"
        "H3,南浔水厂,湖州,3,2025,6,45,0.2,candidate,\n"
        "H4,嘉杭快线,嘉兴,3,2024,12,75,0,candidate,\n"
        "H5,富阳医院,杭州,1,2026,4,0,0,candidate,\n"
        "H6,海宁园区,嘉兴,2,2024,5,30,1.2,candidate,\n"
    ),
    "project_cities.csv": "project_id,city,share\nH4,嘉兴,0.5\nH4,杭州,0.5\n",
    "indicators.csv": (
        "indicator,name,unit,scope,baseline,target,weight\n"
        "jobs,就业,万人,ALL,0,10,1\nwater,供水,万吨,湖州,0,3,1\ncare,床位,张,杭州,0,500,0.5\n"
    ),
    "contributions.csv": (
        "project_id,indicator,value\nH1,jobs,2\nH2,jobs,3\nH3,water,3\nH3,jobs,1\nH4,jobs,5\nH5,care,500\nH6,jobs,4\n"
    ),
    "limits.csv": "resource,scope,year,limit\nbudget,ALL,2024,9\nbudget,ALL,2025,9\nbudget,ALL,2026,9\nland,ALL,,150\n",
}
#: the same projects as a commission writes them: 项目编号, 万元, 公顷, 吨标准煤, districts, 前期
INTO_ROWS = [
    ["一、续建项目"],
    [1, "H1", "西湖隧道", "杭州市西湖区", "续建", "2023-2025", 100000, 2, 5000],
    ["二、新建项目"],
    [2, "H2", "滨江学校", "滨江区", "新建", "2024-2025", 80000, 1, None],
    [3, "H3", "南浔水厂", "湖州市南浔区", "前期", "2024-2026", 60000, 3, 2000],
    [4, "H4", "嘉杭快线", "嘉兴市、杭州市", "新建", "2024—2026年", "120,000", 5, 0],
    [5, "H5", "富阳医院", "富阳", "新建", "2026", 40000, 0, 0],
    [6, "H6", "海宁园区", "海宁市", "新建", "2024.6-2025.12", 50000, 2, 12000],
    ["小计", None, None, None, None, None, 450000],
]


def into_workbook(path: Path, rows=INTO_ROWS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.append(["2024年都市圈重大项目表"])
    ws.append(
        [
            "序号",
            "项目编号",
            "项目名称",
            "建设地点",
            "建设性质",
            "建设起止年限",
            "总投资（万元）",
            "用地面积（公顷）",
            "能耗（吨标准煤）",
        ]
    )
    for row in rows:
        ws.append(row)
    ws.append(["注：本表由各市发改委汇总。"])
    wb.save(path)
    return path


def write_dataset(folder: Path, files=DATASET) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _optimum(folder: Path):
    res = optimizer.solve(folder, EXACT)
    return round(res.objective, 9), sorted(res.portfolio.loc[res.portfolio["selected"], "id"])


def test_into_gives_the_hand_written_dataset_and_the_same_optimum(tmp_path):
    hand = write_dataset(tmp_path / "hand")
    copy = tmp_path / "imported"
    shutil.copytree(hand, copy)
    (copy / "projects.csv").unlink()
    (copy / "project_cities.csv").write_text("project_id,city,share\nH9,杭州,1\n", encoding="utf-8")  # replaced
    res = import_list(into_workbook(tmp_path / "list.xlsx"), into=copy)
    a, b = load(hand), load(copy)
    cols = ["id", "name", "city", "duration", "earliest_start", "cost", "land", "energy", "status", "start"]
    pd.testing.assert_frame_equal(a.projects[cols], b.projects[cols], check_dtype=False)
    pd.testing.assert_frame_equal(a.project_cities, b.project_cities, check_dtype=False)
    assert res.funding is None and not (copy / "funding.csv").exists()
    best = _optimum(hand)
    assert best[1]  # something is chosen, and not everything
    assert _optimum(copy) == best
    report = (copy / "import_report.txt").read_text(encoding="utf-8")
    assert "保留未动：contributions.csv, dataset.yaml, indicators.csv, limits.csv" in report
    assert "项目清单!D10“海宁市” → 嘉兴" in report and "表头在第 2 行" in report


def test_into_that_breaks_the_kept_tables_writes_nothing(tmp_path):
    folder = write_dataset(tmp_path / "ds")
    before = snapshot(folder)
    rows = [r for r in INTO_ROWS if not (len(r) > 1 and r[1] == "H6")]  # contributions still name H6
    with pytest.raises(InputError) as exc:
        import_list(into_workbook(tmp_path / "list.xlsx", rows), into=folder)
    assert "H6" in str(exc.value) and str(folder / "contributions.csv") in str(exc.value)
    assert ".portfolio-import-stage" not in str(exc.value)
    assert snapshot(folder) == before


# ---------------------------------------------------------------- errors, named as the sheet does


def test_a_bad_number_names_the_cell_and_the_cli_exits_2_with_nothing_written(tmp_path):
    rows = [[k, f"H{k}", f"项目{k}", "萧山区", "新建", "2025-2026", 1000 * k, 1, 0] for k in range(1, 26)]
    rows[24][6] = "约三千"  # the 25th project: sheet row 27 (title, header, then rows 3..), column G
    book = into_workbook(tmp_path / "list.xlsx", rows)
    folder = write_dataset(tmp_path / "ds")
    before = snapshot(folder)
    done = cli("import", book, "--into", folder)
    assert done.returncode == 2, done.stderr
    assert "项目清单!G27" in done.stderr and "约三千" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(folder) == before


def test_a_place_in_no_dataset_city_is_an_error_naming_the_cell(tmp_path):
    rows = [[1, "H1", "西湖隧道", "宁波市鄞州区", "新建", "2025-2026", 1000, 1, 0]]
    with pytest.raises(InputError, match=r"项目清单!D3.*宁波"):
        read_list(into_workbook(tmp_path / "l.xlsx", rows), Fit(cities=CITIES, horizon=(2024, 2030)))
    rows = [[1, "H1", "某项目", "火星基地", "新建", "2025-2026", 1000, 1, 0]]
    with pytest.raises(InputError, match=r"项目清单!D3.*火星基地"):
        read_list(into_workbook(tmp_path / "m.xlsx", rows), Fit(cities=CITIES, horizon=(2024, 2030)))


def test_duplicate_ids_name_both_cells(tmp_path):
    rows = [
        [1, "H1", "甲", "萧山区", "新建", "2025", 1000, 1, 0],
        [2, "H1", "乙", "萧山区", "新建", "2025", 1000, 1, 0],
    ]
    with pytest.raises(InputError, match=r"项目清单!B3 and 项目清单!B4"):
        read_list(into_workbook(tmp_path / "l.xlsx", rows), Fit(cities=CITIES))


def test_out_into_a_foreign_folder_is_refused(tmp_path):
    book = commission_workbook(tmp_path / "list.xlsx", LIST_ROWS)
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    done = cli("import", book, "--out", other)
    assert done.returncode == 2 and "notes.txt" in done.stderr
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    done = cli("import", book, "--out", tmp_path / "fresh")
    assert done.returncode == 0, done.stderr
    assert "imported 5 projects" in done.stdout and (tmp_path / "fresh" / "import_report.txt").exists()


# ---------------------------------------------------------------- the mapping file and other shapes


def test_a_mapping_file_overrides_columns_units_places_status_and_year(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["重点项目"])
    ws.append(["编号", "项目名称", "实施区域", "类型", "起止年限", "投资额", "用地"])
    ws.append(["A-1", "钱江新城二期", "钱江新城", "储备", "2025-2027", 3.5, 20])
    ws.append(["A-2", "湖州高铁站", "吴兴", "谋划", "2026-2027", 2, 10])
    wb.save(tmp_path / "l.xlsx")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "year: 2025\ncolumns: {实施区域: city, 类型: status, 投资额: cost}\nunits: {cost: 亿元, land: 公顷}\n"
        "places: {钱江新城: 杭州}\nstatus: {储备: candidate}\n",
        encoding="utf-8",
    )
    from optimizer.data.listoptions import read_mapping

    got = read_list(tmp_path / "l.xlsx", Fit(cities=CITIES), read_mapping(mapping))
    rows = got.projects[["id", "city", "cost", "land", "status", "earliest_start", "duration"]].to_dict("records")
    assert rows == [
        # 储备 mapped to plain candidate: earliest start the first year; 谋划 waits for the plan year + 1
        {"id": "A-1", "city": "杭州", "cost": 3.5, "land": 300.0, "status": "candidate", "earliest_start": 2025, "duration": 3},
        {"id": "A-2", "city": "湖州", "cost": 2.0, "land": 150.0, "status": "candidate", "earliest_start": 2026, "duration": 2},
    ]  # fmt: skip
    assert got.plan_year == 2025


def test_a_bad_mapping_file_names_the_file_and_key(tmp_path):
    book = commission_workbook(tmp_path / "list.xlsx", LIST_ROWS)
    bad = tmp_path / "map.yaml"
    bad.write_text("columns: {总投资: price}\nunits: {cost: 美元}\n", encoding="utf-8")
    done = cli("import", book, "--mapping", bad, "--out", tmp_path / "o")
    assert done.returncode == 2
    assert "map.yaml" in done.stderr and "columns" in done.stderr and "units" in done.stderr
    with pytest.raises(InputError, match="unknown key"):
        from optimizer.data.listoptions import read_mapping

        bad.write_text("colums: {}\n", encoding="utf-8")
        read_mapping(bad)
    assert ListMapping().columns == {}


def test_a_gbk_csv_export_in_yi_yuan_with_sections_naming_the_status(tmp_path):
    rows = [
        ["2023年度湖州市重大项目清单"],
        ["序号", "项目名称", "所在地", "建设年限", "总投资(亿元)", "用地面积（亩）", "资金筹措", "项目业主"],
        ["一、续建项目"],
        ["1", "南太湖大道", "吴兴区", "2022-2024", "1,234.5", "10", "市县财政", "湖州城投"],
        ["二、前期项目"],
        ["2", "长兴储能站", "长兴县", "2025-", "2.5亿元", "", "专项债、企业自筹", "长兴能源"],
        ["合计", "", "", "", "1237", "", "", ""],
        ["数据来源：湖州市发改委"],
    ]
    path = tmp_path / "湖州清单.csv"
    with open(path, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(rows)
    got = read_list(path, Fit(cities=["湖州"], horizon=(2023, 2028)))
    p = got.projects
    assert p[["id", "cost", "status", "earliest_start", "duration"]].to_dict("records") == [
        {"id": "P001", "cost": 1234.5, "status": "committed", "earliest_start": 2022, "duration": 3},
        # 前期 from the section heading; open-ended 2025- runs to the horizon's end
        {"id": "P002", "cost": 2.5, "status": "candidate", "earliest_start": 2025, "duration": 4},
    ]
    assert list(p["owner"]) == ["湖州城投", "长兴能源"] and got.plan_year == 2023
    assert got.funding.to_dict("records") == [{"project_id": "P001", "source": "local", "share": 1.0}]
    kinds = {e.kind for e in got.log}
    assert {"funding_none", "open_range", "status"} <= kinds
    assert [e.fields["why"] for e in got.log if e.kind == "status"] == ["section", "section"]


def test_no_unit_anywhere_reads_large_costs_as_wan_yuan(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "建设地点", "建设性质", "建设起止年限", "总投资"])
    ws.append(["甲", "杭州", "新建", "2025-2026", 25000])
    ws.append(["乙", "杭州", "新建", "2025-2026", 8000])
    wb.save(tmp_path / "l.xlsx")
    got = read_list(tmp_path / "l.xlsx", Fit(cities=["杭州"]))
    assert list(got.projects["cost"]) == [2.5, 0.8]
    assert any(e.kind == "unit_guess" and e.fields["unit"] == "万元" for e in got.log)


def test_into_writes_a_funding_table_the_loader_reads(tmp_path):
    files = {
        "dataset.yaml": "name: t\ncities: [杭州, 湖州, 嘉兴]\nhorizon: [2024, 2030]\ntarget_year: 2027\n",
        "indicators.csv": "indicator,target\njobs,10\n",
        "contributions.csv": "project_id,indicator,value\n" + "".join(f"P00{k},jobs,{k}\n" for k in range(1, 6)),
        "funding.csv": "project_id,source,share\nP009,central,1\n",  # replaced: the list has funding
    }
    folder = write_dataset(tmp_path / "ds", files)
    import_list(commission_workbook(tmp_path / "list.xlsx", LIST_ROWS), into=folder)
    ds = load(folder)
    shares = ds.funding.groupby("project_id")["share"].sum().round(9).to_dict()
    assert shares == {"P001": 1.0, "P003": 1.0, "P004": 1.0, "P005": 1.0}
    assert set(ds.funding["source"]) == {"central", "special_bond", "private"}


def test_every_bad_cell_is_named_at_once(tmp_path):
    rows = [
        [1, "H1", "甲", "萧山区", "新建", "2025", "abc", 1, 0],
        [2, "H2", "乙", "萧山区", "新建", "2025", None, -1, 0],
        [3, "H3", "丙", "萧山区", "新建", None, 10, 1, 0],
    ]
    with pytest.raises(InputError) as exc:
        read_list(into_workbook(tmp_path / "l.xlsx", rows), Fit(cities=CITIES))
    text = str(exc.value)
    for ref in ("项目清单!G3", "项目清单!G4", "项目清单!H4", "项目清单!F5"):
        assert ref in text, ref


def test_dated_headers_name_their_fields():
    from optimizer.data.listmap import alias_field

    assert alias_field("2024年计划投资（万元）") == "planned_year"
    assert alias_field("至2023年底累计完成投资") == "completed_before"
    assert alias_field("2024年") is None  # a year alone names nothing
