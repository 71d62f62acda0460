"""Small builders for hand-worked test datasets."""

from __future__ import annotations

import pandas as pd

import optimizer

EXACT = {"solver": {"mip_gap": 0, "threads": 1, "time_limit": 30}}


def project(id, **kw):
    row = {"id": id, "name": f"name {id}", "city": "A", "duration": 1, "earliest_start": 2024, "cost": 1.0}
    row.update(kw)
    return row


def tables(projects, contributions=(), indicators=(), limits=(), dependencies=(), project_cities=(), cost_profiles=()):
    out = {
        "projects": pd.DataFrame(list(projects)),
        "contributions": pd.DataFrame(list(contributions), columns=["project_id", "indicator", "value"]),
        "indicators": pd.DataFrame(list(indicators)),
    }
    for name, rows in (
        ("limits", limits),
        ("dependencies", dependencies),
        ("project_cities", project_cities),
        ("cost_profiles", cost_profiles),
    ):
        if rows:
            out[name] = pd.DataFrame(list(rows))
    return out


def meta(cities=("A", "B"), horizon=(2024, 2027), target_year=2027, **kw):
    return {"name": "test", "cities": list(cities), "horizon": list(horizon), "target_year": target_year, **kw}


def dataset(*args, meta_kw=None, **kw):
    return optimizer.from_tables(meta(**(meta_kw or {})), tables(*args, **kw))


def solve(ds, **scenario):
    sc = {**EXACT, **scenario}
    return optimizer.solve(ds, sc)


def chosen(res) -> dict[str, int]:
    p = res.portfolio
    return {r.id: int(r.start) for r in p[p["selected"]].itertuples()}


def cli(*args, timeout: float = 300, **kw):
    """Run the `portfolio` command as a user would (a fresh interpreter), capturing its output."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "optimizer", *map(str, args)], capture_output=True, text=True, timeout=timeout, **kw
    )
