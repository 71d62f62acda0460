"""Drawing helpers and colours shared by the figures (figures.py holds the public plot_* functions)."""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd

from .fonts import use_cjk_fonts
from .labels import scope_name, t

#: task areas, in the dataset's order (no pure red: red marks binding limits and targets)
TASK_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
    "#bab0ac",
    "#499894",
    "#d4a6c8",
)
CITY_COLOURS = (
    "#2f6db3",
    "#e69532",
    "#3f9b5a",
    "#8e63b5",
    "#2aa3b0",
    "#a0703c",
    "#d35f9a",
    "#7f7f7f",
    "#b5b52d",
    "#5b8fd6",
)
BINDING_COLOUR = "#d62728"
TARGET_COLOUR = "#b2182b"
LIMIT_COLOUR = "#222222"
REACHED_COLOUR = "#3f9b5a"
NOT_REACHED_COLOUR = "#2f6db3"
BAND_COLOUR = "#f2f4f7"
DEFAULT_UNITS = {"budget": "亿元", "land": "亩", "energy": "万吨标准煤"}
#: label widths (a Chinese character counts 2)
PROJECT_LABEL_WIDTH = 34
INDICATOR_LABEL_WIDTH = 30


# -- the figures ---------------------------------------------------------------------------
def _axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _title(ax, title: str, note: str | None = None) -> None:
    """Bold title on the left; the note (smaller, grey) between it and the plot."""
    lines = note.count("\n") + 1 if note else 0
    ax.set_title(title, loc="left", fontsize=12.5, fontweight=_bold(), pad=6 + lines * 12.5 + (4 if lines else 0))
    if note:
        ax.annotate(
            note,
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 6),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=9,
            color="0.35",
            gid="note",
        )


def _bold() -> str:
    """'bold' where the Chinese font has a bold face; 'normal' otherwise (mixed weights look broken)."""
    global _BOLD
    if _BOLD is None:
        from matplotlib import font_manager

        found = use_cjk_fonts()
        weights = [
            font_manager.weight_dict.get(f.weight, f.weight)
            for f in font_manager.fontManager.ttflist
            if f.name == found
        ]
        _BOLD = "bold" if found is None or any(isinstance(w, int) and w >= 600 for w in weights) else "normal"
    return _BOLD


_BOLD: str | None = None


