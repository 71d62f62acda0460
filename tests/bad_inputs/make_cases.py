"""Generate the bad-input corpus (tests/bad_inputs/NN_name/) and the good-but-unusual controls
(tests/good_inputs/NN_name/) from one small valid base dataset.

Each case folder holds the dataset (``data/`` folder, ``data.xlsx`` or a scenario) and
``expect.yaml``: ``{run, file, row, column, message}`` -- ``run`` is the path inside the case given
to ``portfolio run``, the rest a problem stderr must name -- or a list of such dicts when several
problems must be named. Controls have only ``run``.

The generated files are committed; tests/test_bad_inputs.py reads them and never runs this.
Re-run after changing a case:  python tests/bad_inputs/make_cases.py
"""

from __future__ import annotations

import copy
import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
GOOD = HERE.parent / "good_inputs"

# ---------------------------------------------------------------- the base dataset (valid)

META = {
    "name": "base",
    "cities": ["杭州", "湖州"],
    "tasks": ["交通", "科创"],
    "horizon": [2024, 2027],
    "target_year": 2027,
    "units": {"money": "亿元", "land": "亩", "energy": "万吨标准煤"},
}

TABLES: dict[str, list[list[str]]] = {
    "projects": [
        ["id", "name", "city", "task", "duration", "earliest_start", "latest_start", "cost", "land", "energy"]
        + ["status", "start", "group"],
        ["P1", "杭州东站扩建", "杭州", "交通", "2", "2024", "", "4", "10", "0.1", "candidate", "", ""],  # row 2
        ["P2", "湖州科创园", "湖州", "科创", "1", "2025", "", "3", "5", "0", "candidate", "", ""],  # row 3
        ["P3", "杭湖城际", "杭州", "交通", "2", "2023", "", "2", "0", "0", "committed", "2023", ""],  # row 4
        ["P4", "湖州港A", "湖州", "交通", "1", "2024", "2026", "2", "1", "0", "candidate", "", "G1"],  # row 5
        ["P5", "湖州港B", "湖州", "交通", "1", "2024", "", "2.5", "1", "0", "candidate", "", "G1"],  # row 6
    ],
    "project_cities": [
        ["project_id", "city", "share"],
        ["P1", "杭州", "0.7"],
        ["P1", "湖州", "0.3"],
    ],
    "cost_profiles": [
        ["project_id", "year_offset", "cost"],
        ["P1", "0", "1"],
        ["P1", "1", "3"],
    ],
    "contributions": [
        ["project_id", "indicator", "value"],
        ["P1", "g", "5"],
        ["P2", "g", "3"],
        ["P2", "h", "2"],
        ["P4", "h", "1"],
        ["P5", "h", "1.5"],
    ],
    "indicators": [
        ["indicator", "name", "unit", "scope", "baseline", "target", "weight"],
        ["g", "通勤覆盖率", "%", "ALL", "0", "6", "1"],
        ["h", "港口吞吐量", "万吨", "湖州", "0", "3", "1"],
    ],
    "limits": [
        ["resource", "scope", "year", "limit"],
        ["budget", "ALL", "2024", "5"],
        ["budget", "湖州", "2025", "4"],
        ["land", "ALL", "", "100"],
        ["energy", "ALL", "", "1"],
    ],
    "dependencies": [
        ["project_id", "requires"],
        ["P2", "P1"],
    ],
}


