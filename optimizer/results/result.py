"""Result: what a run found, as numbers and DataFrames, frozen once made, and how it is written.

A Result is assembled (results/assemble.py) from the chosen starts and the Instance, and
written whole or not at all (results/outdir.py). It is frozen: analyses that need a variant
make one with dataclasses.replace, so one Result can be shared between threads and runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..solve.status import Status
from . import outdir, outfiles

#: the tables a run folder holds, one CSV each (DATA.md; funding.csv: who pays)
TABLES = ("portfolio", "spending", "funding", "resources", "attainment", "cities")

#: the notebook summary, set by optimizer.report.html (results cannot import the report layer)
HTML_SUMMARY: Callable[[Result], str] | None = None


@dataclass(eq=False, frozen=True)
class Result:
    """One run: status, score, bound and gap, the portfolio and what it uses and attains (README)."""

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
    #: how HiGHS was used: strategy (whole model, city blocks, linked blocks), termination, nodes
    solver: dict = field(default_factory=dict)
    message: str = ""
    #: variables, constraints and nonzeros handed to HiGHS
    model_size: dict = field(default_factory=dict)
    #: for an infeasible scenario: the smallest relaxation that would make it feasible
    infeasibility: pd.DataFrame | None = None
    #: spending by payer: scope, year, source, spend, limit (results/funding.py)
    funding: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def raise_for_status(self) -> Result:
        """Raise InfeasibleError (carrying the relaxation table) or NoSolutionError unless a
        portfolio was found; return self, so that `solve(...).raise_for_status()` chains."""
        from ..errors import InfeasibleError, NoSolutionError

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
            "solver": self.solver,
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
        """Write summary.json and the CSVs of DATA.md: all of them or none (results.outdir).

        The folder must be new, empty, or an earlier result of this tool (else InputError,
        unless ``force``), and never the dataset being read. An earlier complete result
        survives any failure or interruption. `extra`: more files to write with them,
        name -> text or bytes (report.html, results.xlsx).
        """
        files: dict[str, Any] = {"summary.json": self.summary()}
        if self.ok:
            for name in TABLES:
                files[f"{name}.csv"] = getattr(self, name)
        elif self.infeasibility is not None:
            files["infeasibility.csv"] = self.infeasibility
        files.update(extra or {})
        reads = [self.dataset["source"]] if self.dataset.get("source") else []
        return outdir.write(out, files, reads=reads, force=force)

    @classmethod
    def read(cls, run_dir: str | Path) -> Result:
        """A Result from a folder written by `write` (for reports on earlier runs)."""
        from ..errors import InputError, Problem

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
        for name in TABLES:
            f = run_dir / f"{name}.csv"
            frames[name] = outfiles.read_csv(f) if f.is_file() else pd.DataFrame()
        p = frames["portfolio"]
        for c in ("start", "finish"):
            if c in p:
                p[c] = p[c].astype("Int64")
        for name in ("funding", "spending"):
            if "year" in frames[name]:
                frames[name]["year"] = frames[name]["year"].astype("Int64")
        r = frames["resources"]
        if "year" in r:
            r["year"] = r["year"].astype("Int64")
        if "binding" not in r and not r.empty:
            r["binding"] = False
        return cls(
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
            solver=s.get("solver", {}),
            message=s.get("message", ""),
            model_size=s.get("model_size", {}),
            infeasibility=outfiles.read_csv(inf) if (inf := run_dir / "infeasibility.csv").is_file() else None,
            **frames,
        )

    def _repr_html_(self) -> str:
        """Notebooks: status, score, attainment index, gap and the cities (optimizer.report.html.summary_html)."""
        if HTML_SUMMARY is None:  # the report layer was never loaded: the plain line, escaped
            import html

            return f"<pre>{html.escape(repr(self))}</pre>"
        return HTML_SUMMARY(self)

    def __repr__(self) -> str:
        return f"Result(status={self.status}, objective={self.objective}, attainment_index={self.attainment_index}, gap={self.mip_gap}, selected={self.selected_count})"


def write_folder(out: str | Path, files: dict[str, Any], force: bool = False) -> Path:
    """Write several outputs as one: all of them or none (results.outdir.write).

    Values: DataFrame (CSV, UTF-8), matplotlib Figure (by suffix: .png/.svg), dict (JSON), str (text).
    """
    return outdir.write(out, files, force=force)
