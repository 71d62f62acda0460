"""Write a seeded synthetic dataset folder (dataset.yaml + CSVs) for benchmarks or a demo.

python benchmarks/make_synthetic.py 300 --seed 2 --coupled --out /tmp/syn300
python benchmarks/make_synthetic.py 300 --seed 1 --family linked --out /tmp/linked300

Families (optimizer.data.synthetic.FAMILIES): independent, coupled, linked (dependencies and
exclusive pairs between any two projects), shared (linked plus cross-city projects,
no metro rows), calibrated (shaped like inputs/hangzhou_2027).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from optimizer.data.synthetic import FAMILIES, synthetic_tables


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
    parser.add_argument("--family", choices=sorted(FAMILIES), help="a benchmark family (overrides the flags above)")
    args = parser.parse_args(argv)
    from optimizer.data.writer import write_dataset

    keywords = FAMILIES[args.family] if args.family else {"coupled": args.coupled, "funding": args.funding}
    meta, tables = synthetic_tables(args.n, seed=args.seed, **keywords)
    folder = write_dataset(meta, tables, args.out)
    print(f"wrote {folder} ({meta['name']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
