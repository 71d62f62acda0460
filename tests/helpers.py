"""Small builders for hand-worked test datasets."""

from __future__ import annotations

import contextlib
from unittest import mock

import pandas as pd

import optimizer

#: Settings for tests that assert a proof (status optimal, an exact score, the cheapest of
#: the best portfolios): no time limit, so a slow or busy machine makes them slower, never wrong.
EXACT = {"solver": {"mip_gap": 0, "threads": 1, "time_limit": None}}

#: Seconds for the few places that need a number where a test needs a proof (the CLI's
#: --time-limit, the cost tie-break's floor below): far beyond any solve in these tests.
GENEROUS_SECONDS = 3600.0


@contextlib.contextmanager
def untimed_tie_break():
    """Let the cost tie-break run until it is proven, however slow the machine.

    Even with time_limit None the tie-break gets only max(TIE_MIN_SECONDS, stage-1 time)
    (optimizer/solve.py; model/decompose.py splits that among city blocks), so a busy
    machine turns "proven" into "improved, not proven (time limit)" and the cheapest
    portfolio into some other one. Raising the floor removes that clock; a proven
    tie-break ends as soon as it is proven, so nothing gets slower. (patch.object fails
    loudly if the constant is renamed.)
    """
    import optimizer.model.decompose
    import optimizer.solve

    with (
        mock.patch.object(optimizer.solve, "TIE_MIN_SECONDS", GENEROUS_SECONDS),
        mock.patch.object(optimizer.model.decompose, "TIE_MIN_SECONDS", GENEROUS_SECONDS),
    ):
        yield


#: The same in a fresh interpreter: `python -c UNTIMED_CLI args...` is `portfolio args...`
#: with the tie-break's floor raised as above.
UNTIMED_CLI = (
    "import sys, optimizer.solve, optimizer.model.decompose as d; "
    f"optimizer.solve.TIE_MIN_SECONDS = d.TIE_MIN_SECONDS = {GENEROUS_SECONDS!r}; "
    "from optimizer.cli import console; console()"
)


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
    """Solve to a proof (EXACT, no clock on either stage)."""
    sc = {**EXACT, **scenario}
    with untimed_tie_break():
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
