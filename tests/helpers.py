"""Small builders for hand-worked test datasets."""

from __future__ import annotations

import contextlib
import importlib
from unittest import mock

import pandas as pd

import optimizer

#: Settings for tests that assert a proof (status optimal, an exact score, the cheapest of
#: the best portfolios): no time limit, so a slow or busy machine makes them slower, never wrong.
EXACT = {"solver": {"mip_gap": 0, "threads": 1, "time_limit": None}}

#: Seconds for the few places that need a number where a test needs a proof (the CLI's
#: --time-limit, the cost tie-break's floor below): far beyond any solve in these tests.
GENEROUS_SECONDS = 3600.0

#: where the cost tie-break's floor TIE_MIN_SECONDS is read (solve.highs.tie_seconds, used by blocks too)
TIE_FLOOR_MODULES = ("optimizer.solve.highs",)


@contextlib.contextmanager
def untimed_tie_break():
    """Let the cost tie-break run until it is proven, however slow the machine.

    Under a time limit the tie-break gets only max(TIE_MIN_SECONDS, a tenth of stage 1's time)
    (optimizer/solve/highs.py; solve/blocks.py splits that among city blocks), so a busy
    machine turns "proven" into "... not proven (time limit)" and the cheapest
    portfolio into some other one. Raising the floor removes that clock; a proven
    tie-break ends as soon as it is proven, so nothing gets slower. (patch.object fails
    loudly if the constant is renamed.)
    """
    with contextlib.ExitStack() as stack:
        for name in TIE_FLOOR_MODULES:  # the modules, not optimizer.solve (the function)
            stack.enter_context(mock.patch.object(importlib.import_module(name), "TIE_MIN_SECONDS", GENEROUS_SECONDS))
        yield


#: The same in a fresh interpreter: `python -c UNTIMED_CLI args...` is `portfolio args...`
#: with the tie-break's floor raised as above (see cli(untimed=True)).
UNTIMED_CLI = (
    "import importlib\n"
    f"for name in {TIE_FLOOR_MODULES!r}:\n"
    "    module = importlib.import_module(name)\n"
    "    assert hasattr(module, 'TIE_MIN_SECONDS'), name\n"
    f"    module.TIE_MIN_SECONDS = {GENEROUS_SECONDS!r}\n"
    "from optimizer.cli import console\n"
    "console()\n"
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


def without_time_limit(ds):
    """A loaded dataset's own scenario (e.g. models/*.yaml, time_limit 60) with no time limit,
    for a test that asserts its proof."""
    sc = ds.scenario
    return sc.with_updates(solver={**sc.solver.model_dump(), "time_limit": None})


def untimed_copy(scenario_yaml, folder):
    """A copy of a scenario .yaml in `folder`, with no time limit and its data path made
    absolute, for scripts that take a scenario path (examples/) and must reach a proof."""
    from pathlib import Path

    import yaml

    src = Path(scenario_yaml).resolve()
    doc = yaml.safe_load(src.read_text(encoding="utf-8"))
    doc["data"] = str((src.parent / doc["data"]).resolve())
    doc["solver"] = {**doc.get("solver", {}), "time_limit": None}
    out = Path(folder) / src.name
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def chosen(res) -> dict[str, int]:
    p = res.portfolio
    return {r.id: int(r.start) for r in p[p["selected"]].itertuples()}


def cli(*args, timeout: float = 300, untimed: bool = False, **kw):
    """Run the `portfolio` command as a user would (a fresh interpreter), capturing its output.

    `timeout` only guards against a hang (the runs here take seconds). `untimed`: the cost
    tie-break runs until proven (UNTIMED_CLI), for a test that needs its exact answer; pass
    --time-limit GENEROUS_SECONDS too if stage 1 must be proven.
    """
    import subprocess
    import sys

    command = ["-c", UNTIMED_CLI] if untimed else ["-m", "optimizer"]
    return subprocess.run(
        [sys.executable, *command, *map(str, args)], capture_output=True, text=True, timeout=timeout, **kw
    )
