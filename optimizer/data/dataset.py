"""The validated, frozen Dataset, and the ways to get one: load(path) and from_tables()."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ..errors import InputError, Problem, ProblemCollector, clean_loc, quoted, shorten
from ..errors import pydantic_message as _message
from . import checks
from .funding import SOURCES, canonical_source
from .io import RawTable, Uncached, read_folder, read_workbook
from .meta import BUILTIN_RESOURCES, DatasetMeta, ResourceDef, meta_message
from .scenario import Scenario, line_of, parse_scenario, read_scenario, scenario_key_lines
from .scenario_checks import scenario_against_data
from .schema import TABLES, TableSpec, is_blank
from .text import path_problem, read_yaml


@dataclass(frozen=True, eq=False)
class Dataset:
    """A checked dataset: tables as DataFrames (each row keeps its spreadsheet row in `_row`)."""

    meta: DatasetMeta
    tables: dict[str, pd.DataFrame]
    labels: dict[str, str]
    source: str
    scenario: Scenario | None = field(default=None)

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def cities(self) -> list[str]:
        return list(self.meta.cities)

    @cached_property
    def resources(self) -> dict[str, ResourceDef]:
        """budget, land, energy, the dataset's own (dataset.yaml `resources`), then the funding
        sources (data.funding): those the `funding` table names and those a limit row names."""
        money = self.meta.units.get("money", "亿元")
        own = {**BUILTIN_RESOURCES, **self.meta.resources}
        return {**own, **{s: ResourceDef(timing="spread", unit=money) for s in self.sources if s not in own}}

    @cached_property
    def sources(self) -> list[str]:
        """Funding sources, canonical ids (data.funding), in order of first appearance."""
        named = list(self.tables["funding"]["source"]) if "funding" in self.tables else []
        named += [r for r in self.tables["limits"]["resource"] if r in SOURCES]
        return list(dict.fromkeys(named))

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def with_scenario(self, scenario: Scenario | None) -> Dataset:
        return replace(self, scenario=scenario)

    def __repr__(self) -> str:
        p = self.tables["projects"]
        return (
            f"Dataset({self.meta.name!r}: {len(p)} projects, {len(self.meta.cities)} cities, "
            f"horizon {self.meta.horizon[0]}-{self.meta.horizon[1]}, target {self.meta.target_year})"
        )


def validate_rows(raw: RawTable, spec: TableSpec, problems: ProblemCollector) -> pd.DataFrame | None:
    missing = [c for c in spec.required_columns if c not in raw.columns]
    for col in missing:
        close = [c for c in raw.columns if c and c.strip().lower() == col]
        if close:
            note = f" (the header has '{close[0]}': column names are lower case)"
        else:
            shown = ", ".join(c for c in raw.columns[:12] if c) or "nothing"
            note = f" (the header in row {raw.header_row} has: {shown}{', ...' if len(raw.columns) > 12 else ''})"
        problems.add(raw.label, raw.header_row, col, "required column is missing" + note)
    if missing:
        return None
    validator = spec.row.model_validate
    good: list[dict[str, Any]] = []
    extra_cols = [c for c in raw.columns if c and c not in spec.row.model_fields]
    for cells, number in zip(raw.rows, raw.row_numbers):
        formulas = [(k, v) for k, v in cells.items() if isinstance(v, Uncached)]
        if formulas:
            used = [(k, v) for k, v in formulas if k in spec.row.model_fields]
            for k, v in used:
                problems.add(raw.label, number, k, v.message())
            if used:
                continue
            cells = {k: (None if isinstance(v, Uncached) else v) for k, v in cells.items()}  # unread extra columns
        clean = {k: v for k, v in cells.items() if not is_blank(v)}
        try:
            obj = validator(clean)
        except ValidationError as exc:
            for err in exc.errors():
                col = str(err["loc"][0]) if err["loc"] else None
                problems.add(raw.label, number, col, _message(err))
            continue
        record = obj.__dict__.copy()
        for c in extra_cols:
            record[c] = cells.get(c)
        record["row_"] = number
        good.append(record)
    columns = spec.columns + extra_cols + ["row_"]
    df = pd.DataFrame.from_records(good, columns=columns)
    for c in ("latest_start", "start", "year"):
        if c in spec.row.model_fields:  # optional years: nullable integers
            df[c] = df[c].astype("Int64")
    return df


def _empty(spec: TableSpec) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in spec.columns + ["row_"]})
    for c in ("latest_start", "start", "year"):
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    return df


def _meta(raw: Any, label: str, problems: ProblemCollector, lines: dict | None = None) -> DatasetMeta | None:
    if raw is None:
        if not any(p.file == label for p in problems.problems):  # not already unreadable
            problems.add(label, None, None, "the file is empty: it needs name, cities, horizon and target_year")
        return None
    if not isinstance(raw, dict):
        problems.add(label, None, None, "must be a mapping of keys (name, cities, horizon, target_year, ...)")
        return None
    try:
        return DatasetMeta.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            # horizon.1 is the key horizon, as the planner wrote it
            loc = clean_loc(err["loc"]) or (("target_year",) if err["type"] == "target_outside" else ())
            problems.add(label, line_of(lines or {}, loc), ".".join(loc) or None, meta_message(err))
        return None


#: a required table with a header but no rows: why it cannot be
_NO_ROWS = {
    "projects": "there is nothing to choose from",
    "contributions": "no project contributes to any indicator",
    "indicators": "there is no target to work towards",
}


def build_dataset(
    meta_raw: Any,
    meta_label: str,
    raw: dict[str, RawTable],
    source: str,
    problems: ProblemCollector,
    meta_lines: dict | None = None,
) -> Dataset:
    """Validate rows, then cross-table rules; raise InputError with every problem found."""
    meta = _meta(meta_raw, meta_label, problems, meta_lines)
    tables: dict[str, pd.DataFrame] = {}
    labels = {name: raw[name].label if name in raw else f"{name}.csv" for name in TABLES}
    unusable: set[str] = set()  # tables that could not be read at all: others are not checked against them
    for name, spec in TABLES.items():
        df = validate_rows(raw[name], spec, problems) if name in raw else _empty(spec)
        if df is None or (spec.required and name not in raw):
            unusable.add(name)
        tables[name] = df if df is not None else _empty(spec)
        if name in raw and spec.required and not raw[name].rows:
            problems.add(labels[name], None, None, f"the table has no rows, only a header: {_NO_ROWS[name]}")
    if meta is not None:
        # ids of rows that failed their own checks still count as known, so that one
        # bad project row is reported once, not again by every table that names it
        named = {
            n: None
            if n in unusable
            else ({str(r.get(k)).strip() for r in raw[n].rows if r.get(k) is not None} if n in raw else set())
            for n, k in (("projects", "id"), ("indicators", "indicator"))
        }
        _cross_checks(meta, tables, labels, problems, named)
    problems.raise_if_any()
    return Dataset(meta=meta, tables=_normalised(tables), labels=labels, source=source)


def _normalised(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Tables in key order, shares and cost profiles exact.

    The row order of a table other than projects carries no meaning, but it would reach the
    solver as the order of rows and terms, and among portfolios of equal score and cost the
    one found can depend on it: so every such table is kept sorted by its key, and the same
    data in any order gives the same answer (projects keep their order; the model sorts them).
    Shares that sum to 1 and cost profiles that sum to the cost within the tolerance
    (checks.SHARE_TOL: 0.333333 x 3) are scaled to do so exactly.
    """
    t = dict(t)
    for name, spec in TABLES.items():
        if name != "projects" and not t[name].empty:
            t[name] = t[name].sort_values(list(spec.key), kind="stable", na_position="first").reset_index(drop=True)
    pc = t["project_cities"]
    if not pc.empty:
        pc = pc.copy()
        pc["share"] = pc["share"] / pc.groupby("project_id")["share"].transform("sum")
        t["project_cities"] = pc
    fu = t["funding"]
    if not fu.empty:
        # payers' names read as one id (企业自筹 and 社会资本 are both private money) and summed
        fu = fu.assign(source=fu["source"].map(canonical_source))
        fu = fu.groupby(["project_id", "source"], as_index=False, sort=True).agg(
            share=("share", "sum"), row_=("row_", "min")
        )
        total = fu.groupby("project_id")["share"].transform("sum")
        t["funding"] = fu.assign(share=fu["share"] / total.where(total > 0, 1.0))
    cp = t["cost_profiles"]
    if not cp.empty:
        cp = cp.copy()
        cost = cp["project_id"].map(t["projects"].drop_duplicates("id").set_index("id")["cost"]).astype(float)
        total = cp.groupby("project_id")["cost"].transform("sum").astype(float)
        cp["cost"] = cp["cost"].astype(float).where(total <= 0, cp["cost"].astype(float) * cost / total)
        t["cost_profiles"] = cp
    return t


