"""Reading datasets from disk: a folder of CSV files or one .xlsx workbook.

Everything is read as raw cells with its spreadsheet row number, so that the
validation step can name file, row and column for every problem.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ProblemCollector, quoted, shorten
from .schema import TABLES
from .text import decode_text, file_problem, load_yaml_text, read_yaml


@dataclass(frozen=True)
class Uncached:
    """A workbook cell holding a formula whose value was never saved (the file was written by a
    program that does not calculate): there is no value to read, and 0 would be a guess."""

    formula: str
    cell: str  # e.g. "F27"

    def message(self) -> str:
        return (
            f"cell {self.cell} holds the formula {quoted(self.formula)} but no saved value: open the workbook "
            "in Excel (or LibreOffice) and save it, or type the value"
        )


@dataclass
class RawTable:
    """A table as read: column names, rows of raw cells, and each row's spreadsheet number."""

    name: str
    label: str  # how messages name the file: "projects.csv" or "data.xlsx [projects]"
    columns: list[str]
    header_row: int = 1
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _header(cells: list[Any]) -> list[str]:
    out = []
    for c in cells:
        text = "" if c is None else str(c)
        out.append(text.replace("\ufeff", "").strip())
    return out


def _blank_cells(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _records(
    name: str,
    label: str,
    records: list[tuple[int, list[Any]]],
    problems: ProblemCollector,
    required: list[str] | tuple[str, ...] = (),
    merged: Callable[[int], list[str]] | None = None,
) -> RawTable | None:
    """Turn (row number, cells) records into a RawTable; the first non-empty record is the header.

    ``required`` (column names) lets a title row above the header be recognised;
    ``merged(row)`` lists the merged cell ranges touching a row (workbooks), for messages.
    """
    records = [(n, cells) for n, cells in records if not _blank_cells(cells)]
    if not records:
        problems.add(label, None, None, "the table is empty: it has no header row")
        return None
    header_row, header_cells = records[0]
    columns = _header(header_cells)

    def merged_note() -> str:
        ranges = merged(header_row) if merged else []
        return f"cells {', '.join(ranges)} are merged; " if ranges else ""

    if required and not set(required) & set(columns):
        # a title row above the header (often merged across the table)?
        for number, cells in records[1:6]:
            if set(required) <= set(_header(cells)):
                problems.add(
                    label,
                    header_row,
                    None,
                    f"{merged_note()}the column names are in row {number}: the header must be the first row "
                    "(delete the title rows above it)",
                )
                return None
    # trailing unnamed columns with nothing in them are common in spreadsheets
    while columns and not columns[-1]:
        columns.pop()
    ok = True
    seen: set[str] = set()
    for i, col in enumerate(columns):
        if not col:
            # an unnamed column matters only if something stands under it
            if any(i < len(cells) and not _blank_cells([cells[i]]) for _, cells in records[1:]):
                note = merged_note()
                problems.add(
                    label,
                    header_row,
                    column_letter(i),
                    f"header cell {column_letter(i)}{header_row} is empty but the column has data "
                    + (
                        f"({note.rstrip('; ')}): give every column its own header cell"
                        if note
                        else "(merged header cells?)"
                    ),
                )
                ok = False
        elif col in seen:
            problems.add(label, header_row, col, "column name appears twice in the header")
            ok = False
        seen.add(col)
    if not ok:
        return None  # rows cannot be read against a broken header; say nothing about each of them
    table = RawTable(name, label, columns, header_row)
    for number, cells in records[1:]:
        extra = [c for c in cells[len(columns) :] if not (c is None or str(c).strip() == "")]
        if extra:
            problems.add(
                label,
                number,
                None,
                f"row has {len(columns) + len(extra)} cells but the header has {len(columns)} "
                "(a comma inside a cell that is not quoted?)",
            )
            ok = False
            continue
        row = {col: (cells[i] if i < len(cells) else None) for i, col in enumerate(columns) if col}
        table.rows.append(row)
        table.row_numbers.append(number)
    return table if ok else None


def read_csv_table(path: Path, name: str, problems: ProblemCollector, label: str | None = None) -> RawTable | None:
    label = label or str(path)
    text = decode_text(path, problems, label)
    if text is None:
        return None
    records: list[tuple[int, list[str]]] = []
    try:
        # strict: a quote left open would otherwise swallow the rest of the file silently
        for row in csv.reader(io.StringIO(text, newline=""), strict=True):
            records.append((len(records) + 1, row))
    except csv.Error as exc:
        row = len(records) + 1
        if "unexpected end of data" in str(exc):
            msg = 'a cell opens a quote (") that is never closed'
        elif "expected after" in str(exc):
            msg = 'a quoted cell has text after its closing quote (write a quote inside a cell as "")'
        else:
            msg = f"not a valid CSV file: {exc}"
        problems.add(label, row, None, msg)
        return None
    spec = TABLES.get(name)
    header = next((cells for _, cells in records if any(c.strip() for c in cells)), [])
    if len(header) == 1:
        for sep, what in ((";", "semicolons"), ("\t", "tabs")):
            if sep in header[0]:
                problems.add(
                    label,
                    records[0][0],
                    None,
                    f"the columns are separated by {what}, not commas: save the table as CSV (comma-separated)",
                )
                return None
    return _records(name, label, records, problems, spec.required_columns if spec else ())


def _find_table_file(folder: Path, name: str, problems: ProblemCollector) -> Path | None:
    """``folder/name.csv``; a unique case-insensitive match is accepted (as sheet names are).

    Two files that could both be the table (``projects.csv`` and ``PROJECTS.csv``), an entry
    of that name that is not a readable file (a folder, a device, a loop), and a file that
    looks meant for the table but cannot be read as it (``projects.txt``, ``projects.xlsx``)
    are problems, never silently ignored.
    """
    path = folder / f"{name}.csv"
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return None
    same = [p for p in entries if p.name.strip().lower() == f"{name}.csv"]
    if len(same) > 1:
        problems.add(
            str(path), None, None, f"several files could be this table: {', '.join(p.name for p in same)} (keep one)"
        )
        return None
    if same:
        why = file_problem(same[0])
        if why is not None:
            problems.add(str(same[0]), None, None, f"{same[0].name} {why}: the table '{name}' cannot be read")
            return None
        return same[0]
    meant = {f"{name}{ext}" for ext in (".txt", ".tsv", ".xls", ".xlsx", ".csv.txt", ".csv.csv", ".csv.xlsx")}
    near = [p for p in entries if p.name.strip().lower() in meant]
    if near:
        problems.add(
            str(path),
            None,
            None,
            f"missing, but {near[0].name} is there: save the table '{name}' as CSV named {name}.csv",
        )
    return None


def read_folder(folder: Path, problems: ProblemCollector) -> tuple[Any, str, dict[str, RawTable], dict]:
    """(dataset.yaml data, its label, tables, the line of each dataset.yaml key)."""
    meta_path = folder / "dataset.yaml"
    if not os.path.lexists(meta_path) and os.path.lexists(folder / "dataset.yml"):
        meta_path = folder / "dataset.yml"
    meta_label = str(meta_path)
    meta = None
    lines: dict[tuple[str, ...], int] = {}
    if os.path.lexists(meta_path):
        meta = read_yaml(meta_path, problems, meta_label, lines)
    else:
        near = [p.name for p in sorted(folder.iterdir()) if p.name.lower().startswith("dataset.")]
        hint = f" ({near[0]} is there: rename it)" if near else ""
        problems.add(meta_label, None, None, f"missing: every dataset folder needs a dataset.yaml{hint}")
    tables: dict[str, RawTable] = {}
    for name, spec in TABLES.items():
        path = _find_table_file(folder, name, problems)
        if path is None:
            if spec.required and not any(p.file == str(folder / f"{name}.csv") for p in problems.problems):
                problems.add(str(folder / f"{name}.csv"), None, None, f"missing: the table '{name}' is required")
            continue
        table = read_csv_table(path, name, problems)
        if table is not None:
            tables[name] = table
    return meta, meta_label, tables, lines


def _parse_meta_value(key: str, value: Any) -> Any:
    """A value cell of the workbook's `dataset` sheet: YAML, or a plain comma-separated list."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        parsed = load_yaml_text(text)
    except yaml.YAMLError:
        parsed = text
    if key in ("cities", "tasks", "horizon") and isinstance(parsed, str):
        for sep in (",", "，", "、"):
            if sep in parsed:
                return [part.strip() for part in parsed.split(sep) if part.strip()]
    return parsed


def _workbook_error(exc: Exception) -> str:
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        return "the file is damaged or not an .xlsx workbook (cut short in copying? an old .xls or a CSV renamed?)"
    if isinstance(exc, KeyError):
        return "the file is a zip archive but not an .xlsx workbook"
    return f"{type(exc).__name__}: {exc}"


def read_workbook(path: Path, problems: ProblemCollector) -> tuple[Any, str, dict[str, RawTable], dict]:
    """(the `dataset` sheet as a dict, its label, tables, the row of each `dataset` key)."""
    import openpyxl  # imported here: only workbook users pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        problems.add(str(path), None, None, f"cannot open the workbook: {_workbook_error(exc)}")
        return None, str(path), {}, {}
    sheets = {name.strip().lower(): name for name in wb.sheetnames}
    fname = path.name
    full = []  # the workbook opened in full, only when a header needs its merged cells named

    def merged(sheet: str) -> Callable[[int], list[str]]:
        def ranges(row: int) -> list[str]:
            try:
                if not full:
                    full.append(openpyxl.load_workbook(path, data_only=True))
                ws = full[0][sheets[sheet]]
                return [str(r) for r in ws.merged_cells.ranges if r.min_row <= row <= r.max_row]
            except Exception:
                return []

        return ranges

    formulas = []  # the workbook with formulas as text, opened only when a sheet has empty cells

    def records(sheet: str) -> list[tuple[int, list[Any]]]:
        ws = wb[sheets[sheet]]
        rows = [(i + 1, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True))]
        if any(c is None for _, cells in rows for c in cells):
            if not formulas:
                formulas.append(openpyxl.load_workbook(path, read_only=True, data_only=False))
            for (number, cells), raw in zip(rows, formulas[0][sheets[sheet]].iter_rows(values_only=True)):
                for j, (value, text) in enumerate(zip(cells, raw)):
                    if value is None and isinstance(text, str) and text.startswith("="):
                        cells[j] = Uncached(text, f"{column_letter(j)}{number}")
        return rows

    meta: dict[str, Any] | None = None
    meta_label = f"{fname} [dataset]"
    lines: dict[tuple[str, ...], int] = {}
    if "dataset" in sheets:
        meta = {}
        for number, cells in records("dataset"):
            if not cells or cells[0] is None or str(cells[0]).strip() == "":
                continue
            key = str(cells[0]).strip()
            value = cells[1] if len(cells) > 1 else None
            if number == 1 and key.lower() == "key":
                continue
            if isinstance(cells[0], Uncached) or isinstance(value, Uncached):
                problems.add(meta_label, number, key, (value if isinstance(value, Uncached) else cells[0]).message())
                continue
            if (key,) in lines:
                problems.add(
                    meta_label,
                    number,
                    key,
                    f"the key '{shorten(key)}' is given twice (rows {lines[(key,)]} and {number}): keep one",
                )
                continue
            meta[key] = _parse_meta_value(key, value)
            lines[(key,)] = number
    else:
        problems.add(meta_label, None, None, "missing sheet 'dataset' (key/value rows: name, cities, horizon, ...)")
    tables: dict[str, RawTable] = {}
    for name, spec in TABLES.items():
        label = f"{fname} [{name}]"
        if name not in sheets:
            if spec.required:
                problems.add(label, None, None, f"missing sheet: the table '{name}' is required")
            continue
        table = _records(name, label, records(name), problems, spec.required_columns, merged(name))
        if table is not None:
            tables[name] = table
    wb.close()
    for w in full + formulas:
        w.close()
    return meta, meta_label, tables, lines
