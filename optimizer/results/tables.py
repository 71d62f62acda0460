"""Tables across several Results: the comparison of runs and the projects that change between them.

One copy, used by analysis.compare (comparison.csv, changes.csv) and by the report, which
labels the same columns in zh/en for the workbook and the HTML page.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .result import Result


def comparison_table(names: list[str], results: list[Result]) -> pd.DataFrame:
    """comparison.csv: one row per run (status, gap, score, attainment index; per city attainment,
    spending and projects), the cities of every run's dataset in order of first appearance."""
    cities: list[str] = []
    for res in results:
        cities += [c for c in res.dataset.get("cities", list(res.cities.get("city", []))) if c not in cities]
    rows = []
    for name, res in zip(names, results):
        row: dict[str, Any] = {
            "scenario": name,
            "status": str(res.status),
            "mip_gap": res.mip_gap,
            "objective": res.objective,
            "attainment_index": res.attainment_index,
        }
        by_city = res.cities.set_index("city") if not res.cities.empty else pd.DataFrame()
        for kind, col in (("attainment", "attainment"), ("spend", "spend"), ("projects", "projects")):
            for c in cities:
                ok = res.ok and c in by_city.index
                row[f"{kind}_{c}"] = by_city.at[c, col] if ok else None
        rows.append(row)
    return pd.DataFrame(rows)


def changes_table(names: list[str], results: list[Result]) -> pd.DataFrame:
    """Projects whose selection or start differs from the first scenario's."""
    cols = ["scenario", "id", "name", "city", "base", "base_selected", "base_start", "selected", "start"]
    if not results or not results[0].ok:
        return pd.DataFrame(columns=cols)
    ref = results[0].portfolio.set_index("id")
    out = []
    for name, res in zip(names[1:], results[1:]):
        if not res.ok:
            continue
        p = res.portfolio.set_index("id")
        common = ref.index.intersection(p.index)
        a, b = ref.loc[common], p.loc[common]
        differs = (a["selected"] != b["selected"]) | (a["start"].fillna(-1) != b["start"].fillna(-1))
        for pid in common[differs.to_numpy()]:
            out.append(
                {
                    "scenario": name,
                    "id": pid,
                    "name": p.at[pid, "name"],
                    "city": p.at[pid, "city"],
                    "base": names[0],
                    "base_selected": bool(a.at[pid, "selected"]),
                    "base_start": a.at[pid, "start"],
                    "selected": bool(b.at[pid, "selected"]),
                    "start": b.at[pid, "start"],
                }
            )
    df = pd.DataFrame(out, columns=cols)
    for c in ("base_start", "start"):
        df[c] = df[c].astype("Int64")
    return df
