"""Seeded synthetic datasets of realistic shape, for scaling runs and tests.

Four cities of the Hangzhou metropolitan area, horizon 2024-2031, target 2027.
Magnitudes follow ``../shared/reference/notes.md``: cost lognormal with median
20 亿元, construction land median 300 亩, added energy use median 2 万吨标准煤/yr
(sigma 0.8 each); S-curve spending profiles; each project moves 1-3 of 12
indicators suited to its category. Targets are 40% of what the candidates
could deliver, and budgets/land are 35% of the average yearly need, so the
problem is a real choice.

``coupled=False``: every project, target and limit belongs to one city, so the
cities are four independent problems. ``coupled=True`` adds cross-city projects
(``project_cities``), metro-wide (scope ALL) targets for half of the indicators
and a metro budget row per year. ``funding=True`` adds payers (``funding``: rail split between
central, provincial and city money, industry mostly private, a fifth without rows) and
special-bond quotas per city and year (plus a metro-wide central row when coupled).

CLI: ``python benchmarks/make_synthetic.py N --seed S --out DIR [--coupled] [--funding]``.
Only numpy/pandas (and the writer) are imported.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

CITIES = ["杭州", "湖州", "嘉兴", "绍兴"]
CITY_P = [0.40, 0.18, 0.21, 0.21]  # Hangzhou carries the most projects
Y0, Y1, TARGET_YEAR = 2024, 2031, 2027
YEARS = list(range(Y0, Y1 + 1))

# id, name, unit, typical contribution of a 20 亿元 project
INDICATORS = [
    ("I01", "地区生产总值增量", "亿元", 8.0),
    ("I02", "数字经济核心产业增加值", "亿元", 3.0),
    ("I03", "研发经费投入", "亿元", 0.8),
    ("I04", "高新技术产业增加值", "亿元", 4.0),
    ("I05", "1小时通勤圈覆盖县区", "个", 1.0),
    ("I06", "城际断头路打通", "条", 1.0),
    ("I07", "城际铁路运营里程", "公里", 15.0),
    ("I08", "地表水达标断面", "个", 2.0),
    ("I09", "医疗卫生机构床位", "张", 500.0),
    ("I10", "基本公共服务设施", "处", 3.0),
    ("I11", "风险联防联控能力", "项", 2.0),
    ("I12", "货运吞吐能力", "万吨", 20.0),
]
# With coupled=True these six are metro-wide targets (scope ALL); the rest stay per city.
METRO_INDICATORS = {"I05", "I06", "I07", "I08", "I10", "I11"}

# category, label, task area, indicators it moves, probability
CATEGORIES = [
    ("rail", "轨道交通", "基础设施一体化", ["I07", "I05", "I01"], 0.14),
    ("highway", "高速公路", "基础设施一体化", ["I06", "I05", "I01"], 0.10),
    ("airport", "机场物流", "对外开放一体化", ["I12", "I01", "I05"], 0.05),
    ("computing", "算力中心", "科技创新一体化", ["I02", "I01", "I04"], 0.07),
    ("rnd", "研发平台", "科技创新一体化", ["I03", "I04", "I02"], 0.12),
    ("industrial", "产业园区", "产业集群一体化", ["I01", "I04", "I12"], 0.14),
    ("water", "水利生态", "环境治理一体化", ["I08", "I11", "I01"], 0.10),
    ("hospital", "医院", "民生共享一体化", ["I09", "I10", "I11"], 0.08),
    ("school", "学校", "民生共享一体化", ["I10", "I01"], 0.07),
    ("culture", "文化会展", "人文交流一体化", ["I10", "I12", "I01"], 0.05),
    ("emergency", "应急平台", "社会治理一体化", ["I11", "I02"], 0.04),
    ("newtown", "城乡融合", "城乡发展一体化", ["I01", "I10", "I05"], 0.04),
]
TASKS = list(dict.fromkeys(c[2] for c in CATEGORIES))

# S-curve spending shares by duration (notes.md: 10/20/30/25/15% for 5 years)
PROFILE = {
    1: [1.0],
    2: [0.4, 0.6],
    3: [0.25, 0.45, 0.30],
    4: [0.15, 0.30, 0.35, 0.20],
    5: [0.10, 0.20, 0.30, 0.25, 0.15],
}

SIGMA = 0.8
TARGET_SHARE = 0.40  # of what all candidates could deliver
BUDGET_SHARE = LAND_SHARE = 0.35  # of the average yearly need
ENERGY_SHARE = 0.40  # of the energy if everything were built
METRO_BUDGET_SHARE = 0.30


def synthetic_scenario() -> dict:
    """Scenario keys to use with synthetic datasets (scenarios are not part of dataset.yaml)."""
    return {"partial_credit": 0.5, "solver": {"time_limit": 60, "mip_gap": 1e-4, "threads": 1}}


def _lognormal(rng: np.random.Generator, median: float, size: int) -> np.ndarray:
    return median * np.exp(SIGMA * rng.standard_normal(size))


def _profile(cost: float, d: int) -> list[float]:
    """Yearly amounts along the S-curve; the last one absorbs rounding so the sum is exact."""
    parts = [round(cost * s, 4) for s in PROFILE[d][:-1]]
    return parts + [round(cost - sum(parts), 4)]


def _last_start(latest: float, d: int) -> int:
    last = Y1 - d + 1
    return last if np.isnan(latest) else min(int(latest), last)


def synthetic_tables(
    n_projects: int,
    seed: int = 1,
    coupled: bool = False,
    funding: bool = False,
    *,
    linked: bool = False,
    shared: bool = False,
    committed: float = 0.0,
    cross: float = 0.05,
) -> tuple[dict, dict[str, pd.DataFrame]]:
    """A dataset (meta, tables) of ``n_projects`` candidates, reproducible from ``seed``.

    ``funding``: payers as real lists have them (_funding), a special-bond quota per city
    and year and, when coupled, a metro-wide central-budget row over the horizon.
    ``linked``: dependencies and exclusive pairs between any two projects, cross-city ones
    included (real lists: a Hangzhou line that needs a Shaoxing station), at the same rates.
    ``committed``: this share of the projects is under way (started 2021-2024, fixed start);
    limits then cover their spending first, as a commission's yearly plan does.
    ``shared``: cross-city projects as in the coupled variant, without its metro rows (the
    cities are then joined by those projects and, with ``linked``, by the links only).
    ``cross``: share of cross-city projects in the coupled and shared variants."""
    if n_projects < 1:
        raise ValueError("n_projects must be at least 1")
    rng = np.random.default_rng(seed)
    n = n_projects
    width = max(4, len(str(n)))
    ids = [f"P{i + 1:0{width}d}" for i in range(n)]

    city = rng.choice(len(CITIES), size=n, p=CITY_P)
    cat = rng.choice(len(CATEGORIES), size=n, p=[c[4] for c in CATEGORIES])
    duration = rng.integers(1, 6, size=n)
    cost = np.maximum(np.round(_lognormal(rng, 20.0, n), 2), 0.1)
    land = np.round(_lognormal(rng, 300.0, n), 1)
    energy = np.round(_lognormal(rng, 2.0, n), 3)
    earliest = rng.integers(Y0, TARGET_YEAR + 1, size=n)
    # latest_start: blank for half, else 1-4 years later (never past the last feasible start)
    gap = rng.integers(1, 5, size=n)
    has_latest = rng.random(n) < 0.5
    latest = np.where(has_latest, np.minimum(earliest + gap, Y1 - duration + 1), np.nan).astype(float)
    latest = np.where(has_latest, np.maximum(latest, earliest), np.nan)

    # cross-city projects: only in the coupled and shared variants, so the others' cities stay
    # independent (own random stream, so the variants of a seed share every other draw)
    shares: dict[int, list[tuple[int, float]]] = {}
    if coupled or shared:
        crng = np.random.default_rng([seed, 1])
        n_cross = max(1, round(cross * n)) if n >= 4 else 0
        for i in crng.choice(n, size=n_cross, replace=False):
            other = int(crng.choice([c for c in range(len(CITIES)) if c != city[i]]))
            own = round(float(crng.uniform(0.5, 0.8)), 2)
            shares[int(i)] = [(int(city[i]), own), (other, round(1.0 - own, 2))]

    def sigma(i: int) -> list[tuple[int, float]]:
        return shares.get(i, [(int(city[i]), 1.0)])

    # contributions: 1-3 indicators of the category, sized with the project
    contrib_rows = []
    for i in range(n):
        moves = CATEGORIES[cat[i]][3]
        k = min(int(rng.integers(1, 4)), len(moves))
        chosen = rng.choice(len(moves), size=k, replace=False)
        for j in sorted(chosen):
            ind = moves[j]
            typical = next(t for t in INDICATORS if t[0] == ind)[3]
            value = typical * (cost[i] / 20.0) ** 0.7 * np.exp(0.5 * rng.standard_normal())
            contrib_rows.append((ids[i], ind, max(round(float(value), 2), 0.01)))
    contributions = pd.DataFrame(contrib_rows, columns=["project_id", "indicator", "value"])

    # dependencies (~5%): on an earlier project of the same city that can finish in time
    used: set[int] = set()
    dep_rows = []
    n_dep = round(0.05 * n)
    for q in rng.permutation(np.arange(1, n)):
        if len(dep_rows) >= n_dep:
            break
        q_last = _last_start(latest[q], int(duration[q]))
        options = [p for p in range(q) if (linked or city[p] == city[q]) and earliest[p] + duration[p] <= q_last]
        if options:
            p = int(rng.choice(options))
            dep_rows.append((ids[q], ids[p]))
            used.update((int(q), p))
    dependencies = pd.DataFrame(dep_rows, columns=["project_id", "requires"])

    # exclusive pairs (~5% of projects): alternatives in the same city, outside dependencies
    group = np.full(n, None, dtype=object)
    n_pairs = round(0.025 * n)
    free = [i for i in rng.permutation(n) if int(i) not in used]
    g = 0
    while g < n_pairs and free:
        a = free.pop()
        mate = next((b for b in free if linked or city[b] == city[a]), None)
        if mate is None:
            continue
        free.remove(mate)
        g += 1
        group[a] = group[mate] = f"G{g:03d}"

    start = np.full(n, np.nan)
    if committed > 0:  # own stream; projects outside dependencies and groups, so all stays feasible
        krng = np.random.default_rng([seed, 3])
        free = [i for i in range(n) if i not in used and group[i] is None]
        k = min(len(free), round(committed * n))
        for i in krng.choice(free, size=k, replace=False) if k else []:
            start[i] = earliest[i] = int(krng.integers(Y0 - 3, Y0 + 1))
            latest[i] = np.nan
    projects = pd.DataFrame(
        {
            "id": ids,
            "name": [f"{CITIES[city[i]]}{CATEGORIES[cat[i]][1]}项目{i + 1:0{width}d}" for i in range(n)],
            "city": [CITIES[c] for c in city],
            "task": [CATEGORIES[c][2] for c in cat],
            "duration": duration.astype(int),
            "earliest_start": earliest.astype(int),
            "latest_start": latest,
            "cost": cost,
            "land": land,
            "energy": energy,
            "group": group,
        }
    )
    if committed > 0:
        projects["status"] = np.where(np.isnan(start), "candidate", "committed")
        projects["start"] = start
    project_cities = pd.DataFrame(
        [(ids[i], CITIES[c], s) for i in sorted(shares) for c, s in shares[i]],
        columns=["project_id", "city", "share"],
    )
    cost_profiles = pd.DataFrame(
        [(ids[i], k, a) for i in range(n) for k, a in enumerate(_profile(float(cost[i]), int(duration[i])))],
        columns=["project_id", "year_offset", "cost"],
    )

    # what each scope could get if every candidate were built (shares applied)
    avail: dict[tuple[str, str], float] = {}
    index_of = {pid: i for i, pid in enumerate(ids)}
    for pid, ind, value in contrib_rows:
        i = index_of[pid]
        for c, s in sigma(i):
            avail[(ind, CITIES[c])] = avail.get((ind, CITIES[c]), 0.0) + value * s
        avail[(ind, "ALL")] = avail.get((ind, "ALL"), 0.0) + value
    ind_rows = []
    for ind, name, unit, _ in INDICATORS:
        scopes = ["ALL"] if coupled and ind in METRO_INDICATORS else CITIES
        for scope in scopes:
            target = round(TARGET_SHARE * avail.get((ind, scope), 0.0), 4)
            if target > 0:  # no candidate moves it here: no target row (target == baseline is invalid)
                ind_rows.append((ind, name, unit, scope, 0, target, 1))
    indicators = pd.DataFrame(ind_rows, columns=["indicator", "name", "unit", "scope", "baseline", "target", "weight"])

    need = {r: np.zeros(len(CITIES)) for r in ("budget", "land", "energy")}
    fixed = _committed_use(start, duration, cost, land, energy, sigma)
    for i in range(n):
        if not np.isnan(start[i]):
            continue  # under way: its use is covered first (fixed), not part of the choice
        for c, s in sigma(i):
            need["budget"][c] += s * cost[i]
            need["land"][c] += s * land[i]
            need["energy"][c] += s * energy[i]
    n_years = len(YEARS)
    limit_rows = []
    for c, cname in enumerate(CITIES):
        for y in YEARS:
            b, la, e = (fixed[r].get((c, y), 0.0) for r in ("budget", "land", "energy"))
            limit_rows.append(("budget", cname, y, _cover(b, BUDGET_SHARE * need["budget"][c] / n_years, 2)))
            limit_rows.append(("land", cname, y, _cover(la, LAND_SHARE * need["land"][c] / n_years, 1)))
            limit_rows.append(("energy", cname, y, _cover(e, ENERGY_SHARE * need["energy"][c], 3)))
    if coupled:
        free_cost = float(cost[np.isnan(start)].sum())
        for y in YEARS:
            b = sum(fixed["budget"].get((c, y), 0.0) for c in range(len(CITIES)))
            limit_rows.append(("budget", "ALL", y, _cover(b, METRO_BUDGET_SHARE * free_cost / n_years, 2)))
    fund = pd.DataFrame(columns=["project_id", "source", "share"])
    if funding:
        fund, quota = _funding(seed, ids, cat, cost, duration, start, sigma, coupled)
        limit_rows += quota
    limits = pd.DataFrame(limit_rows, columns=["resource", "scope", "year", "limit"])

    meta = {
        "name": f"synthetic-{n}-seed{seed}{'-coupled' if coupled else ''}{'-linked' if linked else ''}"
        + ("-shared" if shared and not coupled else "")
        + (f"-committed{committed:g}" if committed > 0 else ""),
        "cities": list(CITIES),
        "tasks": list(TASKS),
        "horizon": [Y0, Y1],
        "target_year": TARGET_YEAR,
        "units": {"money": "亿元", "land": "亩", "energy": "万吨标准煤"},
    }
    tables = {
        "projects": projects,
        "cost_profiles": cost_profiles,
        "contributions": contributions,
        "indicators": indicators,
        "limits": limits,
    }
    if len(project_cities):
        tables["project_cities"] = project_cities
    if len(dependencies):
        tables["dependencies"] = dependencies
    if len(fund):
        tables["funding"] = fund
    return meta, tables


def _cover(fixed: float, extra: float, digits: int) -> float:
    """A limit: what projects under way use (rounded up, so that they always fit) plus a share
    of the candidates' need; with nothing under way, round(extra) as before."""
    return max(round(fixed + extra, digits), math.ceil(fixed * 10**digits - 1e-9) / 10**digits)


