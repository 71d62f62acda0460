"""Each solver lever alone, on every benchmark family: which defaults the optimizer ships.

    python benchmarks/levers.py                                   # every family, N 300, seeds 1-3, 60 s
    python benchmarks/levers.py --families linked,coupled --seeds 1 2 3 4 5 --time-limit 120
    python benchmarks/levers.py --levers shipped,effort_0.05,no_submip

For each instance (optimizer.data.synthetic.FAMILIES) stage 1 of the shipped solver runs
in this process, once as shipped and once with each lever changed alone (a fresh build
and load each time, so nothing carries over). A lever is one setting the optimizer
chooses or could choose:

* effort_0.05 / effort_0.25 / effort_0.5: HiGHS's mip_heuristic_effort (shipped: 0.25 for a
  whole model, 0.05 for city blocks);
* no_submip: RINS, RENS and root reduced-cost sub-MIPs off;
* no_presolve, no_symmetry (mip_detect_symmetry), restart (mip_allow_restart on; shipped: off),
  no_node_cuts (mip_allow_cut_separation_at_nodes), reliable_4 (mip_pscost_minreliable 4
  instead of 8: less strong branching), concurrency (mip_search_simulate_concurrency),
  lifting_1 (mip_lifting_for_probing 1; default -1, off), lp_age_20 (cuts stay in the node
  LP and the cut pool twice as long: mip_lp_age_limit 20, mip_pool_age_limit 60);
* no_strengthen: the model's own clipping of capped target coefficients off;
* rows_reversed: the constraint families built in the reverse order (row order);
* no_decompose: the per-city decomposition off (matters only where the data splits).

Columns per instance: stage-1 seconds (time to mip_gap 1e-4, or the limit) and the gap at
the end; the last table gives, per lever, the median over all instances of its time
divided by the shipped time (below 1: the lever alone is faster), how many instances it
won and lost by more than 10%, and its median time. An instance that hits the limit counts
at the limit. HiGHS's own seed moves single runs by ±30%: read medians, not rows.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import optimizer
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.data.synthetic import FAMILIES, synthetic_scenario, synthetic_tables
from optimizer.model import build as model_build
from optimizer.solve.strategy import LinkedBlocks, WholeModel, load

GAP = 1e-4

#: lever -> (solver settings changed, HiGHS options set after the optimizer's own)
LEVERS: dict[str, tuple[dict, dict]] = {
    "shipped": ({}, {}),
    "effort_0.05": ({"heuristic_effort": 0.05}, {}),
    "effort_0.25": ({"heuristic_effort": 0.25}, {}),
    "effort_0.5": ({"heuristic_effort": 0.5}, {}),
    "no_submip": (
        {},
        {
            "mip_heuristic_run_rins": False,
            "mip_heuristic_run_rens": False,
            "mip_heuristic_run_root_reduced_cost": False,
        },
    ),
    "no_presolve": ({}, {"presolve": "off"}),
    "no_symmetry": ({}, {"mip_detect_symmetry": False}),
    "restart": ({}, {"mip_allow_restart": True}),
    "no_node_cuts": ({}, {"mip_allow_cut_separation_at_nodes": False}),
    "reliable_4": ({}, {"mip_pscost_minreliable": 4}),
    "concurrency": ({}, {"mip_search_simulate_concurrency": True}),
    "lifting_1": ({}, {"mip_lifting_for_probing": 1}),
    "lp_age_20": ({}, {"mip_lp_age_limit": 20, "mip_pool_age_limit": 60}),
    "no_strengthen": ({"strengthen": False}, {}),
    "rows_reversed": ({}, {}),
    "no_decompose": ({"decompose": False}, {}),
}


def instance(family: str, n: int, seed: int, time_limit: float, folder: Path):
    meta, tables = synthetic_tables(n, seed, **FAMILIES[family])
    ds = optimizer.load(optimizer.write_dataset(meta, tables, folder / f"{family}-{n}-{seed}"))
    solver = {"time_limit": time_limit, "mip_gap": GAP, "threads": 1, "tie_break": False}
    return build_instance(ds, resolve_scenario(ds, {**synthetic_scenario(), "solver": solver}))


def run_lever(inst, lever: str) -> dict:
    changes, options = LEVERS[lever]
    settings = inst.scenario.solver.model_copy(update=changes)
    sub = inst if not changes else _with_solver(inst, settings)
    families = model_build.FAMILIES
    if lever == "rows_reversed":
        model_build.FAMILIES = tuple(reversed(families))
    try:
        loaded = load(sub, mutable=False)
    finally:
        model_build.FAMILIES = families
    if isinstance(loaded, WholeModel):
        solvers = [loaded.solver]
    elif isinstance(loaded, LinkedBlocks):
        solvers = [loaded.whole.solver] + [b.solver for b in loaded.split.models]
    else:
        solvers = [b.solver for b in loaded.models]
    for s in solvers:
        s.options = dict(options)
    t0 = time.perf_counter()
    out = loaded.solve(settings)
    return {
        "seconds": time.perf_counter() - t0,
        "gap": out.mip_gap,
        "objective": out.objective,
        "blocks": loaded.blocks,
    }


def _with_solver(inst, settings):
    return replace(inst, scenario=inst.scenario.model_copy(update={"solver": settings}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/levers.py", description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--sizes", nargs="+", type=int, default=[300])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--levers", default=",".join(LEVERS), help=f"comma-separated, from: {', '.join(LEVERS)}")
    args = parser.parse_args(argv)
    families = [f for f in args.families.split(",") if f]
    levers = [v for v in args.levers.split(",") if v]
    for f in families:
        if f not in FAMILIES:
            parser.error(f"unknown family '{f}' (known: {', '.join(FAMILIES)})")
    for v in levers:
        if v not in LEVERS:
            parser.error(f"unknown lever '{v}' (known: {', '.join(LEVERS)})")
    if "shipped" not in levers:
        levers.insert(0, "shipped")
    print(f"stage 1 alone, time limit {args.time_limit:g} s, mip_gap {GAP:g}, 1 thread; seconds (gap)", flush=True)
    print(f"{'instance':<22}" + "".join(f"{v:>16}" for v in levers), flush=True)
    times: dict[str, list[float]] = {v: [] for v in levers}
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for family in families:
            for n in args.sizes:
                for seed in args.seeds:
                    inst = instance(family, n, seed, args.time_limit, Path(tmp))
                    cells = []
                    for v in levers:
                        r = run_lever(inst, v)
                        times[v].append(r["seconds"])
                        gap = "" if r["gap"] is None or r["gap"] <= GAP else f" ({r['gap']:.0e})"
                        cells.append(f"{r['seconds']:.2f}{gap}")
                    print(f"{f'{family} {n} s{seed}':<22}" + "".join(f"{c:>16}" for c in cells), flush=True)
    base = times["shipped"]
    print("\nlever            median ratio   won   lost   median s", flush=True)
    for v in levers:
        ratios = [t / max(b, 1e-9) for t, b in zip(times[v], base)]
        won = sum(r < 0.9 for r in ratios)
        lost = sum(r > 1.1 for r in ratios)
        print(f"{v:<16} {statistics.median(ratios):>12.2f} {won:>5} {lost:>6} {statistics.median(times[v]):>10.1f}")
    print(f"total {time.perf_counter() - t_all:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
