"""Cross-table checks: the rules no single row can see (DATA.md keys, shares, profiles, cycles)."""

from __future__ import annotations

import pandas as pd

from ..errors import ProblemCollector, quoted, shorten
from .funding import canonical_source

#: relative tolerance on shares summing to 1 and cost profiles summing to the cost: what a
#: spreadsheet writes after rounding (0.333333 x 3) passes, and is then normalised exactly
SHARE_TOL = 1e-6
COST_TOL = 1e-6
#: room for the binary representation of decimal fractions at the edge of the tolerance
_EDGE = 1e-12


def within(total: float, expected: float, tol: float) -> bool:
    return abs(total - expected) <= tol * max(abs(expected), 1e-300) + _EDGE


def duplicate_keys(df: pd.DataFrame, key: tuple[str, ...], label: str, problems: ProblemCollector) -> None:
    if df.empty:
        return
    dup = df[df.duplicated(list(key), keep="first")]
    first = df.drop_duplicates(list(key), keep="first").set_index(list(key))["row_"]
    for _, row in dup.iterrows():
        k = tuple(row[c] for c in key)
        shown = ", ".join(f"{c}={shorten(v) if pd.notna(v) else '(blank)'}" for c, v in zip(key, k))
        earlier = first.get(k if len(k) > 1 else k[0])
        problems.add(label, int(row["row_"]), key[-1], f"duplicate key ({shown}); first given in row {earlier}")


def check_projects(p: pd.DataFrame, meta, label: str, problems: ProblemCollector) -> None:
    cities = set(meta.cities)
    tasks = set(meta.tasks) if meta.tasks else None
    y0, y1 = meta.horizon
    for r in p.itertuples(index=False):
        row = int(r.row_)
        if r.city not in cities:
            problems.add(
                label, row, "city", f"unknown city {quoted(r.city)} (dataset.yaml cities: {', '.join(meta.cities)})"
            )
        if tasks is not None and pd.notna(r.task) and r.task not in tasks:
            problems.add(label, row, "task", f"unknown task {quoted(r.task)} (not in dataset.yaml tasks)")
        latest = r.latest_start
        if pd.notna(latest) and latest < r.earliest_start:
            problems.add(
                label, row, "latest_start", f"latest_start {int(latest)} is before earliest_start {r.earliest_start}"
            )
            continue
        if r.status == "committed":
            if pd.isna(r.start):
                problems.add(label, row, "start", "a committed project needs its start year")
        elif pd.notna(r.start):
            problems.add(label, row, "start", f"start is only for committed projects (status is {r.status})")
        if r.status in ("candidate", "mandatory"):
            last = y1 - r.duration + 1
            if pd.notna(latest):
                last = min(last, int(latest))
            if max(r.earliest_start, y0) > last:
                problems.add(
                    label,
                    row,
                    "earliest_start",
                    f"no start year fits the horizon {y0}-{y1}: earliest_start {r.earliest_start}, "
                    f"latest_start {int(latest) if pd.notna(latest) else '(blank)'}, duration {r.duration}",
                )


def check_references(
    df: pd.DataFrame,
    column: str,
    known: set | None,
    label: str,
    problems: ProblemCollector,
    what: str,
    hint: str = "",
) -> None:
    """Each value of `column` must be in `known`; None: the table it refers to could not be read, skip."""
    if df.empty or known is None:
        return
    bad = df[~df[column].isin(known)]
    for _, r in bad.iterrows():
        problems.add(label, int(r["row_"]), column, f"unknown {what} {quoted(r[column])}{hint}")


def check_shares(pc: pd.DataFrame, label: str, problems: ProblemCollector) -> None:
    if pc.empty:
        return
    sums = pc.groupby("project_id", sort=False).agg(total=("share", "sum"), row=("row_", "min"))
    for pid, r in sums.iterrows():
        if not within(r.total, 1.0, SHARE_TOL):
            problems.add(label, int(r.row), "share", f"shares of project {pid} sum to {r.total:.6g}, not 1")


def check_sources(fu: pd.DataFrame, resources: set[str], label: str, problems: ProblemCollector) -> None:
    """A funding source is a payer, not one of the dataset's other resources (budget, land ...)."""
    for r in fu.itertuples(index=False):
        if canonical_source(r.source) in resources:
            problems.add(
                label,
                int(r.row_),
                "source",
                f"{quoted(r.source)} names a resource, not a payer (e.g. central, provincial, local, special_bond, private)",
            )


