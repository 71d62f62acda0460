"""The Python API: load a dataset, solve it, get a Result."""

from __future__ import annotations

import time
from pathlib import Path

from .data.dataset import Dataset, resolve_scenario
from .data.instance import build_instance
from .data.scenario import Scenario
from .result import Result, assemble


def solve(dataset: Dataset | str | Path, scenario: Scenario | dict | str | Path | None = None) -> Result:
    """Choose and schedule projects: maximise the score of MODEL.md, then minimise total cost.

    `dataset` is a Dataset (or a path for `load`); `scenario` a Scenario, a dict of
    DATA.md's scenario keys, a YAML path, or None for the dataset's own scenario.
    """
    from .model.build import build_model  # Pyomo is imported only when a model is built
    from .model.decompose import city_blocks, solve_blocks
    from .solve import solve_model

    if not isinstance(dataset, Dataset):
        from .data.dataset import load

        dataset = load(dataset)
    sc = resolve_scenario(dataset, scenario)
    t0 = time.perf_counter()
    inst = build_instance(dataset, sc)
    t1 = time.perf_counter()
    blocks = city_blocks(inst) if sc.solver.decompose else []
    if len(blocks) > 1:
        model = None
        t2 = time.perf_counter()
        outcome = solve_blocks(inst, blocks, sc.solver)
    else:
        model = build_model(inst)
        t2 = time.perf_counter()
        outcome = solve_model(model, inst)
    diagnosis = None
    if outcome.status == "infeasible" and not outcome.infeasible_rows:
        from .analysis.diagnose import diagnose

        diagnosis = diagnose(model if model is not None else build_model(inst), inst)
        outcome.infeasible_rows = outcome.infeasible_rows + list(diagnosis["message"])
    t3 = time.perf_counter()
    # per-block models of a decomposed solve are built inside the solve: count them as building
    result = assemble(
        inst,
        outcome,
        build_seconds=t2 - t0 + outcome.build_seconds,
        timings={"prepare": t1 - t0, "build": t2 - t1 + outcome.build_seconds},
    )
    result.timings["assemble"] = time.perf_counter() - t3
    result.infeasibility = diagnosis
    return result
