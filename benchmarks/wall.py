"""The user's time on every benchmark family: `portfolio run` against the plain model, side by side.

    python benchmarks/speed.py                                  # every family, N 300 seeds 1-5, N 1000 seed 1
    python benchmarks/speed.py --variants linked,coupled --sizes 300 --seeds 1 2 3 --time-limit 120

For each instance (optimizer.data.synthetic.FAMILIES: independent, coupled, linked,
shared, calibrated) the dataset and a scenario are written to a temporary folder, then

* `portfolio run SCENARIO --out DIR --quiet` runs in a fresh interpreter, as a user runs it:
  `run_wall` is its wall time (interpreter start, reading, building, both stages, writing),
  `inside` the part of it its summary.json times (preparing, building, loading, solving, assembling);
  `stage1` and `tie` are the two stages' seconds from its summary.json (timings.solve minus
  timings.tie_break, and timings.tie_break), `tie_status` how the tie-break ended,
  `strategy` what stage 1 ran on (summary.json's solver.strategy);
* the plain model (benchmarks/plain.py: the textbook formulation, HiGHS defaults) is built
  and solved in this process: `plain_wall` is building its arrays plus HiGHS's run.

Both get the same data, one thread, mip_gap 1e-4 and the same time limit (default 120 s).
`speedup` = plain_wall / run_wall; a side that ends at its time limit without the gap shows
its gap, and the speedup is then a bound ('>' or '<'). The medians per family end the table.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plain import solve_plain
from scale import table_line

import optimizer
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.data.synthetic import FAMILIES, synthetic_scenario, synthetic_tables

GAP = 1e-4
COLUMNS = [
    ("family", "<11", "s"),
    ("N", ">5", "d"),
    ("seed", ">4", "d"),
    ("run_wall", ">9", ".1f"),
    ("inside", ">7", ".1f"),
    ("run_gap", ">8", ".1e"),
    ("stage1", ">7", ".1f"),
    ("tie", ">6", ".1f"),
    ("tie_status", "<9", "s"),
    ("plain_wall", ">10", ".1f"),
    ("plain_gap", ">9", ".1e"),
    ("speedup", ">8", "s"),
    ("run_obj", ">11", ".5f"),
    ("plain_obj", ">11", ".5f"),
    ("strategy", "<28", "s"),
]


def _short(tie: str) -> str:
    return "proven" if tie.startswith("proven") else "limit" if "not proven" in tie else tie.split(":")[0][:9]


def _speedup(run: float, run_ok: bool, plain: float, plain_ok: bool) -> str:
    ratio = plain / max(run, 1e-9)
    if run_ok and plain_ok:
        return f"{ratio:.2f}"
    if run_ok:
        return f">{ratio:.2f}"
    if plain_ok:
        return f"<{ratio:.2f}"
    return "-"


def run_instance(family: str, n: int, seed: int, time_limit: float, folder: Path) -> dict:
    meta, tables = synthetic_tables(n, seed, **FAMILIES[family])
    data = optimizer.write_dataset(meta, tables, folder / "data")
    solver = {"time_limit": time_limit, "mip_gap": GAP, "threads": 1}
    scenario = {**synthetic_scenario(), "solver": solver, "name": f"{family}-{n}-{seed}", "data": "data"}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    t0 = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "run",
            str(folder / "scenario.yaml"),
            "--out",
            str(folder / "out"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    run_wall = time.perf_counter() - t0
    if done.returncode not in (0, 4):
        raise RuntimeError(f"portfolio run exited {done.returncode}: {done.stderr[-400:]}")
    s = json.loads((folder / "out" / "summary.json").read_text(encoding="utf-8"))
    timings = s.get("timings", {})
    tie = float(timings.get("tie_break", 0.0))
    ds = optimizer.load(data)
    t1 = time.perf_counter()
    inst = build_instance(ds, resolve_scenario(ds, {k: v for k, v in scenario.items() if k not in ("data", "name")}))
    plain = solve_plain(inst, time_limit, mip_gap=GAP, threads=1)
    plain_wall = time.perf_counter() - t1
    run_ok = s["status"] == "optimal"
    return {
        "family": family,
        "N": n,
        "seed": seed,
        "run_wall": run_wall,
        "inside": sum(float(timings.get(k, 0.0)) for k in ("prepare", "build", "load", "solve", "assemble")),
        "run_gap": s.get("mip_gap"),
        "stage1": float(timings.get("solve", 0.0)) - tie,
        "tie": tie,
        "tie_status": _short(s.get("tie_break", "")),
        "plain_wall": plain_wall,
        "plain_gap": plain.get("gap"),
        "speedup": _speedup(run_wall, run_ok, plain_wall, plain["status"] == "optimal"),
        "run_obj": s.get("objective"),
        "plain_obj": plain.get("objective"),
        "strategy": s.get("solver", {}).get("strategy", ""),
        "ratio": plain_wall / max(run_wall, 1e-9),
        "tie_share": tie / max(run_wall - tie, 1e-9),
    }


def main(families: list[str], sizes: list[int], seeds: list[int] | None, time_limit: float) -> int:
    for f in families:
        if f not in FAMILIES:
            raise SystemExit(f"unknown family '{f}' (known: {', '.join(FAMILIES)})")
    print(f"time limit {time_limit:g} s, mip_gap {GAP:g}, 1 thread; wall times in seconds", flush=True)
    print(table_line(COLUMNS), flush=True)
    rows = []
    t0 = time.perf_counter()
    for family in families:
        for n in sizes:
            for seed in seeds or ([1, 2, 3, 4, 5] if n <= 300 else [1]):
                with tempfile.TemporaryDirectory() as tmp:
                    row = run_instance(family, n, seed, time_limit, Path(tmp))
                rows.append(row)
                print(table_line(COLUMNS, row), flush=True)
    print("\nmedian per family and size: plain_wall / run_wall, and stage 2 as a share of the rest of the run")
    for key in dict.fromkeys((r["family"], r["N"]) for r in rows):
        group = [r for r in rows if (r["family"], r["N"]) == key]
        tie = max(r["tie_share"] for r in group)
        timed = [r for r in group if r["speedup"] != "-"]  # '-': both sides stopped at the limit
        if not timed:  # a ratio of two time limits says nothing: compare the gaps they reached
            run_gap = statistics.median(r["run_gap"] or float("inf") for r in group)
            plain_gap = statistics.median(r["plain_gap"] or float("inf") for r in group)
            print(
                f"{key[0]:<11} N={key[1]:<5} both at the time limit: median gap {run_gap:.1e} against plain "
                f"{plain_gap:.1e}  largest stage-2 share {tie:6.1%}"
            )
            continue
        ratio = statistics.median(r["ratio"] for r in timed)
        worst = min(r["ratio"] for r in timed)
        both = f" ({len(group) - len(timed)} rows with both at the limit left out)" if len(timed) < len(group) else ""
        print(
            f"{key[0]:<11} N={key[1]:<5} median speedup {ratio:5.2f}  worst {worst:5.2f}  "
            f"largest stage-2 share {tie:6.1%}{both}"
        )
    print(f"total {time.perf_counter() - t0:.0f} s", flush=True)
    return 0
