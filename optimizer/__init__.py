"""Project portfolio optimizer: choose and schedule projects under budget, land and energy limits.

import optimizer
ds = optimizer.load("inputs/hangzhou_2027")
res = optimizer.solve(ds, {"partial_credit": 0.5})
"""

from .api import solve
from .data.dataset import Dataset, from_tables, load
from .data.scenario import Scenario
from .data.writer import write_dataset
from .errors import InfeasibleError, InputError, NoSolutionError, Problem
from .result import Result
from .solve import Status

__version__ = "0.1.0"


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
