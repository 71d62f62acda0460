"""Project portfolio optimizer: choose and schedule projects under budget, land and energy limits.

import optimizer
ds = optimizer.load("inputs/hangzhou_2027")
res = optimizer.solve(ds, {"partial_credit": 0.5})
"""

import sys as _sys
import types as _types

__version__ = "0.1.0"

# Names are imported on first use (PEP 562), so that `import optimizer` -- and the `portfolio`
# command, which starts by importing it -- costs nothing until pandas, Pyomo and HiGHS are
# needed: the command line can then catch a Ctrl-C pressed while they load.
_LAZY = {
    "solve": "api",
    "Dataset": "data.dataset",
    "from_tables": "data.dataset",
    "load": "data.dataset",
    "Scenario": "data.scenario",
    "write_dataset": "data.writer",
    "InfeasibleError": "errors",
    "InputError": "errors",
    "NoSolutionError": "errors",
    "Problem": "errors",
    "Result": "result",
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
    """`optimizer.solve` is the function of the README; importing the submodule of the same name
    (optimizer/solve.py) must not rebind it, as Python's import would do."""

    def __setattr__(self, name: str, value) -> None:
        if name == "solve" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


def compare(*args, **kwargs):
    """Run several scenarios; one row per scenario (see optimizer.analysis.compare.compare)."""
    from .analysis.compare import compare as _compare

    return _compare(*args, **kwargs)


def frontier(*args, **kwargs):
    """Score and attainment against the level of one resource (optimizer.analysis.frontier.frontier)."""
    from .analysis.frontier import frontier as _frontier

    return _frontier(*args, **kwargs)


def tradeoffs(*args, **kwargs):
    """Per-city shares, price of balance rules, marginal values, Pareto fronts (optimizer.analysis.tradeoffs)."""
    from .analysis.tradeoffs import tradeoffs as _tradeoffs

    return _tradeoffs(*args, **kwargs)


def robustness(*args, **kwargs):
    """Core index of each project over sampled overruns and delays (optimizer.analysis.robustness)."""
    from .analysis.robustness import robustness as _robustness

    return _robustness(*args, **kwargs)


def explain(*args, **kwargs):
    """Why each project is in or out, in plain sentences (optimizer.analysis.explain.explain)."""
    from .analysis.explain import explain as _explain

    return _explain(*args, **kwargs)


__all__ = [
    "Dataset",
    "InfeasibleError",
    "InputError",
    "NoSolutionError",
    "Problem",
    "Result",
    "Scenario",
    "Status",
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