def _committed_use(start, duration, cost, land, energy, sigma) -> dict[str, dict[tuple[int, int], float]]:
    """What the projects under way use per (city, year) of the horizon: spending along their
    S-curve, land in the start year, energy from completion on (history before Y0 is none)."""
    use: dict[str, dict[tuple[int, int], float]] = {"budget": {}, "land": {}, "energy": {}}

    def add(r, c, y, v):
        if Y0 <= y <= Y1:
            use[r][(c, y)] = use[r].get((c, y), 0.0) + v

    for i in np.flatnonzero(~np.isnan(start)):
        t, d = int(start[i]), int(duration[i])
        for c, s in sigma(int(i)):
            for k, a in enumerate(_profile(float(cost[i]), d)):
                add("budget", c, t + k, s * a)
            add("land", c, t, s * land[i])
            for y in range(t + d - 1, Y1 + 1):
                add("energy", c, y, s * energy[i])
    return use


#: the benchmark families (benchmarks/speed.py): name -> synthetic_tables keywords
FAMILIES = {
    "independent": {},
    "coupled": {"coupled": True},
    "linked": {"linked": True},
    # links anywhere and a twentieth of the projects shared between two cities, no metro rows:
    # cities joined by a few links and cross-city projects only (solve/links.py)
    "shared": {"linked": True, "shared": True},
    # shaped like inputs/hangzhou_2027: ~40% of the list under way, a quarter of the projects
    # shared between cities, metro-wide targets and budgets, links anywhere, payers and quotas
    "calibrated": {"coupled": True, "linked": True, "funding": True, "committed": 0.4, "cross": 0.25},
}


