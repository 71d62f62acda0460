"""engine/: the one object every face and analysis solves through, and the runner of many runs.

- session.py  Session: a dataset and scenario built once; solve() and solve(change);
- runner.py   many Changes (or whole scenarios) serially, in local processes or on Dask.

Imports data/, solve/ and results/; never analysis, report or a face.
"""

from ..solve import Change
from .runner import EXECUTORS, Progress, run_changes, run_solves
from .session import Session, base_result, starts_of, x_from_starts

__all__ = [
    "EXECUTORS",
    "Change",
    "Progress",
    "Session",
    "base_result",
    "run_changes",
    "run_solves",
    "starts_of",
    "x_from_starts",
]
