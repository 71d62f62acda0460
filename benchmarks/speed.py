"""The optimizer as shipped against a plain formulation (benchmarks/plain.py).

    python benchmarks/speed.py [--variants linked,coupled] [--sizes 300 1000] [--seeds 1 2 3] [--time-limit 120]
    python benchmarks/speed.py --in-process [--sizes 300 1000 3000] [--seeds 1 2 3] [--variants independent,coupled]
                               [--time-limit 60] [--plain-time-limit 300] [--highs-seeds 0 1 2]
    python benchmarks/speed.py --check

Default: the user's wall time of `portfolio run` (both stages, a fresh interpreter) against
the plain model on every benchmark family (benchmarks/wall.py has the details): independent,
coupled, linked (dependencies and exclusive pairs between any two projects), shared (linked
plus cross-city projects, no metro rows) and calibrated (shaped like inputs/hangzhou_2027), N = 300 seeds 1-5 and N = 1000 seed 1, 120 s limit.

`--in-process`: time to a 1e-4 gap of stage 1 alone, in this process:

Synthetic datasets (optimizer.data.synthetic; `coupled` adds cross-city projects, metro
targets for half of the indicators and a metro budget row per year) with the synthetic
scenario (partial credit 0.5). Both sides get the same data, the same HiGHS, one thread,
mip_gap 1e-4 and the same time limit; the shipped optimizer runs without its cost
tie-break. Default seeds: 1-3 for N ≤ 300, 1 above.

HiGHS's own random seed moves a solve's time by ±30% or more, so one run per instance can
make either side look faster by luck; `--highs-seeds 0 1 2` runs every instance with each
seed on both sides and ends with the median time to gap per instance.

Columns: time to gap (s; "-" = gap not reached in the time limit) and the gap after
--time-limit seconds, for the shipped solver (`Result.solve_seconds`: loading into HiGHS +
solving) and the plain model (passModel + solve); speedup = plain / shipped time to gap
(">x" when only the shipped one reached the gap: a lower bound, "<x" the other way round).
`--plain-time-limit 600` lets the plain model go on past --time-limit so that its time to
gap is measured rather than bounded; its gap column is still read at --time-limit.

`--check` solves small instances both ways with mip_gap 0 (synthetic ones under several
scenarios, and the random instances of tests/random_instances.py, which mix every
feature of MODEL.md) and compares statuses and objectives (to 1e-6).
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plain import solve_plain
from scale import _fmt, table_line

import optimizer
from optimizer.data.dataset import resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.data.synthetic import CITIES, FAMILIES, TASKS, synthetic_scenario, synthetic_tables
from optimizer.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
GAP = 1e-4


def _ints(values: list[str]) -> list[int]:
    return [int(v) for item in values for v in item.split(",") if v]


def _speedup(shipped: float | None, plain: float | None, limit: float) -> str:
    if shipped is not None and plain is not None:
        return f"{plain / max(shipped, 1e-9):.2f}"
    if shipped is not None:
        return f">{limit / max(shipped, 1e-9):.1f}"
    if plain is not None:
        return f"<{plain / limit:.2f}"
    return "-"


def run_one(
    variant: str,
    n: int,
    seed: int,
    time_limit: float,
    levers: dict | None = None,
    plain_limit: float | None = None,
    highs_seed: int = 0,
) -> dict:
    meta, tables = synthetic_tables(n, seed=seed, **FAMILIES[variant])
    ds = optimizer.from_tables(meta, tables)
    scenario = {
        **synthetic_scenario(),
        "solver": {
            "time_limit": time_limit,
            "mip_gap": GAP,
            "threads": 1,
            "tie_break": False,
            "seed": highs_seed,
            **(levers or {}),
        },
    }
    res = optimizer.solve(ds, scenario)
    shipped_ttg = res.solve_seconds if str(res.status) == "optimal" else None
    inst = build_instance(ds, resolve_scenario(ds, scenario))
    plain_limit = max(plain_limit or time_limit, time_limit)
    plain = solve_plain(inst, plain_limit, mip_gap=GAP, threads=1, seed=highs_seed, gap_at=time_limit)
    return {
        "variant": variant,
        "N": n,
        "seed": seed,
        "hs": highs_seed,
        "shipped_time_to_gap": shipped_ttg,
        "shipped_gap": res.mip_gap,
        "plain_time_to_gap": plain["time_to_gap"],
        "plain_gap": plain["gap_at_seconds"],
        "speedup": _speedup(shipped_ttg, plain["time_to_gap"], plain_limit),
        "shipped_obj": res.objective,
        "plain_obj": plain["objective"],
        "shipped_status": str(res.status),
        "plain_status": plain["status"],
    }


COLUMNS = [
    ("variant", "<11", "s"),
    ("N", ">5", "d"),
    ("seed", ">4", "d"),
    ("hs", ">2", "d"),
    ("shipped_time_to_gap", ">19", ".2f"),
    ("shipped_gap", ">11", ".1e"),
    ("plain_time_to_gap", ">17", ".2f"),
    ("plain_gap", ">9", ".1e"),
    ("speedup", ">7", "s"),
    ("shipped_obj", ">12", ".6f"),
    ("plain_obj", ">12", ".6f"),
]


# --------------------------------------------------------------------------- check


CHECK_SCENARIOS = {
    "base": {},
    "cumulative": {"budget_mode": "cumulative"},
    "share": {"balance": {"min_city_share": {CITIES[1]: 0.1}, "max_city_share": {CITIES[0]: 0.6}}},
    "floor": {"balance": {"min_city_attainment": {CITIES[0]: 0.1}}, "task_minimum": {TASKS[0]: 1}},
    "overshoot": {"overshoot_weight": 0.3, "city_weights": {CITIES[0]: 2.0, CITIES[2]: 0.5}, "partial_credit": 1.0},
}


_DIFFS: list[float] = []  # |objective difference| of every pair solved to optimality


def _compare(label: str, ds, scenario: dict) -> bool | None:
    """Solve both ways exactly; True = agree, False = differ, None = rejected input."""
    exact = {"time_limit": 120, "mip_gap": 0.0, "threads": 1, "tie_break": False}
    scenario = {**scenario, "solver": exact}
    try:
        res = optimizer.solve(ds, scenario)
        inst = build_instance(ds, resolve_scenario(ds, scenario))
    except InputError:
        return None
    # the shipped solver asks HiGHS for an absolute gap of 1e-9; so does the check, so
    # that both optima are exact to far below the 1e-6 compared here
    plain = solve_plain(inst, 120, mip_gap=0.0, threads=1, options={"mip_abs_gap": 1e-9})
    s_status, p_status = str(res.status), plain["status"]
    if s_status != p_status:
        ok = False
    elif s_status == "optimal":
        ok = abs(res.objective - plain["objective"]) <= 1e-6 * max(1.0, abs(res.objective))
        _DIFFS.append(abs(res.objective - plain["objective"]))
    else:
        ok = True
    if not ok or label.startswith("synthetic"):
        print(
            f"{label:<40} shipped {s_status:>10} {_fmt(res.objective, '.9f'):>16}   "
            f"plain {p_status:>10} {_fmt(plain['objective'], '.9f'):>16}   {'ok' if ok else 'DIFFER'}",
            flush=True,
        )
    return ok


def check(random_seeds: int) -> int:
    results = []
    for variant in ("independent", "coupled"):
        for n in (20, 40, 80):
            for seed in (1, 2):
                meta, tables = synthetic_tables(n, seed=seed, coupled=variant == "coupled")
                ds = optimizer.from_tables(meta, tables)
                for name, extra in CHECK_SCENARIOS.items():
                    sc = {**synthetic_scenario(), **extra}
                    results.append(_compare(f"synthetic {variant} N={n} seed={seed} {name}", ds, sc))
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        from random_instances import random_instance
    except ImportError:
        random_instance = None
        print("tests/random_instances.py not found: random instances skipped")
    random = []
    if random_instance is not None:
        for seed in range(random_seeds):
            meta, tables, scenario = random_instance(seed)
            try:
                ds = optimizer.from_tables(meta, tables)
            except InputError:
                random.append(None)
                continue
            random.append(_compare(f"random instance {seed}", ds, scenario))
    syn_ok = sum(r is True for r in results)
    rnd_ok = sum(r is True for r in random)
    rnd_bad = sum(r is False for r in random)
    print(f"synthetic: {syn_ok}/{len(results)} agree")
    print(f"largest |objective difference| over {len(_DIFFS)} optimal pairs: {max(_DIFFS, default=0.0):.1e}")
    print(f"random instances: {rnd_ok} agree, {rnd_bad} differ, {sum(r is None for r in random)} rejected inputs")
    return 0 if syn_ok == len(results) and rnd_bad == 0 else 1


def _medians(rows: list[dict], time_limit: float, plain_limit: float) -> None:
    """Median time to gap over HiGHS seeds per instance; a run that missed the gap counts
    at its time limit, so such a median is a lower bound, marked '>'."""
    import statistics

    def median(times: list[float | None], limit: float) -> tuple[float, str]:
        value = statistics.median(limit if t is None else t for t in times)
        return value, (">" if None in times else "") + f"{value:.2f}"

    print("\nmedian over HiGHS seeds (time to gap; '>' = some runs missed the gap, counted at their limit)")
    print(f"{'variant':<11} {'N':>5} {'seed':>4} {'shipped':>9} {'plain':>9} {'speedup':>8}")
    for key in dict.fromkeys((r["variant"], r["N"], r["seed"]) for r in rows):
        group = [r for r in rows if (r["variant"], r["N"], r["seed"]) == key]
        shipped, s_txt = median([r["shipped_time_to_gap"] for r in group], time_limit)
        plain, p_txt = median([r["plain_time_to_gap"] for r in group], plain_limit)
        print(f"{key[0]:<11} {key[1]:>5} {key[2]:>4} {s_txt:>9} {p_txt:>9} {plain / max(shipped, 1e-9):>8.2f}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", action="store_true", help="stage 1 alone, time to gap, in this process")
    parser.add_argument(
        "--sizes", nargs="+", default=None, help="default: 300 1000 (wall), 300 1000 3000 (--in-process)"
    )
    parser.add_argument("--seeds", nargs="+", default=None, help="default: 1 2 3 for N <= 300, 1 above")
    parser.add_argument(
        "--variants", default=None, help="default: every family (wall), independent,coupled (--in-process)"
    )
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default 120 wall, 60 --in-process)")
    parser.add_argument(
        "--plain-time-limit",
        type=float,
        default=None,
        help="let the plain model run longer to time its proof (its gap is still read at --time-limit)",
    )
    parser.add_argument(
        "--highs-seeds",
        nargs="+",
        default=["0"],
        help="HiGHS random seeds to run each instance with (both sides); with several, medians are printed at the end",
    )
    parser.add_argument("--check", action="store_true", help="compare both formulations on small instances")
    parser.add_argument("--no-decompose", action="store_true", help="shipped solver without the per-city decomposition")
    parser.add_argument("--no-strengthen", action="store_true", help="shipped solver without coefficient clipping")
    parser.add_argument(
        "--heuristic-effort",
        type=float,
        default=None,
        help="shipped solver with this mip_heuristic_effort (default: its own choice, 0.25 whole / 0.05 blocks)",
    )
    parser.add_argument("--check-random", type=int, default=200, help="random instances in --check")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.check_random)
    if not args.in_process:
        import wall

        variants = [v.strip() for v in (args.variants or ",".join(FAMILIES)).split(",") if v.strip()]
        sizes = _ints(args.sizes) if args.sizes else [300, 1000]
        return wall.main(variants, sizes, _ints(args.seeds) if args.seeds else None, args.time_limit or 120.0)
    args.time_limit = args.time_limit or 60.0
    variants = [v.strip() for v in (args.variants or "independent,coupled").split(",") if v.strip()]
    for v in variants:
        if v not in FAMILIES:
            parser.error(f"unknown variant '{v}' ({', '.join(FAMILIES)})")
    sizes = _ints(args.sizes or ["300", "1000", "3000"])
    print(f"time limit {args.time_limit:g} s, mip_gap {GAP:g}, 1 thread", flush=True)
    print(table_line(COLUMNS), flush=True)
    t0 = time.perf_counter()
    highs_seeds = _ints(args.highs_seeds)
    levers = {
        "decompose": not args.no_decompose,
        "strengthen": not args.no_strengthen,
        "heuristic_effort": args.heuristic_effort,
    }
    rows = []
    for variant in variants:
        for n in sizes:
            seeds = _ints(args.seeds) if args.seeds else ([1, 2, 3] if n <= 300 else [1])
            for seed in seeds:
                for hs in highs_seeds:
                    row = run_one(variant, n, seed, args.time_limit, levers, args.plain_time_limit, hs)
                    rows.append(row)
                    print(table_line(COLUMNS, row), flush=True)
    if len(highs_seeds) > 1:
        _medians(rows, args.time_limit, max(args.plain_time_limit or 0, args.time_limit))
    print(f"total {time.perf_counter() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
