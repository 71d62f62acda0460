"""The workbench: a served dataset and scenario, answering any settings from a warm model.

A browser (or a script) sends scenario keys (DATA.md) to apply on top of the served
scenario. Most of what a planner moves in a meeting (the scale of a resource, city
weights, projects forced in or out) changes only limit values, target weights and project
bounds: the workbench turns such settings into a Change of a warm Session and re-solves
it, warm-started from the baseline portfolio. Settings that change the model's shape
(partial credit, horizon, balance rules, task minimums, …) get a Session of their own,
kept for the next request with the same shape (a few are kept, least recently used
first out). Either way the answer is the optimum of exactly that scenario: the Result
is measured against, and records, the scenario asked for.

Thread safety: `solve` may be called from several threads at once (a web server's
workers); each Session serialises its own solves, and the cache is guarded by a lock.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import replace
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, resolve_scenario
from ..data.instance import Instance, build_instance, with_settings
from ..data.scenario import Scenario, parse_scenario
from ..data.scenario_checks import scenario_against_data
from ..errors import InputError, Problem
from ..results import Result
from ..solve import Change
from .session import Session, starts_of, x_from_starts

#: keys whose change a warm model absorbs as a Change (limits, weights, project bounds; and
#: balance.min_city_attainment, whose rows a Change adds)
SOFT_KEYS = ("name", "description", "scale", "city_weights", "force_in", "force_out")
#: nested keys merged into the served scenario's rather than replacing them
MERGED_KEYS = ("solver", "balance", "uncertainty")
REQUEST = "request"


class Workbench:
    """The served dataset and scenario, a baseline Result, and warm Sessions by model shape.

    `time_limit` caps every answer (seconds; None: the scenario's own); `tie_break` False
    skips the cost tie-break for speed (the score is the same; among equally good
    portfolios the one shown may not be the cheapest, and results say tie_break "off").
    """

    def __init__(
        self,
        dataset: Dataset,
        scenario: Scenario | dict | None = None,
        *,
        time_limit: float | None = None,
        tie_break: bool = False,
        keep: int = 4,
    ):
        self.dataset = dataset
        self.scenario = resolve_scenario(dataset, scenario)
        self.time_limit, self.tie_break, self.keep = time_limit, tie_break, keep
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._warm: dict[str, int] | None = None
        self.baseline = self.solve({})
        self._warm = starts_of(self.baseline) if self.baseline.ok else None

    # -- settings -------------------------------------------------------------------------------
    def settings(self, updates: dict[str, Any]) -> Scenario:
        """The served scenario with `updates` on top, checked (InputError naming the key)."""
        if not isinstance(updates, dict):
            raise InputError([Problem(REQUEST, None, None, "the body must be a JSON object of scenario keys")])
        if "data" in updates:
            raise InputError(
                [Problem(REQUEST, None, "data", "the served dataset is fixed: open another by uploading it")]
            )
        base = self.scenario.model_dump(mode="json", exclude={"source", "data"})
        merged = {**base}
        for key, value in updates.items():
            if key in MERGED_KEYS and isinstance(value, dict) and isinstance(base.get(key), dict):
                merged[key] = {**base[key], **value}
            else:
                merged[key] = value
        sc = parse_scenario(merged, REQUEST)
        solver = {}
        if self.time_limit is not None and (sc.solver.time_limit is None or sc.solver.time_limit > self.time_limit):
            solver["time_limit"] = self.time_limit
        if not self.tie_break:
            solver["tie_break"] = False
        return sc.with_updates(solver={**sc.solver.model_dump(), **solver}) if solver else sc

    # -- solving --------------------------------------------------------------------------------
    def solve(self, updates: dict[str, Any] | Scenario) -> Result:
        """The optimum of the served scenario with `updates` (see the module docstring)."""
        sc = updates if isinstance(updates, Scenario) else self.settings(updates)
        # the city floors are rows a Change adds; the rest of the balance rules shape the model
        shape = sc.with_updates(
            force_in=[], force_out=[], balance={**sc.balance.model_dump(), "min_city_attainment": None}
        )
        problems = scenario_against_data(self.dataset, sc)  # the names the settings use
        if problems:
            raise InputError(problems)
        if sc.force_in or sc.force_out:
            build_instance(self.dataset, sc)  # forced projects' start windows, as a whole run checks them
        session = self._session(shape)
        measure = with_settings(session.inst, shape)  # the session's tables, this scale and these weights
        change = self._change(session, measure, sc)
        warm = x_from_starts(session.inst, self._warm) if self._warm else None
        res = session.solve(change, warm_start=warm, measure=measure)
        if res.status == "infeasible":  # the relaxation table comes from the scenario as a whole run
            res = Session(self.dataset, sc, reusable=False).solve()
        return replace(res, scenario=sc.settings())

    def _session(self, shape: Scenario) -> Session:
        key = _shape_key(shape)
        with self._lock:
            s = self._sessions.get(key)
            if s is not None:
                self._sessions.move_to_end(key)
                return s
        s = Session(self.dataset, shape)  # built outside the lock: other shapes need not wait
        with self._lock:
            s = self._sessions.setdefault(key, s)
            self._sessions.move_to_end(key)
            while len(self._sessions) > self.keep:
                self._sessions.popitem(last=False)
        return s

    @staticmethod
    def _change(session: Session, measure: Instance, sc: Scenario) -> Change:
        """What turns the session's model into this scenario's: limit values, weights, forced projects."""
        base = session.inst
        old = base.limits["limit"].to_numpy()
        new = measure.limits["limit"].to_numpy()
        limits = {}
        for (res, scope, year), a, b in zip(
            base.limits[["resource", "scope", "year"]].itertuples(index=False), old, new
        ):
            if a != b:
                limits[(res, scope, None if pd.isna(year) else int(year))] = float(b)
        t0, t1 = base.targets, measure.targets
        w0 = (t0["weight"] * t0["omega"]).to_numpy()
        w1 = (t1["weight"] * t1["omega"]).to_numpy()
        weights = {(i, s): float(b) for i, s, a, b in zip(t1["indicator"], t1["scope"], w0, w1) if a != b}
        return Change(
            label=sc.name,
            limits=limits,
            weights=weights,
            force_in=tuple(sc.force_in),
            force_out=tuple(sc.force_out),
            floors={c: v for c, v in sc.balance.attainment_floor(base.cities).items() if v > 0},
            tie_break=sc.solver.tie_break,
            time_limit=sc.solver.time_limit,
        )

    # -- a scenario file --------------------------------------------------------------------------
    def scenario_data(self, updates: dict[str, Any], data: str | None) -> dict[str, Any]:
        """The settings as a scenario file's mapping (`data`: the dataset path to name), which
        `portfolio run` reads back to the same scenario."""
        sc = self.settings(updates)
        keep = sc.model_dump(mode="json", exclude={"source", "data"}, exclude_defaults=True)
        keep.setdefault("name", sc.name)
        return {**({"data": data} if data else {}), **keep}


def _shape_key(sc: Scenario) -> str:
    d = sc.model_dump(mode="json", exclude={"source", "data", *SOFT_KEYS})
    for k in ("time_limit", "tie_break"):
        d["solver"].pop(k, None)
    return json.dumps(d, sort_keys=True)
