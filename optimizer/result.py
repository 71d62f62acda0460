"""Result: what a run found, as numbers and DataFrames, and how it is written to disk.

Everything here is recomputed from the chosen starts and the Instance, never read
back from solver internals, so the reported score and slacks are exactly those of
the portfolio that is returned.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import outdir, outfiles
from .data.instance import HORIZON, Instance, resource_rows, scoped_usage
from .solve import SolveOutcome, Status

BINDING_TOL = 1e-6
#: a limit used to within this share of itself counts as binding
FULL_SHARE = 0.01


@dataclass(eq=False)
class Result:
    status: Status
    objective: float | None
    bound: float | None
    mip_gap: float | None
    attainment_index: float | None
    selected_count: int
    total_cost: float
    build_seconds: float
    solve_seconds: float
    portfolio: pd.DataFrame
    spending: pd.DataFrame
    resources: pd.DataFrame
    attainment: pd.DataFrame
    cities: pd.DataFrame
    scenario: dict[str, Any]
    dataset: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    tie_break: str = "off"
    message: str = ""
    #: variables, constraints and nonzeros handed to HiGHS
    model_size: dict = field(default_factory=dict)
    #: for an infeasible scenario: the smallest relaxation that would make it feasible
    infeasibility: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def raise_for_status(self) -> Result:
        """Raise InfeasibleError (carrying the relaxation table) or NoSolutionError unless a
        portfolio was found; return self, so that `solve(...).raise_for_status()` chains."""
        from .errors import InfeasibleError, NoSolutionError

        if self.status == Status.INFEASIBLE:
            raise InfeasibleError(self.message or "no portfolio satisfies every limit and rule", self.infeasibility)
        if self.status == Status.NO_SOLUTION:
            raise NoSolutionError("no portfolio found within the time limit")
        return self

    @property
    def binding(self) -> pd.DataFrame:
        r = self.resources
        return r[r["binding"]] if not r.empty else r

    def summary(self) -> dict[str, Any]:
        def num(v):
            if v is None or (isinstance(v, float) and not math.isfinite(v)):
                return None
            return float(v)

        return {
            "status": str(self.status),
            "objective": num(self.objective),
            "bound": num(self.bound),
            "attainment_index": num(self.attainment_index),
            "mip_gap": num(self.mip_gap),
            "selected_count": int(self.selected_count),
            "total_cost": num(self.total_cost),
            "build_seconds": round(self.build_seconds, 4),
            "solve_seconds": round(self.solve_seconds, 4),
            "tie_break": self.tie_break,
            "model_size": self.model_size,
            "message": self.message,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "cities": self.cities.to_dict("records") if not self.cities.empty else [],
            "binding": [
                {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in self.binding[["resource", "scope", "year", "used", "limit"]]
                .astype(object)
                .to_dict("records")
            ]
            if not self.resources.empty
            else [],
            "scenario": self.scenario,
            "dataset": self.dataset,
        }

    def write(self, out: str | Path, extra: dict[str, str | bytes] | None = None, force: bool = False) -> Path:
        """Write summary.json and the CSVs of DATA.md: all of them or none (optimizer.outdir).

        The folder must be new, empty, or an earlier result of this tool (else InputError,
        unless ``force``), and never the dataset being read. An earlier complete result
        survives any failure or interruption. `extra`: more files to write with them,
        name -> text or bytes (report.html, results.xlsx).
        """
        files: dict[str, Any] = {"summary.json": self.summary()}
        if self.ok:
            for name in ("portfolio", "spending", "resources", "attainment", "cities"):
                files[f"{name}.csv"] = getattr(self, name)
        elif self.infeasibility is not None:
            files["infeasibility.csv"] = self.infeasibility
        files.update(extra or {})
        reads = [self.dataset["source"]] if self.dataset.get("source") else []
        return outdir.write(out, files, reads=reads, force=force)

    @classmethod
    def read(cls, run_dir: str | Path) -> Result:
        """A Result from a folder written by `write` (for reports on earlier runs)."""
        from .errors import InputError, Problem

        run_dir = Path(run_dir)
        path = run_dir / "summary.json"
        if not path.is_file():
            raise InputError(
                [Problem(str(path), None, None, "not found: is this a folder written by 'portfolio run --out'?")]
            )
        try:
            s = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError([Problem(str(path), None, None, f"not valid JSON: {exc}")]) from None
        frames = {}
        for name in ("portfolio", "spending", "resources", "attainment", "cities"):
            f = run_dir / f"{name}.csv"
            frames[name] = outfiles.read_csv(f) if f.is_file() else pd.DataFrame()
        p = frames["portfolio"]
        for c in ("start", "finish"):
            if c in p:
                p[c] = p[c].astype("Int64")
        r = frames["resources"]
        if "year" in r:
            r["year"] = r["year"].astype("Int64")
        if "binding" not in r and not r.empty:
            r["binding"] = False
        res = cls(
            status=Status(s["status"]),
            objective=s.get("objective"),
            bound=s.get("bound"),
            mip_gap=s.get("mip_gap"),
            attainment_index=s.get("attainment_index"),
            selected_count=int(s.get("selected_count", 0)),
            total_cost=float(s.get("total_cost") or 0.0),
            build_seconds=float(s.get("build_seconds", 0.0)),
            solve_seconds=float(s.get("solve_seconds", 0.0)),
            scenario=s.get("scenario", {}),
            dataset=s.get("dataset", {}),
            timings=s.get("timings", {}),
            tie_break=s.get("tie_break", ""),
            message=s.get("message", ""),
            model_size=s.get("model_size", {}),
            **frames,
        )
        inf = run_dir / "infeasibility.csv"
        if inf.is_file():
            res.infeasibility = outfiles.read_csv(inf)
        return res

    def _repr_html_(self) -> str:
        """Notebooks: status, score, attainment index, gap and the cities (optimizer.report.html.summary_html)."""
        from .report.html import summary_html

        return summary_html(self)

    def __repr__(self) -> str:
        return f"Result(status={self.status}, objective={self.objective}, attainment_index={self.attainment_index}, gap={self.mip_gap}, selected={self.selected_count})"


def write_folder(out: str | Path, files: dict[str, Any], force: bool = False) -> Path:
    """Write several outputs as one: all of them or none (optimizer.outdir.write).

    Values: DataFrame (CSV, UTF-8), matplotlib Figure (by suffix: .png/.svg), dict (JSON), str (text).
    """
    return outdir.write(out, files, force=force)


def _year(y) -> Any:
    return pd.NA if y == HORIZON else int(y)


def assemble(inst: Instance, out: SolveOutcome, build_seconds: float, timings: dict[str, float]) -> Result:
    ds = inst.dataset
    x = out.x if out.x is not None else np.zeros(len(inst.starts), dtype=bool)
    chosen = inst.starts[x]
    start_of = dict(zip(chosen["p"], chosen["t"]))
    # portfolio: every project of the dataset, in its order
    p = ds.projects
    eff_status = inst.projects["status"]
    sel = p["id"].isin(start_of.keys())
    start = p["id"].map(start_of).astype("Int64")
    portfolio = pd.DataFrame(
        {
            "id": p["id"],
            "name": p["name"],
            "city": p["city"],
            "task": p["task"],
            "selected": sel,
            "start": start,
            "finish": (start + p["duration"]).astype("Int64") - 1,
            "cost": p["cost"],
            "status": p["id"].map(lambda i: eff_status.get(i, "excluded")),
            "note": p["id"].map(lambda i: inst.unavailable.get(i, "")),
        }
    )
    xpos = np.flatnonzero(x)
    selected_ids = set(chosen["p"])
    chosen_projects_pos = set(np.flatnonzero(inst.starts["p"].isin(selected_ids).to_numpy()))
    # spending by scope and year, with the yearly budget limit where there is one
    su = scoped_usage(inst, "budget")
    su = su[su["pos"].isin(xpos)]
    scopes = list(inst.cities) + ["ALL"]
    grid = pd.MultiIndex.from_product([scopes, inst.years], names=["scope", "year"])
    spend = su.groupby(["scope", "year"])["coef"].sum().reindex(grid, fill_value=0.0)
    lim = inst.limits[(inst.limits["resource"] == "budget") & inst.limits["year"].notna()]
    blim = lim.set_index(["scope", lim["year"].astype(int)])["limit"]
    spending = pd.DataFrame(
        {"spend": spend.to_numpy(), "limit": blim.reindex(grid).to_numpy()}, index=grid
    ).reset_index()
    # every limit row: used, limit, slack
    rows = []
    for res in ds.resources:
        cumulative = res == "budget" and inst.scenario.budget_mode == "cumulative"
        terms, rhs = resource_rows(inst, res, cumulative)
        if terms.empty:
            used = smallest = pd.Series(dtype=float)
        else:
            used = terms[terms["pos"].isin(xpos)].groupby(["scope", "year"])["coef"].sum()
            # the smallest amount any project not chosen would add to the row, were it started
            other = terms[~terms["pos"].isin(chosen_projects_pos)]
            smallest = other[other["coef"] > 0].groupby(["scope", "year"])["coef"].min()
        for scope, year, limit in rhs.itertuples(index=False):
            u = float(used.get((scope, year), 0.0))
            rows.append((res, scope, _year(year), u, float(limit), float(smallest.get((scope, year), np.inf))))
    resources = pd.DataFrame(rows, columns=["resource", "scope", "year", "used", "limit", "next_project"])
    resources = resources.astype({"used": float, "limit": float, "next_project": float})
    resources["year"] = resources["year"].astype("Int64")
    resources["slack"] = resources["limit"] - resources["used"]
    resources["utilisation"] = resources["used"] / resources["limit"].where(resources["limit"] > 0)
    # Binding: no slack left, or too little for any project not chosen to fit in (with projects
    # being lumpy, a limit that blocks the next project rarely has exactly zero slack).
    exhausted = resources["slack"] <= np.maximum(BINDING_TOL, FULL_SHARE * resources["limit"].abs())
    resources["binding"] = exhausted | (
        np.isfinite(resources["next_project"]) & (resources["slack"] < resources["next_project"])
    )
    resources = resources.drop(columns="next_project")
    resources["unit"] = resources["resource"].map({k: v.unit for k, v in ds.resources.items()})
    if inst.scenario.budget_mode == "cumulative":
        resources["basis"] = np.where(resources["resource"].eq("budget") & resources["year"].notna(), "cumulative", "")
    # attainment of each target row
    t = inst.targets
    pr = inst.progress
    pr = pr.merge(inst.starts[["p", "t"]][x], on=["p", "t"])
    ratio = pr.groupby(["indicator", "scope"])["coef"].sum()
    r = ratio.reindex(pd.MultiIndex.from_frame(t[["indicator", "scope"]]), fill_value=0.0).to_numpy()
    g = r * t["delta"].to_numpy()
    attainment = pd.DataFrame(
        {
            "indicator": t["indicator"],
            "scope": t["scope"],
            "name": t["name"],
            "unit": t["unit"],
            "baseline": t["baseline"],
            "target": t["target"],
            "achieved": t["baseline"].to_numpy() + g,
            "progress": r,
            "weight": t["weight"],
        }
    )
    capped = t["capped"].to_numpy()
    clipped = np.clip(r, 0.0, 1.0)
    attainment["attained"] = np.where(capped, clipped, np.nan)
    w = t["weight"].to_numpy()
    rho = inst.scenario.overshoot_weight
    objective = None
    if out.x is not None:
        per_row = np.where(capped, np.minimum(1.0, r) + rho * np.maximum(0.0, r - 1.0), r)
        objective = float(np.sum(t["omega"].to_numpy() * w * per_row))
    wc = w[capped]
    index = float(100.0 * np.sum(wc * clipped[capped]) / np.sum(wc)) if capped.any() and wc.sum() > 0 else None
    cities = _city_summary(inst, portfolio, spending, attainment, xpos)
    total_cost = float(p.loc[sel, "cost"].sum())
    # the bound refers to the solver's objective; keep it consistent with the exact score
    bound = out.bound
    if bound is not None and objective is not None:
        bound = max(bound, objective)
    return Result(
        status=out.status,
        objective=objective,
        bound=bound,
        mip_gap=out.mip_gap,
        attainment_index=index if out.x is not None else None,
        selected_count=int(sel.sum()),
        total_cost=total_cost,
        build_seconds=build_seconds,
        solve_seconds=out.load_seconds + out.solve_seconds,
        portfolio=portfolio,
        spending=spending,
        resources=resources,
        attainment=attainment,
        cities=cities,
        scenario=inst.scenario.settings(),
        dataset={
            "name": ds.name,
            "source": ds.source,
            "projects": len(ds.projects),
            "horizon": list(map(int, (inst.years[0], inst.years[-1]))),
            "target_year": int(inst.target_year),
            "cities": list(ds.cities),
            "tasks": list(ds.meta.tasks or []),
            "units": {**ds.meta.units, **{k: r.unit for k, r in ds.resources.items() if r.unit}},
        },
        timings={**timings, "load": out.load_seconds, "solve": out.solve_seconds},
        tie_break=out.tie_break,
        model_size=out.size,
        message="; ".join(out.infeasible_rows),
    )


def _city_summary(
    inst: Instance, portfolio: pd.DataFrame, spending: pd.DataFrame, attainment: pd.DataFrame, xpos
) -> pd.DataFrame:
    shares = inst.shares
    chosen = set(portfolio.loc[portfolio["selected"], "id"])
    total = spending.loc[spending["scope"] == "ALL", "spend"].sum()
    rows = []
    for c in inst.cities:
        involved = set(shares.loc[(shares["scope"] == c), "p"]) & chosen
        spend = spending.loc[spending["scope"] == c, "spend"].sum()
        own = attainment[(attainment["scope"] == c) & attainment["target"].notna()]
        att = (
            float(100 * (own["weight"] * own["attained"]).sum() / own["weight"].sum())
            if len(own) and own["weight"].sum() > 0
            else None
        )
        land = scoped_usage(inst, "land")
        land = float(land[(land["scope"] == c) & land["pos"].isin(xpos)]["coef"].sum()) if not land.empty else 0.0
        rows.append(
            {
                "city": c,
                "projects": len(involved),
                "spend": float(spend),
                "spend_share": float(spend / total) if total > 0 else None,
                "land": land,
                "attainment": att,
            }
        )
    return pd.DataFrame(rows)
