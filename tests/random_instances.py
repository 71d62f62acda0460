"""Random tiny portfolio instances mixing every feature of MODEL.md.

Small enough to enumerate (at most ``MAX_ASSIGNMENTS`` assignments), varied
enough that every constraint family and scenario key shows up across seeds.
Many instances are infeasible on purpose.
"""

from __future__ import annotations

import math
import random

import pandas as pd

from optimizer.data.schema import TABLES

CITIES = ["杭州", "湖州"]
TASKS = ["交通", "生态", "科创"]
MAX_ASSIGNMENTS = 40_000
IND_COLS = ["indicator", "name", "unit", "scope", "baseline", "target", "weight"]


def _split_cents(rng: random.Random, cents: int, parts: int) -> list[int]:
    """Random non-negative integers summing exactly to ``cents``."""
    cuts = sorted(rng.randint(0, cents) for _ in range(parts - 1))
    edges = [0, *cuts, cents]
    return [edges[k + 1] - edges[k] for k in range(parts)]


def _n_options(p: dict, y1: int) -> int:
    if p["status"] == "excluded":
        return 1
    if p["status"] == "committed":
        return 1
    latest = p["latest_start"] if p["latest_start"] is not None else y1 - p["duration"] + 1
    window = max(0, min(latest, y1 - p["duration"] + 1) - p["earliest_start"] + 1)
    return window + (p["status"] == "candidate")


