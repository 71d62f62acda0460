"""Project portfolio optimizer: choose and schedule projects under budget, land and energy limits.

import optimizer
ds = optimizer.load("inputs/hangzhou_2027")
res = optimizer.solve(ds, {"partial_credit": 0.5})
"""

from .api import solve
from .data.dataset import Dataset, from_tables, load
from .data.scenario import Scenario
from .data.writer import write_dataset
from .errors import InputError, Problem
from .result import Result
from .solve import Status

__version__ = "0.1.0"
__all__ = [
    "Dataset",
    "InputError",
    "Problem",
    "Result",
    "Scenario",
    "Status",
    "from_tables",
    "load",
    "solve",
    "write_dataset",
]
