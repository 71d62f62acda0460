"""Near-optimal alternatives: the portfolios a planner can choose between, and what is settled.

Alternative 0 is the scenario's optimum. Each later one keeps the score at least
(1 − within) × the best and maximises the number of projects in which it differs from all
earlier alternatives taken together (a project counts where every earlier one made the same
choice and this one makes the other), differing from each earlier one in at least one
project; alternative 1's distance is therefore its Hamming distance from the optimum. The
search stops early when no further distinct portfolio exists within the bound. Committed and
mandatory projects stay as they are. `settled`: each candidate is `always` or `never` chosen
across the alternatives, or `open`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..engine import Progress, Session, starts_of, x_from_starts
from ..errors import InputError, Problem
from ..results import Result

SUMMARY = ["alternative", "objective", "attainment_index", "differs_from_best"]


class NoBase(RuntimeError):
    """The scenario itself has no portfolio: there is nothing to find alternatives to."""

    def __init__(self, result: Result):
        self.result = result
        super().__init__(f"the scenario has no portfolio ({result.status}): {result.message or 'no details'}")


def alternatives(
    data: Dataset | str | Path,
    scenario: Any = None,
    within: float = 0.01,
    count: int = 5,
    *,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> dict[str, pd.DataFrame]:
    """Tables `alternatives` (alternative, id, selected, start), `summary` (SUMMARY, spend_<city>,
    attainment_<city>, total_cost), `settled` (id, in_count, class) and `projects` (the
    candidates' id, name, city, task, for figures); attrs: found, asked, within, floor,
    stopped (why the search ended before `count`, or "")."""
    if not 0 <= within < 1:
        raise InputError([Problem("--within", None, "within", f"must be at least 0 and below 1, got {within}")])
    if count < 0:
        raise InputError([Problem("--count", None, "count", f"must be 0 or more, got {count}")])
    ds = data if isinstance(data, Dataset) else load(data)
    sc = resolve_scenario(ds, scenario)
    solver = {**sc.solver.model_dump(), "decompose": False}  # the distance spans every city
    if time_limit is not None:
        solver["time_limit"] = time_limit
    sc = sc.with_updates(solver=solver)
    session = Session(ds, sc)
    best = session.solve()
    if not best.ok:
        raise NoBase(best)
    floor = best.objective - within * abs(best.objective) - 1e-9 * max(1.0, abs(best.objective))
    cand = session.candidates()
    found, chosen = [best], [set(starts_of(best)) & set(cand)]
    stopped = ""
    if progress is not None and callable(progress):
        progress(0, count, "alternatives")
    for k in range(1, count + 1):
        prefer = {}
        for p in cand:
            ins = sum(p in c for c in chosen)
            prefer[p] = -1 if ins == len(chosen) else (1 if ins == 0 else 0)
        warm = x_from_starts(session.inst, starts_of(found[-1]))
        res, _ = session.near_optimal(floor, prefer, chosen, warm)
        if res is None:
            stopped = f"no further portfolio within {100 * within:g}% of the best differs from the {len(found)} found"
            break
        found.append(res)
        chosen.append(set(starts_of(res)) & set(cand))
        if progress is not None and callable(progress):
            progress(k, count, "alternatives")
    return _tables(ds, found, cand, within, floor, count, stopped)


def _tables(
    ds: Dataset, found: list[Result], cand: list[str], within, floor, count, stopped
) -> dict[str, pd.DataFrame]:
    rows = []
    for k, res in enumerate(found):
        p = res.portfolio
        rows += [(k, i, bool(s), None if pd.isna(t) else int(t)) for i, s, t in zip(p["id"], p["selected"], p["start"])]
    alts = pd.DataFrame(rows, columns=["alternative", "id", "selected", "start"]).astype({"start": "Int64"})
    base = dict(zip(found[0].portfolio["id"], found[0].portfolio["selected"]))
    summary = []
    for k, res in enumerate(found):
        sel = dict(zip(res.portfolio["id"], res.portfolio["selected"]))
        row: dict[str, Any] = {
            "alternative": k,
            "objective": res.objective,
            "attainment_index": res.attainment_index,
            "differs_from_best": sum(bool(sel[i]) != bool(base[i]) for i in base),
        }
        cities = res.cities.set_index("city")
        for c in ds.cities:
            row[f"spend_{c}"] = cities.at[c, "spend"] if c in cities.index else None
        for c in ds.cities:
            row[f"attainment_{c}"] = cities.at[c, "attainment"] if c in cities.index else None
        row["total_cost"] = res.total_cost
        summary.append(row)
    summary = pd.DataFrame(summary)
    sel = alts[alts["id"].isin(cand)].groupby("id", sort=True)["selected"].sum().astype(int)
    n = len(found)
    settled = pd.DataFrame({"id": sel.index, "in_count": sel.to_numpy()})
    settled["class"] = ["always" if v == n else "never" if v == 0 else "open" for v in settled["in_count"]]
    p = ds.projects
    projects = p[p["id"].isin(cand)][["id", "name", "city", "task"]]
    order = projects["city"].map({c: i for i, c in enumerate(ds.cities)})  # cities as the dataset lists them
    projects = projects.assign(_o=order).sort_values(["_o", "id"], kind="stable").drop(columns="_o")
    projects = projects.reset_index(drop=True)
    out = {"alternatives": alts, "summary": summary, "settled": settled, "projects": projects}
    meta = dict(found=n, asked=count + 1, within=within, floor=floor, stopped=stopped, dataset=ds.name)
    for t in out.values():
        t.attrs.update(meta)
    return out
