"""Which choices hold up when the numbers move: re-optimise under sampled overruns and delays.

Each sample draws, per project, a cost multiplier (lognormal) and a construction
delay (extra years, spending stretched over them) from the scenario's `uncertainty`
settings (defaults by category: rail and large works overrun and slip more), and
re-optimises. A project's core index is the share of samples in which it is chosen;
core (≥ 90%), borderline, exterior (≤ 10%). The same for a set of weight vectors
(`weights_from`), since planners seldom agree on weights.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.scenario import Scenario
from ..engine import Progress, run_solves
from ..errors import InputError, Problem
from ..results import Result

CORE, EXTERIOR = 0.9, 0.1


def _stretch(profile: np.ndarray, new_duration: int) -> np.ndarray:
    """Spread a spending profile over more years, keeping the shape of its cumulative curve."""
    d = len(profile)
    cum = np.concatenate([[0.0], np.cumsum(profile)])
    new_cum = np.interp(np.linspace(0, d, new_duration + 1), np.arange(d + 1), cum)
    return np.diff(new_cum)


def sample_dataset(ds: Dataset, sc: Scenario, rng: np.random.Generator) -> Dataset:
    """One draw of costs and durations; the dataset otherwise unchanged (already validated)."""
    unc = sc.uncertainty
    p = ds.projects.copy()
    y1 = (sc.horizon or ds.meta.horizon)[1]
    cat = p["category"] if "category" in p.columns else pd.Series([None] * len(p), index=p.index)
    factors, delays = [], []
    for (_, row), c in zip(p.iterrows(), cat):
        if row["status"] in ("committed", "mandatory") and not unc.fixed_projects:
            factors.append(1.0)
            delays.append(0)
            continue
        risk = unc.risk_for(c if isinstance(c, str) else None, float(row["cost"]))
        factors.append(float(rng.lognormal(np.log(risk.median), risk.sigma)) if risk.sigma > 0 else risk.median)
        delay = (
            int(rng.integers(1, risk.max_delay + 1)) if risk.max_delay and rng.random() < risk.delay_probability else 0
        )
        if row["status"] == "mandatory" and delay:
            # a landmark must still fit: slip it only as far as the horizon allows
            latest = row["latest_start"] if pd.notna(row["latest_start"]) else y1
            delay = max(
                0,
                min(
                    delay,
                    y1 - int(max(row["earliest_start"], (sc.horizon or ds.meta.horizon)[0])) - int(row["duration"]) + 1,
                ),
            )
            delay = delay if latest >= row["earliest_start"] else 0
        delays.append(delay)
    factors, delays = np.array(factors), np.array(delays)
    old_duration = p["duration"].to_numpy()
    p["cost"] = p["cost"].to_numpy(float) * factors
    p["duration"] = old_duration + delays
    # latest starts stay as planned: a slower build does not let a project start later
    cp = ds.cost_profiles
    rows = []
    f = dict(zip(p["id"], factors))
    dly = dict(zip(p["id"], delays))
    for pid, g in cp.groupby("project_id", sort=False):
        prof = g.sort_values("year_offset")
        full = np.zeros(int(prof["year_offset"].max()) + 1)
        full[prof["year_offset"].to_numpy(int)] = prof["cost"].to_numpy(float)
        d_old = int(p.loc[p["id"] == pid, "duration"].iloc[0]) - dly.get(pid, 0)
        full = np.pad(full, (0, max(0, d_old - len(full))))
        new = _stretch(full * f.get(pid, 1.0), d_old + dly.get(pid, 0))
        rows += [
            {"project_id": pid, "year_offset": k, "cost": v, "row_": r}
            for k, v, r in zip(range(len(new)), new, [int(prof["row_"].iloc[0])] * len(new))
        ]
    tables = dict(ds.tables)
    tables["projects"] = p
    if rows:
        tables["cost_profiles"] = pd.DataFrame(rows, columns=["project_id", "year_offset", "cost", "row_"])
    return replace(ds, tables=tables)


def _weight_vectors(ds: Dataset, path: str | Path) -> dict[str, pd.DataFrame]:
    """Long CSV: vector, indicator, scope (blank = ALL), weight; one indicators table per vector."""
    path = Path(path)
    try:
        w = pd.read_csv(path, encoding="utf-8-sig", dtype={"vector": str, "indicator": str, "scope": str})
    except (OSError, ValueError) as exc:
        raise InputError([Problem(str(path), None, None, f"cannot read weight vectors: {exc}")]) from None
    missing = [c for c in ("vector", "indicator", "weight") if c not in w.columns]
    if missing:
        raise InputError([Problem(str(path), 1, c, "required column is missing") for c in missing])
    w["scope"] = w["scope"].fillna("ALL") if "scope" in w.columns else "ALL"
    ind = ds.indicators
    known = set(zip(ind["indicator"], ind["scope"]))
    problems = [
        Problem(str(path), i + 2, "indicator", f"no target row ({r.indicator}, {r.scope}) in indicators")
        for i, r in enumerate(w.itertuples(index=False))
        if (r.indicator, r.scope) not in known
    ]
    bad = pd.to_numeric(w["weight"], errors="coerce")
    problems += [
        Problem(str(path), i + 2, "weight", f"must be a number ≥ 0, got {v!r}")
        for i, v in enumerate(w["weight"])
        if not (bad[i] >= 0)
    ]
    if problems:
        raise InputError(problems)
    out = {}
    for vec, g in w.groupby("vector", sort=False):
        table = ind.copy()
        new = dict(zip(zip(g["indicator"], g["scope"]), bad[g.index]))
        table["weight"] = [new.get(k, v) for k, v in zip(zip(table["indicator"], table["scope"]), table["weight"])]
        out[str(vec)] = table
    return out


def robustness(
    data: Dataset | str | Path,
    samples: int = 50,
    *,
    scenario: Any = None,
    weights_from: str | Path | None = None,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Core index, class and start-year shares per project over sampled futures (or weight vectors)."""
    ds = data if isinstance(data, Dataset) else load(data)
    sc = resolve_scenario(ds, scenario)
    sc = sc.with_updates(solver={**sc.solver.model_dump(), "tie_break": False})  # the choice, not its cost, is sampled
    if weights_from is not None:
        vectors = _weight_vectors(ds, weights_from)
        labels = list(vectors)
        jobs = [(replace(ds, tables={**ds.tables, "indicators": t}), sc) for t in vectors.values()]
    else:
        if samples < 1:
            raise InputError([Problem("--samples", None, "samples", "needs at least one sample")])
        rng = np.random.default_rng(sc.uncertainty.seed)
        labels = [f"sample {i + 1}" for i in range(samples)]
        jobs = [(sample_dataset(ds, sc, rng), sc) for _ in range(samples)]
    results = run_solves(
        jobs, executor=executor, scheduler=scheduler, workers=workers, progress=progress, desc="robustness"
    )
    return summarise(ds, sc, results, labels)


