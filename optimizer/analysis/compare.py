"""Compare scenarios: run each, then one row per scenario, city by city, and the projects that change
(the tables themselves are results.tables: the HTML report and the workbook label the same ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.scenario import Scenario
from ..engine import Progress, run_solves
from ..errors import InputError, Problem
from ..results import changes_table, comparison_table


def _jobs(scenarios: list[Any], data: Dataset | str | Path | None) -> tuple[list[str], list[tuple[Dataset, Scenario]]]:
    base = load(data) if isinstance(data, (str, Path)) else data
    names, jobs = [], []
    for item in scenarios:
        if isinstance(item, (str, Path)) and Path(item).suffix.lower() in (".yaml", ".yml") and base is None:
            ds = load(item)  # a scenario file names its own dataset
            sc = ds.scenario
            name = sc.name if sc.name != "default" else Path(item).stem
        else:
            if base is None:
                raise InputError(
                    [Problem("<compare>", None, "data", "scenarios given as settings need a dataset (data=...)")]
                )
            sc = resolve_scenario(base, item)
            ds = base
            name = (
                sc.name
                if sc.name != "default"
                else (Path(item).stem if isinstance(item, (str, Path)) else f"scenario {len(names) + 1}")
            )
        while name in names:  # two scenarios with one name: keep both, tell them apart
            name = f"{name}'"
        names.append(name)
        jobs.append((ds, sc))
    return names, jobs


def compare(
    scenarios: list[Any],
    data: Dataset | str | Path | None = None,
    *,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> pd.DataFrame:
    """Run each scenario and return the comparison table (one row per scenario).

    `scenarios`: scenario .yaml paths (each naming its dataset), or, with `data`, dicts /
    Scenario objects / paths applied to that dataset. The projects that change against
    the first scenario are in `table.attrs["changes"]`.
    """
    names, jobs = _jobs(list(scenarios), data)
    if time_limit is not None:
        jobs = [(ds, sc.with_updates(solver={**sc.solver.model_dump(), "time_limit": time_limit})) for ds, sc in jobs]
    results = run_solves(
        jobs, executor=executor, scheduler=scheduler, workers=workers, progress=progress, desc="scenarios"
    )
    table = comparison_table(names, results)
    table.attrs["changes"] = changes_table(names, results)
    return table
