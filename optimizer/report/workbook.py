"""results.xlsx: the run's tables in one workbook, headers with their units, for planners who work in Excel.

Sheets: summary (key / value / unit rows), portfolio, spending, funding (who pays), resources, attainment, cities,
and comparison when other runs are compared. Every sheet has a frozen header row (panes at A2),
an autofilter and column widths fitted to the text (a Chinese character counts as two).
Values are the Result's own numbers, unrounded; only the cell formats round them for display.
"""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.schema import FORMULA_START
from ..results import changes_table, comparison_table
from .labels import has, lang_of, project_status_name, resource_name, scope_name, status_name, t
from .payers import binds_first_text, funding_sheet

#: sheet names stay English in both languages, so that scripts can find them
SHEETS = ("summary", "portfolio", "spending", "funding", "resources", "attainment", "cities", "comparison", "changes")


#: the names the report modules have used for the catalogue's lookups
word, has_word = t, has


def money_unit(result) -> str:
    units = result.dataset.get("units", {}) or {}
    return units.get("money") or units.get("budget") or ""


def _u(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def _text(col: pd.Series) -> pd.Series:
    """A text column with blanks for missing cells (read back from CSV, an empty column is float NaN)."""
    return col.astype(object).where(col.notna(), "")


def _clean(v: Any) -> Any:
    """A cell value openpyxl accepts: numpy scalars as Python, NA/NaN/inf as empty."""
    if v is None or v is pd.NA:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _cell(ws, v: Any):
    """A cell holding `v` (from _clean) as it is. Text is always a string cell: openpyxl would make
    "=..." a live formula (and "#N/A" an error), and names come from the user's tables, so a project
    called =HYPERLINK(...) must not run. quotePrefix marks formula-like text so that Excel keeps it
    text when a planner edits the cell; the stored value stays unchanged (no added apostrophe)."""
    from openpyxl.cell.cell import Cell

    cell = Cell(ws, value=v)
    if isinstance(v, str):
        cell.data_type = "s"
        if v.startswith(FORMULA_START):  # OWASP's list, as the CSV files escape it
            cell.quotePrefix = True
    return cell


def summary_rows(result, lang: str = "zh") -> list[tuple[str, Any, str]]:
    """(item, value, unit) rows of the summary sheet (also the headline of the HTML report)."""
    ds, sc = result.dataset, result.scenario
    horizon = ds.get("horizon") or sc.get("horizon") or []
    rows: list[tuple[str, Any, str]] = [
        (word("dataset", lang), ds.get("name"), ""),
        (word("scenario", lang), sc.get("name"), ""),
        (word("status", lang), str(result.status), ""),
        (word("status_words", lang), status_name(result.status, lang), ""),
        (word("score", lang), result.objective, ""),
        (word("bound", lang), result.bound, ""),
        (word("gap", lang), result.mip_gap, ""),
        (_u(word("attainment_index", lang), "0-100"), result.attainment_index, ""),
        (word("selected_count", lang), result.selected_count, ""),
        (word("projects_total", lang), ds.get("projects", len(result.portfolio)), ""),
        (word("total_cost", lang), result.total_cost, money_unit(result)),
        (word("horizon", lang), "-".join(map(str, horizon)), ""),
        (word("target_year", lang), ds.get("target_year") or sc.get("target_year"), ""),
        (word("tie_break", lang), result.tie_break, ""),
        (word("build_seconds", lang), result.build_seconds, "s"),
        (word("solve_seconds", lang), result.solve_seconds, "s"),
    ]
    if result.message:
        rows.append((word("message", lang), result.message, ""))
    return rows


def _frames(result, lang: str) -> dict[str, pd.DataFrame]:
    """The sheets as DataFrames with translated, unit-bearing headers."""
    money = money_unit(result)
    units = result.dataset.get("units", {}) or {}
    out: dict[str, pd.DataFrame] = {}
    out["summary"] = pd.DataFrame(
        summary_rows(result, lang), columns=[word("item", lang), word("value", lang), word("unit", lang)]
    )
    p = result.portfolio
    if not p.empty:
        out["portfolio"] = pd.DataFrame(
            {
                word("id", lang): p["id"],
                word("name", lang): p["name"],
                word("city", lang): p["city"],
                word("task", lang): p["task"],
                word("selected", lang): p["selected"].map(lambda v: word("yes" if v else "no", lang)),
                word("start", lang): p["start"],
                word("finish", lang): p["finish"],
                _u(word("cost", lang), money): p["cost"],
                word("project_status", lang): p["status"].map(lambda s: project_status_name(s, lang)),
                word("note", lang): _text(p["note"]) if "note" in p else "",
            }
        )
    s = result.spending
    if not s.empty:
        out["spending"] = pd.DataFrame(
            {
                word("scope", lang): s["scope"].map(lambda v: scope_name(v, lang)),
                word("year", lang): s["year"],
                _u(word("spending", lang), money): s["spend"],
                _u(word("limit", lang), money): s["limit"],
            }
        )
    r = result.resources
    if not r.empty:
        out["resources"] = pd.DataFrame(
            {
                word("resource", lang): r["resource"].map(lambda v: resource_name(v, lang)),
                word("scope", lang): r["scope"].map(lambda v: scope_name(v, lang)),
                word("year", lang): r["year"]
                .astype(object)
                .map(lambda y: word("whole_horizon", lang) if y is None or y is pd.NA else y),
                word("used", lang): r["used"],
                word("limit", lang): r["limit"],
                word("slack", lang): r["slack"],
                word("unit", lang): _text(r["unit"]) if "unit" in r else "",
                _u(word("utilisation", lang), "%"): r["utilisation"],
                word("binding", lang): r["binding"].map(lambda v: word("yes" if v else "no", lang)),
            }
        )
    a = result.attainment
    if not a.empty:
        out["attainment"] = pd.DataFrame(
            {
                word("indicator", lang): a["indicator"],
                word("scope", lang): a["scope"].map(lambda v: scope_name(v, lang)),
                word("name", lang): a["name"],
                word("unit", lang): _text(a["unit"]),
                word("baseline", lang): a["baseline"],
                word("target", lang): a["target"],
                word("achieved", lang): a["achieved"],
                _u(word("progress", lang), "0-1"): a["progress"],
                word("weight", lang): a["weight"],
                _u(word("attained", lang), "0-1"): a["attained"],
            }
        )
    c = result.cities
    if not c.empty:
        out["cities"] = pd.DataFrame(
            {
                word("city", lang): c["city"],
                word("projects", lang): c["projects"],
                _u(word("spending", lang), money): c["spend"],
                _u(word("spend_share", lang), "%"): c["spend_share"],
                _u(word("land", lang), units.get("land", "")): c["land"],
                _u(word("city_attainment", lang), "0-100"): c["attainment"],
            }
        )
        if "binds_first" in c:
            out["cities"][word("binds_first", lang)] = [binds_first_text(row, lang) for row in c.to_dict("records")]
    fund = funding_sheet(result, lang, money)
    if fund is not None:
        out["funding"] = fund
    return {k: out[k] for k in SHEETS if k in out}


def comparison_frame(runs: list[tuple[str, Any]], lang: str = "zh") -> pd.DataFrame:
    """results.tables.comparison_table in words: one row per run, the reference first.
    `runs`: (name, Result) pairs."""
    names, results = [n for n, _ in runs], [r for _, r in runs]
    table = comparison_table(names, results)
    money = money_unit(results[0]) if results else ""
    heads = {
        "scenario": word("scenario", lang),
        "status": word("status", lang),
        "mip_gap": _u(word("gap", lang), "%"),
        "objective": word("score", lang),
        "attainment_index": _u(word("attainment_index", lang), "0-100"),
    }
    kinds = {"attainment": ("attained", "0-100"), "spend": ("spending", money), "projects": ("projects", "")}
    for col in table.columns:
        kind, _, city = col.partition("_")
        if col not in heads and kind in kinds:
            heads[col] = _u(f"{word(kinds[kind][0], lang)} {city}", kinds[kind][1])
    table["status"] = [status_name(s, lang) for s in table["status"]]
    return table.rename(columns=heads)


def changes_frame(runs: list[tuple[str, Any]], lang: str = "zh") -> pd.DataFrame:
    """Projects whose selection or start year differs from the first run's (results.tables.changes_table),
    in words: the base run's state and this run's, a start year or 'out'."""
    heads = [word(k, lang) for k in ("scenario", "id", "name", "city")]
    if not runs or not runs[0][1].ok:
        return pd.DataFrame(columns=[*heads, "base", word("this_run", lang)])
    ch = changes_table([n for n, _ in runs], [r for _, r in runs])
    out = word("out", lang)
    rows = [
        [
            r.scenario,
            r.id,
            r.name,
            r.city,
            int(r.base_start) if r.base_selected else out,
            int(r.start) if r.selected else out,
        ]
        for r in ch.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=[*heads, runs[0][0], word("this_run", lang)])


#: number formats by header fragment
_FORMATS = (("(%)", "0.0%"), ("(0-1)", "0.000"), ("(0-100)", "0.0"), ("(s)", "0.00"))


def _width(v: Any) -> int:
    s = f"{v:,.2f}" if isinstance(v, float) else str(v)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _sheet(wb, name: str, df: pd.DataFrame, money: str, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    # every cell through _cell, headers too (comparison headers carry run and city names)
    ws.append([_cell(ws, _clean(v)) for v in df.columns])
    for row in df.itertuples(index=False):
        ws.append([_cell(ws, _clean(v)) for v in row])
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = ws.dimensions
    for j, col in enumerate(df.columns, start=1):
        fmt = next((f for frag, f in _FORMATS if str(col).endswith(frag)), None)
        if fmt is None and money and str(col).endswith(f"({money})"):
            fmt = "#,##0.00"
        values = [ws.cell(row=i, column=j).value for i in range(2, len(df) + 2)]
        if fmt is None and any(isinstance(v, float) for v in values):
            fmt = "#,##0.####"
        if fmt:
            for i in range(2, len(df) + 2):
                ws.cell(row=i, column=j).number_format = fmt
        widest = max([_width(col), *(_width(v) for v in values if v is not None)])
        ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, widest + 2))
    if name == "summary":  # key/value: numbers formatted row by row
        for i in range(2, len(df) + 2):
            cell = ws.cell(row=i, column=2)
            if isinstance(cell.value, float):
                is_gap = ws.cell(row=i, column=1).value == word("gap", lang)
                cell.number_format = "0.000%" if is_gap else "#,##0.00##"
            cell.alignment = Alignment(horizontal="left")


def workbook_bytes(result, compare: list[tuple[str, Any]] | None = None, lang: str = "zh") -> bytes:
    """results.xlsx as bytes. `compare`: (name, Result) pairs of every run compared, this one first."""
    from openpyxl import Workbook

    lang = lang_of(lang)
    wb = Workbook()
    wb.remove(wb.active)
    money = money_unit(result)
    for name, df in _frames(result, lang).items():
        _sheet(wb, name, df, money, lang)
    if compare:
        _sheet(wb, "comparison", comparison_frame(compare, lang), money, lang)
        _sheet(wb, "changes", changes_frame(compare, lang), money, lang)
    wb.properties.creator = "portfolio-optimizer"  # how a later --out recognises its own workbook
    wb.properties.title = f"{result.dataset.get('name', '')} {result.scenario.get('name', '')}".strip()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(result, path: str | Path, compare: list[tuple[str, Any]] | None = None, lang: str = "zh") -> Path:
    """Write results.xlsx (see the module docstring) to `path`; returns the path."""
    path = Path(path)
    data = workbook_bytes(result, compare, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
