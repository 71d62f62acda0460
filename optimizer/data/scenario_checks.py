"""A scenario checked against the dataset it is applied to (names, target year).

Its own module so that the loader (dataset.py, which can say on which line of the file a
key stands) and the model's input (instance.py) use one check without importing each other.
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem, quoted


def scenario_against_data(ds: Any, sc: Any) -> list[Problem]:
    """Every name a scenario uses (resources, scopes, cities, task areas, projects) and its
    target year, checked against the dataset; the problems name the scenario's keys.
    (`ds` a data.dataset.Dataset, `sc` a data.scenario.Scenario: not imported, as dataset.py imports this.)"""
    label = sc.source or "<scenario>"
    out: list[Problem] = []
    cities = set(ds.cities)
    scopes = cities | {"ALL"}
    ids = set(ds.projects["id"])

    def bad(key: str, msg: str) -> None:
        out.append(Problem(label, None, key, msg))

    y0, y1 = sc.horizon or ds.meta.horizon
    ty = sc.target_year if sc.target_year is not None else ds.meta.target_year
    if not y0 <= ty <= y1:
        key = "target_year" if sc.target_year is not None else "horizon"
        source = "" if sc.target_year is not None else " (dataset.yaml's; set target_year in the scenario too)"
        bad(key, f"target year {ty}{source} is outside the horizon {y0}-{y1}")
    for res, value in sc.scale.items():
        if res not in ds.resources:
            bad(f"scale.{res}", f"unknown resource {quoted(res)} (known: {', '.join(ds.resources)})")
        elif isinstance(value, dict):
            for s in value:
                if s not in scopes:
                    bad(f"scale.{res}.{s}", f"unknown scope {quoted(s)} (ALL or a city)")
    for key in ("city_weights",):
        for c in getattr(sc, key):
            if c not in scopes:
                bad(f"{key}.{c}", f"unknown city {quoted(c)}")
    for key in ("min_city_share", "max_city_share"):
        for c in getattr(sc.balance, key):
            if c not in cities:
                bad(f"balance.{key}.{c}", f"unknown city {quoted(c)}")
    if isinstance(sc.balance.min_city_attainment, dict):
        for c in sc.balance.min_city_attainment:
            if c not in cities:
                bad(f"balance.min_city_attainment.{c}", f"unknown city {quoted(c)}")
    tasks = set(ds.meta.tasks or []) | set(ds.projects["task"].dropna())
    for k in sc.task_minimum:
        if k not in tasks:
            bad(f"task_minimum.{k}", f"unknown task area {quoted(k)}")
    status = ds.projects.set_index("id")["status"]
    for key in ("force_in", "force_out"):
        for pid in getattr(sc, key):
            if pid not in ids:
                bad(key, f"unknown project {quoted(pid)}")
            elif key == "force_out" and status[pid] == "committed":
                bad(key, f"project {quoted(pid)} is committed (already under construction) and cannot be forced out")
    return out
