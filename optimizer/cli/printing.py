"""What the command prints: run summaries, comparison tables, trade-off summaries (English, aligned
for terminals where a Chinese character takes two columns)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


def pad(text: str, width: int) -> str:
    """Left-align in a terminal where CJK characters take two columns."""
    import unicodedata

    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def fmt(v, spec=",.1f") -> str:
    return "-" if v is None else format(v, spec)


def print_summary(res, ds, out=sys.stdout) -> None:
    import pandas as pd

    s = res.scenario
    units = ds.meta.units
    money = units.get("money", "")
    w = out.write
    w(f"{ds.name}  [{ds.source}]  scenario: {s.get('name')}\n")
    gap = "-" if res.mip_gap is None else f"{100 * res.mip_gap:.3f}%"
    w(f"status            {res.status}  (gap {gap}; tie-break: {res.tie_break})\n")
    if not res.ok:
        if res.message:
            w(f"why               {res.message}\n")
        return
    w(f"score             {res.objective:.4f}  (bound {fmt(res.bound, '.4f')})\n")
    w(f"attainment index  {fmt(res.attainment_index)} / 100\n")
    n = len(res.portfolio)
    w(f"portfolio         {res.selected_count} of {n} projects, total cost {res.total_cost:,.1f} {money}\n")
    first = "binds_first" in res.cities
    head = "  binds first" if first else ""
    w(
        f"\n{'city':<10}{'projects':>9}{pad('', 14 - 6 - 2 * len(money))}spend {money}{'share':>8}{'attainment':>12}{head}\n"
    )
    for r in res.cities.itertuples(index=False):
        share = "-" if r.spend_share is None else f"{100 * r.spend_share:.0f}%"
        binds = ""
        if first:
            year = "" if pd.isna(r.binds_first_year) else f" {int(r.binds_first_year)}"
            binds = "  " + ("-" if pd.isna(r.binds_first) else f"{r.binds_first}{year}")
        w(f"{pad(r.city, 10)}{r.projects:>9}{r.spend:>14,.1f}{share:>8}{fmt(r.attainment):>12}{binds}\n")
    b = res.binding
    w(f"\nbinding limits: {len(b)} of {len(res.resources)} (full, or too little left for any project not chosen)\n")
    shown = res.resources.sort_values(["binding", "utilisation"], ascending=False).head(max(8, min(len(b), 20)))
    width = max([8, *(len(str(x)) + 1 for x in shown["resource"])])
    for r in shown.itertuples(index=False):
        year = "horizon" if pd.isna(r.year) else str(r.year)
        mark = "*" if r.binding else " "
        w(
            f" {mark} {pad(r.resource, width)}{pad(r.scope, 6)}{year:<9}{r.used:>12,.1f} of {r.limit:>10,.1f} {pad(r.unit or '', 12)}{100 * r.utilisation:>5.1f}%\n"
        )
    w(f"\nbuild {res.build_seconds:.2f} s, solve {res.solve_seconds:.2f} s\n")


def _cell(column: str, v) -> str:
    if v is None or pd.isna(v):
        return "-"
    if column == "mip_gap":
        return f"{100 * v:.3f}%"
    if column == "objective":
        return f"{v:.4f}"
    if column.startswith(("attainment", "spend")):
        return f"{v:,.1f}"
    return str(v)


def print_table(table: pd.DataFrame, out=sys.stdout) -> None:
    """comparison.csv as the console shows it."""
    show = table.copy().astype(object)
    for c in show.columns:
        show[c] = [_cell(c, v) for v in table[c]]
    out.write(show.to_string(index=False) + "\n")


def print_tradeoffs(tables: dict[str, pd.DataFrame], meta: dict) -> None:
    """The console summary of `portfolio tradeoffs`."""
    units = meta["units"]
    score = "-" if meta["base_score"] is None else f"{meta['base_score']:.4f}"
    print(f"{meta['dataset']}  scenario: {meta['scenario']}  base: {meta['base_status']}, score {score}")
    cities = tables["cities"]
    if not cities.empty:
        print(
            f"\n{'city':<8}{'projects':>9}{'spend':>10}{'share':>7}{'land':>9}{'energy':>8}{'attain':>8}{'best':>7}{'rest':>7}"
        )
        for r in cities.to_dict("records"):
            share = "-" if pd.isna(r["spend_share"]) else f"{100 * r['spend_share']:.0f}%"
            print(
                f"{pad(r['city'], 8)}{r['projects']:>9}{r['spend']:>10,.1f}{share:>7}{r['land']:>9,.0f}"
                f"{r.get('energy_peak', np.nan):>8.1f}{r['attainment']:>8.1f}{r['best_attainment']:>7.1f}{r['rest_attainment']:>7.1f}"
            )
        print(
            f"(spend {units.get('budget', '')}, land {units.get('land', '')}, energy: added use in the peak year, "
            f"{units.get('energy', '')}/yr; attain/best/rest: 0-100)"
        )
    bal = tables["balance"]
    if not bal.empty:
        print("\nprice of balance (score without the rule - score with it):")
        for r in bal.to_dict("records"):
            price, without = (f"{v:.4f}" if pd.notna(v) else "-" for v in (r["price"], r["score_without"]))
            print(f"  {pad(r['rule'], 34)}{price:>10}  (score without it {without}, {r['status']})")
    marg = tables["marginal"]
    if not marg.empty:
        gain = marg[marg["score_change"] > 1e-6].sort_values("score_change", ascending=False)
        print(f"\nmarginal value of one step more (re-solve; {len(gain)} of {len(marg)} groups gain, top 8):")
        for r in gain.head(8).to_dict("records"):
            print(
                f"  {r['resource']:<7}{pad(r['scope'], 6)}{r['years']:<10} +{r['step']:,.2f} {pad(r['unit'], 11)}"
                f"score {r['score_change']:+.4f}  ({r['per_unit']:.2e} per {r['unit']})"
            )
        biggest = marg["dual_fixed"].abs().max()
        print(
            f"  LP duals with every choice fixed (dual_fixed): largest |value| {biggest:.3g}; with all choices fixed a"
        )
        print("  limit row has no price unless it binds a continuous variable: the re-solve is the value of more")
    print(f"\n{meta['runs']} runs in {meta['seconds']:.1f} s")


def print_import(res, where) -> None:
    """What `portfolio import` did, in a few lines (the details are in import_report.txt)."""
    kinds = [e.kind for e in res.log]
    skipped = kinds.count("skipped")
    src = next((e.fields for e in res.log if e.kind == "source"), {})
    header = next((e.fields for e in res.log if e.kind == "header"), {})
    print(
        f"imported {len(res.projects)} projects from {src.get('file', '')} (sheet {src.get('sheet', '')}, "
        f"header row {header.get('row', '?')}; {skipped} rows skipped) into {where}"
    )
    tables = [n for n in res.files if n.endswith(".csv")]
    print(f"written: {', '.join(tables)} and import_report.txt (every assumption, in Chinese and English)")
    checks = sum(kinds.count(k) for k in ("committed_late", "funding_sum", "unit_guess", "task_unknown"))
    if checks:
        print(f"{checks} point(s) to check: see import_report.txt")
    if "template" in kinds:
        print("the new dataset needs indicators and contributions before it solves (see README.md there)")