def _cross_checks(
    meta: DatasetMeta,
    t: dict[str, pd.DataFrame],
    labels: dict[str, str],
    problems: ProblemCollector,
    named: dict[str, set],
) -> None:
    for name, spec in TABLES.items():
        checks.duplicate_keys(t[name], spec.key, labels[name], problems)
    p = t["projects"]
    checks.check_projects(p, meta, labels["projects"], problems)
    # None: the projects table could not be read, so no reference to a project is checked
    ids = None if named["projects"] is None else set(p["id"]) | named["projects"]
    indicators = None if named["indicators"] is None else set(t["indicators"]["indicator"]) | named["indicators"]
    cities = set(meta.cities)
    resources = {**BUILTIN_RESOURCES, **meta.resources}
    for name, r in meta.resources.items():
        col = r.column or name
        if col not in p.columns and named["projects"] is not None:
            problems.add(
                labels["projects"], 1, col, f"column for resource '{name}' (dataset.yaml resources) is missing"
            )
    pc = t["project_cities"]
    checks.check_references(pc, "project_id", ids, labels["project_cities"], problems, "project")
    checks.check_references(pc, "city", cities, labels["project_cities"], problems, "city")
    checks.check_shares(pc, labels["project_cities"], problems)
    fu = t["funding"]
    checks.check_references(fu, "project_id", ids, labels["funding"], problems, "project")
    checks.check_shares(fu, labels["funding"], problems)
    checks.check_sources(fu, set(resources), labels["funding"], problems)
    resources.update({canonical_source(s): None for s in fu["source"]} | dict.fromkeys(SOURCES))
    cp = t["cost_profiles"]
    checks.check_references(cp, "project_id", ids, labels["cost_profiles"], problems, "project")
    checks.check_profiles(cp, p, labels["cost_profiles"], problems)
    ind = t["indicators"]
    checks.check_indicators(ind, meta, labels["indicators"], problems)
    con = t["contributions"]
    checks.check_references(con, "project_id", ids, labels["contributions"], problems, "project")
    checks.check_references(
        con, "indicator", indicators, labels["contributions"], problems, "indicator", " (not in indicators)"
    )
    checks.check_limits(t["limits"], meta, set(resources), labels["limits"], problems)
    dep = t["dependencies"]
    checks.check_references(dep, "project_id", ids, labels["dependencies"], problems, "project")
    checks.check_references(dep, "requires", ids, labels["dependencies"], problems, "project")
    checks.check_cycles(dep, labels["dependencies"], problems)


