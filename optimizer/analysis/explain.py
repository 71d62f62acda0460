"""Why is a project in or out? One forced run per project, returned as fields, not sentences.

A planner asks "why not P45?" or "what does P12 buy us?". The honest answer is a
counterfactual: solve again with the project forced in (if it was left out) or
forced out (if it was chosen) and report what changes: the score lost, the limits
that then bind and by how much the project overshoots what the base portfolio
left free, and the projects that trade places with it. Committed, excluded and
unplaceable projects need no run: their status is the whole answer.

`explain` returns one row per project with those facts as columns (FIELDS);
optimizer.report.explanations makes the zh/en sentences from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.instance import HORIZON, resource_rows
from ..engine import Change, Progress, Session, base_result, run_changes, starts_of
from ..errors import InputError, Problem
from ..results import Result
from ..solve import Status

#: the columns of explanations.csv, before the sentence (the report adds it)
COLUMNS = [
    "id", "name", "city", "status", "selected", "start", "action", "score_base", "score_forced",
    "score_change", "score_change_pct", "forced_status", "binding", "displaced", "replaced_by",
    "brought_in", "shifted",
]  # fmt: skip
#: the structured fields the sentences are made of, beside COLUMNS
FIELDS = ["note", "limits", "moved", "tie", "adds_nothing", "rivals", "why", "forced_gap"]


@dataclass(frozen=True)
class Shortfall:
    """A limit row that binds in a forced run and that the project uses at its forced start."""

    resource: str
    scope: str
    year: int | None  # None: a whole-horizon row
    need: float  # what the project takes of the row
    left: float  # what the base portfolio left free (negative: over the limit already)
    short: float  # need − max(left, 0), at least 0
    unit: str

    def label(self) -> str:
        """The row in explanations.csv's `binding` column: 'budget ALL horizon short 6.0 亿元'."""
        year = "horizon" if self.year is None else self.year
        return f"{self.resource} {self.scope} {year} short {number(self.short)} {self.unit}"


class BaseInfeasible(RuntimeError):
    """The scenario itself has no portfolio, so there is nothing to explain against."""

    def __init__(self, result: Result):
        self.result = result
        super().__init__(f"the scenario has no portfolio ({result.status}): {result.message or 'no details'}")