def check_profiles(cp: pd.DataFrame, projects: pd.DataFrame, label: str, problems: ProblemCollector) -> None:
    if cp.empty:
        return
    info = projects.drop_duplicates("id").set_index("id")[["duration", "cost"]]  # duplicates are reported elsewhere
    for r in cp.itertuples(index=False):
        if r.project_id in info.index and r.year_offset >= info.at[r.project_id, "duration"]:
            d = int(info.at[r.project_id, "duration"])
            problems.add(
                label, int(r.row_), "year_offset", f"offset {r.year_offset} is outside 0..{d - 1} (duration {d})"
            )
    sums = cp.groupby("project_id", sort=False).agg(total=("cost", "sum"), row=("row_", "min"))
    for pid, r in sums.iterrows():
        if pid not in info.index:
            continue
        cost = float(info.at[pid, "cost"])
        if not within(r.total, cost, COST_TOL) and not (cost == 0 and abs(r.total) <= _EDGE):
            problems.add(
                label,
                int(r.row),
                "cost",
                f"cost profile of project {pid} sums to {r.total:.6g}, but its cost is {cost:.6g}",
            )


def check_indicators(ind: pd.DataFrame, meta, label: str, problems: ProblemCollector) -> None:
    scopes = set(meta.cities) | {"ALL"}
    for r in ind.itertuples(index=False):
        if r.scope not in scopes:
            problems.add(label, int(r.row_), "scope", f"unknown scope {quoted(r.scope)} (ALL or a city)")
        if pd.notna(r.target) and abs(r.target - r.baseline) <= 1e-12 * max(1.0, abs(r.baseline)):
            problems.add(
                label, int(r.row_), "target", f"target equals baseline ({r.baseline:g}): there is no gap to close"
            )


def check_limits(lim: pd.DataFrame, meta, resources: set[str], label: str, problems: ProblemCollector) -> None:
    """Known resource and scope; a year inside the dataset's horizon (a row for 1990 is a typo,
    and dropping it in silence would leave that limit out; a scenario's shorter horizon may
    leave rows unused, which is fine)."""
    scopes = set(meta.cities) | {"ALL"}
    y0, y1 = meta.horizon
    for r in lim.itertuples(index=False):
        if pd.notna(r.year) and not y0 <= int(r.year) <= y1:
            problems.add(
                label, int(r.row_), "year", f"year {int(r.year)} is outside the horizon {y0}-{y1} (dataset.yaml)"
            )
        if r.resource not in resources:
            problems.add(
                label,
                int(r.row_),
                "resource",
                f"unknown resource {quoted(r.resource)} (known: {', '.join(sorted(resources))})",
            )
        if r.scope not in scopes:
            problems.add(label, int(r.row_), "scope", f"unknown scope {quoted(r.scope)} (ALL or a city)")


def check_cycles(dep: pd.DataFrame, label: str, problems: ProblemCollector) -> None:
    """Report each dependency cycle once, naming the rows that form it."""
    if dep.empty:
        return
    edges: dict[str, list[tuple[str, int]]] = {}
    for r in dep.itertuples(index=False):
        edges.setdefault(r.project_id, []).append((r.requires, int(r.row_)))
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[tuple[str, int]] = []
    for root in list(edges):
        if state.get(root):
            continue
        # iterative DFS keeping the path, so deep chains do not hit the recursion limit
        path: list[tuple[str, int | None]] = [(root, None)]
        iters = [iter(edges.get(root, []))]
        state[root] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                node, _ = path.pop()
                iters.pop()
                state[node] = 2
                continue
            child, row = nxt
            if state.get(child) == 1:
                names = [n for n, _ in path]
                i = names.index(child)
                cycle = names[i:] + [child]
                rows = [r for _, r in path[i + 1 :] if r is not None] + [row]
                problems.add(
                    label,
                    min(rows),
                    "requires",
                    f"dependency cycle: {' -> '.join(cycle)} (rows {', '.join(map(str, sorted(rows)))})",
                )
            elif not state.get(child):
                state[child] = 1
                path.append((child, row))
                iters.append(iter(edges.get(child, [])))
    del stack
