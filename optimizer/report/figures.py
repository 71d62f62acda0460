"""Figures of a Result: schedule, spending, land and energy use, attainment of targets.

    from optimizer.report.figures import figures, plot_schedule
    figs = figures(result)                      # {"schedule": Figure, "spending": Figure, ...}
    figs["schedule"].savefig("schedule.png", dpi=150, bbox_inches="tight")
    ax = plot_schedule(result, lang="en")       # one figure, on a new Figure or on `ax=`

Every `plot_*` takes the result, an optional Axes to draw into (a new constrained-layout
figure sized to the data otherwise) and a language ("zh", the default, or "en"); it returns
the Axes and never calls plt.show(). Legends sit outside the plotted area. Names of cities,
projects, tasks and indicators and the units (亿元, 亩, 万吨标准煤) are shown as the dataset
spells them; the other words come from `labels.t`. The figures of the multi-run analyses
(plot_frontier, plot_tradeoffs, plot_robustness) are in sweeps.py and importable from here.

Conventions, which tests and the HTML report rely on:

- years are intervals on the schedule's x axis: a project from 2024 to 2026 covers x = 2024..2027;
  the target-year line is drawn at the END of the target year (x = target_year + 1);
- in the bar charts a year is a category; the dashed line after the target-year group marks the
  end of the target year the same way;
- bars are BarContainers (ax.containers): schedule and attainment have one each, labelled
  "_schedule" / "_attainment" (one bar per row, in row order); spending and resources one per
  scope, labelled with the scope's name; the limits are one LineCollection per scope (gid
  "limit:<scope>"); binding bars have a red edge (BINDING_COLOUR).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .draw import (  # noqa: F401  (CITY_COLOURS, _bold and the colours are used by other modules too)
    BAND_COLOUR,
    BINDING_COLOUR,
    CITY_COLOURS,
    DEFAULT_UNITS,
    INDICATOR_LABEL_WIDTH,
    LIMIT_COLOUR,
    NOT_REACHED_COLOUR,
    PROJECT_LABEL_WIDTH,
    REACHED_COLOUR,
    TARGET_COLOUR,
    TASK_COLOURS,
    _axes,
    _bar_width,
    _bold,
    _empty,
    _first,
    _grouped_bars,
    _horizon,
    _legend_below,
    _list,
    _num,
    _order,
    _patch,
    _percent_formatter,
    _shorten,
    _status_style,
    _target_year,
    _tight_note,
    _tightest,
    _title,
    _unit_text,
    _units,
    _width,
)
from .fonts import use_cjk_fonts
from .labels import lang_of, project_status_name, resource_name, scope_name, t
from .sweeps import plot_frontier, plot_pareto, plot_robustness, plot_tradeoffs  # noqa: F401 (every plot_x is here)


def plot_schedule(result, ax=None, lang: str = "zh"):
    """Gantt chart of the selected projects grouped by city, coloured by task area.

    One bar per project from its start to the end of its finish year; committed projects
    (already under way) hatched, mandatory ones outlined; a dashed line at the end of the
    target year. Without `ax` the figure's height follows the number of projects.
    """
    lang = lang_of(lang)
    use_cjk_fonts()
    p = result.portfolio
    if p.empty or "selected" not in p:
        sel = p
    else:
        sel = p[p["selected"].fillna(False).astype(bool) & p["start"].notna() & p["finish"].notna()]
        no_task = t("no_task", lang)
        sel = sel.assign(task=[v if isinstance(v, str) and v else no_task for v in sel.get("task", [None] * len(sel))])
    cities = _order(_list(result.dataset, "cities"), sel["city"] if not sel.empty else [])
    rows: list[tuple[str, Any]] = []
    for c in cities:
        g = sel[sel["city"] == c].sort_values(["start", "finish", "id"], kind="stable")
        rows.append(("city", (c, len(g))))
        rows += [("project", r) for r in g.itertuples(index=False)]
    ax = _axes(ax, (12.5, max(3.2, 1.5 + 0.24 * len(rows))))
    _title(ax, t("schedule_title", lang), t("schedule_note", lang, n=len(sel)))
    if sel.empty:
        return _empty(ax, lang)

    tasks = _order(_list(result.dataset, "tasks"), sel["task"])
    task_colour = {k: TASK_COLOURS[i % len(TASK_COLOURS)] for i, k in enumerate(tasks)}
    proj = [(y, r) for y, (kind, r) in enumerate(rows) if kind == "project"]
    ys = [y for y, _ in proj]
    starts = np.array([int(r.start) for _, r in proj])
    widths = np.array([int(r.finish) - int(r.start) + 1 for _, r in proj])
    ax.barh(ys, widths, left=starts, height=0.68, zorder=3, label="_schedule")
    bars = ax.containers[-1]
    statuses = []
    for rect, (_, r) in zip(bars, proj):
        colour = task_colour[r.task]
        status = str(getattr(r, "status", "candidate"))
        statuses.append(status)
        _status_style(rect, colour, status)

    # city bands, headers and separators
    y = 0
    for n, (_, k) in enumerate(item for kind, item in rows if kind == "city"):
        if n % 2 == 0:
            ax.axhspan(y - 0.5, y + k + 0.5, color=BAND_COLOUR, lw=0, zorder=0)
        if y > 0:
            ax.axhline(y - 0.5, color="0.75", lw=0.8, zorder=1)
        y += k + 1

    # years: x = year is the start of that year; labels in the middle of each year
    h0, h1 = _horizon(result, starts, starts + widths - 1)
    x0, x1 = min(int(starts.min()), h0), max(int((starts + widths).max()), h1 + 1)
    ax.set_xlim(x0, x1)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    every = 1 if x1 - x0 <= 16 else 2
    ax.set_xticks([yr + 0.5 for yr in range(x0, x1, every)], [str(yr) for yr in range(x0, x1, every)])
    ax.set_xticks(range(x0, x1 + 1), minor=True)
    ax.tick_params(axis="x", which="major", length=0, labelsize=9)
    ax.tick_params(axis="x", which="minor", length=3)
    ax.grid(axis="x", which="minor", color="0.85", lw=0.7, zorder=1)
    ax.xaxis.set_tick_params(labeltop=False)
    for a, b, key in ((x0, h0, "before_horizon"), (h1 + 1, x1, "after_horizon")):
        if b > a:
            ax.axvspan(a, b, color="0.55", alpha=0.12, lw=0, zorder=0.5)
            ax.text((a + b) / 2, 0, t(key, lang), ha="center", va="center", fontsize=8, color="0.4", zorder=4)
    handles = [_patch(task_colour[k], k) for k in tasks]
    ty = _target_year(result)
    if ty is not None:
        line = ax.axvline(ty + 1, color=TARGET_COLOUR, ls="--", lw=1.5, zorder=4)
        line.set_gid("target_year")
    # y labels: city headers in bold, projects as "id name"
    labels = [
        f"{scope_name(item[0], lang)}（{item[1]}）"
        if kind == "city"
        else _shorten(f"{item.id} {item.name}", PROJECT_LABEL_WIDTH)
        for kind, item in rows
    ]
    ax.set_yticks(range(len(rows)), labels)
    ax.tick_params(axis="y", length=0, labelsize=8.5)
    for (kind, _), label in zip(rows, ax.get_yticklabels()):
        if kind == "city":
            label.set_fontweight(_bold())
            label.set_fontsize(10)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(t("year_axis", lang))

    # one legend: task areas (its title), then the project statuses and the target-year line
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    extra = [Patch(visible=False, label=t("project_status", lang))]
    for s in ("committed", "mandatory", "candidate"):
        if s in statuses:
            h = Patch(label=project_status_name(s, lang))
            _status_style(h, "#9aa5b1", s)
            extra.append(h)
    if ty is not None:
        extra.append(Line2D([], [], color=TARGET_COLOUR, ls="--", lw=1.5, label=t("target_year_line", lang, year=ty)))
    leg = ax.legend(
        handles=handles + extra,
        title=t("task_areas", lang),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=9,
        title_fontsize=9.5,
        frameon=False,
        alignment="left",
    )
    leg.get_texts()[len(handles)].set_fontweight(_bold())
    leg.get_title().set_fontweight(_bold())
    return ax


def plot_spending(result, ax=None, lang: str = "zh"):
    """Spending per city and year (grouped bars) against each city's yearly budget limit (black marks).

    The all-city scope (ALL) is summed up in the note under the title; binding yearly budget
    rows (from result.resources) get a red edge.
    """
    lang = lang_of(lang)
    use_cjk_fonts()
    s = result.spending
    unit = _units(result).get("budget", "")
    title = t("spending_title", lang, unit=unit)
    if s.empty:
        ax = _axes(ax, (9, 4.5))
        _title(ax, title)
        return _empty(ax, lang)
    frame = s.rename(columns={"spend": "value"})[["scope", "year", "value", "limit"]].copy()
    frame["year"] = frame["year"].astype(int)
    r = result.resources
    if not r.empty and "binding" in r:
        b = r[(r["resource"] == "budget") & r["year"].notna()]
        if "basis" in b:
            b = b[b["basis"].fillna("").eq("")]  # cumulative rows do not compare with one year's spend
        key = pd.MultiIndex.from_arrays([b["scope"], b["year"].astype(int)])
        binding = pd.Series(b["binding"].to_numpy(bool), index=key)
        frame["binding"] = [bool(binding.get((sc, yr), False)) for sc, yr in zip(frame["scope"], frame["year"])]
    else:
        frame["binding"] = False
    years = sorted(frame["year"].unique().tolist())
    scopes = _order(_list(result.dataset, "cities"), frame["scope"])
    if not scopes:  # a single-region dataset: the ALL rows are the only ones
        scopes = ["ALL"]
    notes = []
    every = frame[frame["scope"] == "ALL"]
    if scopes != ["ALL"] and not every.empty:
        notes.append(t("all_spend_note", lang, total=_num(every["value"].sum()), unit=unit, y0=years[0], y1=years[-1]))
        tight = _tightest(every)
        if tight is not None:
            notes.append(_tight_note(tight, unit, lang))
    ax = _axes(ax, (_bar_width(len(years), len(scopes)), 5.0))
    _title(ax, title, "；".join(notes) if lang == "zh" else "; ".join(notes))
    _grouped_bars(ax, frame[frame["scope"].isin(scopes)], scopes, years, result, lang)
    ax.set_ylabel(t("spend_axis", lang, unit=unit))
    return ax


def plot_resources(result, resource: str = "land", ax=None, lang: str = "zh"):
    """Use of a resource (land, energy; budget works too) per city and year against its quota.

    Bars: use per city and year; black marks: the yearly limit; red edge: a binding row.
    Whole-horizon rows (year <NA>) and all-city yearly rows are written in the note under
    the title, binding ones flagged.
    """
    lang = lang_of(lang)
    use_cjk_fonts()
    r = result.resources
    known = sorted(set(r["resource"])) if not r.empty else []
    if resource not in known:
        raise ValueError(f"no '{resource}' rows in result.resources (known: {', '.join(known) or 'none'})")
    r = r[r["resource"] == resource]
    unit = _units(result).get(resource) or _first(r.get("unit")) or ""
    name = resource_name(resource, lang)
    yearly, whole = r[r["year"].notna()], r[r["year"].isna()]
    frame = yearly.rename(columns={"used": "value"})[["scope", "year", "value", "limit", "binding"]].copy()
    if frame.empty:  # only whole-horizon rows: one group
        frame = whole.rename(columns={"used": "value"})[["scope", "value", "limit", "binding"]].copy()
        frame["year"] = t("whole_horizon", lang)
        years = [t("whole_horizon", lang)]
        whole = whole.iloc[0:0]
    else:
        frame["year"] = frame["year"].astype(int)
        years = sorted(frame["year"].unique().tolist())
    scopes = _order(_list(result.dataset, "cities"), frame["scope"]) or ["ALL"]
    notes = []
    if not whole.empty:
        flag = f"（{t('binding', lang)}）" if lang == "zh" else f" ({t('binding', lang)})"
        parts = [
            f"{scope_name(row.scope, lang)} {_num(row.used)}/{_num(row.limit)}{flag if row.binding else ''}"
            for row in whole.itertuples(index=False)
        ]
        lines = [" · ".join(parts[i : i + 4]) for i in range(0, len(parts), 4)]
        notes.append(t("horizon_note", lang) + "\n".join(lines) + f" {unit}")
    every = frame[frame["scope"] == "ALL"]
    if scopes != ["ALL"] and not every.empty:
        tight = _tightest(every)
        if tight is not None:
            notes.append(_tight_note(tight, unit, lang))
    if years == [t("whole_horizon", lang)]:
        notes.append(t("no_yearly_rows", lang))
    ax = _axes(ax, (_bar_width(len(years), len(scopes)), 5.0))
    title = t("resource_title", lang, resource=name, unit=unit)
    _title(ax, title[:1].upper() + title[1:], "\n".join(notes))
    _grouped_bars(ax, frame[frame["scope"].isin(scopes)], scopes, years, result, lang)
    ylabel = t("resource_axis", lang, resource=name, unit=unit)
    ax.set_ylabel(ylabel[:1].upper() + ylabel[1:])
    return ax


def plot_attainment(result, ax=None, lang: str = "zh"):
    """Progress on each target row (share of the gap from baseline to target closed), grouped by scope.

    Horizontal bars from 0 (baseline) to the progress, a dashed line at 1 (target); green:
    reached. Right: baseline → achieved (target) in the indicator's unit. Rows without a
    target value (uncapped) are counted in the note, not drawn.
    """
    lang = lang_of(lang)
    use_cjk_fonts()
    a = result.attainment
    capped = a[a["target"].notna()] if not a.empty else a
    uncapped = len(a) - len(capped)
    scopes = _order(
        ["ALL", *_list(result.dataset, "cities")], capped["scope"] if not capped.empty else [], keep_all=True
    )
    rows: list[tuple[str, Any]] = []
    for sc in scopes:
        g = capped[capped["scope"] == sc]
        rows.append(("scope", sc))
        rows += [("target", row) for row in g.itertuples(index=False)]
    notes = [t("attainment_note", lang)]
    if uncapped:
        notes.append(t("uncapped_note", lang, n=uncapped))
    ax = _axes(ax, (11.5, max(3.2, 1.9 + 0.3 * len(rows))))
    _title(ax, t("attainment_title", lang), ("；" if lang == "zh" else "; ").join(notes))
    if capped.empty:
        return _empty(ax, lang)
    tgt = [(y, row) for y, (kind, row) in enumerate(rows) if kind == "target"]
    ys = [y for y, _ in tgt]
    prog = np.array([float(row.progress) for _, row in tgt])
    reached = prog >= 1 - 1e-9
    colours = np.where(reached, REACHED_COLOUR, NOT_REACHED_COLOUR)
    ax.barh(ys, prog, left=0, height=0.62, color=colours, zorder=3, label="_attainment")
    lo, hi = min(0.0, float(prog.min())), max(1.0, float(prog.max()))
    ax.set_xlim(lo - 0.02 * (hi - lo), hi + 0.1 * (hi - lo))
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for y, v in zip(ys, prog):
        inside = v >= 0.12 * (hi - lo)
        ax.text(
            0.012 * (hi - lo) if inside else max(v, 0) + 0.01,
            y,
            f"{v:.0%}",
            ha="left",
            va="center",
            fontsize=7.5,
            color="white" if inside else "0.25",
            zorder=4,
        )
    line = ax.axvline(1.0, color=TARGET_COLOUR, ls="--", lw=1.5, zorder=4)
    line.set_gid("target")
    ax.axvline(0.0, color="0.35", lw=0.8, zorder=2)
    # scope bands
    y = 0
    for n, sc in enumerate(scopes):
        k = int((capped["scope"] == sc).sum())
        if n % 2 == 0:
            ax.axhspan(y - 0.5, y + k + 0.5, color=BAND_COLOUR, zorder=0)
        y += k + 1
    labels = [
        scope_name(item, lang) if kind == "scope" else _shorten(str(item.name), INDICATOR_LABEL_WIDTH)
        for kind, item in rows
    ]
    ax.set_yticks(range(len(rows)), labels)
    for (kind, _), label in zip(rows, ax.get_yticklabels()):
        if kind == "scope":
            label.set_fontweight(_bold())
            label.set_fontsize(10)
    ax.tick_params(axis="y", length=0, labelsize=8.5)
    ax.tick_params(axis="x", labelsize=9)
    ax.xaxis.set_major_formatter(_percent_formatter())
    ax.grid(axis="x", color="0.88", lw=0.7, zorder=1)
    ax.set_xlabel(t("attainment_axis", lang))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    # details on the right: baseline → achieved (target) unit
    details = [
        t(
            "detail",
            lang,
            baseline=_num(row.baseline),
            achieved=_num(row.achieved),
            target=_num(row.target),
            unit=_unit_text(row.unit),
        ).strip()
        for _, row in tgt
    ]
    sec = ax.secondary_yaxis("right")
    sec.set_yticks(ys, details)
    sec.tick_params(axis="y", length=0, labelsize=8, labelcolor="0.3")
    sec.spines["right"].set_visible(False)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(color=REACHED_COLOUR, label=t("reached", lang)),
        Patch(color=NOT_REACHED_COLOUR, label=t("not_reached", lang)),
        Line2D([], [], color=TARGET_COLOUR, ls="--", lw=1.5, label=t("target_line", lang)),
    ]
    _legend_below(ax, handles, ncol=3)
    return ax


def figures(result, lang: str = "zh") -> dict[str, Any]:
    """Every figure of a result: keys schedule, spending, land, energy, attainment (those with data).

    A result without a portfolio (infeasible, no solution) has no figures: {}.

    The figures are detached from pyplot (no plt.close needed, nothing shown by a notebook
    until asked); save them with fig.savefig(path, dpi=150, bbox_inches="tight").
    """
    import matplotlib.pyplot as plt

    lang = lang_of(lang)
    out: dict[str, Any] = {}
    if not getattr(result, "ok", True):
        return out

    def add(key, draw):
        ax = draw()
        out[key] = ax.figure
        plt.close(ax.figure)

    p = result.portfolio
    if not p.empty and "selected" in p and bool(p["selected"].fillna(False).astype(bool).any()):
        add("schedule", lambda: plot_schedule(result, lang=lang))
    if not result.spending.empty:
        add("spending", lambda: plot_spending(result, lang=lang))
    r = result.resources
    for res in ("land", "energy"):
        if not r.empty and (r["resource"] == res).any():
            add(res, lambda res=res: plot_resources(result, res, lang=lang))
    a = result.attainment
    if not a.empty and a["target"].notna().any():
        add("attainment", lambda: plot_attainment(result, lang=lang))
    return out


# -- pieces --------------------------------------------------------------------------------
