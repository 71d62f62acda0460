"""solve/: the only code that talks to HiGHS (through highspy and Pyomo's persistent interface).

- status.py   Status and the frozen SolveOutcome (imported by every layer above);
- highs.py    one model in one persistent HiGHS instance: stage 1 (score) and the cost tie-break;
- blocks.py   the city decomposition: independent blocks taking turns on the cores;
- links.py    blocks joined by a few dependencies and exclusive groups, searched over those links;
- strategy.py load(inst): one model, city blocks or linked blocks, solved and re-solved the same way;
- change.py   a Change (limits, forced projects, dropped rows, weights, city floors) applied and undone;
- elastic.py  the elastic model that says why a scenario is infeasible;
- duals.py    LP duals with every start fixed;
- alternatives.py  a score floor and a distance objective on the loaded model (MGA / SPORES).

Imports data/ and model/, nothing above. The names below load their module on first use, so
that results and reports, which need only Status, do not load Pyomo and HiGHS with it.
"""

from __future__ import annotations

import importlib

from .status import SolveOutcome, Status, relative_gap

_LAZY = {
    "Change": "change",
    "LimitKey": "change",
    "with_limits": "change",
    "fixed_duals": "duals",
    "diagnose": "elastic",
    "ModelSolver": "highs",
    "CityBlocks": "strategy",
    "LinkedBlocks": "strategy",
    "Loaded": "strategy",
    "WholeModel": "strategy",
    "load": "strategy",
    "not_forcible": "strategy",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Change",
    "CityBlocks",
    "LimitKey",
    "LinkedBlocks",
    "Loaded",
    "ModelSolver",
    "SolveOutcome",
    "Status",
    "WholeModel",
    "diagnose",
    "fixed_duals",
    "load",
    "not_forcible",
    "relative_gap",
    "with_limits",
]
