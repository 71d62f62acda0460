"""LP duals of the limit rows with every start fixed: what a textbook would price a limit at.

HiGHS gives no duals for a MIP, so a copy of the model is built with each start variable
fixed at a portfolio and made continuous, and the remaining LP is solved. With all choices
fixed a limit row has a price only where it binds a continuous variable (almost never);
the trade-off tables report these beside the re-solved marginal values, labelled as such.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.core as pyo
from pyomo.contrib.solver.solvers.highs import Highs

from ..data.instance import HORIZON, Instance
from ..model.build import build_model
from ..model.constraints import resource_component


def fixed_duals(inst: Instance, x: np.ndarray) -> tuple[dict[tuple[str, str, Any], float], str]:
    """({(resource, scope, year or None): dual}, note) with the starts fixed at `x` (0/1 per row
    of inst.starts); the note says why there are none if the LP could not be solved."""
    m = build_model(inst)
    for v, on in zip(m._x, x):
        v.fix(1.0 if on else 0.0)
        v.domain = pyo.Reals
    try:
        res = Highs().solve(m, load_solutions=False, raise_exception_on_nonoptimal_result=False)
        duals = res.solution_loader.get_duals()
    except Exception as exc:  # duals are a side column: say why they are missing, keep the rest
        return {}, f"no duals: {type(exc).__name__}: {exc}"
    out = {}
    for resource in inst.dataset.resources:
        comp = resource_component(m, resource)
        if isinstance(comp, pyo.Constraint):
            for (scope, year), con in comp.items():
                out[(resource, scope, None if year == HORIZON else int(year))] = float(duals.get(con, 0.0))
    return out, ""
