"""The Python API (a face, like the command line): load a dataset, solve it, get a Result.

Every call goes through the engine (optimizer.engine.Session). The multi-run functions
are the analyses of optimizer.analysis with two things a person at a console or in a
notebook expects: a progress bar (`progress=None` draws one when the output is a
terminal, True always, False never) and, for `explain`, the sentences in zh or en.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .data.dataset import Dataset
from .data.scenario import Scenario
from .engine import Progress, Session
from .report import html as _html  # noqa: F401  (gives Result its notebook summary)
from .results import Result


def solve(dataset: Dataset | str | Path, scenario: Scenario | dict | str | Path | None = None) -> Result:
    """Choose and schedule projects: maximise the score of MODEL.md, then minimise total cost.

    `dataset` is a Dataset (or a path for `load`); `scenario` a Scenario, a dict of
    DATA.md's scenario keys, a YAML path, or None for the dataset's own scenario.
    For many runs on one dataset, hold an `optimizer.Session` and call its `solve(change)`.
    """
    return Session(dataset, scenario, reusable=False).solve()


class ConsoleProgress:
    """A tqdm bar for the runs of one analysis (the engine reports; this face draws).
    `enabled` None: only on a terminal (tqdm's own rule)."""

    def __init__(self, enabled: bool | None = None):
        self.enabled, self._bar = enabled, None

    def __call__(self, done: int, total: int, desc: str) -> None:
        if self._bar is None:
            from tqdm.auto import tqdm

            disable = None if self.enabled is None else not self.enabled
            self._bar = tqdm(total=total, desc=desc, unit="run", disable=disable, leave=False)
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _progress(progress: bool | Progress | None) -> Progress | None:
    if progress is False:
        return None
    return progress if callable(progress) and progress is not True else ConsoleProgress(progress)


def _with_bar(fn, kwargs: dict) -> Any:
    bar = _progress(kwargs.pop("progress", None))
    try:
        return fn(**kwargs, progress=bar)
    finally:
        if isinstance(bar, ConsoleProgress):
            bar.close()


def compare(scenarios: list[Any], data=None, **kwargs) -> pd.DataFrame:
    """Run several scenarios; one row per scenario (optimizer.analysis.compare.compare)."""
    from .analysis.compare import compare as run

    return _with_bar(run, dict(scenarios=scenarios, data=data, **kwargs))


def frontier(data, resource: str = "budget", scales: Any = "0.5:1.5:0.1", **kwargs) -> pd.DataFrame:
    """Score and attainment against the level of one resource (optimizer.analysis.frontier.frontier)."""
    from .analysis.frontier import frontier as run

    return _with_bar(run, dict(data=data, resource=resource, scales=scales, **kwargs))


def tradeoffs(data, scenario: Any = None, points: int = 6, **kwargs) -> dict[str, pd.DataFrame]:
    """Per-city shares, price of balance rules, marginal values, Pareto fronts (optimizer.analysis.tradeoffs)."""
    from .analysis.tradeoffs import tradeoffs as run

    return _with_bar(run, dict(data=data, scenario=scenario, points=points, **kwargs))


def robustness(data, samples: int = 50, **kwargs) -> pd.DataFrame:
    """Core index of each project over sampled overruns and delays (optimizer.analysis.robustness)."""
    from .analysis.robustness import robustness as run

    return _with_bar(run, dict(data=data, samples=samples, **kwargs))


def explain(data, ids: list[str] | None = None, scenario: Any = None, lang: str = "zh", **kwargs) -> pd.DataFrame:
    """Why each project is in or out, in plain sentences (the fields: optimizer.analysis.explain.explain)."""
    from .analysis.explain import explain as run
    from .report.explanations import with_sentences
    from .report.labels import LANGS

    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return with_sentences(_with_bar(run, dict(data_or_dataset=data, ids=ids, scenario=scenario, **kwargs)), lang)


def alternatives(data, scenario: Any = None, within: float = 0.01, count: int = 5, **kwargs) -> dict[str, pd.DataFrame]:
    """Near-optimal portfolios that differ most from the best, and which projects are settled
    (optimizer.analysis.alternatives): tables alternatives, summary, settled, projects."""
    from .analysis.alternatives import alternatives as run

    return _with_bar(run, dict(data=data, scenario=scenario, within=within, count=count, **kwargs))


@dataclass(frozen=True)
class ImportResult:
    """What `import_list` made: the tables, the log of every assumption (structured entries),
    import_report.txt as text, and the folder written (None when nothing was written)."""

    projects: pd.DataFrame
    project_cities: pd.DataFrame | None
    funding: pd.DataFrame | None
    meta: dict
    log: list
    report: str
    folder: Path | None
    files: tuple[str, ...]


#: the tables a new dataset gets as header-only templates (--out)
TEMPLATES = ("contributions", "indicators", "limits", "dependencies", "cost_profiles")


def import_list(
    path: str | Path,
    into: str | Path | None = None,
    out: str | Path | None = None,
    sheet: str | None = None,
    mapping: str | Path | None = None,
    force: bool = False,
) -> ImportResult:
    """A planner's project list (.xlsx or .csv) into the projects table of a dataset (DATA.md
    "portfolio import"): `into` an existing dataset folder (its projects.csv replaced, and
    project_cities.csv / funding.csv where the list has them), or `out` a new dataset folder with
    header-only templates of the other tables. Neither: nothing is written (the tables and the
    log are returned). Raises InputError naming the sheet cell (项目清单!F27), the mapping key,
    or what the result would break; nothing is written then."""
    from .data.listimport import Fit, fit_of, read_list
    from .data.listoptions import read_mapping
    from .data.schema import TABLES
    from .data.writer import meta_text, table_text
    from .errors import InputError, Problem
    from .report.importtext import import_report, readme
    from .results import importdir

    if into is not None and out is not None:
        raise InputError([Problem("portfolio import", None, None, "give --into DATASET or --out NEW_DIR, not both")])
    m = read_mapping(mapping)
    if sheet is not None:
        m = m.model_copy(update={"sheet": sheet})
    fit = fit_of(into) if into is not None else Fit()
    res = read_list(path, fit, m)
    log = res.log
    tables = {"projects": res.projects}
    if res.project_cities is not None:
        tables["project_cities"] = res.project_cities
    if res.funding is not None:
        tables["funding"] = res.funding
    log.add("projects_count", n=len(res.projects))
    files = {f"{name}.csv": table_text(df).encode("utf-8") for name, df in tables.items()}
    if "funding" in tables and "funding" not in TABLES:
        log.add("funding_skipped")
    meta = dict(res.meta)
    if out is not None:
        y0, y1 = meta["horizon"]
        log.add("horizon", y0=y0, y1=y1, target=meta["target_year"], plan=res.plan_year)
        templates = {n: pd.DataFrame(columns=TABLES[n].columns) for n in TEMPLATES}
        files |= {f"{n}.csv": table_text(df).encode("utf-8") for n, df in templates.items()}
        files["dataset.yaml"] = meta_text(meta).encode("utf-8")
        extra = [n for n in ("project_cities.csv", "funding.csv") if n in files]
        files["README.md"] = readme(meta["name"], Path(path).name, len(res.projects), str(out), extra).encode("utf-8")
        _check_new_tables(meta, tables)
        log.add("template")
    names = sorted([*files, "import_report.txt"])
    log.add("written", files=names)
    if into is not None:
        kept = sorted(p.name for p in Path(into).iterdir() if p.is_file() and not p.name.startswith("."))
        kept = [n for n in kept if n not in names]
        if kept:
            log.add("kept", files=kept)
        log.add("validated")
    report = import_report(log, meta.get("name", ""))
    files["import_report.txt"] = report.encode("utf-8")
    folder = None
    reads = [path, *([mapping] if mapping else [])]
    if into is not None:
        folder = importdir.write_into(into, files, lambda stage: _validate_staged(stage, Path(into), res.projects))
    elif out is not None:
        folder = importdir.write_new(out, files, reads, force)
    return ImportResult(
        res.projects, res.project_cities, res.funding, meta, list(log), report, folder, tuple(sorted(files))
    )


def _at_list_row(problem, projects: pd.DataFrame, file: str):
    """A problem of the written projects.csv, with the list's own row added."""
    from dataclasses import replace

    if problem.row is not None and Path(problem.file).name == "projects.csv" and 2 <= problem.row < len(projects) + 2:
        row = projects.iloc[problem.row - 2]
        return replace(
            problem, file=file, message=f"{problem.message} (project {row['id']}, the list's row {row['list_row']})"
        )
    return replace(problem, file=file)


def _validate_staged(stage: Path, folder: Path, projects: pd.DataFrame) -> None:
    """The staged dataset must load; its problems are named as the files of `folder` will be."""
    from .data.dataset import load
    from .errors import InputError

    try:
        load(stage)
    except InputError as exc:
        fixed = [_at_list_row(p, projects, p.file.replace(str(stage), str(folder))) for p in exc.problems]
        raise InputError(fixed) from None


def _check_new_tables(meta: dict, tables: dict[str, pd.DataFrame]) -> None:
    """The tables of a new dataset pass every check of the loader (with a stand-in target, since
    the indicators are for the planner to fill in)."""
    from .data.dataset import from_tables
    from .errors import InputError

    stand_in = {
        "indicators": pd.DataFrame([{"indicator": "_", "target": 1.0}]),
        "contributions": pd.DataFrame(
            [{"project_id": tables["projects"]["id"].iloc[0], "indicator": "_", "value": 1.0}]
        ),
    }
    try:
        from_tables(meta, {**tables, **stand_in}, "--out")
    except InputError as exc:
        raise InputError([_at_list_row(p, tables["projects"], p.file) for p in exc.problems]) from None