def _looks_like_scenario(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml") and path.name not in ("dataset.yaml", "dataset.yml")


def _scenario_against_data(ds: Dataset, sc: Scenario, path: Path) -> None:
    """The scenario's names checked against the dataset now, with the line of each key
    (build_instance checks the same, but cannot say where in the file)."""
    found = scenario_against_data(ds, sc)
    if found:
        lines = scenario_key_lines(path)
        raise InputError([replace(p, row=p.row or line_of(lines, p.column)) for p in found])


def load(path: str | Path) -> Dataset:
    """Load a dataset folder, an .xlsx workbook, or a scenario YAML (whose `data:` names the dataset).

    Raises InputError listing every problem (file, row, column, message).
    """
    path = Path(path)
    scenario = None
    why = path_problem(path)
    if why is not None and why != "missing":
        raise InputError([Problem(str(path), None, None, f"the path {why}")])
    if _looks_like_scenario(path):
        if not path.is_file():
            raise InputError([Problem(str(path), None, None, "scenario file not found")])
        scenario = read_scenario(path)
        line = scenario_key_lines(path).get(("data",))

        def bad_data(message: str) -> InputError:
            return InputError([Problem(str(path), line, "data", message)])

        if not scenario.data:
            raise bad_data("the scenario names no dataset (key 'data')")
        data_path = path.parent / scenario.data
        why = path_problem(data_path)
        if why == "missing":
            raise bad_data(f"dataset not found: {shorten(scenario.data)} (resolved to {data_path.absolute()})")
        if why is not None:
            raise bad_data(f"the dataset {quoted(scenario.data)} {why}")
        data_path = data_path.resolve()
        if _looks_like_scenario(data_path):
            raise bad_data("'data' must name a dataset folder or workbook, not another scenario")
        if not (data_path.is_dir() or data_path.suffix.lower() in (".xlsx", ".xlsm")):
            raise bad_data(f"'data' must name a dataset folder or an .xlsx workbook, got {scenario.data}")
        ds = load(data_path)
        _scenario_against_data(ds, scenario, path)
        return ds.with_scenario(scenario)
    problems = ProblemCollector()
    if path.is_dir():
        meta, meta_label, raw, lines = read_folder(path, problems)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        meta, meta_label, raw, lines = read_workbook(path, problems)
    elif not path.exists():
        raise InputError([Problem(str(path), None, None, "not found")])
    else:
        hint = {
            ".csv": ": a dataset is the folder that holds this file and the other tables",
            ".xls": ": save the old .xls workbook as .xlsx",
        }.get(path.suffix.lower(), "")
        raise InputError(
            [Problem(str(path), None, None, f"expected a dataset folder, an .xlsx workbook or a scenario .yaml{hint}")]
        )
    return build_dataset(meta, meta_label, raw, str(path), problems, lines)


def from_tables(meta: dict[str, Any], tables: dict[str, pd.DataFrame], source: str = "<tables>") -> Dataset:
    """Build a Dataset from in-memory tables, checked exactly as files are."""
    problems = ProblemCollector()
    raw: dict[str, RawTable] = {}
    for name, df in tables.items():
        if name not in TABLES:
            continue  # more tables are welcome
        label = f"{name}.csv"
        cols = [str(c) for c in df.columns]
        records = df.astype(object).where(df.notna(), None).to_dict("records")
        raw[name] = RawTable(
            name, label, cols, 1, [{str(k): v for k, v in r.items()} for r in records], list(range(2, len(df) + 2))
        )
    for name, spec in TABLES.items():
        if spec.required and name not in raw:
            problems.add(f"{name}.csv", None, None, f"missing: the table '{name}' is required")
    return build_dataset(meta, "dataset.yaml", raw, source, problems)


def resolve_scenario(dataset: Dataset, scenario: Scenario | dict | str | Path | None) -> Scenario:
    if scenario is None:
        return dataset.scenario or Scenario()
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return parse_scenario(scenario, "<scenario>")
    path = Path(scenario)
    if not path.is_file():
        raise InputError([Problem(str(path), None, None, "scenario file not found")])
    sc = read_scenario(path)
    _scenario_against_data(dataset, sc, path)
    return sc


__all__ = ["Dataset", "DatasetMeta", "ResourceDef", "from_tables", "load", "read_yaml", "resolve_scenario"]
