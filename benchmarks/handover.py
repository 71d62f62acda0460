"""What the linked search could hand over at N = 1000, measured before building it in.

    python benchmarks/handover.py --n 1000 --seed 1 --time-limit 120 --share 0.6 --neighbourhood 20

Before this route was built into solve/links.py and solve/strategy.py, a block whose first
solve was not proven within 30% of the limit made the whole model take over at once, from
the blocks' union with what breaks a link dropped. This script follows the route now shipped
on the linked family, step by step, and prints the score and a valid bound after each:

1. every block (links set aside) gets its size's share of `--share` of the limit, proven or not;
   the sum of the blocks' bounds bounds the whole model (the links only remove portfolios);
2. the union repaired (LinkSearch.repair: dependents of missing or late prerequisites and all
   but one member of a group dropped): a portfolio of the whole model;
3. `--neighbourhood` seconds of the whole model with the projects outside the union and
   outside every link held at 0, started from the repair;
4. the whole model for the rest of the limit, started from the best so far.

Prints figures only; nothing is asserted. 1 thread, gap 1e-4, the synthetic scenario.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyomo.core as pyo

import optimizer
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.data.synthetic import FAMILIES, synthetic_scenario, synthetic_tables
from optimizer.solve import links as L
from optimizer.solve import strategy as S
from optimizer.solve.highs import _values_from_x
from optimizer.solve.status import relative_gap


def main() -> int:
    ap = argparse.ArgumentParser(prog="python benchmarks/handover.py", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--family", default="linked", choices=sorted(FAMILIES))
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--share", type=float, default=0.6, help="share of the limit for the blocks")
    ap.add_argument("--neighbourhood", type=float, default=20.0, help="seconds for step 3")
    a = ap.parse_args()
    limit = a.time_limit
    meta, tables = synthetic_tables(a.n, a.seed, **FAMILIES[a.family])
    with tempfile.TemporaryDirectory() as tmp:
        ds = optimizer.load(optimizer.write_dataset(meta, tables, Path(tmp) / "data"))
    solver = {"time_limit": limit, "mip_gap": 1e-4, "threads": 1, "tie_break": False}
    sc = resolve_scenario(ds, {**synthetic_scenario(), "solver": solver})
    inst = build_instance(ds, sc)
    loaded = S.load(inst)
    if not isinstance(loaded, S.LinkedBlocks):
        print(f"{a.family} N={a.n} seed {a.seed}: not split by links ({type(loaded).__name__}); nothing to measure")
        return 0
    t0 = time.perf_counter()
    el = lambda: time.perf_counter() - t0  # noqa: E731
    solvers = [b.solver for b in loaded.split.models]
    sizes = np.array([len(p) for p in loaded.split.positions], float)
    search = L.LinkSearch(solvers, loaded.split.positions, inst, loaded.links, sc.solver, t0 + a.share * limit)
    root_ops = search.implied()
    results = []
    for k in range(len(solvers)):
        left = t0 + a.share * limit - time.perf_counter()
        r = search.block(k, root_ops[k], None, until=time.perf_counter() + left * sizes[k] / sizes[k:].sum())
        results.append(r)
        print(
            f"block {k}: {int(sizes[k])} starts, {r.status}, score {r.objective:.4f}, bound {r.bound:.4f}, {el():.1f} s"
        )
    union = search._union(results)
    bound = sum(r.bound for r in results)
    print(f"1. union score {sum(r.objective for r in results):.4f} (breaks a link: {search.broken(union) is not None}), "
          f"bound {bound:.4f}, {el():.1f} s")  # fmt: skip
    x = search.repair(union)
    m = loaded.whole.model
    _values_from_x(m, x)
    z = pyo.value(m.score_expr)
    print(f"2. repaired score {z:.4f}, gap {relative_gap(z, bound):.2e} against the blocks' bound, {el():.1f} s")
    ws = loaded.whole.solver
    linked = set(loaded.links.dependencies["q"]) | set(loaded.links.dependencies["p"])
    linked |= {p for g in loaded.links.groups.values() for p in g}
    off = np.flatnonzero(~inst.starts["p"].isin(set(inst.starts["p"][union]) | linked).to_numpy())
    nb = ws.solve_around(sc.solver.model_copy(update={"time_limit": a.neighbourhood}), x, off)
    if nb.x is not None and nb.objective > z:
        x, z = nb.x, nb.objective
    print(f"3. neighbourhood ({len(off)} of {len(inst.starts)} starts held at 0): score {z:.4f}, "
          f"gap {relative_gap(z, bound):.2e} against the blocks' bound, {el():.1f} s")  # fmt: skip
    out = ws.solve(sc.solver.model_copy(update={"time_limit": max(limit - el(), 0.01)}), warm_start=x, fresh=True)
    best = max(z, out.objective or -np.inf)
    print(f"4. whole model: score {out.objective:.4f}, its bound {out.bound:.4f}; best {best:.4f}, "
          f"gap {relative_gap(best, min(bound, out.bound)):.2e} against the better bound, {el():.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