def random_instance(seed: int) -> tuple[dict, dict[str, pd.DataFrame], dict]:
    rng = random.Random(seed)
    y0 = 2024
    n_years = rng.choice([3, 4])
    y1 = y0 + n_years - 1
    n = rng.randint(4, 8)

    # ---------------------------------------------------------------- projects
    projects = []
    for i in range(n):
        d = min(rng.choice([1, 1, 2, 2, 3]), n_years)
        e = rng.randint(y0, y1 - d + 1)
        latest = None if rng.random() < 0.4 else min(e + rng.choice([0, 1, 2, 3]), y1 - d + 1)
        if rng.random() < 0.06:
            cents = 0
        elif rng.random() < 0.5:
            cents = 100 * rng.randint(1, 20)
        else:
            cents = rng.randint(100, 2000)
        projects.append(
            {
                "id": f"P{i + 1:02d}",
                "name": f"项目{i + 1}",
                "city": rng.choice(CITIES),
                "task": None if rng.random() < 0.2 else rng.choice(TASKS),
                "duration": d,
                "earliest_start": e,
                "latest_start": latest,
                "cost": cents / 100,
                "land": rng.choice([None, 0, rng.randint(1, 10), rng.randint(100, 800) / 100]),
                "energy": rng.choice([None, 0, rng.randint(1, 5), rng.randint(50, 300) / 100]),
                "status": rng.choice([None, "candidate"]),
                "start": None,
                "group": None,
                "_cents": cents,
            }
        )

    ids = [p["id"] for p in projects]
    order = list(range(n))
    rng.shuffle(order)
    pick = iter(order)
    if rng.random() < 0.35:
        projects[next(pick)]["status"] = "mandatory"
    if rng.random() < 0.35:
        p = projects[next(pick)]
        p["status"] = "committed"
        d = p["duration"]
        p["start"] = rng.randint(y0 - 2, y1 - d + 1)  # may lie before y0 (history)
        p["earliest_start"] = p["start"]
        p["latest_start"] = None
    if rng.random() < 0.3:
        projects[next(pick)]["status"] = "excluded"

    # ---------------------------------------------------------------- scenario (drawn early: horizon matters)
    scenario: dict = {}
    meta_y1 = y1
    if rng.random() < 0.15:  # dataset horizon one year longer; the scenario narrows it
        meta_y1 = y1 + 1
        scenario["horizon"] = [y0, y1]
    candidates = [p["id"] for p in projects if p["status"] in (None, "candidate")]

    # keep the enumeration small
    while math.prod(_n_options(p, y1) for p in projects) > MAX_ASSIGNMENTS:
        widest = max(
            (p for p in projects if p["status"] in (None, "candidate", "mandatory")),
            key=lambda p: _n_options(p, y1),
        )
        widest["latest_start"] = widest["earliest_start"]

    # cross-city shares
    shares = []
    for p in projects:
        if rng.random() < 0.3:
            main = rng.choice([0.5, 0.6, 0.75, 0.8])
            other = next(c for c in CITIES if c != p["city"])
            shares += [
                {"project_id": p["id"], "city": p["city"], "share": main},
                {"project_id": p["id"], "city": other, "share": round(1 - main, 2)},
            ]
        elif rng.random() < 0.1:
            shares.append({"project_id": p["id"], "city": p["city"], "share": 1.0})
    sigma = {p["id"]: {p["city"]: 1.0} for p in projects}
    for r in shares:
        sigma[r["project_id"]] = {}
    for r in shares:
        sigma[r["project_id"]][r["city"]] = r["share"]

    # cost profiles (exact: integer cents, remainder fixed)
    profiles = []
    for p in projects:
        if rng.random() < 0.6:
            for k, c in enumerate(_split_cents(rng, p["_cents"], p["duration"])):
                profiles.append({"project_id": p["id"], "year_offset": k, "cost": c / 100})

    # ---------------------------------------------------------------- indicators and contributions
    contributions = []
    contrib: dict[str, dict[str, float]] = {"GDP": {}, "GREEN": {}, "CO2": {}}
    for p in projects:
        if rng.random() < 0.75:
            v = rng.randint(1, 10) if rng.random() < 0.88 else -rng.randint(1, 3)
            contrib["GDP"][p["id"]] = v
        if rng.random() < 0.5:
            v = rng.randint(1, 30) / 10 if rng.random() < 0.85 else -rng.randint(1, 10) / 10
            contrib["GREEN"][p["id"]] = v
        if rng.random() < 0.6:
            v = -rng.randint(1, 8) if rng.random() < 0.85 else rng.randint(1, 2)
            contrib["CO2"][p["id"]] = v
    for ind, vals in contrib.items():
        for pid, v in vals.items():
            contributions.append({"project_id": pid, "indicator": ind, "value": v})

    def reach(ind: str, scope: str, sign: int) -> float:
        return sum(
            max(0.0, sign * v) * (1.0 if scope == "ALL" else sigma[pid].get(scope, 0.0))
            for pid, v in contrib[ind].items()
        )

    def weight():
        return rng.choice([None, None, 0.5, 1, 2, 3])

    indicators = []
    # GDP: capped, must rise; ALL and sometimes per city
    for scope in ["ALL", *CITIES]:
        if scope != "ALL" and rng.random() < 0.5:
            continue
        gap = max(1.0, round(rng.uniform(0.25, 0.8) * reach("GDP", scope, +1), 1))
        base = rng.choice([None, 0, rng.randint(10, 50)])
        indicators.append(
            {
                "indicator": "GDP",
                "name": "地区生产总值",
                "unit": "亿元",
                "scope": None if scope == "ALL" and rng.random() < 0.5 else scope,  # blank scope = ALL
                "baseline": base,
                "target": (base or 0) + gap,
                "weight": weight(),
            }
        )
    # GREEN: uncapped, ALL and sometimes one city
    indicators.append(
        {
            "indicator": "GREEN",
            "name": "绿地",
            "unit": "公顷",
            "scope": "ALL",
            "baseline": None,
            "target": None,
            "weight": rng.choice([0.1, 0.2, 0.5]),
        }
    )
    if rng.random() < 0.4:
        indicators.append(
            {
                "indicator": "GREEN",
                "name": "绿地",
                "unit": "公顷",
                "scope": rng.choice(CITIES),
                "baseline": 5,
                "target": None,
                "weight": rng.choice([0.1, 0.3]),
            }
        )
    # CO2: must fall (negative gap, negative contributions)
    for scope in ["ALL", *CITIES]:
        if scope != "ALL" and rng.random() < 0.6:
            continue
        gap = max(1.0, round(rng.uniform(0.25, 0.8) * reach("CO2", scope, -1), 1))
        indicators.append(
            {
                "indicator": "CO2",
                "name": "碳排放",
                "unit": "万吨",
                "scope": scope,
                "baseline": 100,
                "target": 100 - gap,
                "weight": weight(),
            }
        )

    # ---------------------------------------------------------------- limits
    active = [p for p in projects if p["status"] != "excluded"]
    years = list(range(y0, y1 + 1))
    limits = []

    def city_total(key: str, c: str) -> float:
        return sum((p[key] or 0) * sigma[p["id"]].get(c, 0.0) for p in active)

    total_cost = sum(p["cost"] for p in active)
    if rng.random() < 0.75:
        for y in years:
            lim = round(total_cost / n_years * rng.uniform(0.5, 1.3), 2)
            limits.append({"resource": "budget", "scope": rng.choice(["ALL", None]), "year": y, "limit": lim})
    if rng.random() < 0.5:
        c = rng.choice(CITIES)
        limits.append(
            {
                "resource": "budget",
                "scope": c,
                "year": None,
                "limit": round(city_total("cost", c) * rng.uniform(0.4, 0.9), 2),
            }
        )
    if rng.random() < 0.2:
        c = rng.choice(CITIES)
        for y in years:
            limits.append(
                {
                    "resource": "budget",
                    "scope": c,
                    "year": y,
                    "limit": round(city_total("cost", c) / n_years * rng.uniform(0.6, 1.4), 2),
                }
            )
    total_land = sum(p["land"] or 0 for p in active)
    if rng.random() < 0.5:
        limits.append(
            {"resource": "land", "scope": "ALL", "year": None, "limit": round(total_land * rng.uniform(0.4, 0.9), 2)}
        )
    if rng.random() < 0.4:
        c = rng.choice(CITIES)
        limits.append(
            {
                "resource": "land",
                "scope": c,
                "year": rng.choice(years),
                "limit": round(city_total("land", c) * rng.uniform(0.2, 0.6), 2),
            }
        )
    total_energy = sum(p["energy"] or 0 for p in active)
    if rng.random() < 0.5:
        limits.append(
            {"resource": "energy", "scope": None, "year": None, "limit": round(total_energy * rng.uniform(0.4, 0.9), 2)}
        )
    if rng.random() < 0.3:
        c = rng.choice(CITIES)
        limits.append(
            {
                "resource": "energy",
                "scope": c,
                "year": rng.choice(years),
                "limit": round(city_total("energy", c) * rng.uniform(0.2, 0.7), 2),
            }
        )

    # ---------------------------------------------------------------- dependencies, groups
    deps = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        a, b = sorted(rng.sample(range(n), 2))
        q, p = projects[b], projects[a]  # q requires p; edges point to lower index: acyclic
        if q["status"] == "committed":
            continue  # a committed dependant would fix history we cannot change
        if not any(r["project_id"] == q["id"] and r["requires"] == p["id"] for r in deps):
            deps.append({"project_id": q["id"], "requires": p["id"]})
    if rng.random() < 0.7:
        for p in rng.sample(projects, rng.choice([2, 2, 3])):
            p["group"] = "G1"

    # ---------------------------------------------------------------- scenario features
    if rng.random() < 0.5:
        scenario["partial_credit"] = rng.choice([0.0, 0.3, 0.5, 1.0])
    if rng.random() < 0.4:
        scenario["overshoot_weight"] = rng.choice([0.0, 0.2, 0.5, 1.0])
    if rng.random() < 0.6:
        scenario["budget_mode"] = rng.choice(["annual", "cumulative", "cumulative"])
    if rng.random() < 0.4:
        scenario["city_weights"] = {c: rng.choice([0.5, 1.0, 1.5, 2.0]) for c in rng.sample(CITIES, rng.randint(1, 2))}
    balance: dict = {}
    if rng.random() < 0.25:
        balance["min_city_share"] = {rng.choice(CITIES): rng.choice([0.2, 0.3, 0.4])}
    if rng.random() < 0.2:
        balance["max_city_share"] = {rng.choice(CITIES): rng.choice([0.6, 0.7, 0.8])}
    if rng.random() < 0.25:
        balance["min_city_attainment"] = rng.choice([0.2, 0.4, 0.6])
    if balance:
        scenario["balance"] = balance
    if rng.random() < 0.25:
        used = sorted({p["task"] for p in projects if p["task"] is not None}) or TASKS
        scenario["task_minimum"] = {rng.choice(used): rng.choice([1, 1, 2])}
    if rng.random() < 0.3:
        kind = rng.choice(["budget", "land", "energy"])
        if rng.random() < 0.5:
            scenario["scale"] = {kind: rng.choice([0.8, 0.9, 1.2])}
        else:
            scenario["scale"] = {kind: {rng.choice(CITIES): rng.choice([0.7, 1.5])}}
    free = [pid for pid in candidates if pid in ids]
    rng.shuffle(free)
    if free and rng.random() < 0.15:
        scenario["force_in"] = [free.pop()]
    if free and rng.random() < 0.15:
        scenario["force_out"] = [free.pop()]
    if rng.random() < 0.2:
        scenario["target_year"] = rng.randint(y0, y1)

    # ---------------------------------------------------------------- assemble
    meta = {
        "name": f"random-{seed}",
        "cities": list(CITIES),
        "tasks": list(TASKS),
        "horizon": [y0, meta_y1],
        "target_year": rng.randint(y0, y1),
        "units": {"money": "亿元", "land": "亩", "energy": "万吨标准煤"},
    }
    cols = TABLES["projects"].columns  # every column of projects.csv, in DATA.md order
    tables = {
        "projects": pd.DataFrame([{k: p[k] for k in cols} for p in projects], columns=cols),
        "project_cities": pd.DataFrame(shares, columns=["project_id", "city", "share"]),
        "cost_profiles": pd.DataFrame(profiles, columns=["project_id", "year_offset", "cost"]),
        "contributions": pd.DataFrame(contributions, columns=["project_id", "indicator", "value"]),
        "indicators": pd.DataFrame(indicators, columns=IND_COLS),
        "limits": pd.DataFrame(limits, columns=["resource", "scope", "year", "limit"]),
        "dependencies": pd.DataFrame(deps, columns=["project_id", "requires"]),
    }
    for name in ("project_cities", "cost_profiles", "dependencies"):
        if tables[name].empty and rng.random() < 0.5:
            del tables[name]  # optional tables may be omitted
    return meta, tables, scenario
