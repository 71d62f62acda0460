"""report.html: one self-contained page of a run, for mailing to a planning office.

    from optimizer.report.html import write_report
    write_report(result, "outputs/base", lang="en")       # report.html and results.xlsx in the folder

Nothing is fetched when the page is opened: the CSS is inline and the figures are inline SVG
with their text kept as text (matplotlib's svg.fonttype 'none'), so Chinese names render with
the reader's own fonts and can be searched and copied. The page is a jinja2 template
(templates/report.html.j2, autoescaped); this module turns a Result into plain rows for it.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import logging
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..results import result as _result
from ..results.outfiles import read_csv, render
from .labels import lang_of, project_status_name, resource_name, scope_name, status_name, t
from .payers import binds_first_text, city_funding
from .workbook import changes_frame, comparison_frame, has_word, word, workbook_bytes

#: analysis tables a run folder may also hold (copied there from explain / frontier / tradeoffs)
EXTRA_TABLES = ("explanations", "frontier", "tradeoffs", "balance", "alternatives", "alternatives_summary", "settled")
EXPLAIN_COLUMNS = ["id", "name", "city", "selected", "score_change", "sentence"]
FRONTIER_COLUMNS = ["scale", "limit", "status", "objective", "attainment_index", "marginal"]
#: fonts the reader may have, after the ones matplotlib names: Latin, then Chinese, then generic
_FONT_TAIL = ", 'Segoe UI', 'Helvetica Neue', Arial, 'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', sans-serif"


def svg_of(fig: Any, title: str | None = None, prefix: str = "") -> str:
    """A matplotlib Figure as an inline <svg> element: text kept as text, scaled to its container.

    `prefix`: put before every id inside (and every reference to one), so that several figures
    on one page do not share ids (matplotlib numbers them from 1 in every figure)."""
    import matplotlib

    buf = io.StringIO()
    quiet = logging.getLogger("matplotlib.font_manager")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "no bold face for the CJK font" is not the reader's concern
    try:
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": None}):
            fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    finally:
        quiet.setLevel(level)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    head_end = svg.index(">")
    head = svg[:head_end]
    w = re.search(r'width="([\d.]+)pt"', head)
    head = re.sub(r'\s(width|height)="[\d.]+pt"', "", head)
    label = f' role="img" aria-label="{html.escape(title, quote=True)}"' if title else ""
    style = f' style="max-width:{float(w.group(1)):.0f}pt"' if w else ""
    svg = f'{head} width="100%"{style}{label}{svg[head_end:]}'
    if prefix:
        ids = set(re.findall(r'\sid="([^"]+)"', svg))
        svg = re.sub(
            r'(\sid="|href="#|url\(#)([^")]+)',
            lambda m: f"{m.group(1)}{prefix}-{m.group(2)}" if m.group(2) in ids else m.group(0),
            svg,
        )
    return re.sub(r"font-family: ([^;\"]+)", lambda m: f"font-family: {m.group(1)}{_FONT_TAIL}", svg)


def read_extras(run_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The analysis tables found in a run folder (EXTRA_TABLES: explanations, frontier, trade-offs, alternatives)."""
    out = {}
    for name in EXTRA_TABLES:
        path = Path(run_dir) / f"{name}.csv"
        if path.is_file():
            out[name] = read_csv(path)
    return out


def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(num=_num, pct=_pct, bar=_bar, val=_cell)
    return env


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and not math.isfinite(x))


def _num(x: Any, digits: int = 1) -> str:
    return "—" if _missing(x) else f"{x:,.{digits}f}"


def _pct(x: Any, digits: int = 1) -> str:
    return "—" if _missing(x) else f"{100 * x:,.{digits}f}%"


def _bar(x: Any) -> float:
    """A share as a bar width in percent, 0 to 100."""
    return 0.0 if _missing(x) else round(100 * min(1.0, max(0.0, float(x))), 1)


def _cell(x: Any) -> str:
    """Any value of an analysis table, about four significant digits for numbers."""
    if _missing(x):
        return ""
    if isinstance(x, float):
        return f"{x:,.1f}" if abs(x) >= 100 else f"{x:.4g}"
    return str(x)


#: analysis-table columns named differently in words
_ALIAS = {"objective": "score", "bound": "rule_bound"}


