"""The efficient frontier of score and attainment against the level of one resource.

One model is built and re-solved with the chosen limit rows scaled (on top of the
scenario's own scaling), each point warm-started from the base portfolio.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..errors import InputError, Problem
from ..result import write_folder
from .runner import run_changes
from .session import Change, Session, starts_of


def parse_scales(text: str) -> list[float]:
    """'0.5:1.5:0.1' (inclusive) or '0.8,1,1.2'."""
    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if step <= 0 or stop < start:
                raise ValueError
            n = int(np.floor((stop - start) / step + 1e-9)) + 1
            values = [round(start + i * step, 10) for i in range(n)]
        else:
            values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(
            [Problem("--scales", None, "scales", f"expected start:stop:step or a comma list, got {text!r}")]
        ) from None
    if not values or min(values) < 0:
        raise InputError([Problem("--scales", None, "scales", "scales must be non-negative numbers")])
    return sorted(set(values))


def frontier(
    data: Dataset | str | Path,
    resource: str = "budget",
    scales: list[float] | str = "0.5:1.5:0.1",
    *,
    scope: str | None = None,
    scenario: Any = None,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: bool | None = None,
    time_limit: float | None = None,
) -> pd.DataFrame:
    """Score and attainment index at each scale of a resource's limits.

    Columns: scale, limit (sum of the scaled rows), status, objective, attainment_index,
    marginal (score per unit of limit between neighbouring points), gap.
    """
    ds = data if isinstance(data, Dataset) else load(data)
    sc = resolve_scenario(ds, scenario)
    if time_limit is not None:
        sc = sc.with_updates(solver={**sc.solver.model_dump(), "time_limit": time_limit})
    if isinstance(scales, str):
        scales = parse_scales(scales)
    if resource not in ds.resources:
        raise InputError(
            [
                Problem(
                    "--resource", None, "resource", f"unknown resource '{resource}' (known: {', '.join(ds.resources)})"
                )
            ]
        )
    session = Session(ds, sc)
    if scope is not None and scope != "ALL" and scope not in ds.cities:
        raise InputError([Problem("--scope", None, "scope", f"unknown scope '{scope}' (ALL or a city)")])
    rows = session.scaled(resource, 1.0, scope)
    if not rows:
        where = f" of scope {scope}" if scope else ""
        raise InputError(
            [Problem(ds.labels["limits"], None, "resource", f"no '{resource}' limit rows{where} to scale")]
        )
    base = session.run(Change(label="base"))
    warm = starts_of(base) if base.ok else None
    changes = [Change(label=f"{f:g}", limits=session.scaled(resource, f, scope), tag=f) for f in scales]
    results = run_changes(
        ds,
        sc,
        changes,
        warm=warm,
        executor=executor,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        desc=f"{resource} frontier",
        session=session,
    )
    total = sum(rows.values())
    out = pd.DataFrame(
        {
            "scale": scales,
            "limit": [total * f for f in scales],
            "status": [str(r.status) for r in results],
            "objective": [r.objective for r in results],
            "attainment_index": [r.attainment_index for r in results],
            "gap": [r.mip_gap for r in results],
        }
    )
    obj = pd.to_numeric(out["objective"], errors="coerce")
    out["marginal"] = obj.diff() / out["limit"].diff()
    out = out[["scale", "limit", "status", "objective", "attainment_index", "marginal", "gap"]]
    out.attrs.update(
        resource=resource, scope=scope or "every scope", unit=ds.resources[resource].unit or "", dataset=ds.name
    )
    return out


def plot_frontier(table: pd.DataFrame, ax=None, lang: str = "zh"):
    """Score (left axis) and attainment index (right axis) against the resource level; infeasible levels shaded.

    Same conventions as optimizer.report.figures: a new constrained-layout figure when `ax` is
    None, the Axes returned, legend below the plot, words in `lang` ("zh" or "en").
    """
    from ..report.draw import _bold, _legend_below
    from ..report.fonts import use_cjk_fonts
    from ..report.labels import lang_of, resource_name, scope_name, t

    lang = lang_of(lang)
    use_cjk_fonts()
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
    score_c, index_c = "#1f5fa8", "#c0504d"
    unit = table.attrs.get("unit", "")
    res = resource_name(table.attrs.get("resource", "resource"), lang)
    scope = table.attrs.get("scope", "")
    scope = t("every_scope", lang) if scope in ("", "every scope") else scope_name(scope, lang)
    ok = table["status"].isin(["optimal", "feasible"])
    ax.plot(
        table.loc[ok, "limit"], table.loc[ok, "objective"], "o-", color=score_c, lw=1.8, ms=5, label=t("score", lang)
    )
    xlabel = t("frontier_axis", lang, resource=res, unit=unit, scope=scope)
    ax.set_xlabel(xlabel[:1].upper() + xlabel[1:])
    ax.set_ylabel(t("score", lang).capitalize(), color=score_c)
    ax.tick_params(axis="y", colors=score_c, labelsize=9)
    ax.tick_params(axis="x", labelsize=9)
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(
        table.loc[ok, "limit"],
        table.loc[ok, "attainment_index"],
        "s--",
        color=index_c,
        lw=1.5,
        ms=4.5,
        label=t("attainment_index", lang),
    )
    ax2.set_ylabel(t("attainment_index_scale", lang), color=index_c)
    ax2.tick_params(axis="y", colors=index_c, labelsize=9)
    for a in (ax, ax2):
        a.spines["top"].set_visible(False)
    base = table[np.isclose(table["scale"], 1.0)]
    if not base.empty and ok[base.index[0]]:
        ax.axvline(base["limit"].iloc[0], color="grey", lw=1.0, ls=":", label=t("scenario_level", lang))
    if (~ok).any():
        bad = table.loc[~ok, "limit"]
        half = float(np.median(np.diff(table["limit"]))) / 2 if len(table) > 1 else 0.0
        ax.axvspan(bad.min() - half, bad.max() + half, color="0.9", zorder=0, label=t("no_feasible", lang))
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    _legend_below(ax, lines[0] + lines2[0], lines[1] + lines2[1], ncol=4)
    title = t("frontier_title", lang, dataset=table.attrs.get("dataset", ""), resource=res).lstrip(":： ")
    if not table.attrs.get("dataset"):  # the title starts with a lowercase word
        title = title[:1].upper() + title[1:]
    ax.set_title(title, loc="left", fontsize=12.5, fontweight=_bold())
    return ax


def main(args) -> int:
    from ..cli import load_for_multi

    ds, sc = load_for_multi(args)
    table = frontier(
        ds,
        args.resource,
        args.scales,
        scope=args.scope,
        scenario=sc,
        executor=args.executor,
        scheduler=args.scheduler,
        workers=args.workers,
        progress=args.progress,
    )
    show = table.drop(columns="gap").copy()
    print(show.to_string(index=False, float_format=lambda v: f"{v:,.4f}"))
    if args.out:
        import matplotlib.pyplot as plt

        ax = plot_frontier(table)
        write_folder(args.out, {"frontier.csv": table, "frontier.png": ax.figure})
        plt.close(ax.figure)
        print(f"written to {args.out}")
    return 0
