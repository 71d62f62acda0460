"""Every script in examples/ runs as a user would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs(script, tmp_path):
    args = [sys.executable, str(script)]
    if script.name == "quickstart.py":
        args += [str(ROOT / "models" / "hangzhou_default.yaml"), str(tmp_path / "out")]
    if script.name == "compare_budget_cases.py":
        args += [str(ROOT / "models" / "hangzhou_default.yaml"), str(tmp_path / "cases.csv")]
    if script.name == "embed_in_report.py":
        args += [str(ROOT / "models" / "hangzhou_default.yaml"), str(tmp_path / "section.html")]
    r = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    if script.name == "compare_budget_cases.py":
        import pandas as pd

        table = pd.read_csv(tmp_path / "cases.csv")
        assert list(table["scenario"]) == ["budget -10%", "budget as planned", "budget +10%"]
        # more money never scores less
        assert table["objective"].is_monotonic_increasing
    if script.name == "embed_in_report.py":
        section = (tmp_path / "section.html").read_text(encoding="utf-8")
        assert section.count("<svg") == 2 and "杭州" in section and "<table" in section
    if script.name == "quickstart.py":
        assert r.stdout.startswith("optimal: score")
        assert (tmp_path / "out" / "portfolio.csv").exists()