#: payers by category (DATA.md funding): rail is split between central, provincial and city
#: money; industry and computing are mostly private; the rest lean on special bonds
_PAYERS = {
    "rail": (("central", 0.25), ("provincial", 0.25), ("special_bond", 0.3), ("local", 0.2)),
    "highway": (("central", 0.15), ("provincial", 0.2), ("special_bond", 0.4), ("local", 0.25)),
    "industrial": (("private", 0.8), ("local", 0.2)),
    "computing": (("private", 0.7), ("special_bond", 0.1), ("local", 0.2)),
}
_DEFAULT_PAYERS = (("special_bond", 0.5), ("local", 0.5))
BOND_SHARE = 0.3  # special-bond quota: of the average yearly bond need of each city
CENTRAL_SHARE = 0.5  # metro-wide central budget over the horizon: of the central need


def _funding(seed, ids, cat, cost, duration, start, sigma, coupled):
    """Funding rows (a fifth of the projects have none: paid from their cities' own budget,
    as in lists that leave 资金来源 blank) and the quota rows on special bonds and central money."""
    frng = np.random.default_rng([seed, 2])  # own stream: every other draw stays as without funding
    rows, bond, central = [], np.zeros(len(CITIES)), 0.0
    fixed_bond: dict[tuple[int, int], float] = {}  # projects under way: their bond spending is covered first
    fixed_central = 0.0
    for i, pid in enumerate(ids):
        if frng.random() < 0.2:
            continue
        payers = _PAYERS.get(CATEGORIES[cat[i]][0], _DEFAULT_PAYERS)
        raw = np.array([share for _, share in payers]) * frng.uniform(0.7, 1.3, size=len(payers))
        shares = np.round(raw / raw.sum(), 3)
        shares[-1] = round(1.0 - shares[:-1].sum(), 3)
        spend = []  # a project under way: its spending in the horizon, covered first
        if not np.isnan(start[i]):
            spend = [(int(start[i]) + k, a) for k, a in enumerate(_profile(float(cost[i]), int(duration[i])))]
            spend = [(y, a) for y, a in spend if Y0 <= y <= Y1]
        for (name, _), share in zip(payers, shares):
            if share > 0:
                rows.append((pid, name, float(share)))
                if not np.isnan(start[i]):
                    for y, a in spend:
                        for c, s in sigma(i) if name == "special_bond" else []:
                            fixed_bond[(c, y)] = fixed_bond.get((c, y), 0.0) + s * share * a
                    fixed_central += share * sum(a for _, a in spend) if name == "central" else 0.0
                elif name == "special_bond":
                    for c, s in sigma(i):
                        bond[c] += s * share * cost[i]
                elif name == "central":
                    central += share * cost[i]
    quota = [
        ("special_bond", cname, y, _cover(fixed_bond.get((c, y), 0.0), BOND_SHARE * bond[c] / len(YEARS), 2))
        for c, cname in enumerate(CITIES)
        for y in YEARS
        if bond[c] > 0 or fixed_bond.get((c, y), 0.0) > 0
    ]
    if coupled and central + fixed_central > 0:
        quota.append(("central", "ALL", None, _cover(fixed_central, CENTRAL_SHARE * central, 2)))
    return pd.DataFrame(rows, columns=["project_id", "source", "share"]), quota
