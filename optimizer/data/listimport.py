"""A planner's project list (a commission's 重大项目 sheet) to DATA.md's projects, project_cities and funding.

`read_list(path, fit, mapping)` reads the sheet (listsheet.py), maps its columns, units,
years, statuses, places and funding (listmap.py, and the mapping file: listoptions.py), and
returns the tables with an ImportLog: one structured Entry per assumption made, which the
report renders in words (optimizer/report/importtext.py). Any cell that cannot be read is an
InputError naming it as the sheet does (项目清单!F27); nothing is written by this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, Problem, quoted
from .listcolumns import EXTRA, FUNDING_TOLERANCE, Entry, Fit, ImportLog, Reader, assign_columns, column_units
from .listmap import (
    city_of_place,
    clean,
    factor,
    parse_range,
    parse_year,
    place_parts,
    section_status,
    status_of,
)
from .listoptions import ListMapping
from .listsheet import data_values, find_header, plan_year_of, read_sheet, row_kinds, title_lines


@dataclass(frozen=True)
class ListImport:
    projects: pd.DataFrame
    project_cities: pd.DataFrame | None  # None: the list names no project of several cities
    funding: pd.DataFrame | None  # None: the list has no funding column
    meta: dict[str, Any]  # dataset.yaml of a new dataset made from the list
    log: ImportLog
    sheet: str
    header_row: int
    plan_year: int


def read_list(path: str | Path, fit: Fit | None = None, mapping: ListMapping | None = None) -> ListImport:
    """Read the list at `path` (an .xlsx sheet or a CSV export) into DATA.md's tables; InputError if it cannot."""
    path, fit, m = Path(path), fit or Fit(), mapping or ListMapping()
    log = ImportLog()
    s, tried = read_sheet(path, m.sheet)
    h = find_header(s, m.columns, m.header_row)
    if h is None:
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"sheet {s.label}: no header row in the first 20 rows (expected headers such as 项目名称, 总投资, "
                    "建设地点, 建设起止年限; a mapping file's columns: names others)",
                )
            ]
        )
    log.add("source", file=path.name, sheet=s.label, format=s.kind, tried=", ".join(tried))
    log.add("header", row=h.row, last=h.last)
    titles = title_lines(s, h)
    for r, text in titles:
        log.add("title", row=r, text=text)
    cols = assign_columns(s, h, m, log)
    for need in ("name", "cost"):
        if need not in cols.values():
            raise InputError([Problem(str(path), None, None, f"sheet {s.label}: no column for {need} ({_want(need)})")])
    if "range" not in cols.values() and "start_year" not in cols.values():
        raise InputError(
            [Problem(str(path), None, None, f"sheet {s.label}: no column for the years ({_want('range')})")]
        )
    rd = Reader(s, h, cols)
    kinds = row_kinds(s, h, rd.col.get("name"), rd.col.get("id"))
    rows = [k.row for k in kinds if k.kind == "project"]
    section = None
    sections: dict[int, str | None] = {}
    for k in kinds:
        if k.kind == "section":
            section = section_status(k.text) or section
        if k.kind != "project":
            log.add("skipped", row=k.row, what=k.kind, text=k.text)
        sections[k.row] = section
    units = column_units(s, h, cols, m, titles, rows, log, fit)
    built = _projects(path, s, rd, rows, sections, units, fit, m, titles, log)
    if rd.problems:
        _raise(rd.problems)
    return built


def _want(f: str) -> str:
    from .listmap import ALIASES

    return ", ".join(ALIASES[f][:4])


def _raise(problems: list[Problem]) -> None:
    raise InputError(problems)


