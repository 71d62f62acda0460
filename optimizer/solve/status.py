"""The solver's vocabulary, shared by every layer above it: Status and the frozen SolveOutcome.

As linopy keeps its status enums in one small constants module, so here: results, analyses
and faces compare against Status without importing anything that talks to HiGHS.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

import numpy as np


class Status(str, enum.Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SolveOutcome:
    """What one solve found: status, the chosen starts, score, bound and gap, and its cost in time."""

    status: Status
    x: np.ndarray | None = None  # 0/1 per row of inst.starts
    objective: float | None = None  # solver's score at the incumbent (results/assemble.py recomputes it exactly)
    bound: float | None = None
    mip_gap: float | None = None
    load_seconds: float = 0.0
    solve_seconds: float = 0.0
    tie_break: str = "off"
    termination: str = ""
    infeasible_rows: tuple[str, ...] = ()
    nodes: int | None = None
    size: dict = field(default_factory=dict)
    #: model building done during the solve (per-block models), to be counted as building
    build_seconds: float = 0.0
    #: of solve_seconds, the cost tie-break's (stage 2)
    tie_seconds: float = 0.0
    #: how the model was solved: "whole model", "city blocks" or "linked blocks" (solve/strategy.py)
    strategy: str = ""


#: Differences below this (relative to the bound) are the solver's floating-point noise
#: (HiGHS's feasibility tolerance is 1e-7), not a gap in the proof.
NOISE = 1e-7


def relative_gap(obj: float, bound: float) -> float:
    diff = max(0.0, bound - obj)
    if diff <= NOISE * max(1.0, abs(bound)):
        return 0.0
    return diff / max(abs(obj), 1e-10) if obj != 0 else math.inf
