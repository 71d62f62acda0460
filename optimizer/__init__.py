"""Project portfolio optimizer: choose and schedule projects under budget, land and energy limits.

import optimizer
ds = optimizer.load("inputs/hangzhou_2027")
res = optimizer.solve(ds, {"partial_credit": 0.5})
"""

import sys as _sys
import types as _types

from .version import __version__  # noqa: F401 (optimizer.__version__)

# Names are imported on first use (PEP 562), so that `import optimizer` -- and the `portfolio`
# command, which starts by importing it -- costs nothing until pandas, Pyomo and HiGHS are
# needed: the command line can then catch a Ctrl-C pressed while they load.
_LAZY = {
    "solve": "api",
    "alternatives": "api",
    "compare": "api",
    "explain": "api",
    "frontier": "api",
    "robustness": "api",
    "tradeoffs": "api",
    "Change": "engine",
    "Session": "engine",
    "Dataset": "data.dataset",
    "from_tables": "data.dataset",
    "load": "data.dataset",
    "Scenario": "data.scenario",
    "write_dataset": "data.writer",
    "InfeasibleError": "errors",
    "InputError": "errors",
    "NoSolutionError": "errors",
    "Problem": "errors",
    "Result": "results",
    "Status": "solve",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'optimizer' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(_types.ModuleType):
    """`optimizer.solve` is the function of the README; importing the subpackage of the same name
    (optimizer/solve/, the solver layer) must not rebind it, as Python's import would do."""

    def __setattr__(self, name: str, value) -> None:
        if name == "solve" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


__all__ = [
    "Change",
    "Dataset",
    "InfeasibleError",
    "InputError",
    "NoSolutionError",
    "Problem",
    "Result",
    "Scenario",
    "Session",
    "Status",
    "alternatives",
    "compare",
    "explain",
    "from_tables",
    "frontier",
    "load",
    "robustness",
    "solve",
    "tradeoffs",
    "write_dataset",
]
