"""The columns of a planner's project list: which field each holds, in which unit, and the cell readers.

Part of the list importer (listimport.py): the header found by listsheet.py is mapped to
DATA.md's fields (aliases of listmap.py, the mapping file's `columns:` first), each numeric
column gets the unit it is written in and the factor to the dataset's unit, and `Reader`
reads the cells of a row, collecting every problem with its cell reference (项目清单!F27).
The decisions go into the ImportLog, one structured Entry each.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, Problem, quoted
from .io import column_letter
from .listmap import KIND, UNITS, alias_field, clean, factor, parse_number, source_of, unit_in, units_line
from .listoptions import ListMapping
from .listsheet import Header, Sheet, data_values

#: the dataset's units when dataset.yaml names none (DATA.md)
DEFAULT_UNITS = {"money": "亿元", "land": "亩", "energy": "万吨标准煤"}
#: a cost column without a unit is read in 万元 when the median cost is at least this (else 亿元)
WAN_YUAN_MEDIAN = 100.0
#: an energy column without a unit is read in 吨标准煤 when the median is at least this
TCE_MEDIAN = 100.0
#: funding amounts that differ from the cost by more than this share are reported
FUNDING_TOLERANCE = 0.01
#: extra columns kept beside DATA.md's (the model does not use them)
EXTRA = ("place", "status_text", "owner", "funding_text", "notes", "completed_before", "planned_year", "list_row")
_PARENT_TOTAL = ("合计", "小计", "总计", "计", "总额", "金额", "数量", "面积")


@dataclass(frozen=True)
class Entry:
    """One assumption or decision of the import: `kind` names the sentence (report/importtext.py)."""

    kind: str
    fields: dict[str, Any]


class ImportLog(list):
    """Entries in the order the import made them."""

    def add(self, kind: str, **fields: Any) -> None:
        self.append(Entry(kind, fields))


@dataclass(frozen=True)
class Fit:
    """What the list is fitted to: an existing dataset's cities, tasks, units and horizon (--into),
    or nothing (--out: the list's own cities and years make a new dataset)."""

    cities: list[str] | None = None
    tasks: list[str] | None = None
    units: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_UNITS))
    horizon: tuple[int, int] | None = None


def assign_columns(s: Sheet, h: Header, m: ListMapping, log: ImportLog) -> dict[int, str]:
    """0-based column -> field (or 'funding:<source>' for an amount column), each logged."""
    mapped = {clean(k): v for k, v in m.columns.items()}
    out: dict[int, str] = {}
    taken: set[str] = set()
    for col, (parent, child) in enumerate(h.texts):
        text = h.text(col)
        if not text:
            continue
        letter = column_letter(col)
        how = "alias"
        target = next((mapped[k] for k in (clean(text), parent, child) if k and k in mapped), None)
        if target is not None:
            how = "mapping"
        elif child:
            target, how = _child_field(parent, child)
        else:
            target = alias_field(parent)
            if target is None and (sid := source_of(parent)):
                target, how = f"funding:{sid}", "funding"
        if target in (None, "ignore", "seq") or target in taken:
            why = {None: "unknown", "ignore": "mapping", "seq": "seq"}.get(target, "duplicate")
            log.add("unused", col=letter, header=text, why=why, field=target or "")
            continue
        taken.add(target)
        out[col] = target
        log.add("column", col=letter, header=text, field=target, how=how)
    return out


def _child_field(parent: str, child: str) -> tuple[str | None, str]:
    """The field of a sub-column (child) under a merged parent header."""
    pf, cf, sid = alias_field(parent), alias_field(child), source_of(child)
    if pf == "funding" or (sid and cf is None and pf in (None, "cost")):
        return (f"funding:{sid}", "funding") if sid else (None, "alias")
    if cf is not None and cf != "seq":
        return cf, "alias"
    key = clean(child).removeprefix("其中")
    if pf is not None and (key in _PARENT_TOTAL or (unit_in(child) and len(key) <= 6)):
        return pf, "parent"
    return None, "alias"


class Reader:
    """The per-cell readers of one import, collecting every problem before raising."""

    def __init__(self, s: Sheet, h: Header, cols: dict[int, str]):
        self.s, self.h, self.problems = s, h, []
        self.col = {f: c for c, f in cols.items()}

    def problem(self, row: int, col: int, message: str) -> None:
        self.problems.append(self.s.problem(f"({self.h.text(col)}) {message}", row, col))

    def value(self, cells: list[Any], f: str) -> Any:
        c = self.col.get(f)
        return cells[c] if c is not None and c < len(cells) else None

    def number(self, row: int, cells: list[Any], f: str) -> tuple[float | None, str | None]:
        c = self.col.get(f)
        if c is None or c >= len(cells):
            return None, None
        try:
            v, unit = parse_number(cells[c])
        except ValueError:
            self.problem(row, c, f"must be a number, got {quoted(str(cells[c]).strip())}")
            return None, None
        if v is not None and v < 0:
            self.problem(row, c, f"must not be negative, got {cells[c]}")
            return None, None
        if unit is not None and f in KIND and UNITS[unit][0] != KIND[f]:
            self.problem(row, c, f"{quoted(str(cells[c]))} is not {KIND[f]}")
            return None, None
        return v, unit


def column_units(s, h, cols, m, titles, rows, log, fit: Fit) -> dict[str, tuple[str, float]]:
    """field -> (unit read, factor to the dataset's unit) for every numeric column."""
    declared = [u for _, text in titles for u in units_line(text)]
    out: dict[str, tuple[str, float]] = {}
    for col, f in cols.items():
        kind = "money" if f.startswith("funding:") else KIND.get(f)
        if kind is None:
            continue
        target = fit.units.get(kind, DEFAULT_UNITS[kind])
        if target not in UNITS or UNITS[target][0] != kind:
            raise InputError([Problem("dataset.yaml", None, f"units.{kind}", f"unknown {kind} unit {quoted(target)}")])
        unit, how = m.units.get(f), "mapping"
        if unit is None and (u := unit_in(h.text(col))) and UNITS[u][0] == kind:
            unit, how = u, "header"
        if unit is None:
            unit = next((u for u in declared if UNITS[u][0] == kind), None)
            how = "title"
        if unit is None and f.startswith("funding:") and "cost" in out:
            unit, how = out["cost"][0], "cost"
        if unit is None and kind in ("money", "energy"):
            values = []
            for r in rows:
                try:
                    v, own = parse_number(data_values(s, r)[col] if col < len(data_values(s, r)) else None)
                except ValueError:
                    continue
                if v is not None and own is None:
                    values.append(v)
            med = statistics.median(values) if values else 0.0
            small, large, bound = (
                ("亿元", "万元", WAN_YUAN_MEDIAN) if kind == "money" else ("万吨标准煤", "吨标准煤", TCE_MEDIAN)
            )
            unit, how = (large if med >= bound else small), "median"
            log.add("unit_guess", field=f, col=column_letter(col), median=round(med, 4), bound=bound, unit=unit)
        if unit is None:
            unit, how = target, "default"
        out[f] = (unit, factor(unit, target))
        log.add("unit", field=f, col=column_letter(col), unit=unit, target=target, factor=out[f][1], how=how)
    return out
