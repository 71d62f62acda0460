"""Reading datasets from disk: a folder of CSV files or one .xlsx workbook.

Everything is read as raw cells with its spreadsheet row number, so that the
validation step can name file, row and column for every problem.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ProblemCollector
from .schema import TABLES

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK, what Excel writes on a Chinese system


@dataclass
class RawTable:
    """A table as read: column names, rows of raw cells, and each row's spreadsheet number."""

    name: str
    label: str  # how messages name the file: "projects.csv" or "data.xlsx [projects]"
    columns: list[str]
    header_row: int = 1
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


def _decode(path: Path, problems: ProblemCollector, label: str) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(label, None, None, f"cannot read the file: {exc.strerror or exc}")
        return None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.add(label, None, None, "cannot decode the file: it is neither UTF-8 nor GBK text")
    return None


def _header(cells: list[Any]) -> list[str]:
    out = []
    for c in cells:
        text = "" if c is None else str(c)
        out.append(text.replace("\ufeff", "").strip())
    return out


def _records(
    name: str, label: str, records: list[tuple[int, list[Any]]], problems: ProblemCollector
) -> RawTable | None:
    """Turn (row number, cells) records into a RawTable; the first non-empty record is the header."""

    def blank(cells: list[Any]) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)

    records = [(n, cells) for n, cells in records if not blank(cells)]
    if not records:
        problems.add(label, None, None, "the table is empty: it has no header row")
        return None
    header_row, header_cells = records[0]
    columns = _header(header_cells)
    # trailing unnamed columns with nothing in them are common in spreadsheets
    while columns and not columns[-1]:
        columns.pop()
    ok = True
    seen: set[str] = set()
    for i, col in enumerate(columns):
        if not col:
            # an unnamed column matters only if something stands under it
            if any(i < len(cells) and not blank([cells[i]]) for _, cells in records[1:]):
                problems.add(
                    label,
                    header_row,
                    f"#{i + 1}",
                    "header cell is empty but the column has data (merged header cells?)",
                )
                ok = False
        elif col in seen:
            problems.add(label, header_row, col, "column name appears twice in the header")
            ok = False
        seen.add(col)
    table = RawTable(name, label, columns, header_row)
    for number, cells in records[1:]:
        extra = [c for c in cells[len(columns) :] if not (c is None or str(c).strip() == "")]
        if extra:
            problems.add(
                label, number, None, f"row has {len(columns) + len(extra)} cells but the header has {len(columns)}"
            )
            ok = False
            continue
        row = {col: (cells[i] if i < len(cells) else None) for i, col in enumerate(columns) if col}
        table.rows.append(row)
        table.row_numbers.append(number)
    return table if ok else None


def read_csv_table(path: Path, name: str, problems: ProblemCollector, label: str | None = None) -> RawTable | None:
    label = label or str(path)
    text = _decode(path, problems, label)
    if text is None:
        return None
    try:
        records = [(i + 1, row) for i, row in enumerate(csv.reader(io.StringIO(text, newline="")))]
    except csv.Error as exc:
        problems.add(label, None, None, f"not a valid CSV file: {exc}")
        return None
    return _records(name, label, records, problems)


def read_yaml(path: Path, problems: ProblemCollector, label: str | None = None) -> Any:
    label = label or str(path)
    text = _decode(path, problems, label)
    if text is None:
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.add(label, line, None, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None


def read_folder(folder: Path, problems: ProblemCollector) -> tuple[Any, str, dict[str, RawTable]]:
    meta_path = folder / "dataset.yaml"
    if not meta_path.exists() and (folder / "dataset.yml").exists():
        meta_path = folder / "dataset.yml"
    meta_label = str(meta_path)
    meta = None
    if meta_path.exists():
        meta = read_yaml(meta_path, problems, meta_label)
    else:
        problems.add(meta_label, None, None, "missing: every dataset folder needs a dataset.yaml")
    tables: dict[str, RawTable] = {}
    for name, spec in TABLES.items():
        path = folder / f"{name}.csv"
        if not path.exists():
            if spec.required:
                problems.add(str(path), None, None, f"missing: the table '{name}' is required")
            continue
        table = read_csv_table(path, name, problems)
        if table is not None:
            tables[name] = table
    return meta, meta_label, tables


def _parse_meta_value(key: str, value: Any) -> Any:
    """A value cell of the workbook's `dataset` sheet: YAML, or a plain comma-separated list."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError:
        parsed = text
    if key in ("cities", "tasks", "horizon") and isinstance(parsed, str):
        for sep in (",", "，", "、"):
            if sep in parsed:
                return [part.strip() for part in parsed.split(sep) if part.strip()]
    return parsed


def read_workbook(path: Path, problems: ProblemCollector) -> tuple[Any, str, dict[str, RawTable]]:
    import openpyxl  # imported here: only workbook users pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        problems.add(str(path), None, None, f"cannot open the workbook: {exc}")
        return None, str(path), {}
    sheets = {name.strip().lower(): name for name in wb.sheetnames}
    fname = path.name

    def records(sheet: str) -> list[tuple[int, list[Any]]]:
        ws = wb[sheets[sheet]]
        return [(i + 1, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True))]

    meta: dict[str, Any] | None = None
    meta_label = f"{fname} [dataset]"
    if "dataset" in sheets:
        meta = {}
        for number, cells in records("dataset"):
            if not cells or cells[0] is None or str(cells[0]).strip() == "":
                continue
            key = str(cells[0]).strip()
            value = cells[1] if len(cells) > 1 else None
            if number == 1 and key.lower() == "key":
                continue
            meta[key] = _parse_meta_value(key, value)
    else:
        problems.add(meta_label, None, None, "missing sheet 'dataset' (key/value rows: name, cities, horizon, ...)")
    tables: dict[str, RawTable] = {}
    for name, spec in TABLES.items():
        label = f"{fname} [{name}]"
        if name not in sheets:
            if spec.required:
                problems.add(label, None, None, f"missing sheet: the table '{name}' is required")
            continue
        table = _records(name, label, records(name), problems)
        if table is not None:
            tables[name] = table
    wb.close()
    return meta, meta_label, tables