def summarise(ds: Dataset, sc: Scenario, results: list[Result], labels: list[str]) -> pd.DataFrame:
    y0, y1 = sc.horizon or ds.meta.horizon
    ok = [r for r in results if r.ok]
    p = ds.projects
    chosen = (
        np.array([r.portfolio.set_index("id").loc[p["id"], "selected"].to_numpy(bool) for r in ok])
        if ok
        else np.zeros((0, len(p)), bool)
    )
    starts = (
        np.array(
            [r.portfolio.set_index("id").loc[p["id"], "start"].astype("Float64").fillna(-1).to_numpy(float) for r in ok]
        )
        if ok
        else np.zeros((0, len(p)))
    )
    n = max(len(ok), 1)
    out = pd.DataFrame({"id": p["id"], "name": p["name"], "city": p["city"]})
    out["core_index"] = chosen.sum(axis=0) / n if ok else np.nan
    out["class"] = np.where(
        out["core_index"] >= CORE, "core", np.where(out["core_index"] <= EXTERIOR, "exterior", "borderline")
    )
    years = sorted({int(y) for y in np.unique(starts) if y >= 0} | set(range(y0, y1 + 1)))
    for y in years:
        out[f"start_{y}"] = (starts == y).sum(axis=0) / n if ok else np.nan
    out = out[["id", "core_index", "class", *[f"start_{y}" for y in years], "name", "city"]]
    out.attrs.update(samples=len(results), feasible=len(ok), labels=labels, scores=[r.objective for r in results])
    out.attrs.update(core=CORE, exterior=EXTERIOR)
    return out
