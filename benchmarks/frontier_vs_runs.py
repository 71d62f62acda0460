"""A 21-point budget frontier against 21 fresh `portfolio run` calls (a script, not a test).

The frontier builds the model once and re-solves it (in local processes); the fresh
runs pay interpreter start, loading, building and solving 21 times. Both measure the
whole command, interpreter start included. Target: frontier ≤ 1/3 of the fresh runs.

    python benchmarks/frontier_vs_runs.py [--scenario models/hangzhou_default.yaml] [--points 21]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default=str(ROOT / "models" / "hangzhou_default.yaml"))
    ap.add_argument("--points", type=int, default=21)
    ap.add_argument("--low", type=float, default=0.5)
    ap.add_argument("--high", type=float, default=1.5)
    args = ap.parse_args()
    scales = np.round(np.linspace(args.low, args.high, args.points), 6)
    cmd = [sys.executable, "-m", "optimizer"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spec = ",".join(f"{s:g}" for s in scales)
        t0 = time.perf_counter()
        r = subprocess.run(
            cmd
            + [
                "frontier",
                args.scenario,
                "--resource",
                "budget",
                "--scales",
                spec,
                "--out",
                str(tmp / "fr"),
                "--no-progress",
            ],
            capture_output=True,
            text=True,
        )
        frontier_s = time.perf_counter() - t0
        if r.returncode != 0:
            print(r.stderr)
            return 1
        base = yaml.safe_load(Path(args.scenario).read_text(encoding="utf-8"))
        data = (Path(args.scenario).parent / base["data"]).resolve()
        fresh = []
        t0 = time.perf_counter()
        for s in scales:
            sc = {**base, "data": str(data), "scale": {"budget": float(s)}}
            path = tmp / f"s{s:g}.yaml"
            path.write_text(yaml.safe_dump(sc, allow_unicode=True), encoding="utf-8")
            t1 = time.perf_counter()
            rr = subprocess.run(
                cmd + ["run", str(path), "--out", str(tmp / f"run{s:g}"), "--quiet"], capture_output=True, text=True
            )
            fresh.append((s, time.perf_counter() - t1, rr.returncode))
        fresh_s = time.perf_counter() - t0
    print(f"{args.points}-point budget frontier ({args.low:g}..{args.high:g}) on {Path(args.scenario).name}")
    print(f"  portfolio frontier:        {frontier_s:7.1f} s")
    print(
        f"  {args.points} x portfolio run:       {fresh_s:7.1f} s  (each {min(t for _, t, _ in fresh):.1f}-{max(t for _, t, _ in fresh):.1f} s)"
    )
    print(f"  ratio frontier / runs:     {frontier_s / fresh_s:7.2f}  (target <= 0.33)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
