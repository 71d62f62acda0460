"""A planner's project list as a grid: the sheet, its merged cells, the header row, and what each row is.

Reads one sheet of an .xlsx workbook (or a CSV exported from one: UTF-8, UTF-8 with BOM or
GBK) into rows of cells numbered as the sheet numbers them (1-based, title rows included),
finds the header below any title rows (one row, or two when a merged parent cell such as
总投资 or 资金来源 stands over sub-columns), and tells data rows from the rows a list carries
besides projects: subtotals (合计 / 小计), section headings (一、续建项目), footnotes (注：…)
and blank rows. The meaning of cells is listmap.py; building the tables is listimport.py.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, quoted
from .io import column_letter
from .listmap import (
    SECTION_MARK,
    alias_field,
    clean,
    is_footnote,
    is_total,
    parse_number,
)
from .text import decode_text, file_problem

#: the header is looked for in this many rows from the top
HEADER_SEARCH_ROWS = 20
#: a header row has at least this many cells naming known columns
HEADER_MATCHES = 3


@dataclass
class Sheet:
    """One sheet (or CSV file) as read. ``rows[i]`` is sheet row ``i + 1``."""

    file: str  # the path, as messages name it
    label: str  # the prefix of a cell reference: the sheet name, or the CSV file's name
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 1-based
    sheets: tuple[str, ...] = ()  # every sheet of the workbook
    kind: str = "xlsx"

    def ref(self, row: int, col: int) -> str:
        """'项目清单!F27' for sheet row 27, 0-based column 5."""
        return f"{self.label}!{column_letter(col)}{row}"

    def value(self, row: int, col: int) -> Any:
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return cells[col] if col < len(cells) else None

    def text(self, row: int, col: int) -> str:
        v = self.value(row, col)
        return "" if v is None else str(v).strip()

    def problem(self, message: str, row: int | None = None, col: int | None = None) -> Problem:
        where = f"{self.ref(row, col)}: " if row is not None and col is not None else ""
        return Problem(self.file, None, None, f"{where}{message}")


def _error(file: str, message: str) -> InputError:
    return InputError([Problem(file, None, None, message)])


def read_sheet(path: Path, sheet: str | None = None) -> tuple[Sheet, list[str]]:
    """The sheet to import and the names of the other sheets looked at; InputError if unreadable."""
    why = file_problem(path)
    if why is not None:
        raise _error(str(path), f"the path {why}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path), []
    if suffix not in (".xlsx", ".xlsm"):
        hint = ": save the old .xls workbook as .xlsx" if suffix == ".xls" else ""
        raise _error(str(path), f"expected an .xlsx workbook or a .csv file{hint}")
    import openpyxl  # only list importers pay for it

    try:
        wb = openpyxl.load_workbook(path, data_only=True)  # not read-only: merged cells are needed
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _error(str(path), f"cannot open the workbook: {type(exc).__name__}: {exc}") from None
    try:
        names = list(wb.sheetnames)
        if sheet is not None:
            match = [n for n in names if n == sheet] or [n for n in names if n.strip().lower() == sheet.strip().lower()]
            if not match:
                raise _error(str(path), f"no sheet {quoted(sheet)} (the workbook has: {', '.join(names)})")
            return _from_ws(path, wb[match[0]], names), []
        tried = []
        for name in names:  # the first sheet with a header of known columns
            s = _from_ws(path, wb[name], names)
            if find_header(s, {}) is not None:
                return s, tried
            tried.append(name)
        return _from_ws(path, wb[names[0]], names), []
    finally:
        wb.close()


def _from_ws(path: Path, ws, names: list[str]) -> Sheet:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    return Sheet(str(path), ws.title, rows, merged, tuple(names), "xlsx")


def _read_csv(path: Path) -> Sheet:
    from ..errors import ProblemCollector

    problems = ProblemCollector()
    text = decode_text(path, problems, str(path))
    problems.raise_if_any()
    rows = [[c if c.strip() else None for c in r] for r in csv.reader(io.StringIO(text))]
    return Sheet(str(path), path.name, rows, [], (), "csv")


# ---------------------------------------------------------------- the header


@dataclass
class Header:
    """The header found: its sheet row(s) and, per column, the parent and child text."""

    row: int  # the (first) header row
    last: int  # the last header row (row + 1 for a two-row header)
    texts: list[tuple[str, str]]  # per 0-based column: (parent, child); child '' for one row

    def text(self, col: int) -> str:
        parent, child = self.texts[col]
        return parent if not child or child == parent else f"{parent}/{child}"


def merged_value(s: Sheet, row: int, col: int) -> Any:
    """A cell's value, or the top-left value of the merged range it lies in (col 0-based)."""
    v = s.value(row, col)
    if v is not None:
        return v
    for r0, c0, r1, c1 in s.merged:
        if r0 <= row <= r1 and c0 <= col + 1 <= c1:
            return s.value(r0, c0 - 1)
    return None


def _header_cells(s: Sheet, row: int) -> list[str]:
    width = max((len(r) for r in s.rows), default=0)
    return [clean(merged_value(s, row, c)) if merged_value(s, row, c) is not None else "" for c in range(width)]


