"""Figures of the multi-run analyses: the frontier, the city-versus-metro fronts, robustness.

Each takes the table its analysis returns (optimizer.analysis.frontier / tradeoffs /
robustness) and follows optimizer.report.figures' conventions: a new constrained-layout
figure when `ax` is None, the Axes returned, words in `lang` ("zh" or "en").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .draw import CITY_COLOURS, TASK_COLOURS, _bold, _legend_below
from .fonts import use_cjk_fonts
from .labels import lang_of, resource_name, scope_name, t


def plot_frontier(table: pd.DataFrame, ax=None, lang: str = "zh"):
    """Score (left axis) and attainment index (right axis) against the resource level; infeasible levels shaded.

    Same conventions as optimizer.report.figures: a new constrained-layout figure when `ax` is
    None, the Axes returned, legend below the plot, words in `lang` ("zh" or "en").
    """
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


def plot_tradeoffs(pareto_table: pd.DataFrame, ax=None, lang: str = "zh", cities_table: pd.DataFrame | None = None):
    """One line per city: its own attainment (x) against the rest of the metro (y); hollow marker: base.

    `pareto_table` is tradeoffs(...)["pareto"]; `cities_table` (tradeoffs(...)["cities"]) adds the
    base portfolio's point of each city. Same conventions as optimizer.report.figures: a new
    constrained-layout figure when `ax` is None, the Axes returned, words in `lang`.
    """
    lang = lang_of(lang)
    use_cjk_fonts()
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 5.2), layout="constrained")
    front = pareto_table
    drawn = front[front["rest_attainment"].notna()] if not front.empty else front
    for n, (city, g) in enumerate(drawn.groupby("city", sort=False)):
        col = CITY_COLOURS[n % len(CITY_COLOURS)]
        g = g.sort_values("city_attainment")
        ax.plot(g["city_attainment"], g["rest_attainment"], "o-", color=col, lw=1.8, ms=4.5, label=city)
        if cities_table is not None and not cities_table.empty and "rest_attainment" in cities_table:
            b = cities_table[cities_table["city"] == city]
            if not b.empty:
                ax.plot(b["attainment"], b["rest_attainment"], "o", ms=11, mfc="none", mec=col, mew=1.6)
    if cities_table is not None and not cities_table.empty:
        ax.plot([], [], "o", ms=11, mfc="none", mec="0.3", mew=1.6, label=t("base_portfolio", lang))
    ax.set_xlabel(t("tradeoffs_x", lang))
    ax.set_ylabel(t("tradeoffs_y", lang))
    title = t("tradeoffs_title", lang, dataset=front.attrs.get("dataset", "")).lstrip(":： ")
    if not front.attrs.get("dataset"):  # the title starts with a lowercase word
        title = title[:1].upper() + title[1:]
    ax.set_title(title, loc="left", fontsize=12.5, fontweight=_bold())
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    return ax


def plot_pareto(tables: dict[str, pd.DataFrame], lang: str = "zh"):
    """The Figure of plot_tradeoffs for the tables of `tradeoffs` (kept for the command line)."""
    return plot_tradeoffs(tables["pareto"], lang=lang, cities_table=tables.get("cities")).figure


def plot_robustness(table: pd.DataFrame, ax=None, lang: str = "zh"):
    """Core index per project, sorted, coloured by class, with the 10% and 90% lines."""
    lang = lang_of(lang)
    use_cjk_fonts()
    import matplotlib.pyplot as plt

    core, exterior = table.attrs.get("core", 0.9), table.attrs.get("exterior", 0.1)
    rows = table.sort_values("core_index")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, max(3.0, 0.16 * len(rows) + 1)))
    colour = {"core": "#2e7d32", "borderline": "#f9a825", "exterior": "#9e9e9e"}
    ax.barh(range(len(rows)), rows["core_index"], color=[colour[c] for c in rows["class"]])
    ax.set_yticks(range(len(rows)), [f"{i} {str(n)[:14]}" for i, n in zip(rows["id"], rows["name"])], fontsize=6)
    for x in (exterior, core):
        ax.axvline(x, color="0.4", lw=0.8, ls="--")
    ax.set_xlim(0, 1)
    ax.set_xlabel(t("robustness_x", lang))
    n, ok = table.attrs.get("samples", 0), table.attrs.get("feasible", 0)
    ax.set_title(t("robustness_title", lang, ok=ok, n=n))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colour.values()]
    names = [
        t(f"robustness.{k}", lang, share=f"{100 * v:.0f}%")
        for k, v in (("core", core), ("borderline", 0), ("exterior", exterior))
    ]
    ax.legend(handles, names, loc="lower right", fontsize=7, framealpha=0.9)
    return ax


def plot_alternatives(tables: dict[str, pd.DataFrame], lang: str = "zh"):
    """Projects × alternatives (chosen cells coloured by task area, rows grouped by city) above a
    small table of score and city attainment per alternative. `tables`: analysis.alternatives."""
    from matplotlib.patches import Patch

    lang = lang_of(lang)
    use_cjk_fonts()
    import matplotlib.pyplot as plt

    alts, summary, projects = tables["alternatives"], tables["summary"], tables["projects"]
    order = {c: i for i, c in enumerate(dict.fromkeys(projects["city"]))}
    rows = (
        projects.assign(_o=projects["city"].map(order)).sort_values(["_o", "id"], kind="stable").reset_index(drop=True)
    )
    n_alt = len(summary)
    tasks = list(dict.fromkeys(rows["task"].fillna("")))
    colour = {k: TASK_COLOURS[i % len(TASK_COLOURS)] for i, k in enumerate(tasks)}
    chosen = set(zip(alts.loc[alts["selected"], "alternative"], alts.loc[alts["selected"], "id"]))
    height = max(3.0, 0.17 * len(rows) + 2.2)
    fig, (ax, tab) = plt.subplots(
        2,
        1,
        figsize=(2.2 + 0.9 * n_alt, height),
        gridspec_kw={"height_ratios": [max(3, len(rows)), 4]},
        layout="constrained",
    )
    for r, p in rows.iterrows():
        for k in range(n_alt):
            on = (k, p["id"]) in chosen
            ax.add_patch(
                plt.Rectangle(
                    (k, r), 0.92, 0.85, color=colour[p["task"] if isinstance(p["task"], str) else ""] if on else "0.93"
                )
            )
    ax.set_xlim(0, n_alt)
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([k + 0.46 for k in range(n_alt)], [t("alternative_n", lang, k=k) for k in range(n_alt)], fontsize=8)
    ax.set_yticks(
        [r + 0.42 for r in range(len(rows))],
        [f"{c} {i} {str(n)[:12]}" for c, i, n in zip(rows["city"], rows["id"], rows["name"])],
        fontsize=6,
    )
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        t("alternatives_title", lang, within=f"{100 * summary.attrs.get('within', 0):g}%"),
        loc="left",
        fontsize=11,
        fontweight=_bold(),
    )
    handles = [Patch(color=colour[k]) for k in tasks]
    ax.legend(
        handles, [k or "-" for k in tasks], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False
    )
    cities = [
        c[len("attainment_") :] for c in summary.columns if c.startswith("attainment_") and c != "attainment_index"
    ]
    cells = [[f"{v:.3f}" for v in summary["objective"]], [str(v) for v in summary["differs_from_best"]]]
    cells += [["-" if pd.isna(v) else f"{v:.1f}" for v in summary[f"attainment_{c}"]] for c in cities]
    labels = [t("score", lang), t("differs_from_best", lang), *[f"{t('attained', lang)} {c}" for c in cities]]
    tab.axis("off")
    table = tab.table(
        cellText=cells, rowLabels=labels, colLabels=[str(k) for k in range(n_alt)], loc="center", cellLoc="right"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    return fig


def close(figure) -> None:
    """Release a figure drawn here once it is written (pyplot keeps every figure it made)."""
    import matplotlib.pyplot as plt

    plt.close(figure)