def _projects(path, s, rd: Reader, rows, sections, units, fit, m, titles, log) -> ListImport:
    recs, cities_of, funding, seen = [], {}, {}, {}
    amount_cols = [f for f in rd.col if f.startswith("funding:")]
    # years first: the plan year may be the list's earliest
    years = {}
    for r in rows:
        cells = data_values(s, r)
        years[r] = _years(r, cells, rd)
    plan = _plan_year(m, titles, years, log)
    closed = [y[1] for y in years.values() if y and y[1] is not None]
    open_end = fit.horizon[1] if fit.horizon else max([*closed, plan + 3])
    for k, r in enumerate(rows, start=1):
        cells = data_values(s, r)
        name = clean(rd.value(cells, "name"))
        if not name:
            rd.problem(r, rd.col["name"], "the project name is blank")
            continue
        pid = _id(rd, r, cells, k, log)
        if pid in seen:
            c = rd.col.get("id", rd.col["name"])
            rd.problems.append(
                s.problem(f"the id {quoted(pid)} is given twice: in {s.ref(seen[pid], c)} and {s.ref(r, c)}", r, c)
            )
            continue
        seen[pid] = r
        rec: dict[str, Any] = {"id": pid, "name": str(rd.value(cells, "name")).strip(), "list_row": r}
        known = len(rd.problems)
        for f in ("cost", "land", "energy", "completed_before", "planned_year"):
            v, own = rd.number(r, cells, f)
            if f == "cost":
                cost_unreadable = len(rd.problems) > known
            if v is not None and f in units:
                rec[f] = _tidy(v * (factor(own, units[f][0]) if own else 1.0) * units[f][1])
                if own:
                    log.add("unit_cell", ref=s.ref(r, rd.col[f]), unit=own)
        if rec.get("cost") is None and not cost_unreadable:
            rd.problem(r, rd.col["cost"], "the total investment is blank")
        cities = _cities(rd, r, cells, fit, m, log)
        y = years[r]
        if y is None or not cities:
            continue
        first, last = y
        if last is None:
            last = max(first, open_end)
            log.add("open_range", ref=s.ref(r, rd.col.get("range", rd.col.get("start_year"))), first=first, last=last)
        rec.update(city=cities[0], duration=last - first + 1, place=_text(rd.value(cells, "city")))
        _status(rec, rd, r, cells, first, plan, sections.get(r), m, log)
        _task(rec, rd.value(cells, "task"), fit, s.ref(r, rd.col.get("task", 0)), log)
        for f in ("owner", "notes"):
            rec[f] = _text(rd.value(cells, f))
        rec["funding_text"] = _text(rd.value(cells, "funding"))
        if len(cities) > 1:
            cities_of[pid] = cities
            log.add("multi_city", id=pid, cities="、".join(cities), share=round(1 / len(cities), 6))
        shares = _funding(rd, r, cells, amount_cols, units, rec, fit.units.get("money", "亿元"), log)
        if shares:
            funding[pid] = shares
        recs.append(rec)
    if rd.problems:
        _raise(rd.problems)
    if not recs:
        _raise([s.problem(f"no project rows below the header (row {rd.h.row})")])
    projects = pd.DataFrame(recs)
    order = ["id", "name", "city", "task", "duration", "earliest_start", "cost", "land", "energy", "status", "start"]
    order += ["task_text", *EXTRA]
    projects = projects.reindex(columns=[c for c in order if c in projects.columns])
    if {"completed_before", "planned_year"} & set(rd.col):
        log.add("kept_unused", fields=", ".join(f for f in ("completed_before", "planned_year") if f in rd.col))
    pc = None
    if cities_of:
        pc = pd.DataFrame(
            [{"project_id": p, "city": c, "share": 1 / len(cs)} for p, cs in cities_of.items() for c in cs],
            columns=["project_id", "city", "share"],
        )
    fund = None
    if amount_cols or "funding" in rd.col:
        fund = pd.DataFrame(
            [{"project_id": p, "source": src, "share": sh} for p, d in funding.items() for src, sh in d.items()],
            columns=["project_id", "source", "share"],
        )
    meta = _meta(path, titles, projects, pc, plan, fit, log)
    return ListImport(projects, pc, fund, meta, log, s.label, rd.h.row, plan)


def _tidy(x: float) -> float:
    """A converted number without binary noise: 0.12, not 0.12000000000000001."""
    return float(f"{x:.12g}")


def _text(v: Any) -> str | None:
    if v is None:
        return None
    t = str(v).strip()
    return t or None


