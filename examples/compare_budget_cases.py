"""Compare three budget cases for the metropolitan area and save the table.

A planner's question: what do a 10% cut and a 10% increase of every city's budget
do to the 2027 targets, city by city? Copy this file and change DATA and CASES.
Run: python examples/compare_budget_cases.py [DATA] [OUT_CSV]
"""

import sys
from pathlib import Path

import optimizer

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "hangzhou_default.yaml"
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "outputs" / "budget_cases.csv"

dataset = optimizer.load(DATA)
base = dataset.scenario.model_dump(exclude={"source", "data"}) if dataset.scenario else {}
CASES = {
    "budget -10%": {**base, "name": "budget -10%", "scale": {"budget": 0.9}},
    "budget as planned": {**base, "name": "budget as planned"},
    "budget +10%": {**base, "name": "budget +10%", "scale": {"budget": 1.1}},
}

table = optimizer.compare(list(CASES.values()), data=dataset)
columns = ["scenario", "status", "objective", "attainment_index"] + [
    c for c in table.columns if c.startswith("attainment_") and c != "attainment_index"
]
print(table[columns].round(2).to_string(index=False))

changes = table.attrs["changes"]
print(f"\n{len(changes)} project decisions differ from the first case")

OUT.parent.mkdir(parents=True, exist_ok=True)
table.to_csv(OUT, index=False)
print(f"saved {OUT}")