def explain(
    data_or_dataset: Dataset | str | Path,
    ids: list[str] | None = None,
    scenario: Any = None,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """One row per project (the given ids, else every project): COLUMNS and FIELDS.

    Chosen projects are forced out, left-out ones forced in, each in its own run from the
    base portfolio's warm start. score_change = forced − base (negative: a loss). attrs:
    score, dataset, scenario, names (id → name), target_year, cumulative, tie_break.
    """
    ds = data_or_dataset if isinstance(data_or_dataset, Dataset) else load(data_or_dataset)
    sc = resolve_scenario(ds, scenario)
    known = list(ds.projects["id"])
    wanted = list(dict.fromkeys(ids)) if ids else known
    unknown = [i for i in wanted if i not in set(known)]
    if unknown:
        raise InputError([Problem("command line", None, "ids", f"unknown project id(s): {', '.join(unknown)}")])
    session = Session(ds, sc)
    base = base_result(session)
    if not base.ok:
        raise BaseInfeasible(base)
    port = base.portfolio.set_index("id")
    changes = []
    for pid in wanted:
        status, note = port.at[pid, "status"], port.at[pid, "note"]
        if status in ("excluded", "committed") or note:
            continue
        out = bool(port.at[pid, "selected"])
        changes.append(Change(label=pid, force_out=(pid,) if out else (), force_in=() if out else (pid,), tag=pid))
    results = run_changes(
        ds, sc, changes, warm=starts_of(base), executor=executor, scheduler=scheduler,
        workers=workers, progress=progress, desc="explaining", session=session,
    )  # fmt: skip
    forced = {ch.tag: (ch, r) for ch, r in zip(changes, results)}
    ctx = _Context(session, base)
    table = pd.DataFrame([ctx.row(pid, *forced.get(pid, (None, None))) for pid in wanted], columns=COLUMNS + FIELDS)
    table["start"] = table["start"].astype("Int64")
    table.attrs.update(
        score=base.objective,
        dataset=ds.name,
        scenario=sc.name,
        names=dict(zip(base.portfolio["id"], base.portfolio["name"])),
        target_year=session.inst.target_year,
        cumulative=ctx.cumulative,
        tie_break=base.tie_break != "off",
    )
    return table


class _Context:
    """What every row needs: the base result, each project's use of each limit row."""

    def __init__(self, session: Session, base: Result):
        self.s, self.base = session, base
        inst = session.inst
        self.inst = inst
        self.port = base.portfolio.set_index("id")
        # a project no start year fits is reported as unavailable, not as excluded by the planner
        self.port.loc[self.port["note"].ne("") & self.port["note"].ne("excluded"), "status"] = "unavailable"
        self.chosen = starts_of(base)
        r = base.resources
        self.slack = {
            (a, b, None if pd.isna(y) else int(y)): float(v)
            for a, b, y, v in zip(r["resource"], r["scope"], r["year"], r["slack"])
        }
        self.units = {k: v.unit or "" for k, v in session.dataset.resources.items()}
        self.cumulative = session.scenario.budget_mode == "cumulative"
        starts = inst.starts[["p", "t"]].reset_index(drop=True)
        parts = []
        for res in session.dataset.resources:
            terms, _ = resource_rows(inst, res, res == "budget" and self.cumulative)
            if terms.empty:
                continue
            t = terms.groupby(["scope", "year", "pos"], as_index=False)["coef"].sum()
            t["p"] = starts["p"].to_numpy()[t["pos"].astype(int)]
            t["t"] = starts["t"].to_numpy()[t["pos"].astype(int)]
            t["year"] = pd.Series([None if y == HORIZON else int(y) for y in t["year"]], dtype=object)
            parts.append(t.assign(resource=res))
        self.use = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["p", "t", "resource"])
        gap = session.scenario.solver.mip_gap
        self.tol = max(1e-6, gap * max(1.0, abs(base.objective or 0.0)))
        self.scoring = set(inst.progress.loc[inst.progress["coef"] > 0, "p"])

    def row(self, pid: str, change: Change | None, res: Result | None) -> dict:
        p = self.port.loc[pid]
        selected = bool(p["selected"])
        row: dict[str, Any] = {c: None for c in COLUMNS + FIELDS}
        row.update(id=pid, name=p["name"], city=p["city"], status=p["status"], selected=selected)
        row.update(start=p["start"] if selected else pd.NA, score_base=self.base.objective, action="none")
        for c in ("binding", "displaced", "replaced_by", "brought_in", "shifted", "why"):
            row[c] = ""
        row.update(note=str(p["note"]), limits=(), moved=(), rivals=(), tie=False, adds_nothing=False)
        if change is None or res is None:
            return row
        out = bool(change.force_out)
        row["action"] = "force_out" if out else "force_in"
        row["forced_status"] = str(res.status)
        if not res.ok:
            if res.status != Status.NO_SOLUTION:
                row["why"] = res.message or self.diagnose(pid, out)
            return row
        delta = res.objective - self.base.objective
        row.update(score_forced=res.objective, score_change=delta, tie=abs(delta) <= self.tol)
        row["score_change_pct"] = 100 * delta / abs(self.base.objective) if self.base.objective else None
        after = starts_of(res)
        gone = [i for i in self.chosen if i not in after and i != pid]
        new = [i for i in after if i not in self.chosen and i != pid]
        moved = [(i, self.chosen[i], after[i]) for i in after if i in self.chosen and after[i] != self.chosen[i]]
        row["displaced"] = ";".join(gone)
        row["shifted"] = ";".join(f"{i} {a}->{b}" for i, a, b in moved)
        row["moved"] = tuple(moved)
        if out:
            row["replaced_by"] = ";".join(new)
        else:
            row["brought_in"] = ";".join(new)
            limits = self.shortfalls(pid, after.get(pid), res)
            row["limits"] = tuple(limits)
            row["binding"] = ";".join(b.label() for b in limits)
            row["adds_nothing"] = pid not in self.scoring
            group = self.inst.projects.at[pid, "group"] if "group" in self.inst.projects else None
            if isinstance(group, str):
                row["rivals"] = tuple(i for i in self.inst.groups.get(group, []) if i in self.chosen and i != pid)
        if res.status == Status.FEASIBLE and res.mip_gap is not None:
            row["forced_gap"] = res.mip_gap
        return row

    def diagnose(self, pid: str, out: bool) -> str:
        """The elastic diagnosis of the forced scenario as a whole run (a sweep point has none)."""
        sc = self.s.scenario
        upd = (
            {"force_out": [*sc.force_out, pid], "force_in": [i for i in sc.force_in if i != pid]}
            if out
            else {"force_in": [*sc.force_in, pid]}
        )
        try:
            return Session(self.s.dataset, sc.with_updates(**upd), reusable=False).solve().message
        except InputError as exc:
            return "; ".join(p.message for p in exc.problems)

    def shortfalls(self, pid: str, start: int | None, res: Result) -> list[Shortfall]:
        """Limit rows binding in the forced run that the project uses at its forced start."""
        u = self.use[(self.use["p"] == pid) & (self.use["t"] == start) & (self.use["coef"] > 0)]
        r = res.resources
        tight = {
            (a, b, None if pd.isna(y) else int(y))
            for a, b, y in r.loc[r["binding"], ["resource", "scope", "year"]].itertuples(index=False)
        }
        out = []
        for res_name, scope, year, need in u[["resource", "scope", "year", "coef"]].itertuples(index=False):
            key = (res_name, scope, year)
            if key in tight:
                left = self.slack.get(key, 0.0)
                short = max(0.0, need - max(left, 0.0))
                out.append(Shortfall(res_name, scope, year, float(need), left, short, self.units.get(res_name, "")))
        return sorted(out, key=lambda b: (-b.short, -b.need))


def number(v: float) -> str:
    """A quantity as the explanations show it: one decimal from 1 up, three digits below."""
    return f"{v:,.1f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"