def _matches(cells: list[str], columns: dict[str, str]) -> set[str]:
    found = set()
    for c in cells:
        f = columns.get(c) or alias_field(c)
        if f and f != "seq":
            found.add(f)
    return found


def find_header(s: Sheet, columns: dict[str, str], row: int | None = None) -> Header | None:
    """The header: the first of the top rows naming several known columns (or `row`, when given)."""
    columns = {clean(k): v for k, v in columns.items()}
    if row is None:
        for r in range(1, min(HEADER_SEARCH_ROWS, len(s.rows)) + 1):
            found = _matches(_header_cells(s, r), columns)
            if len(found) >= HEADER_MATCHES or (len(found) >= 2 and "name" in found):
                row = r
                break
        else:
            return None
    parent = _header_cells(s, row)
    child = _header_cells(s, row + 1) if row < len(s.rows) else [""] * len(parent)
    child += [""] * (len(parent) - len(child))
    if _is_subheader(s, row, parent, child, columns):
        # a CSV has no merged cells: a parent written once stands over the children to its right
        for j in range(1, len(parent)):
            if not parent[j] and child[j] and parent[j - 1] and child[j - 1]:
                parent[j] = parent[j - 1]
        texts = [(p, "" if c == p else c) for p, c in zip(parent, child)]
        return Header(row, row + 1, texts)
    return Header(row, row, [(p, "") for p in parent])


def _is_subheader(s: Sheet, row: int, parent: list[str], child: list[str], columns: dict[str, str]) -> bool:
    """Whether the row below the header continues it: text only, new text in two cells or more,
    nothing that reads as a project (the name column blank or merged from above), a section or a note."""
    names = [j for j, p in enumerate(parent) if (columns.get(p) or alias_field(p)) == "name"]
    if names and child[names[0]] and child[names[0]] != parent[names[0]]:
        return False
    new = [c for c, p in zip(child, parent) if c and c != p]
    if len(new) < 2:
        return False
    for c in new:
        try:
            if parse_number(c)[0] is not None:
                return False
        except ValueError:
            pass
        if SECTION_MARK.match(c) or is_footnote(c):
            return False
    return True


# ---------------------------------------------------------------- what each row is


@dataclass(frozen=True)
class RowKind:
    row: int
    kind: str  # 'project', 'blank', 'total', 'section', 'footnote'
    text: str = ""  # the row's text, for the report (subtotals, sections, footnotes)


def data_values(s: Sheet, row: int) -> list[Any]:
    """A row's cells, with vertically merged cells (建设性质 over several projects) filled down."""
    cells = list(s.rows[row - 1]) if row <= len(s.rows) else []
    for r0, c0, r1, c1 in s.merged:
        if c0 == c1 and r0 < row <= r1 and c0 - 1 < len(cells):
            cells[c0 - 1] = s.value(r0, c0 - 1)
    return cells


def row_kinds(s: Sheet, header: Header, name_col: int | None, id_col: int | None) -> list[RowKind]:
    """Every row below the header, classified."""
    out = []
    for r in range(header.last + 1, len(s.rows) + 1):
        cells = [clean(c) for c in (s.rows[r - 1] or [])]
        filled = [c for c in cells if c]
        shown = " ".join(filled)[:80]
        name = clean(s.value(r, name_col)) if name_col is not None else ""
        if not filled:
            out.append(RowKind(r, "blank"))
        elif is_footnote(filled[0]) and (not name or name == filled[0]):
            out.append(RowKind(r, "footnote", shown))
        elif (name and is_total(name)) or (not name and any(is_total(c) for c in filled)):
            out.append(RowKind(r, "total", shown))
        elif id_col is not None and is_total(clean(s.value(r, id_col))) and not name:
            out.append(RowKind(r, "total", shown))
        elif not name and (len(filled) <= 2 or SECTION_MARK.match(filled[0])):
            out.append(RowKind(r, "section" if not _numbers_only(filled) else "total", shown))
        elif SECTION_MARK.match(name) and len(filled) <= 2:
            out.append(RowKind(r, "section", shown))
        else:
            out.append(RowKind(r, "project"))
    return out


def _numbers_only(cells: list[str]) -> bool:
    for c in cells:
        try:
            if parse_number(c)[0] is None:
                return False
        except ValueError:
            return False
    return True


# ---------------------------------------------------------------- titles above the header


_PLAN_YEAR = re.compile(r"(20\d{2})\s*年")


def title_lines(s: Sheet, header: Header) -> list[tuple[int, str]]:
    """(row, text) of the rows above the header (titles, 单位：… lines)."""
    out = []
    for r in range(1, header.row):
        text = " ".join(str(c).strip() for c in (s.rows[r - 1] or []) if c is not None and str(c).strip())
        if text:
            out.append((r, text))
    return out


def plan_year_of(titles: list[tuple[int, str]]) -> tuple[int, int] | None:
    """(year, row) of a title such as '2024年杭州市重大建设项目计划表'."""
    for r, text in titles:
        m = _PLAN_YEAR.search(text)
        if m and "单位" not in text:
            return int(m.group(1)), r
    return None