def csv_text(rows: list[list[str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def yaml_text(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


def write_folder(folder: Path, meta=None, tables=None) -> Path:
    meta = META if meta is None else meta
    tables = TABLES if tables is None else tables
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.yaml").write_text(yaml_text(meta), encoding="utf-8")
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
    return folder


def tables() -> dict[str, list[list[str]]]:
    return copy.deepcopy(TABLES)


def meta() -> dict:
    return copy.deepcopy(META)


def set_cell(t: dict, table: str, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row (header = 1) and column name."""
    rows = t[table]
    rows[row - 1][rows[0].index(column)] = value


def cell(t: dict, table: str, row: int, column: str) -> str:
    rows = t[table]
    return rows[row - 1][rows[0].index(column)]


def folder_with(d: Path, mutate: Callable[[dict, dict], None] | None = None) -> Path:
    m, t = meta(), tables()
    if mutate:
        mutate(m, t)
    return write_folder(d / "data", m, t)


def write_workbook(path: Path, m=None, t=None, skip=(), after=None) -> Path:
    """A workbook: sheet `dataset` (key/value rows, lists as YAML) and one sheet per table."""
    import openpyxl

    m = META if m is None else m
    t = TABLES if t is None else t
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "dataset"
    ws.append(["key", "value"])
    for k, v in m.items():
        if isinstance(v, (list, dict)):
            v = yaml.safe_dump(v, allow_unicode=True, default_flow_style=True).strip()
        ws.append([k, v])
    for name, rows in t.items():
        if name in skip:
            continue
        sh = wb.create_sheet(name)
        for r in rows:
            sh.append([_native(c) for c in r])
    if after:
        after(wb)
    wb.save(path)
    return path


def _native(text):
    """Cells as a spreadsheet holds them: numbers as numbers, blanks as empty."""
    if not isinstance(text, str):
        return text
    if text == "":
        return None
    try:
        f = float(text)
    except ValueError:
        return text
    if f != f or f in (float("inf"), float("-inf")):
        return text
    return int(f) if f.is_integer() and "." not in text else f


# ---------------------------------------------------------------- the case registry

CASES: list[tuple[str, str, list[dict], Callable[[Path], None]]] = []
CONTROLS: list[tuple[str, str, Callable[[Path], None]]] = []


def E(file, row, column, message) -> dict:
    return {"file": file, "row": row, "column": column, "message": message}


def case(name: str, run: str, *expect: dict):
    def deco(fn):
        CASES.append((name, run, list(expect), fn))
        return fn

    return deco


def control(name: str, run: str, same_as_base: bool | None = None):
    """A good input; ``same_as_base``: the same data written differently (default: unless a scenario)."""

    def deco(fn):
        CONTROLS.append((name, run, fn, "scenario" not in name if same_as_base is None else same_as_base))
        return fn

    return deco


def mutation(name: str, *expect: dict):
    """A case that is the base folder with cells or meta changed."""

    def deco(mutate):
        CASES.append((name, "data", list(expect), lambda d: folder_with(d, mutate)))
        return mutate

    return deco


# ================================================================ 1. files, tables, columns


@case("01_missing_dataset_yaml", "data", E("dataset.yaml", None, None, "every dataset folder needs a dataset.yaml"))
def _(d):
    (folder_with(d) / "dataset.yaml").unlink()


@case("02_missing_projects_csv", "data", E("projects.csv", None, None, "the table 'projects' is required"))
def _(d):
    (folder_with(d) / "projects.csv").unlink()


@case(
    "03_missing_contributions_and_indicators",
    "data",
    E("contributions.csv", None, None, "the table 'contributions' is required"),
    E("indicators.csv", None, None, "the table 'indicators' is required"),
)
def _(d):
    f = folder_with(d)
    (f / "contributions.csv").unlink()
    (f / "indicators.csv").unlink()


@case("04_table_saved_as_txt", "data", E("projects.csv", None, None, "projects.txt is there"))
def _(d):
    f = folder_with(d)
    (f / "projects.csv").rename(f / "projects.txt")


@case("04_optional_table_wrong_extension", "data", E("limits.csv", None, None, "limits.csv.txt is there"))
def _(d):
    # without the check the limits would be silently left out: an unconstrained plan
    f = folder_with(d)
    (f / "limits.csv").rename(f / "limits.csv.txt")


@case("05_empty_folder", ".", E("dataset.yaml", None, None, "missing"), E("projects.csv", None, None, "required"))
def _(d):
    (d / "data").mkdir()
    (d / "data" / "README.txt").write_text("the tables are still to come\n", encoding="utf-8")


@case("06_path_does_not_exist", "data", E("data", None, None, "not found"))
def _(d):
    pass


@case("07_not_a_dataset_file", "data.txt", E("data.txt", None, None, "expected a dataset folder"))
def _(d):
    (d / "data.txt").write_text("id,name\n", encoding="utf-8")


@case("07_single_csv_given", "data/projects.csv", E("projects.csv", None, None, "the folder that holds this file"))
def _(d):
    folder_with(d)


@mutation("08_missing_required_column", E("projects.csv", 1, "cost", "required column is missing"))
def _(m, t):
    i = t["projects"][0].index("cost")
    for r in t["projects"]:
        del r[i]


@mutation(
    "09_header_misspelt",
    E("indicators.csv", 1, "indicator", "required column is missing"),
)
def _(m, t):
    t["indicators"][0][0] = "indicater"


@mutation("09_header_upper_case", E("projects.csv", 1, "id", "the header has 'ID'"))
def _(m, t):
    t["projects"][0][0] = "ID"


@case("09_semicolon_separated", "data", E("limits.csv", 1, None, "separated by semicolons"))
def _(d):
    text = "\n".join(";".join(r) for r in TABLES["limits"]) + "\n"
    (folder_with(d) / "limits.csv").write_text(text, encoding="utf-8")


@mutation("10_duplicate_column_name", E("limits.csv", 1, "limit", "appears twice"))
def _(m, t):
    for r in t["limits"]:
        r.append(r[3])


@case("11_empty_csv", "data", E("projects.csv", None, None, "the table is empty"))
def _(d):
    (folder_with(d) / "projects.csv").write_bytes(b"")


@case("12_header_only_projects", "data", E("projects.csv", None, None, "no rows"))
def _(d):
    f = folder_with(d)
    (f / "projects.csv").write_text(csv_text(TABLES["projects"][:1]), encoding="utf-8")
    # nothing else may name a project then
    for name in ("project_cities", "cost_profiles", "contributions", "dependencies"):
        (f / f"{name}.csv").write_text(csv_text(TABLES[name][:1]), encoding="utf-8")


@case("13_binary_file_named_csv", "data", E("projects.csv", 1, None, "not a text file"))
def _(d):
    (folder_with(d) / "projects.csv").write_bytes(bytes(range(256)) * 4)


@case("14_workbook_saved_as_csv", "data", E("contributions.csv", None, None, "Excel workbook"))
def _(d):
    f = folder_with(d)
    write_workbook(f / "contributions.csv")


@case("15_ragged_row", "data", E("contributions.csv", 4, None, "4 cells but the header has 3"))
def _(d):
    t = tables()
    t["contributions"][3].append("extra")
    write_folder(d / "data", meta(), t)


@case("16_short_row", "data", E("limits.csv", 3, "limit", "a value is required"))
def _(d):
    t = tables()
    t["limits"][2] = t["limits"][2][:3]
    write_folder(d / "data", meta(), t)


@case("17_unterminated_quote", "data", E("projects.csv", 4, None, "quote"))
def _(d):
    f = folder_with(d)
    lines = (f / "projects.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("杭湖城际", '"杭湖城际', 1)
    (f / "projects.csv").write_text("".join(lines), encoding="utf-8")


@case("18_newline_inside_quoted_cell", "data", E("projects.csv", 4, "cost", "must be a number, got 'two'"))
def _(d):
    # a multi-line cell is one spreadsheet row: row 4 is still P3
    t = tables()
    set_cell(t, "projects", 2, "name", "杭州东站\n扩建(一期)")
    set_cell(t, "projects", 4, "cost", "two")
    write_folder(d / "data", meta(), t)


@case("19_blank_line_counts_as_row", "data", E("contributions.csv", 5, "value", "must be a number"))
def _(d):
    t = tables()
    set_cell(t, "contributions", 4, "value", "n/a")
    rows = t["contributions"]
    text = csv_text(rows[:2]) + "\n" + csv_text(rows[2:])  # a blank spreadsheet row 3
    folder_with(d)
    (d / "data" / "contributions.csv").write_text(text, encoding="utf-8")


# ================================================================ 2. encodings


@case("20_gbk_file_with_bad_city", "data", E("projects.csv", 3, "city", "unknown city '上海'"))
def _(d):
    t = tables()
    set_cell(t, "projects", 3, "city", "上海")
    f = write_folder(d / "data", meta(), t)
    (f / "projects.csv").write_bytes(csv_text(t["projects"], "\r\n").encode("gbk"))


@case(
    "21_bom_file_with_duplicate_id", "data", E("projects.csv", 3, "id", "duplicate key (id=P1); first given in row 2")
)
def _(d):
    t = tables()
    set_cell(t, "projects", 3, "id", "P1")
    f = write_folder(d / "data", meta(), t)
    (f / "projects.csv").write_bytes(csv_text(t["projects"]).encode("utf-8-sig"))


@case("22_bom_then_gbk_bytes", "data", E("indicators.csv", 3, None, "not UTF-8"))
def _(d):
    f = folder_with(d)
    rows = TABLES["indicators"]
    data = b"\xef\xbb\xbf" + csv_text(rows[:2]).encode("utf-8") + csv_text(rows[2:]).encode("gbk")
    (f / "indicators.csv").write_bytes(data)


@case("23_utf8_and_gbk_lines_mixed", "data", E("projects.csv", 5, None, "mixed encodings"))
def _(d):
    f = folder_with(d)
    rows = TABLES["projects"]
    data = csv_text(rows[:4]).encode("utf-8") + csv_text(rows[4:]).encode("gbk")
    (f / "projects.csv").write_bytes(data)


@case("24_utf16_file", "data", E("limits.csv", None, None, "UTF-16"))
def _(d):
    (folder_with(d) / "limits.csv").write_bytes(csv_text(TABLES["limits"]).encode("utf-16"))


@case("24_latin1_file", "data", E("indicators.csv", 2, None, "neither UTF-8 nor GBK"))
def _(d):
    f = folder_with(d)
    rows = copy.deepcopy(TABLES["indicators"])
    rows[1][1] = "Pendlerquote ÿ"
    rows[2] = ["h", "Hafenumschlag ÿ", "t", "ALL", "0", "3", "1"]
    (f / "indicators.csv").write_bytes(csv_text(rows).encode("latin-1"))


# ================================================================ 3. numbers


@mutation("30_text_in_number", E("projects.csv", 3, "duration", "must be a number, got 'one'"))
def _(m, t):
    set_cell(t, "projects", 3, "duration", "one")


@mutation("31_nan_cost", E("projects.csv", 2, "cost", "got NaN"))
def _(m, t):
    set_cell(t, "projects", 2, "cost", "nan")


@mutation("32_infinite_limit", E("limits.csv", 3, "limit", "finite"))
def _(m, t):
    set_cell(t, "limits", 3, "limit", "inf")


@mutation("33_absurd_cost", E("projects.csv", 6, "cost", "implausibly large"))
def _(m, t):
    set_cell(t, "projects", 6, "cost", "2.5e13")


@mutation("34_overflowing_number", E("contributions.csv", 2, "value", "1e400 is implausibly large"))
def _(m, t):
    set_cell(t, "contributions", 2, "value", "1e400")


@mutation(
    "35_negative_quantities",
    E("projects.csv", 2, "land", "must be at least 0"),
    E("projects.csv", 5, "cost", "must be at least 0"),
    E("limits.csv", 2, "limit", "must be at least 0"),
    E("indicators.csv", 3, "weight", "must be at least 0"),
)
def _(m, t):
    set_cell(t, "projects", 2, "land", "-10")
    set_cell(t, "projects", 5, "cost", "-2")
    set_cell(t, "limits", 2, "limit", "-5")
    set_cell(t, "indicators", 3, "weight", "-1")


@mutation("36_fractional_duration", E("projects.csv", 2, "duration", "whole number, got 1.5"))
def _(m, t):
    set_cell(t, "projects", 2, "duration", "1.5")


@mutation("37_zero_duration", E("projects.csv", 2, "duration", "at least 1"))
def _(m, t):
    set_cell(t, "projects", 2, "duration", "0")


@mutation("38_year_typo", E("projects.csv", 3, "earliest_start", "20205 is not a plausible year"))
def _(m, t):
    set_cell(t, "projects", 3, "earliest_start", "20205")


@mutation("39_decimal_comma", E("projects.csv", 6, "cost", "must be a number, got '2,5'"))
def _(m, t):
    set_cell(t, "projects", 6, "cost", "2,5")


@mutation("40_percent_share", E("project_cities.csv", 2, "share", "must be a number, got '70%'"))
def _(m, t):
    set_cell(t, "project_cities", 2, "share", "70%")


@mutation("41_share_out_of_range", E("project_cities.csv", 3, "share", "must be more than 0"))
def _(m, t):
    set_cell(t, "project_cities", 3, "share", "0")


@mutation("42_required_cell_blank", E("projects.csv", 4, "name", "a value is required"))
def _(m, t):
    set_cell(t, "projects", 4, "name", "  ")


# ================================================================ 4. keys, references, rules


@mutation("50_duplicate_project_id", E("projects.csv", 6, "id", "duplicate key (id=P4); first given in row 5"))
def _(m, t):
    set_cell(t, "projects", 6, "id", "P4")


@mutation("51_duplicate_limit_blank_year", E("limits.csv", 6, "year", "first given in row 4"))
def _(m, t):
    t["limits"].append(["land", "ALL", "", "80"])


@mutation("52_duplicate_project_city", E("project_cities.csv", 3, "city", "duplicate key"))
def _(m, t):
    set_cell(t, "project_cities", 3, "city", "杭州")


@mutation("53_duplicate_dependency", E("dependencies.csv", 3, "requires", "duplicate key"))
def _(m, t):
    t["dependencies"].append(["P2", "P1"])


@mutation("54_unknown_city", E("projects.csv", 5, "city", "unknown city '嘉兴'"))
def _(m, t):
    set_cell(t, "projects", 5, "city", "嘉兴")


@mutation("55_unknown_task", E("projects.csv", 3, "task", "unknown task '教育'"))
def _(m, t):
    set_cell(t, "projects", 3, "task", "教育")


@mutation("56_unknown_status", E("projects.csv", 2, "status", "must be one of"))
def _(m, t):
    set_cell(t, "projects", 2, "status", "planned")


@mutation(
    "57_unknown_references",
    E("contributions.csv", 3, "project_id", "unknown project 'P9'"),
    E("contributions.csv", 4, "indicator", "unknown indicator"),
    E("dependencies.csv", 2, "requires", "unknown project 'P0'"),
    E("cost_profiles.csv", 4, "project_id", "unknown project 'PX'"),
)
def _(m, t):
    set_cell(t, "contributions", 3, "project_id", "P9")
    set_cell(t, "contributions", 4, "indicator", "zz")
    set_cell(t, "dependencies", 2, "requires", "P0")
    t["cost_profiles"].append(["PX", "0", "1"])


@mutation(
    "58_unknown_resource_and_scope",
    E("limits.csv", 2, "resource", "unknown resource 'water'"),
    E("limits.csv", 3, "scope", "unknown scope '上海'"),
)
def _(m, t):
    set_cell(t, "limits", 2, "resource", "water")
    set_cell(t, "limits", 3, "scope", "上海")


@mutation("59_dependency_cycle", E("dependencies.csv", 2, "requires", "dependency cycle"))
def _(m, t):
    t["dependencies"] += [["P1", "P4"], ["P4", "P2"]]


@mutation("60_self_dependency", E("dependencies.csv", 3, "requires", "dependency cycle: P5 -> P5"))
def _(m, t):
    t["dependencies"].append(["P5", "P5"])


@mutation("61_shares_do_not_sum", E("project_cities.csv", 2, "share", "sum to 0.9"))
def _(m, t):
    set_cell(t, "project_cities", 3, "share", "0.2")


@mutation(
    "62_profile_sum_and_offset",
    E("cost_profiles.csv", 2, "cost", "sums to 5, but its cost is 4"),
    E("cost_profiles.csv", 4, "year_offset", "outside 0..1"),
)
def _(m, t):
    t["cost_profiles"].append(["P1", "2", "1"])


@mutation("63_target_equals_baseline", E("indicators.csv", 3, "target", "equals baseline"))
def _(m, t):
    set_cell(t, "indicators", 3, "target", "0")


@mutation("64_committed_without_start", E("projects.csv", 4, "start", "needs its start year"))
def _(m, t):
    set_cell(t, "projects", 4, "start", "")


@mutation("65_latest_before_earliest", E("projects.csv", 5, "latest_start", "before earliest_start"))
def _(m, t):
    set_cell(t, "projects", 5, "latest_start", "2023")


@mutation("66_no_start_fits_horizon", E("projects.csv", 3, "earliest_start", "no start year fits"))
def _(m, t):
    set_cell(t, "projects", 3, "earliest_start", "2028")


@mutation("67_resource_column_missing", E("projects.csv", 1, "bond", "column for resource 'bond'"))
def _(m, t):
    m["resources"] = {"bond": {"timing": "spread", "unit": "亿元"}}


@mutation(
    "68_many_problems_at_once",
    E("projects.csv", 2, "cost", "must be a number"),
    E("indicators.csv", 2, "scope", "unknown scope"),
    E("limits.csv", 5, "resource", "unknown resource"),
    E("dependencies.csv", 2, "project_id", "unknown project"),
)
def _(m, t):
    set_cell(t, "projects", 2, "cost", "four")
    set_cell(t, "indicators", 2, "scope", "全市")
    set_cell(t, "limits", 5, "resource", "power")
    set_cell(t, "dependencies", 2, "project_id", "Q2")


# ================================================================ 5. dataset.yaml


@mutation(
    "70_meta_missing_keys",
    E("dataset.yaml", None, "cities", "a value is required"),
    E("dataset.yaml", None, "horizon", "a value is required"),
)
def _(m, t):
    del m["cities"], m["horizon"]


@mutation("71_meta_cities_not_a_list", E("dataset.yaml", 2, "cities", "must be a list"))
def _(m, t):
    m["cities"] = "杭州"


@mutation("72_meta_horizon_backwards", E("dataset.yaml", 4, "horizon", "runs backwards"))
def _(m, t):
    m["horizon"] = [2027, 2024]


@mutation("73_meta_city_twice", E("dataset.yaml", 2, "cities", "listed twice"))
def _(m, t):
    m["cities"] = ["杭州", "湖州", "杭州"]


@mutation(
    "74_meta_wrong_types",
    E("dataset.yaml", 5, "target_year", "whole number"),
    E("dataset.yaml", 4, "horizon", "two years"),
)
def _(m, t):
    m["target_year"] = "明年"
    m["horizon"] = [2024]


@mutation(
    "74_meta_wrong_values",
    E("dataset.yaml", 2, "cities", "must not be empty"),
    E("dataset.yaml", 4, "horizon", "whole number, got 2030.5"),
)
def _(m, t):
    m["cities"] = []
    m["horizon"] = [2024, 2030.5]


@case("74_meta_empty_file", "data", E("dataset.yaml", None, None, "the file is empty"))
def _(d):
    (folder_with(d) / "dataset.yaml").write_bytes(b"")


@case("75_meta_invalid_yaml", "data", E("dataset.yaml", 3, None, "not valid YAML"))
def _(d):
    f = folder_with(d)
    (f / "dataset.yaml").write_text("name: base\ncities: [杭州, 湖州\nhorizon: [2024, 2027]\n", encoding="utf-8")


@case("76_meta_not_a_mapping", "data", E("dataset.yaml", None, None, "must be a mapping"))
def _(d):
    f = folder_with(d)
    (f / "dataset.yaml").write_text("- 杭州\n- 湖州\n", encoding="utf-8")


@mutation("77_meta_unknown_timing", E("dataset.yaml", 8, "resources.bond.timing", "must be one of"))
def _(m, t):
    m["resources"] = {"bond": {"timing": "yearly"}}
    for r in t["projects"]:
        r.append("bond" if r[0] == "id" else "1")


# ================================================================ 6. workbooks


@case("80_xlsx_missing_sheet", "data.xlsx", E("data.xlsx [indicators]", None, None, "missing sheet"))
def _(d):
    write_workbook(d / "data.xlsx", skip=("indicators",))


@case("81_xlsx_missing_dataset_sheet", "data.xlsx", E("data.xlsx [dataset]", None, None, "missing sheet 'dataset'"))
def _(d):
    write_workbook(d / "data.xlsx", after=lambda wb: wb.remove(wb["dataset"]))


@case("82_xlsx_merged_header_cells", "data.xlsx", E("data.xlsx [projects]", 1, "I", "cells H1:I1 are merged"))
def _(d):
    def merge(wb):
        ws = wb["projects"]
        ws.merge_cells("H1:I1")  # "cost" over cost and land: the land header is lost

    write_workbook(d / "data.xlsx", after=merge)


@case("83_xlsx_two_row_header", "data.xlsx", E("data.xlsx [limits]", 1, None, "column names are in row 2"))
def _(d):
    def title(wb):
        ws = wb["limits"]
        ws.insert_rows(1)
        ws["A1"] = "资源上限"
        ws.merge_cells("A1:D1")

    write_workbook(d / "data.xlsx", after=title)


@case("84_xlsx_truncated", "data.xlsx", E("data.xlsx", None, None, "cannot open the workbook"))
def _(d):
    write_workbook(d / "full.xlsx")
    data = (d / "full.xlsx").read_bytes()
    (d / "full.xlsx").unlink()
    (d / "data.xlsx").write_bytes(data[: len(data) // 2])


@case("85_xlsx_not_a_workbook", "data.xlsx", E("data.xlsx", None, None, "cannot open the workbook"))
def _(d):
    (d / "data.xlsx").write_text(csv_text(TABLES["projects"]), encoding="utf-8")


@case(
    "86_xlsx_bad_cells",
    "data.xlsx",
    E("data.xlsx [projects]", 3, "duration", "must be a number, got '两'"),
    E("data.xlsx [projects]", 5, "earliest_start", "date"),
    E("data.xlsx [contributions]", 4, "value", "#DIV/0!"),
)
def _(d):
    import datetime

    def bad(wb):
        wb["projects"]["E3"] = "两"
        wb["projects"]["F5"] = datetime.datetime(2024, 3, 1)
        wb["contributions"]["C4"] = "#DIV/0!"

    write_workbook(d / "data.xlsx", after=bad)


@case("87_xlsx_dataset_sheet_backwards", "data.xlsx", E("data.xlsx [dataset]", 5, "horizon", "runs backwards"))
def _(d):
    m = meta()
    m["horizon"] = [2027, 2024]
    write_workbook(d / "data.xlsx", m=m)


@case("88_xlsx_header_only_sheet", "data.xlsx", E("data.xlsx [indicators]", None, None, "no rows"))
def _(d):
    t = tables()
    t["indicators"] = t["indicators"][:1]
    t["contributions"] = t["contributions"][:1]
    write_workbook(d / "data.xlsx", t=t)


@case("89_xlsx_extension_but_zip", "data.xlsx", E("data.xlsx", None, None, "cannot open the workbook"))
def _(d):
    with zipfile.ZipFile(d / "data.xlsx", "w") as z:
        z.writestr("readme.txt", "not a workbook")


# ================================================================ 7. scenarios


def scenario(d: Path, text: str, name: str = "scenario.yaml") -> None:
    folder_with(d)
    (d / name).write_text(text, encoding="utf-8")


@case("90_scenario_unknown_key", "scenario.yaml", E("scenario.yaml", 3, "budget_cap", "unknown key 'budget_cap'"))
def _(d):
    scenario(d, "name: s\ndata: data\nbudget_cap: 3\n")


@case(
    "91_scenario_wrong_type", "scenario.yaml", E("scenario.yaml", 2, "partial_credit", "must be a number, got 'lots'")
)
def _(d):
    scenario(d, "data: data\npartial_credit: lots\n")


@case(
    "92_scenario_nested_wrong_type",
    "scenario.yaml",
    E("scenario.yaml", 4, "solver.threads", "must be a whole number, got 'two'"),
)
def _(d):
    scenario(d, "data: data\nsolver:\n  time_limit: 10\n  threads: two\n")


@case("93_scenario_data_missing", "scenario.yaml", E("scenario.yaml", 1, "data", "dataset not found: nowhere"))
def _(d):
    scenario(d, "data: nowhere\nname: s\n")


@case("94_scenario_data_is_scenario", "scenario.yaml", E("scenario.yaml", 2, "data", "not another scenario"))
def _(d):
    scenario(d, "name: base\ndata: data\n", "base.yaml")
    (d / "scenario.yaml").write_text("name: s\ndata: base.yaml\n", encoding="utf-8")


@case("95_scenario_invalid_yaml", "scenario.yaml", E("scenario.yaml", 3, None, "not valid YAML"))
def _(d):
    scenario(d, "data: data\nscale: {budget: 0.9\nforce_in: [P1]\n")


@case("96_scenario_not_a_mapping", "scenario.yaml", E("scenario.yaml", None, None, "must be a mapping"))
def _(d):
    scenario(d, "- data\n- budget\n")


@case("97_scenario_no_data_key", "scenario.yaml", E("scenario.yaml", None, "data", "names no dataset"))
def _(d):
    scenario(d, "name: s\npartial_credit: 0.5\n")


@case("98_scenario_horizon_backwards", "scenario.yaml", E("scenario.yaml", 2, "horizon", "runs backwards"))
def _(d):
    scenario(d, "data: data\nhorizon: [2027, 2024]\n")


@case("99_scenario_force_in_and_out", "scenario.yaml", E("scenario.yaml", 3, "force_out", "P2"))
def _(d):
    scenario(d, "data: data\nforce_in: [P2]\nforce_out: [P2]\n")


@case(
    "100_scenario_unknown_names",
    "scenario.yaml",
    E("scenario.yaml", 3, "scale.water", "unknown resource 'water'"),
    E("scenario.yaml", 5, "city_weights.上海", "unknown city '上海'"),
    E("scenario.yaml", 6, "force_in", "unknown project 'P99'"),
    E("scenario.yaml", 7, "task_minimum.教育", "unknown task"),
)
def _(d):
    scenario(
        d,
        "data: data\nscale:\n  water: 2\ncity_weights:\n  上海: 1\nforce_in: [P99]\ntask_minimum: {教育: 1}\n",
    )


@case("101_scenario_force_out_committed", "scenario.yaml", E("scenario.yaml", 2, "force_out", "committed"))
def _(d):
    scenario(d, "data: data\nforce_out: [P3]\n")


@case("102_scenario_mandatory_outside_horizon", "scenario.yaml", E("projects.csv", 3, "earliest_start", "mandatory"))
def _(d):
    scenario(d, "data: data\nhorizon: [2024, 2024]\ntarget_year: 2024\nforce_in: [P2]\n")


@case(
    "103_scenario_unknown_nested_key", "scenario.yaml", E("scenario.yaml", 4, "balance.min_city_shares", "unknown key")
)
def _(d):
    scenario(d, "data: data\nbalance:\n  min_city_attainment: 0.5\n  min_city_shares: {湖州: 0.2}\n")


@case("104_scenario_gbk_unknown_key", "scenario.yaml", E("scenario.yaml", 3, "城市权重", "unknown key '城市权重'"))
def _(d):
    folder_with(d)
    (d / "scenario.yaml").write_bytes("name: 预算九折\ndata: data\n城市权重: {杭州: 1}\n".encode("gbk"))


@case("105_scenario_file_missing", "missing.yaml", E("missing.yaml", None, None, "scenario file not found"))
def _(d):
    folder_with(d)


@case("105_scenario_data_wrong_kind", "scenario.yaml", E("scenario.yaml", 1, "data", "notes.txt"))
def _(d):
    scenario(d, "data: notes.txt\n")
    (d / "notes.txt").write_text("notes\n", encoding="utf-8")


# ================================================================ 8. silent before (issue 10)


@case("120_limits_csv_is_a_folder", "data", E("limits.csv", None, None, "limits.csv is a folder, not a file"))
def _(d):
    # once read as "no limits at all": an unconstrained plan
    f = folder_with(d)
    (f / "limits.csv").unlink()
    (f / "limits.csv").mkdir()
    (f / "limits.csv" / "notes.txt").write_text("not a table\n", encoding="utf-8")


@case("121_table_is_dev_null", "data", E("limits.csv", None, None, "is a device, not a file"))
def _(d):
    f = folder_with(d)
    (f / "limits.csv").unlink()
    (f / "limits.csv").symlink_to("/dev/null")


@case("122_table_symlink_loop", "data", E("dependencies.csv", None, None, "loops back on itself"))
def _(d):
    f = folder_with(d)
    (f / "dependencies.csv").unlink()
    (f / "dependencies.csv").symlink_to("dependencies.csv")


@case("123_table_dangling_symlink", "data", E("projects.csv", None, None, "which does not exist"))
def _(d):
    f = folder_with(d)
    (f / "projects.csv").unlink()
    (f / "projects.csv").symlink_to("../elsewhere/projects.csv")


@case("124_table_in_two_cases", "data", E("projects.csv", None, None, "several files could be this table"))
def _(d):
    f = folder_with(d)
    (f / "PROJECTS.csv").write_text(csv_text(TABLES["projects"][:3]), encoding="utf-8")


@mutation("125_limit_year_outside_horizon", E("limits.csv", 6, "year", "1990 is outside the horizon 2024-2027"))
def _(m, t):
    t["limits"].append(["budget", "杭州", "1990", "5"])


@case("126_dataset_yaml_duplicate_key", "data", E("dataset.yaml", 7, None, "the key 'cities' is given twice"))
def _(d):
    f = folder_with(d)
    with open(f / "dataset.yaml", "a", encoding="utf-8") as fh:
        fh.write("cities: [杭州]\n")


@case("127_scenario_duplicate_key", "scenario.yaml", E("scenario.yaml", 3, None, "the key 'scale' is given twice"))
def _(d):
    scenario(d, "data: data\nscale: {budget: 0.9}\nscale: {budget: 1.2}\n")


@case(
    "128_scenario_duplicate_key_in_a_map",
    "scenario.yaml",
    E("scenario.yaml", 2, None, "the key 'budget' is given twice (on line 2)"),
)
def _(d):
    scenario(d, "data: data\nscale: {budget: 0.9, budget: 1.2}\n")


@case(
    "129_xlsx_dataset_sheet_duplicate_key",
    "data.xlsx",
    E("data.xlsx [dataset]", 8, "name", "given twice (rows 2 and 8)"),
)
def _(d):
    write_workbook(d / "data.xlsx", after=lambda wb: wb["dataset"].append(["name", "again"]))


@mutation(
    "130_target_year_outside_horizon", E("dataset.yaml", 5, "target_year", "2031 is outside the horizon 2024-2027")
)
def _(m, t):
    m["target_year"] = 2031


@case(
    "131_scenario_target_year_outside_horizon",
    "scenario.yaml",
    E("scenario.yaml", 2, "target_year", "target year 2035 is outside the horizon 2024-2027"),
)
def _(d):
    scenario(d, "data: data\ntarget_year: 2035\n")


@case(
    "132_scenario_horizon_leaves_out_target_year",
    "scenario.yaml",
    E("scenario.yaml", 2, "horizon", "target year 2027 (dataset.yaml's; set target_year in the scenario too)"),
)
def _(d):
    scenario(d, "data: data\nhorizon: [2024, 2025]\n")


@case(
    "133_xlsx_formula_without_value_optional_column",
    "data.xlsx",
    E("data.xlsx [projects]", 3, "land", "cell I3 holds the formula '=1+1' but no saved value"),
)
def _(d):
    # once read as 0 (the default of land)
    t = tables()
    set_cell(t, "projects", 3, "land", "=1+1")
    write_workbook(d / "data.xlsx", t=t)


@case(
    "134_xlsx_formula_without_value_required_column",
    "data.xlsx",
    E("data.xlsx [projects]", 2, "cost", "cell H2 holds the formula '=A1' but no saved value"),
)
def _(d):
    # once reported as "a value is required"
    t = tables()
    set_cell(t, "projects", 2, "cost", "=A1")
    write_workbook(d / "data.xlsx", t=t)


@case(
    "135_xlsx_formula_without_value_dataset_sheet",
    "data.xlsx",
    E("data.xlsx [dataset]", 6, "target_year", "holds the formula '=2026+1'"),
)
def _(d):
    m = meta()
    m["target_year"] = "=2026+1"
    write_workbook(d / "data.xlsx", m=m)


@mutation(
    "136_huge_text_value_is_shortened",
    E("projects.csv", 2, "cost", "must be a number, got 'xxxxxxxxxx"),
    E("projects.csv", 2, "cost", "…' (100,000 characters)"),
)
def _(m, t):
    set_cell(t, "projects", 2, "cost", "x" * 100_000)


@mutation(
    "137_four_hundred_digit_number_as_written",
    E("projects.csv", 3, "cost", "(400 characters) is implausibly large"),
)
def _(m, t):
    set_cell(t, "projects", 3, "cost", "9" * 400)


@case(
    "138_scenario_scale_neither_number_nor_map",
    "scenario.yaml",
    E("scenario.yaml", 2, "scale.budget", "must be a number or a mapping (key: value), got 'much'"),
)
def _(d):
    scenario(d, "data: data\nscale: {budget: much}\n")


@case(
    "139_scenario_scale_map_bad_cell",
    "scenario.yaml",
    E("scenario.yaml", 3, "scale.land.湖州", "must be a number, got 'x'"),
)
def _(d):
    scenario(d, "data: data\nscale:\n  land: {湖州: x}\n")


@case("140_scenario_data_symlink_loop", "scenario.yaml", E("scenario.yaml", 1, "data", "loops back on itself"))
def _(d):
    (d / "scenario.yaml").write_text("data: loop\n", encoding="utf-8")
    (d / "loop").symlink_to("loop")


@case("141_dataset_path_symlink_loop", "data", E("data", None, None, "the path is a symbolic link that loops"))
def _(d):
    (d / "data").symlink_to("data")


@mutation(
    "142_shares_short_of_one_beyond_tolerance",
    E("project_cities.csv", 2, "share", "shares of project P1 sum to 0.99999, not 1"),
)
def _(m, t):
    set_cell(t, "project_cities", 2, "share", "0.69999")


# ================================================================ good-but-unusual controls


@control("00_base", "data")
def _(d):
    folder_with(d)  # the base itself: every other control must give the same portfolio


@control("01_gbk_chinese_names", "data")
def _(d):
    f = folder_with(d)
    for name in ("projects", "indicators", "limits"):
        (f / f"{name}.csv").write_bytes(csv_text(TABLES[name]).encode("gbk"))
    (f / "dataset.yaml").write_bytes(yaml_text(META).encode("gbk"))


@control("02_bom_files", "data")
def _(d):
    f = folder_with(d)
    for name in TABLES:
        (f / f"{name}.csv").write_bytes(csv_text(TABLES[name]).encode("utf-8-sig"))
    (f / "dataset.yaml").write_bytes(yaml_text(META).encode("utf-8-sig"))


@control("03_workbook_comma_cities", "data.xlsx")
def _(d):
    def plain(wb):
        ws = wb["dataset"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "cities":
                row[1].value = "杭州，湖州"  # full-width comma, as typed on a Chinese keyboard
            if row[0].value == "tasks":
                row[1].value = "交通, 科创"
            if row[0].value == "horizon":
                row[1].value = "2024, 2027"

    write_workbook(d / "data.xlsx", after=plain)


@control("04_crlf_line_endings", "data")
def _(d):
    f = folder_with(d)
    for name in TABLES:
        (f / f"{name}.csv").write_bytes(csv_text(TABLES[name], "\r\n").encode("utf-8"))
    (f / "dataset.yaml").write_bytes(yaml_text(META).replace("\n", "\r\n").encode("utf-8"))


@control("05_extra_columns_and_tables", "data")
def _(d):
    t = tables()
    for rows in t.values():
        rows[0] += ["notes", "来源"]
        for r in rows[1:]:
            r += ["估算", "http://example.org/a,b"]
    t["owners"] = [["project_id", "owner"], ["P1", "省交通厅"]]
    m = meta()
    m["sources"] = ["规划纲要"]
    write_folder(d / "data", m, t)


@control("06_blank_trailing_rows_and_columns", "data")
def _(d):
    f = folder_with(d)
    for name in TABLES:
        rows = [r + [""] for r in TABLES[name]]  # trailing unnamed empty column, Excel style
        (f / f"{name}.csv").write_text(csv_text(rows) + ",,,\n\n,,\n", encoding="utf-8")


@control("07_workbook_blank_rows_and_notes_sheet", "data.xlsx")
def _(d):
    t = tables()
    t["dependencies"].append(["", ""])

    def extra(wb):
        wb["projects"].append([None] * 5)
        wb["projects"].append([])
        wb.create_sheet("说明")["A1"] = "这张表不是数据"

    write_workbook(d / "data.xlsx", t=t, after=extra)


@control("08_scenario_with_gbk_dataset", "scenario.yaml")
def _(d):
    f = folder_with(d)
    (f / "projects.csv").write_bytes(csv_text(TABLES["projects"], "\r\n").encode("gbk"))
    (d / "scenario.yaml").write_text(
        "name: 预算九折\ndata: data\nscale: {budget: 0.9}\nbalance: {min_city_share: {湖州: 0.1}}\n", encoding="utf-8"
    )


@control("09_capitalised_file_names", "data")
def _(d):
    f = folder_with(d)
    (f / "projects.csv").rename(f / "Projects.csv")
    (f / "limits.csv").rename(f / "LIMITS.CSV")


@control("10_shares_rounded_by_a_spreadsheet", "data", same_as_base=False)
def _(d):
    # thirds written to six places sum to 0.999999: within the tolerance, normalised exactly
    t = tables()
    t["project_cities"] = [["project_id", "city", "share"], ["P2", "杭州", "0.333333"], ["P2", "湖州", "0.666666"]]
    t["cost_profiles"] += [["P5", "0", "2.4999990"]]
    write_folder(d / "data", meta(), t)


# ================================================================ write everything


def build(root: Path, name: str, fn, info: dict) -> None:
    d = root / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    fn(d)
    text = yaml.safe_dump(info, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    (d / "expect.yaml").write_text(text, encoding="utf-8")


def numbered(entries: list, start: int) -> list[str]:
    """Folder names: numbered in order (whatever number the source gives), then the short name."""
    return [f"{i:02d}_{e[0].split('_', 1)[1]}" for i, e in enumerate(entries, start)]


def case_names() -> tuple[list[str], list[str]]:
    """(bad case folders, control folders) as main() writes them."""
    return numbered(CASES, 1), numbered(CONTROLS, 0)


def main() -> None:
    bad, good = case_names()
    assert len(set(bad)) == len(bad) and len(set(good)) == len(good), "case names repeat"
    for old in [*HERE.iterdir(), *(GOOD.iterdir() if GOOD.exists() else [])]:
        if old.is_dir() and old.name[:2].isdigit():
            shutil.rmtree(old)
    for name, (_, run, expect, fn) in zip(bad, CASES):
        info = {"run": run, **expect[0]} if len(expect) == 1 else [{"run": run, **e} for e in expect]
        build(HERE, name, fn, info)
    for name, (_, run, fn, same) in zip(good, CONTROLS):
        build(GOOD, name, fn, {"run": run, "same_as_base": same})
    print(f"{len(CASES)} bad cases in {HERE}, {len(CONTROLS)} controls in {GOOD}")


if __name__ == "__main__":
    main()