def _id(rd: Reader, r: int, cells, k: int, log: ImportLog) -> str:
    v = rd.value(cells, "id")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    text = _text(v)
    if text:
        return text
    pid = f"P{k:03d}"
    log.add("id", row=r, id=pid, name=str(rd.value(cells, "name")).strip())
    return pid


def _years(r: int, cells, rd: Reader) -> tuple[int, int | None] | None:
    if "range" in rd.col:
        c = rd.col["range"]
        try:
            yr = parse_range(rd.value(cells, "range"))
        except ValueError as exc:
            rd.problem(r, c, f"cannot read the years {quoted(str(cells[c]))}: {exc}")
            return None
        if yr is not None:
            return yr.first, yr.last
    if "start_year" in rd.col:
        c = rd.col["start_year"]
        try:
            first = parse_year(rd.value(cells, "start_year"))
            last = parse_year(rd.value(cells, "end_year"))
        except ValueError:
            rd.problem(r, c, "cannot read the start or completion year")
            return None
        if first is not None:
            if last is not None and last < first:
                rd.problem(r, rd.col["end_year"], f"completion year {last} is before the start year {first}")
                return None
            return first, last
    c = rd.col.get("range", rd.col.get("start_year"))
    rd.problem(r, c, "the construction years are blank: the duration cannot be known (e.g. 2024-2027)")
    return None


def _plan_year(m: ListMapping, titles, years, log: ImportLog) -> int:
    if m.year is not None:
        log.add("plan_year", year=m.year, how="mapping", row="")
        return m.year
    found = plan_year_of(titles)
    if found:
        log.add("plan_year", year=found[0], how="title", row=found[1])
        return found[0]
    firsts = [y[0] for y in years.values() if y]
    year = min(firsts) if firsts else 2024
    log.add("plan_year", year=year, how="earliest", row="")
    return year


def _cities(rd: Reader, r: int, cells, fit: Fit, m: ListMapping, log: ImportLog) -> list[str]:
    c = rd.col.get("city")
    text = _text(rd.value(cells, "city"))
    if text is None:
        if fit.cities is not None and len(fit.cities) == 1:
            log.add("place", ref=rd.s.ref(r, c if c is not None else 0), text="", city=fit.cities[0], how="only")
            return [fit.cities[0]]
        col = c if c is not None else rd.col["name"]
        rd.problem(r, col, "the place (建设地点) is blank: which city is the project in?")
        return []
    found: list[str] = []
    for part in place_parts(text) or [clean(text)]:
        city, how = city_of_place(part, fit.cities, m.places)
        if city is None:
            known = f" (dataset cities: {', '.join(fit.cities)})" if fit.cities else ""
            if how.startswith("other:"):
                rd.problem(r, c, f"{quoted(part)} lies in {how[6:]}, which is not a city of the dataset{known}")
            else:
                rd.problem(
                    r, c, f"the place {quoted(part)} is in no known city{known}: name it in the mapping's places:"
                )
            return []
        if city not in found:
            found.append(city)
        if how != "city":
            log.add("place", ref=rd.s.ref(r, c), text=part, city=city, how=how)
    return found


def _status(rec, rd: Reader, r, cells, first, plan, section, m: ListMapping, log: ImportLog) -> None:
    text = _text(rd.value(cells, "status"))
    ref = rd.s.ref(r, rd.col.get("status", rd.col["name"]))
    how = "column"
    if text is None and section is not None:
        text, how = section, "section"
    status, prep, word = status_of(text, m.status)
    start = max(first, plan + 1) if prep else first
    rec.update(status=status, earliest_start=start, status_text=text)
    if status == "committed":
        rec["start"] = first
        if first > plan:
            log.add("committed_late", ref=ref, id=rec["id"], text=text, first=first, plan=plan)
    if word is None:
        log.add(
            "status",
            ref=ref,
            id=rec["id"],
            text=text or "",
            status=status,
            start=start,
            why="blank" if not text else "unknown",
        )
    elif word in m.status:
        log.add("status", ref=ref, id=rec["id"], text=text, status=status, start=start, why="mapping")
    elif how == "section":
        log.add("status", ref=ref, id=rec["id"], text=text, status=status, start=start, why="section")
    elif prep:
        log.add("status", ref=ref, id=rec["id"], text=text, status=status, start=start, why="prep", plan=plan)


