"""Compare scenarios: one row per scenario, city by city, and the projects that change."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.scenario import Scenario
from ..errors import InputError, Problem
from ..result import Result, write_folder
from .runner import run_solves


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


def comparison_table(names: list[str], results: list[Result], datasets: list[Dataset]) -> pd.DataFrame:
    cities: list[str] = []
    for ds in datasets:
        cities += [c for c in ds.cities if c not in cities]
    rows = []
    for name, res in zip(names, results):
        row: dict[str, Any] = {
            "scenario": name,
            "status": str(res.status),
            "mip_gap": res.mip_gap,
            "objective": res.objective,
            "attainment_index": res.attainment_index,
        }
        by_city = res.cities.set_index("city") if not res.cities.empty else pd.DataFrame()
        for kind, col in (("attainment", "attainment"), ("spend", "spend"), ("projects", "projects")):
            for c in cities:
                ok = res.ok and c in by_city.index
                row[f"{kind}_{c}"] = by_city.at[c, col] if ok else None
        rows.append(row)
    return pd.DataFrame(rows)


def changes_table(names: list[str], results: list[Result]) -> pd.DataFrame:
    """Projects whose selection or start differs from the first scenario's."""
    cols = ["scenario", "id", "name", "city", "base", "base_selected", "base_start", "selected", "start"]
    if not results or not results[0].ok:
        return pd.DataFrame(columns=cols)
    ref = results[0].portfolio.set_index("id")
    out = []
    for name, res in zip(names[1:], results[1:]):
        if not res.ok:
            continue
        p = res.portfolio.set_index("id")
        common = ref.index.intersection(p.index)
        a, b = ref.loc[common], p.loc[common]
        differs = (a["selected"] != b["selected"]) | (a["start"].fillna(-1) != b["start"].fillna(-1))
        for pid in common[differs.to_numpy()]:
            out.append(
                {
                    "scenario": name,
                    "id": pid,
                    "name": p.at[pid, "name"],
                    "city": p.at[pid, "city"],
                    "base": names[0],
                    "base_selected": bool(a.at[pid, "selected"]),
                    "base_start": a.at[pid, "start"],
                    "selected": bool(b.at[pid, "selected"]),
                    "start": b.at[pid, "start"],
                }
            )
    df = pd.DataFrame(out, columns=cols)
    for c in ("base_start", "start"):
        df[c] = df[c].astype("Int64")
    return df


def compare(
    scenarios: list[Any],
    data: Dataset | str | Path | None = None,
    *,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: bool | None = None,
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
    table = comparison_table(names, results, [ds for ds, _ in jobs])
    table.attrs["changes"] = changes_table(names, results)
    return table


def _cell(column: str, v) -> str:
    if v is None or pd.isna(v):
        return "-"
    if column == "mip_gap":
        return f"{100 * v:.3f}%"
    if column == "objective":
        return f"{v:.4f}"
    if column.startswith(("attainment", "spend")):
        return f"{v:,.1f}"
    return str(v)


def _print_table(table: pd.DataFrame, out=sys.stdout) -> None:
    show = table.copy().astype(object)
    for c in show.columns:
        show[c] = [_cell(c, v) for v in table[c]]
    out.write(show.to_string(index=False) + "\n")


def main(args) -> int:
    table = compare(
        args.scenarios,
        executor=args.executor,
        scheduler=args.scheduler,
        workers=args.workers,
        progress=args.progress,
        time_limit=args.time_limit,
    )
    _print_table(table)
    changes = table.attrs["changes"]
    if len(table) > 1:
        print(f"\n{len(changes)} project changes against '{table['scenario'].iloc[0]}'")
    if args.out:
        write_folder(args.out, {"comparison.csv": table, "changes.csv": changes})
        print(f"written to {args.out}")
    return 0