def _empty(ax, lang):
    ax.text(0.5, 0.5, "—", transform=ax.transAxes, ha="center", va="center", fontsize=14, color="0.5")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _grouped_bars(ax, frame: pd.DataFrame, scopes: list, years: list, result, lang: str) -> None:
    """Bars of `value` per scope within each year group, limit marks, binding edges, target-year divider."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    cities = _list(result.dataset, "cities")
    colour = {c: CITY_COLOURS[i % len(CITY_COLOURS)] for i, c in enumerate(_order(cities, scopes))}
    colour["ALL"] = "#5f6b7a"
    x = np.arange(len(years), dtype=float)
    n = len(scopes)
    w = 0.82 / n
    top = 0.0
    handles = []
    any_binding = False
    any_limit = False
    for i, sc in enumerate(scopes):
        g = frame[frame["scope"] == sc].set_index("year").reindex(years)
        xs = x + (i - (n - 1) / 2) * w
        values = g["value"].fillna(0.0).to_numpy(float)
        bars = ax.bar(xs, values, w * 0.88, color=colour[sc], zorder=3, label=scope_name(sc, lang))
        handles.append(Patch(color=colour[sc], label=scope_name(sc, lang)))
        for rect, b in zip(bars, g["binding"].fillna(False).astype(bool)):
            if b:
                rect.set_edgecolor(BINDING_COLOUR)
                rect.set_linewidth(2.2)
                any_binding = True
        lim = g["limit"].to_numpy(float)
        ok = np.isfinite(lim)
        if ok.any():
            lines = ax.hlines(lim[ok], xs[ok] - w / 2, xs[ok] + w / 2, colors=LIMIT_COLOUR, linewidth=2.2, zorder=4)
            lines.set_gid(f"limit:{sc}")
            any_limit = True
            top = max(top, float(np.nanmax(lim)))
        top = max(top, float(values.max()) if len(values) else 0.0)
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_ylim(0, top * 1.08 if top > 0 else 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if top >= 20 else f"{v:,.1f}"))
    ax.grid(axis="y", color="0.88", lw=0.7, zorder=0)
    ax.tick_params(axis="both", labelsize=9)
    ax.tick_params(axis="x", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(t("year_axis", lang))
    if any_limit:
        handles.append(Line2D([], [], color=LIMIT_COLOUR, lw=2.2, label=t("yearly_limit", lang)))
    if any_binding:
        handles.append(Patch(facecolor="white", edgecolor=BINDING_COLOUR, lw=2.2, label=t("binding_bar", lang)))
    ty = _target_year(result)
    if ty is not None and ty in years and years.index(ty) < len(years) - 1:
        line = ax.axvline(years.index(ty) + 0.5, color=TARGET_COLOUR, ls="--", lw=1.3, zorder=2)
        line.set_gid("target_year")
        handles.append(Line2D([], [], color=TARGET_COLOUR, ls="--", lw=1.3, label=t("target_year_line", lang, year=ty)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)


def _status_style(artist, colour: str, status: str) -> None:
    """committed: light fill, hatched; mandatory: dark outline; candidate: plain."""
    from matplotlib.colors import to_rgb

    if status == "committed":
        light = tuple(1 - 0.5 * (1 - c) for c in to_rgb(colour))
        artist.set_facecolor(light)
        artist.set_edgecolor(colour)
        artist.set_hatch("////")
        artist.set_linewidth(0.9)
    elif status == "mandatory":
        artist.set_facecolor(colour)
        artist.set_edgecolor("#1a1a1a")
        artist.set_linewidth(1.6)
    else:
        artist.set_facecolor(colour)
        artist.set_edgecolor("white")
        artist.set_linewidth(0.5)


def _legend_below(ax, handles, labels=None, ncol: int = 3) -> None:
    """The legend under the x-axis label, a fixed distance in points whatever the height of the axes."""
    from matplotlib.transforms import offset_copy

    below = offset_copy(ax.transAxes, fig=ax.figure, y=-34, units="points")
    if labels is None:
        labels = [h.get_label() for h in handles]
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=below,
        ncol=ncol,
        fontsize=9,
        frameon=False,
    )


def _patch(colour, label):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="white", label=label)


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v:.0%}")


def _bar_width(groups: int, per_group: int) -> float:
    return float(min(16.0, max(8.5, 3.0 + 0.27 * groups * max(per_group, 1))))


def _tightest(rows: pd.DataFrame):
    """The row of highest use/limit among rows with a positive limit, or None."""
    ok = rows[rows["limit"].notna() & (rows["limit"] > 0)]
    if ok.empty:
        return None
    return ok.loc[(ok["value"] / ok["limit"]).idxmax()]


def _tight_note(row, unit, lang) -> str:
    share = row["value"] / row["limit"]
    return t(
        "all_tightest_note",
        lang,
        year=row["year"],
        used=_num(row["value"]),
        limit=_num(row["limit"]),
        unit=unit,
        share=f"{share:.0%}",
    )


def _units(result) -> dict[str, str]:
    units = dict(DEFAULT_UNITS)
    r = result.resources
    if not r.empty and "unit" in r:
        for res, u in zip(r["resource"], r["unit"]):
            if isinstance(u, str) and u:
                units[res] = u
    ds = dict((result.dataset or {}).get("units") or {})
    if "budget" not in ds and "money" in ds:
        ds["budget"] = ds["money"]
    units.update({k: v for k, v in ds.items() if v})
    return units


def _list(d: dict | None, key: str) -> list:
    v = (d or {}).get(key) or []
    return list(v)


def _order(preferred: list, present, keep_all: bool = False) -> list:
    """The distinct values of `present`, those in `preferred` first and in its order; ALL dropped unless kept."""
    seen = list(dict.fromkeys(v for v in present if isinstance(v, str)))
    out = [v for v in preferred if v in seen] + [v for v in seen if v not in preferred]
    return out if keep_all else [v for v in out if v != "ALL"]


def _first(col):
    if col is None:
        return None
    v = col.dropna()
    return str(v.iloc[0]) if len(v) else None


def _target_year(result) -> int | None:
    ty = (result.dataset or {}).get("target_year") or (result.scenario or {}).get("target_year")
    return int(ty) if ty is not None else None


def _horizon(result, starts, finishes) -> tuple[int, int]:
    h = (result.dataset or {}).get("horizon") or (result.scenario or {}).get("horizon")
    if h:
        return int(h[0]), int(h[1])
    return int(np.min(starts)), int(np.max(finishes))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shorten(text: str, width: int) -> str:
    """`text` cut to `width` columns (Chinese characters count two) with an ellipsis."""
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def _num(v) -> str:
    """A number with about four significant digits, thousands separated, no trailing zeros."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or pd.isna(v):
        return "-"
    v = float(v)
    if v == 0:
        return "0"
    digits = min(3, max(0, 3 - math.floor(math.log10(abs(v)))))
    s = f"{v:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _unit_text(unit) -> str:
    if unit is None or (not isinstance(unit, str) and pd.isna(unit)):
        return ""
    return {"count": "", "score": ""}.get(str(unit), str(unit))
