"""What the workbench's JSON says: the served dataset, and an answer against the baseline."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..engine.workbench import Workbench
from ..errors import InputError
from ..results import Result, changes_table


def jsonable(value: Any) -> Any:
    """Plain JSON: NaN, NA and infinities as null, numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return jsonable(value.astype(object).to_dict("records"))
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def problems_json(exc: InputError) -> list[dict[str, Any]]:
    """422 details in FastAPI's shape (loc, msg) with the file, row and column of each problem."""
    out = []
    for p in exc.problems:
        loc = ["body", p.column] if p.file == "request" and p.column else [p.file, p.row, p.column]
        out.append(
            {
                "loc": [x for x in loc if x is not None],
                "msg": p.message,
                "file": p.file,
                "row": p.row,
                "column": p.column,
            }
        )
    return out


def state(wb: Workbench, lang: str, time_limit: float | None) -> dict[str, Any]:
    ds = wb.dataset
    p = ds.projects
    limited = set(ds.limits["resource"])
    projects = [
        {"id": r.id, "name": r.name, "city": r.city, "task": r.task, "status": r.status, "cost": r.cost}
        for r in p[["id", "name", "city", "task", "status", "cost"]].itertuples(index=False)
    ]
    return {
        "dataset": {
            "name": ds.name,
            "cities": list(ds.cities),
            "tasks": list(ds.meta.tasks or []),
            # a payer gets sliders where the dataset limits it (its quota is a lever like budget)
            "resources": [
                {"name": k, "unit": v.unit or "", "source": k in ds.sources, "limited": k in limited}
                for k, v in ds.resources.items()
            ],
            "money": ds.meta.units.get("money", ""),
        },
        "scenario": wb.scenario.settings(),
        "projects": projects,
        "lang": lang,
        "time_limit": time_limit,
        "baseline": answer(wb.baseline, wb.baseline, 0.0),
    }


def answer(res: Result, baseline: Result, seconds: float) -> dict[str, Any]:
    """summary.json's keys, `portfolio` [{id, selected, start}], and for the page: the schedule,
    the cities beside the baseline's, and the projects that changed against the baseline."""
    out = res.summary()
    p = res.portfolio
    out["portfolio"] = [
        {"id": i, "selected": bool(s), "start": None if pd.isna(t) else int(t)}
        for i, s, t in zip(p["id"], p["selected"], p["start"])
    ]
    chosen = p[p["selected"]] if not p.empty else p
    out["schedule"] = [
        {"id": r.id, "name": r.name, "city": r.city, "start": int(r.start), "finish": int(r.finish)}
        for r in chosen.itertuples(index=False)
    ]
    base = baseline.cities.set_index("city") if not baseline.cities.empty else pd.DataFrame()
    out["cities"] = [
        {
            **row,
            "baseline_attainment": base.at[row["city"], "attainment"] if row["city"] in base.index else None,
            "baseline_spend": base.at[row["city"], "spend"] if row["city"] in base.index else None,
        }
        for row in (res.cities.to_dict("records") if not res.cities.empty else [])
    ]
    out["changes"] = _changes(res, baseline)
    out["baseline_objective"] = baseline.objective
    if res.infeasibility is not None:
        out["infeasibility"] = res.infeasibility
    out["seconds"] = seconds
    return out


def _changes(res: Result, baseline: Result) -> list[dict[str, Any]]:
    if not (res.ok and baseline.ok):
        return []
    ch = changes_table(["baseline", "this"], [baseline, res])
    rows = []
    for r in ch.itertuples(index=False):
        kind = "added" if r.selected and not r.base_selected else "dropped" if not r.selected else "moved"
        rows.append(
            {"id": r.id, "name": r.name, "city": r.city, "change": kind, "base_start": r.base_start, "start": r.start}
        )
    return rows