def _frame(df: pd.DataFrame | None, columns: list[str] | None = None, lang: str | None = None) -> dict | None:
    """A DataFrame as headers and formatted rows for the table macro; with `lang`, headers and
    statuses in words."""
    if df is None or df.empty:
        return None
    df = df[[c for c in columns if c in df]] if columns else df.copy()
    if lang:
        if "status" in df:
            df["status"] = df["status"].map(lambda s: status_name(s, lang))
        for c in df:
            if set(df[c].dropna().astype(str)) <= {"True", "False"} and df[c].notna().any():
                df[c] = df[c].map(lambda x: "" if _missing(x) else word("yes" if str(x) == "True" else "no", lang))
        df = df.rename(columns=lambda c: word(_ALIAS.get(c, c), lang) if has_word(_ALIAS.get(c, c)) else c)
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df]
    return {
        "headers": list(df.columns),
        "numeric": numeric,
        "rows": [[_cell(x) for x in r] for r in df.itertuples(index=False)],
    }


def _year(y: Any, lang: str) -> str:
    return t("whole_horizon", lang) if _missing(y) else str(int(y))


def _settings(result, lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, value) of the scenario's settings, and the labels of those left unset."""
    sc = result.scenario

    def show(x: Any) -> str:
        if isinstance(x, dict):
            return "; ".join(f"{scope_name(k, lang) if isinstance(k, str) else k}: {show(val)}" for k, val in x.items())
        return ", ".join(map(str, x)) if isinstance(x, list) else str(x)

    horizon = sc.get("horizon") or result.dataset.get("horizon") or []
    rows = [
        (
            t("dataset", lang),
            f"{result.dataset.get('name', '')} ({t('n_projects', lang, n=result.dataset.get('projects', ''))})",
        ),
        (t("horizon", lang), "–".join(map(str, horizon))),
        (t("target_year", lang), str(sc.get("target_year") or result.dataset.get("target_year", ""))),
    ]
    mode = sc.get("budget_mode")
    if mode:
        rows.append(
            (word("budget_mode", lang), word(f"budget_mode.{mode}", lang) if mode in ("annual", "cumulative") else mode)
        )
    values = {key: sc.get(key) for key in ("description", "partial_credit", "overshoot_weight", "city_weights")}
    values["scale"] = {resource_name(k, lang): val for k, val in (sc.get("scale") or {}).items()}
    values.update(sc.get("balance") or {})
    values.update({key: sc.get(key) for key in ("task_minimum", "force_in", "force_out")})
    unset = []
    for key, val in values.items():
        label = word(key, lang) if has_word(key) else key
        if val in (None, {}, [], "") and key != "description":
            unset.append(label)
        elif val not in (None, {}, [], ""):
            rows.append((label, show(val)))
    if sc.get("solver"):
        rows.append((word("solver", lang), show(sc["solver"])))
    return rows, unset


def _targets(result, lang: str, scope: str) -> list[dict]:
    a = result.attainment
    if a.empty:
        return []
    a = a[(a["scope"] == scope) & a["target"].notna()]
    return a.to_dict("records")


def _binding(result, lang: str) -> list[dict]:
    b = result.binding
    if b.empty:
        return []
    b = b.sort_values(["resource", "scope", "year"], na_position="last")
    return [
        {**r, "resource_name": resource_name(r["resource"], lang), "scope_name": scope_name(r["scope"], lang),
         "year_name": _year(r["year"], lang)}
        for r in b.to_dict("records")
    ]  # fmt: skip


def _portfolio(result, lang: str) -> list[dict]:
    p = result.portfolio
    if p.empty:
        return []
    order = {c: i for i, c in enumerate(result.dataset.get("cities", []))}
    p = p.assign(_c=p["city"].map(order), _out=~p["selected"].astype(bool))
    p = p.sort_values(["_out", "_c", "start", "id"], na_position="last")
    return [{**r, "status_name": project_status_name(r["status"], lang)} for r in p.to_dict("records")]


def _city_sections(result, lang: str) -> list[dict]:
    if not result.ok or result.cities.empty:
        return []
    projects = _portfolio(result, lang)
    r = result.resources
    out = []
    for i, row in enumerate(result.cities.to_dict("records")):
        city = row["city"]
        mine = r[r["scope"] == city] if not r.empty else r
        own, whole = mine[mine["year"].notna()], mine[mine["year"].isna()]
        cells = {(int(x["year"]), x["resource"]): x for x in own.to_dict("records")}
        resources, years = list(dict.fromkeys(own["resource"])), sorted({y for y, _ in cells})
        out.append(
            {
                "anchor": f"city-{i + 1}",
                "name": city,
                "row": row,
                "projects": [p for p in projects if p["city"] == city and p["selected"]],
                "targets": _targets(result, lang, city),
                "years": years,
                "resources": [(res, resource_name(res, lang)) for res in resources],
                "cells": cells,
                "whole": [{**x, "resource_name": resource_name(x["resource"], lang)} for x in whole.to_dict("records")],
                "funding": city_funding(result, city, lang),
                "binds_first": binds_first_text(row, lang),
            }
        )
    return out


