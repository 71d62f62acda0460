"""The efficient frontier of score and attainment against the level of one resource.

One model is built and re-solved with the chosen limit rows scaled (on top of the
scenario's own scaling), each point warm-started from the base portfolio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.funding import canonical_source
from ..engine import Change, Progress, Session, run_changes, starts_of
from ..errors import InputError, Problem


def parse_scales(text: str) -> list[float]:
    """'0.5:1.5:0.1' (inclusive) or '0.8,1,1.2'."""
    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if step <= 0 or stop < start:
                raise ValueError
            n = int(np.floor((stop - start) / step + 1e-9)) + 1
            values = [round(start + i * step, 10) for i in range(n)]
        else:
            values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(
            [Problem("--scales", None, "scales", f"expected start:stop:step or a comma list, got {text!r}")]
        ) from None
    if not values or min(values) < 0:
        raise InputError([Problem("--scales", None, "scales", "scales must be non-negative numbers")])
    return sorted(set(values))


def frontier(
    data: Dataset | str | Path,
    resource: str = "budget",
    scales: list[float] | str = "0.5:1.5:0.1",
    *,
    scope: str | None = None,
    scenario: Any = None,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> pd.DataFrame:
    """Score and attainment index at each scale of a resource's limits.

    Columns: scale, limit (sum of the scaled rows), status, objective, attainment_index,
    marginal (score per unit of limit between neighbouring points), gap.
    """
    ds = data if isinstance(data, Dataset) else load(data)
    sc = resolve_scenario(ds, scenario)
    if time_limit is not None:
        sc = sc.with_updates(solver={**sc.solver.model_dump(), "time_limit": time_limit})
    if isinstance(scales, str):
        scales = parse_scales(scales)
    resource = canonical_source(resource)  # a payer by its planners' name: 专项债 is special_bond
    if resource not in ds.resources:
        raise InputError(
            [
                Problem(
                    "--resource", None, "resource", f"unknown resource '{resource}' (known: {', '.join(ds.resources)})"
                )
            ]
        )
    session = Session(ds, sc)
    if scope is not None and scope != "ALL" and scope not in ds.cities:
        raise InputError([Problem("--scope", None, "scope", f"unknown scope '{scope}' (ALL or a city)")])
    rows = session.scaled(resource, 1.0, scope)
    if not rows:
        where = f" of scope {scope}" if scope else ""
        raise InputError(
            [Problem(ds.labels["limits"], None, "resource", f"no '{resource}' limit rows{where} to scale")]
        )
    base = session.run(Change(label="base"))
    warm = starts_of(base) if base.ok else None
    changes = [Change(label=f"{f:g}", limits=session.scaled(resource, f, scope), tag=f) for f in scales]
    results = run_changes(
        ds,
        sc,
        changes,
        warm=warm,
        executor=executor,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        desc=f"{resource} frontier",
        session=session,
    )
    total = sum(rows.values())
    out = pd.DataFrame(
        {
            "scale": scales,
            "limit": [total * f for f in scales],
            "status": [str(r.status) for r in results],
            "objective": [r.objective for r in results],
            "attainment_index": [r.attainment_index for r in results],
            "gap": [r.mip_gap for r in results],
        }
    )
    obj = pd.to_numeric(out["objective"], errors="coerce")
    out["marginal"] = obj.diff() / out["limit"].diff()
    out = out[["scale", "limit", "status", "objective", "attainment_index", "marginal", "gap"]]
    out.attrs.update(
        resource=resource, scope=scope or "every scope", unit=ds.resources[resource].unit or "", dataset=ds.name
    )
    return out
