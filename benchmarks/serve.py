"""How fast the workbench answers: `portfolio serve` started for real, 20 random slider changes.

    python benchmarks/serve.py                                    # the example dataset
    python benchmarks/serve.py models/hangzhou_balanced.yaml --changes 40 --seeds 1 2 3

Prints the time from start to the first answer (the baseline, computed before the server
listens), then, per seed, the median and worst wall time from request to answer over random
changes of the page's sliders (random_settings), each one a POST /api/solve as the page sends it.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ("budget", "land", "energy")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())


def random_settings(rng: random.Random, cities: list[str]) -> dict:
    """One of the page's sliders, picked uniformly, moved to a random position (the others at
    the baseline): resource scale of the metro (3) or of one city (3 per city), a city weight
    (one per city), the two balance rules and partial credit."""
    sliders = [("metro", r, None) for r in RESOURCES] + [("city", r, c) for c in cities for r in RESOURCES]
    sliders += [("weight", None, c) for c in cities] + [
        ("share", None, None),
        ("floor", None, None),
        ("credit", None, None),
    ]
    kind, res, city = rng.choice(sliders)
    if kind == "metro":
        return {"scale": {res: round(rng.uniform(0.7, 1.3), 2)}}
    if kind == "city":
        return {"scale": {res: {"ALL": 1.0, city: round(rng.uniform(0.7, 1.3), 2)}}}
    if kind == "weight":
        return {"city_weights": {city: round(rng.uniform(0.5, 2.5), 2)}}
    if kind == "share":
        return {"balance": {"min_city_share": {c: round(rng.uniform(0.0, 0.2), 2) for c in cities}}}
    if kind == "floor":
        return {"balance": {"min_city_attainment": round(rng.uniform(0.0, 0.8), 2)}}
    return {"partial_credit": round(rng.uniform(0.0, 1.0), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(ROOT / "models" / "hangzhou_default.yaml"))
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    args = ap.parse_args()
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from optimizer.cli import console; console()", "serve", args.data, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/api/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(proc.stderr.read()) from None
                time.sleep(0.05)
        ready = time.perf_counter() - t0
        with urllib.request.urlopen(url + "/api/state", timeout=60) as r:
            state = json.loads(r.read())
        print(
            f"{state['dataset']['name']}: listening with the baseline answer after {ready:.2f} s (process start included)"
        )
        for seed in args.seeds:
            rng = random.Random(seed)
            times, statuses = [], []
            for _ in range(args.changes):
                body = random_settings(rng, state["dataset"]["cities"])
                t = time.perf_counter()
                a = post(url + "/api/solve", body)
                times.append(time.perf_counter() - t)
                statuses.append(a["status"])
            n_ok = sum(s == "optimal" for s in statuses)
            print(
                f"seed {seed}: {args.changes} changes, median {statistics.median(times):.2f} s, "
                f"worst {max(times):.2f} s, {n_ok} proven optimal, "
                f"{sum(s == 'feasible' for s in statuses)} at the time limit"
            )
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)


if __name__ == "__main__":
    main()