def _comparison(runs: list[tuple[str, Any]] | None, lang: str) -> dict | None:
    """The comparison table transposed: one row per measure, one column per run."""
    if not runs:
        return None
    df = comparison_frame(runs, lang).set_index(word("scenario", lang))
    rows = []
    for col in df.columns:
        fmt = (lambda x: _pct(x, 3)) if col.endswith("(%)") else _cell
        rows.append([col, *(_num(x, 4) if col == t("score", lang) else fmt(x) for x in df[col])])
    return {"headers": [word("scenario", lang), *df.index], "rows": rows}


def _figures(result, lang: str) -> dict[str, str]:
    from .figures import figures

    if not result.ok:
        return {}
    return {key: svg_of(fig, prefix=f"fig-{key}") for key, fig in figures(result, lang).items()}


def _extra_figures(result, extras: dict[str, pd.DataFrame], lang: str) -> dict[str, str]:
    """Figures of the analysis tables in the run folder (frontier, trade-offs)."""
    import matplotlib.pyplot as plt

    from .figures import plot_frontier, plot_tradeoffs

    out = {}
    for key, plot in (("frontier", plot_frontier), ("tradeoffs", plot_tradeoffs)):
        table = extras.get(key)
        if table is None or table.empty:
            continue
        table = table.copy()
        table.attrs["dataset"] = result.dataset.get("name", "")
        if key == "frontier":
            table.attrs.update(_frontier_attrs(result, table))
        try:
            ax = plot(table, lang=lang)
        except Exception as exc:  # a table from another version: keep the report, skip its figure
            logging.getLogger(__name__).warning("no %s figure: %s", key, exc)
            continue
        out[key] = svg_of(ax.figure, prefix=f"fig-{key}")
        plt.close(ax.figure)
    if extras.get("alternatives") is not None and extras.get("alternatives_summary") is not None:
        from .sweeps import plot_alternatives

        p = result.portfolio
        ids = set(extras["settled"]["id"]) if extras.get("settled") is not None else set(p["id"])
        tables = {"alternatives": extras["alternatives"], "summary": extras["alternatives_summary"]}
        tables["projects"] = p[p["id"].isin(ids)][["id", "name", "city", "task"]]
        try:
            fig = plot_alternatives(tables, lang=lang)
            out["alternatives"] = svg_of(fig, prefix="fig-alternatives")
            plt.close(fig)
        except Exception as exc:  # a table from another version: keep the report, skip its figure
            logging.getLogger(__name__).warning("no alternatives figure: %s", exc)
    return out


def _frontier_attrs(result, table: pd.DataFrame) -> dict[str, str]:
    """Which resource (and scope) a frontier.csv scaled: the limit rows whose total is its limit at scale 1."""
    r = result.resources
    if r.empty or not {"scale", "limit"} <= set(table) or not (table["scale"] > 0).any():
        return {}
    row = table[table["scale"] > 0].iloc[0]
    total = row["limit"] / row["scale"]
    sums = [((res, ""), g["limit"].sum()) for res, g in r.groupby("resource")]
    sums += [((res, scope), g["limit"].sum()) for (res, scope), g in r.groupby(["resource", "scope"])]
    for (res, scope), s in sums:
        if abs(s - total) <= 1e-6 * max(1.0, abs(total)):
            unit = r.loc[r["resource"] == res, "unit"].dropna()
            return {"resource": res, "scope": scope, "unit": unit.iloc[0] if len(unit) else ""}
    return {}


def run_names(results: list[Any], folders: list[str] | None = None) -> list[str]:
    """A distinct name per run: its scenario name (the folder's for a repeat), primes added to repeats."""
    names: list[str] = []
    for i, res in enumerate(results):
        name = res.scenario.get("name") or (folders[i] if folders else f"run {i + 1}")
        if name in names and folders:
            name = folders[i]
        while name in names:
            name = f"{name}'"
        names.append(name)
    return names


