"""Who pays, in planners' terms: each city's spending by funding source and year against the
source's limit, and the limit that binds first (results/funding.py has the numbers).

Used by the HTML report's city sections and by the workbook's `funding` and `cities` sheets.
"""

from __future__ import annotations

import pandas as pd

from .labels import resource_name, scope_name, t


def _frame(result) -> pd.DataFrame:
    f = getattr(result, "funding", None)
    return f if f is not None and not f.empty else pd.DataFrame(columns=["scope", "year", "source", "spend", "limit"])


def city_funding(result, city: str, lang: str) -> dict | None:
    """The city's payers: years, sources (id, name), cells {(year, source): row}, totals per source.
    None when the run has no funding table (a folder written before funding.csv existed)."""
    f = _frame(result)
    f = f[f["scope"] == city]
    if f.empty:
        return None
    binding = {}
    r = result.resources
    if not r.empty:
        own = r[(r["scope"] == city) & r["year"].notna()]
        binding = {(int(y), res): bool(b) for res, y, b in zip(own["resource"], own["year"], own["binding"])}
    totals = f.groupby("source", sort=False)["spend"].sum()
    sources = [s for s in dict.fromkeys(f["source"]) if totals[s] > 0 or f.loc[f["source"] == s, "limit"].notna().any()]
    cells = {
        (int(x["year"]), x["source"]): {**x, "binding": binding.get((int(x["year"]), x["source"]), False)}
        for x in f.to_dict("records")
    }
    return {
        "years": sorted({int(y) for y in f["year"]}),
        "sources": [(s, resource_name(s, lang)) for s in sources],
        "cells": cells,
        "totals": {s: float(totals[s]) for s in sources},
    }


def binds_first_text(row: dict, lang: str) -> str | None:
    """「地方政府专项债券 2025」: the city's limit that binds in the earliest year (cities table);
    None for a run folder written before the cities table said so."""
    if "binds_first" not in row:
        return None
    res = row.get("binds_first")
    if res is None or res != res or res == "":
        return t("binds_first_none", lang)
    year = row.get("binds_first_year")
    when = t("whole_horizon", lang) if year is None or year != year or year is pd.NA else str(int(year))
    return f"{resource_name(str(res), lang)} {when}"


def funding_sheet(result, lang: str, money: str) -> pd.DataFrame | None:
    """The workbook's `funding` sheet: scope, year, payer, spending, limit (blank: no limit on it)."""
    f = _frame(result)
    if f.empty:
        return None
    unit = f" ({money})" if money else ""
    return pd.DataFrame(
        {
            t("scope", lang): f["scope"].map(lambda v: scope_name(v, lang)),
            t("year", lang): f["year"],
            t("payer", lang): f["source"].map(lambda v: resource_name(v, lang)),
            t("spending", lang) + unit: f["spend"],
            t("limit", lang) + unit: f["limit"],
        }
    )
