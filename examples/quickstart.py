"""Optimise the example dataset from Python and look at what each city gets.

Copy this file and point DATA at your own dataset folder, workbook or scenario.
Run: python examples/quickstart.py [DATA] [OUT]
"""

import sys
from pathlib import Path

import optimizer

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "hangzhou_default.yaml"
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "outputs" / "quickstart"

dataset = optimizer.load(DATA)
result = optimizer.solve(dataset, {"partial_credit": 0.5})  # or None: the scenario's own settings
print(
    f"{result.status}: score {result.objective:.3f}, attainment index {result.attainment_index:.1f}, gap {result.mip_gap:.2e}"
)

# what each city gets
print(result.cities.to_string(index=False))

# the projects that start, in order
chosen = result.portfolio[result.portfolio["selected"]].sort_values(["start", "city"])
print(chosen[["id", "name", "city", "start", "finish", "cost"]].head(15).to_string(index=False))

# the limits that hold the plan back
print(result.binding[["resource", "scope", "year", "used", "limit"]].to_string(index=False))

result.write(OUT)
print(f"written to {OUT}")
