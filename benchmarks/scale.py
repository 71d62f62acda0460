"""How build and solve times grow with the number of candidate projects.

    python benchmarks/scale.py [--sizes 100 300 1000 3000] [--seed 1] [--time-limit 60] [--coupled]

Generates a synthetic dataset per size (optimizer.data.synthetic), validates it
with optimizer.from_tables and solves it with partial credit 0.5, one thread and
a relative gap of 1e-4. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import optimizer
from optimizer.data.synthetic import synthetic_tables


def _count(res) -> int | None:
    return (getattr(res, "model_size", None) or {}).get("variables")


def _fmt(x, spec: str) -> str:
    if x is None:
        return "-"
    try:
        return format(x, spec)
    except (TypeError, ValueError):
        return str(x)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--coupled", action="store_true", help="use the coupled (metro-wide) variant")
    args = parser.parse_args(argv)

    scenario = {
        "partial_credit": 0.5,
        "solver": {"time_limit": args.time_limit, "mip_gap": 1e-4, "threads": 1},
    }
    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        meta, tables = synthetic_tables(n, seed=args.seed, coupled=args.coupled)
        t1 = time.perf_counter()
        ds = optimizer.from_tables(meta, tables)
        t2 = time.perf_counter()
        res = optimizer.solve(ds, scenario)
        t3 = time.perf_counter()
        row = {
            "N": n,
            "vars": _count(res),
            "gen_s": t1 - t0,
            "load_s": t2 - t1,
            "build_s": getattr(res, "build_seconds", None),
            "solve_s": getattr(res, "solve_seconds", None),
            "total_s": t3 - t1,
            "status": str(getattr(res, "status", "?")),
            "gap": getattr(res, "mip_gap", None),
            "objective": getattr(res, "objective", None),
            "selected": getattr(res, "selected_count", None),
        }
        rows.append(row)
        print(_line(row, header=len(rows) == 1), flush=True)
    return 0


COLUMNS = [
    ("N", ">6", "d"),
    ("vars", ">8", "d"),
    ("gen_s", ">7", ".2f"),
    ("load_s", ">7", ".2f"),
    ("build_s", ">8", ".2f"),
    ("solve_s", ">8", ".2f"),
    ("total_s", ">8", ".2f"),
    ("status", ">9", "s"),
    ("gap", ">9", ".2e"),
    ("objective", ">11", ".4f"),
    ("selected", ">8", "d"),
]


def table_line(columns: list[tuple[str, str, str]], row: dict | None = None) -> str:
    """One line of a fixed-width table: the header (row None) or a row; columns are
    (name, alignment and width, format spec)."""
    if row is None:
        return " ".join(format(name, align) for name, align, _ in columns)
    return " ".join(format(_fmt(row[name], spec), align) for name, align, spec in columns)


def _line(row: dict, header: bool = False) -> str:
    cols = [c for c in COLUMNS if c[0] != "vars" or row["vars"] is not None]
    text = table_line(cols, row)
    return table_line(cols) + "\n" + text if header else text


if __name__ == "__main__":
    raise SystemExit(main())