def _task(rec, value, fit: Fit, ref: str, log: ImportLog) -> None:
    text = _text(value)
    if text is None:
        return
    if fit.tasks is None:
        rec["task"] = text
        return
    t = clean(text)
    match = next((x for x in fit.tasks if clean(x) == t), None) or next(
        (x for x in fit.tasks if clean(x) in t or t in clean(x)), None
    )
    if match is not None:
        rec["task"] = match
        if clean(match) != t:
            log.add("task", ref=ref, text=text, task=match)
    else:
        rec["task_text"] = text
        log.add("task_unknown", ref=ref, text=text)


def _funding(rd: Reader, r, cells, amount_cols, units, rec, money: str, log: ImportLog) -> dict[str, float]:
    from .listmap import normalise_shares, parse_funding

    cost = rec.get("cost")
    if amount_cols:
        values = []
        for f in amount_cols:
            v, own = rd.number(r, cells, f)
            if v:
                values.append((f.split(":", 1)[1], v * (factor(own, units[f][0]) if own else 1.0) * units[f][1]))
        if values:
            total = sum(v for _, v in values)
            if cost and abs(total - cost) > FUNDING_TOLERANCE * cost:
                log.add("funding_sum", id=rec["id"], total=round(total, 6), cost=round(cost, 6))
            return normalise_shares(values)
    text = rec.get("funding_text")
    if not text:
        return {}
    parsed = parse_funding(text)
    ref = rd.s.ref(r, rd.col["funding"])
    if parsed.how in ("unnamed", "mixed", "none"):
        log.add("funding_none", ref=ref, id=rec["id"], text=text, how=parsed.how)
        return {}
    log.add("funding", ref=ref, id=rec["id"], text=text, shares=dict(parsed.shares), how=parsed.how)
    if parsed.how == "amount" and cost:
        total = parsed.total * factor("亿元", money)
        if abs(total - cost) > FUNDING_TOLERANCE * cost:
            log.add("funding_sum", id=rec["id"], total=round(total, 6), cost=round(cost, 6))
    return parsed.shares


def _meta(path: Path, titles, projects: pd.DataFrame, pc, plan: int, fit: Fit, log: ImportLog) -> dict[str, Any]:
    """dataset.yaml of a new dataset made from the list (--out)."""
    name = next((t for _, t in titles if "单位" not in t), path.stem)
    cities = list(dict.fromkeys([*projects["city"], *(pc["city"] if pc is not None else [])])) if len(projects) else []
    tasks = list(dict.fromkeys(t for t in projects.get("task", pd.Series(dtype=object)).dropna())) or None
    last = int((projects["earliest_start"] + projects["duration"] - 1).max()) if len(projects) else plan + 3
    horizon = [plan, max(plan + 3, last)]
    meta = {"name": name, "cities": cities, "horizon": horizon, "target_year": plan + 3, "units": dict(fit.units)}
    if tasks:
        meta["tasks"] = tasks
    return meta


def fit_of(folder: str | Path) -> Fit:
    """What a list is fitted to when it goes --into the dataset `folder`: its dataset.yaml."""
    from ..errors import ProblemCollector
    from .dataset import _meta
    from .text import read_yaml

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            [Problem(f"--into {folder}", None, None, "not a folder: --into names an existing dataset folder")]
        )
    path = folder / "dataset.yaml"
    if not path.exists() and (folder / "dataset.yml").exists():
        path = folder / "dataset.yml"
    if not path.exists():
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "missing: --into names a dataset folder, with its dataset.yaml (or use --out)",
                )
            ]
        )
    problems, lines = ProblemCollector(), {}
    meta = _meta(read_yaml(path, problems, str(path), lines), str(path), problems, lines)
    problems.raise_if_any()
    return Fit(list(meta.cities), list(meta.tasks) if meta.tasks else None, dict(meta.units), tuple(meta.horizon))


__all__ = ["Entry", "Fit", "ImportLog", "ListImport", "fit_of", "read_list"]
