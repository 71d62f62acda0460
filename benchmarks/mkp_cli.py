"""End-to-end time of ``portfolio run`` on the SAC-94 knapsack instances.

    python benchmarks/mkp_cli.py [--mkp ../shared/benchmarks/mkp] [--only weing1 pb6 ...]

Each SAC-94 row of optima.csv is written as a dataset folder (MODEL.md "Known
reductions"), then ``portfolio run FOLDER --out OUT`` runs as a subprocess, so
the time includes interpreter start and imports. Prints the objective from
OUT/summary.json against the published optimum. Target: at most 3 s each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optimizer.data.mkp import mkp_tables, read_instance  # noqa: E402
from optimizer.data.writer import write_dataset  # noqa: E402

DEFAULT_MKP = ROOT.parent / "shared" / "benchmarks" / "mkp"
TARGET_SECONDS = 3.0


def _command() -> list[str]:
    exe = shutil.which("portfolio")
    if exe:
        return [exe]
    return [sys.executable, "-m", "optimizer"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mkp", type=Path, default=DEFAULT_MKP, help="folder holding optima.csv")
    parser.add_argument("--only", nargs="*", help="instance names to run (default: every SAC-94 row)")
    args = parser.parse_args(argv)

    with open(args.mkp / "optima.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["file"].startswith("sac94/")]
    if args.only:
        rows = [r for r in rows if r["instance"] in set(args.only)]

    cmd = _command()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    print(f"command: {' '.join(cmd)} run FOLDER --out OUT")
    print(f"{'instance':<10} {'seconds':>8} {'exit':>4} {'status':>9} {'objective':>12} {'optimum':>10} match")
    worst = 0.0
    mismatches = 0
    with tempfile.TemporaryDirectory(prefix="mkp_cli_") as tmp:
        for r in rows:
            name = r["instance"]
            inst = read_instance(args.mkp, r["file"], name)
            meta, tables = mkp_tables(inst)
            folder = write_dataset(meta, tables, Path(tmp) / name)
            out = Path(tmp) / f"{name}-out"
            t0 = time.perf_counter()
            proc = subprocess.run(
                [*cmd, "run", str(folder), "--out", str(out)], env=env, capture_output=True, text=True
            )
            seconds = time.perf_counter() - t0
            worst = max(worst, seconds)
            status, objective = "-", None
            summary = out / "summary.json"
            if summary.exists():
                data = json.loads(summary.read_text(encoding="utf-8"))
                status, objective = data.get("status", "-"), data.get("objective")
            optimum = float(r["optimum"])
            match = objective is not None and abs(float(objective) - optimum) <= max(0.5, 1e-6 * optimum)
            mismatches += not match
            obj_text = f"{objective:.1f}" if isinstance(objective, (int, float)) else "-"
            print(
                f"{name:<10} {seconds:>8.2f} {proc.returncode:>4} {status:>9} {obj_text:>12} "
                f"{r['optimum']:>10} {'yes' if match else 'no'}",
                flush=True,
            )
            if proc.returncode != 0:
                print("   stderr: " + proc.stderr.strip().replace("\n", "\n   stderr: "))
    print(
        f"max seconds: {worst:.2f} (target <= {TARGET_SECONDS:.0f} s); instances: {len(rows)}; mismatches: {mismatches}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
