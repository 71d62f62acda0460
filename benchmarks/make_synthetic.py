"""Write a seeded synthetic dataset folder (dataset.yaml + CSVs) for benchmarks or a demo.

python benchmarks/make_synthetic.py 300 --seed 2 --coupled --out /tmp/syn300
"""

from __future__ import annotations

import argparse
from pathlib import Path

from optimizer.data.synthetic import synthetic_tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/make_synthetic.py",
        description="Write a seeded synthetic dataset folder (dataset.yaml + CSVs).",
    )
    parser.add_argument("n", type=int, metavar="N", help="number of candidate projects")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, type=Path, help="dataset folder to write")
    parser.add_argument("--coupled", action="store_true", help="cross-city projects, metro targets and budget")
    parser.add_argument("--funding", action="store_true", help="payers per project, special-bond and central quotas")
    args = parser.parse_args(argv)
    from optimizer.data.writer import write_dataset

    meta, tables = synthetic_tables(args.n, seed=args.seed, coupled=args.coupled, funding=args.funding)
    folder = write_dataset(meta, tables, args.out)
    print(
        f"wrote {folder} ({args.n} projects, seed {args.seed}{', coupled' if args.coupled else ''}{', funding' if args.funding else ''})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
