"""How fast the engine re-solves: one Session, many Changes (what a frontier or a browser does).

    python benchmarks/engine.py                         # the example dataset and synthetic N=120
    python benchmarks/engine.py --sizes 120 300 --seeds 1 2 3   # N=300 to 1e-4 takes minutes per run

For each dataset: the time to build the Session, its first solve, and the median and worst
wall time of re-solves under budget scalings 0.8-1.2 and one forced-out project, with the
city decomposition (where the data splits) and without it, side by side. Scores of the two
must agree (checked, not assumed). Figures depend on the machine: run both sides in one go.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import optimizer
from optimizer.data.synthetic import synthetic_scenario, synthetic_tables
from optimizer.engine import Change, Session, starts_of

ROOT = Path(__file__).resolve().parents[1]


def measure(ds, scenario: dict) -> dict:
    t0 = time.perf_counter()
    s = Session(ds, scenario)
    built = time.perf_counter() - t0
    t1 = time.perf_counter()
    base = s.solve()
    first = time.perf_counter() - t1
    changes = [Change(limits=s.scaled("budget", f)) for f in (0.8, 0.9, 1.1, 1.2)]
    chosen = sorted(starts_of(base))
    if chosen:
        changes.append(Change(force_out=(chosen[len(chosen) // 2],)))
    times, scores = [], []
    for ch in changes:
        t = time.perf_counter()
        res = s.solve(ch)
        times.append(time.perf_counter() - t)
        scores.append(res.objective)
    return dict(
        blocks=s.blocks, build=built, first=first, median=statistics.median(times), worst=max(times), scores=scores
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[120])
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    ap.add_argument("--gap", type=float, default=1e-4)
    args = ap.parse_args()
    cases = [("example", optimizer.load(ROOT / "models" / "hangzhou_default.yaml"), {})]
    for n in args.sizes:
        for seed in args.seeds:
            for coupled in (False, True):
                name = f"synthetic N={n} seed {seed}{' coupled' if coupled else ''}"
                cases.append(
                    (
                        name,
                        optimizer.from_tables(*synthetic_tables(n, seed=seed, coupled=coupled)),
                        synthetic_scenario(),
                    )
                )
    print(f"{'dataset':<34}{'way':<8}{'blocks':>7}{'build s':>9}{'first s':>9}{'re-solve median s':>19}{'worst s':>9}")
    for name, ds, sc in cases:
        sc = {**sc, "solver": {**sc.get("solver", {}), "mip_gap": args.gap, "threads": 1, "time_limit": None}}
        rows = {}
        for way, decompose in (("blocks", True), ("whole", False)):
            rows[way] = measure(ds, {**sc, "solver": {**sc["solver"], "decompose": decompose}})
            r = rows[way]
            print(  # flush: a long run shows each row as it comes
                f"{name:<34}{way:<8}{r['blocks']:>7}{r['build']:>9.2f}{r['first']:>9.2f}{r['median']:>19.2f}{r['worst']:>9.2f}",
                flush=True,
            )
        a, b = rows["blocks"]["scores"], rows["whole"]["scores"]
        worst = max(abs(x - y) / max(1.0, abs(y)) for x, y in zip(a, b) if x is not None and y is not None)
        if worst > 2 * args.gap:
            print(f"  !! scores differ by {worst:.2e} (more than twice the gap)")


if __name__ == "__main__":
    main()