def _runs(result, compare: list[Any] | None) -> list[tuple[str, Any]] | None:
    """(name, Result) pairs, this result first; `compare` items are Results or (name, Result) pairs."""
    if not compare:
        return None
    named = [c if isinstance(c, tuple) else (None, c) for c in compare]
    auto = run_names([result] + [r for _, r in named])
    return [(auto[0], result)] + [(n or auto[i + 1], r) for i, (n, r) in enumerate(named)]


def render_html(
    result,
    lang: str = "zh",
    compare: list[Any] | None = None,
    extras: dict[str, pd.DataFrame] | None = None,
) -> str:
    """The report page as a string. `compare`: other runs (Results or (name, Result) pairs);
    `extras`: analysis tables (see read_extras)."""
    from ..version import __version__

    lang = lang_of(lang)
    extras = extras or {}
    runs = _runs(result, compare)
    figs = _figures(result, lang)
    figs.update(_extra_figures(result, extras, lang))
    settings, unset = _settings(result, lang)
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            lang=lang,
            w=lambda key, **kw: word(key, lang, **kw),
            result=result,
            status_name=lambda x: status_name(x, lang),
            settings=settings,
            unset=word("unset", lang, names=("、" if lang == "zh" else ", ").join(unset)) if unset else "",
            figs=figs,
            targets=_targets(result, lang, "ALL"),
            binding=_binding(result, lang),
            n_limits=len(result.resources),
            portfolio=_portfolio(result, lang),
            cities=_city_sections(result, lang),
            infeasibility=_frame(result.infeasibility, None, lang),
            explanations=_frame(extras.get("explanations"), EXPLAIN_COLUMNS, lang),
            frontier=_frame(extras.get("frontier"), FRONTIER_COLUMNS, lang),
            tradeoffs=_frame(extras.get("tradeoffs"), None, lang),
            balance=_frame(extras.get("balance"), None, lang),
            alternatives=_frame(extras.get("alternatives_summary"), None, lang),
            settled=_frame(extras.get("settled"), None, lang),
            comparison=_comparison(runs, lang),
            changes=_frame(changes_frame(runs, lang), None, lang) if runs else None,
            base=runs[0][0] if runs else "",
            base_ok=bool(runs) and runs[0][1].ok,
            footer=word("generated", lang, version=__version__, when=_dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
            timing=word("timing", lang, build=f"{result.build_seconds:.2f}", solve=f"{result.solve_seconds:.2f}"),
        )
    )


def summary_html(result, lang: str = "zh") -> str:
    """A compact summary (no figures): status, score, attainment index, gap, cities. For notebooks."""
    lang = lang_of(lang)
    return (
        _env()
        .get_template("summary.html.j2")
        .render(
            w=lambda key, **kw: word(key, lang, **kw),
            result=result,
            status_name=lambda x: status_name(x, lang),
            cities=result.cities.to_dict("records") if result.ok else [],
        )
    )


def report_files(
    result,
    lang: str = "zh",
    compare: list[Any] | None = None,
    extras: dict[str, pd.DataFrame] | None = None,
) -> dict[str, str | bytes]:
    """{"report.html": text, "results.xlsx": bytes}, for writing beside the other results."""
    return {
        "report.html": render_html(result, lang, compare, extras),
        "results.xlsx": workbook_bytes(result, _runs(result, compare), lang),
    }


def write_report(
    result,
    out: str | Path,
    lang: str = "zh",
    compare: list[Any] | None = None,
    extras: dict[str, pd.DataFrame] | None = None,
    force: bool = False,
) -> list[Path]:
    """Write report.html and results.xlsx into the folder `out` (added to an earlier result
    there, by results.outdir's rules), or, when `out` ends in .html, the page there and the
    workbook beside it (same name, .xlsx), each replaced whole only if this tool wrote it."""
    from ..results import outdir

    files = report_files(result, lang, compare, extras)
    if not isinstance(out, outdir.Target) and Path(out).suffix.lower() in (".html", ".htm"):
        out = Path(out)
        paths = {"report.html": out, "results.xlsx": out.with_suffix(".xlsx")}
        data = {k: render(k, v) for k, v in files.items()}
        return outdir.write_beside(paths, data, force=force, shown=str(out))
    folder = outdir.write(out, files, force=force, replace=False)
    return [folder / name for name in files]


# Result._repr_html_ shows this summary in notebooks (results cannot import the report layer)
_result.HTML_SUMMARY = summary_html
