"""Safety of what the report writes: results.xlsx never turns a user's text into a formula, and
figures find a Chinese font installed after matplotlib cached its font list."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest

import optimizer
from helpers import EXACT, meta, project, tables
from optimizer.report import fonts
from optimizer.report.workbook import _cell, write_workbook

# ---------------------------------------------------------------- formula injection in results.xlsx

HYPERLINK = '=HYPERLINK("http://example.org","x")'
NAMES = [HYPERLINK, "+1+2", "-3+4", "@SUM(A1)"]
IDS = ["=P0", "+P1", "-P2", "@P3"]


def _runs():
    """The same formula-like dataset under a loose and a tight budget (so that the changes sheet has rows)."""
    projects = [project(pid, name=name, city="AB"[i % 2], cost=2) for i, (pid, name) in enumerate(zip(IDS, NAMES))]
    contributions = [(pid, "=g", 1.0) for pid in IDS]
    # a negative baseline: numbers, negative ones too, must stay numbers
    indicators = [
        {"indicator": "=g", "name": "=SUM(1,2)", "unit": "-%", "scope": "ALL", "baseline": -1.0, "target": 3.0}
    ]
    m = meta()
    m["name"] = "=1+1"
    out = []
    for budget in (4, 2):
        limits = [{"resource": "budget", "scope": "ALL", "year": y, "limit": budget} for y in range(2024, 2028)]
        ds = optimizer.from_tables(m, tables(projects, contributions, indicators, limits))
        res = optimizer.solve(ds, {**EXACT, "name": "@run"})
        assert res.ok, res.status
        out.append(res)
    return out


def test_workbook_writes_formula_like_text_as_text(tmp_path):
    loose, tight = _runs()
    # run names reach the workbook unstripped (the loader strips table cells): the tab case here
    # (a carriage return reads back as "\n", XML's end-of-line rule: see the test below)
    compare = [(HYPERLINK, loose), ("-3+4", tight), ("\t=1+1", loose)]
    path = write_workbook(loose, tmp_path / "results.xlsx", compare=compare, lang="en")

    wb = openpyxl.load_workbook(path, data_only=False)
    assert {"summary", "portfolio", "attainment", "comparison", "changes"} <= set(wb.sheetnames)
    text: dict[str, set] = {}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    text.setdefault(ws.title, set()).add(c.value)
                    # Excel keeps formula-like text as text when it is edited; other text is untouched
                    assert c.quotePrefix == c.value.startswith(("=", "+", "-", "@", "\t", "\r")), (ws.title, c.value)
    # the values verbatim: no apostrophe or space added
    assert set(NAMES) <= text["portfolio"] and set(IDS) <= text["portfolio"]
    assert {"=g", "=SUM(1,2)", "-%"} <= text["attainment"]
    assert {"=1+1", "@run"} <= text["summary"]  # dataset and scenario names
    assert {HYPERLINK, "-3+4", "\t=1+1"} <= text["comparison"]
    assert set(NAMES) & text["changes"] and "-3+4" in text["changes"]
    baseline = next(r for r in wb["attainment"].iter_rows(min_row=2) if r[0].value == "=g")[4]
    assert baseline.value == -1 and baseline.data_type == "n" and not baseline.quotePrefix

    # the file itself: no formula element in any sheet, and the quotePrefix style is written
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert len(sheets) == len(wb.sheetnames)
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert not re.search(r"<(\w+:)?f[\s>/]", xml), name
        assert 'quotePrefix="1"' in z.read("xl/styles.xml").decode("utf-8")


@pytest.mark.parametrize("value", [HYPERLINK, "=1", "+1+2", "-3+4", "@SUM(A1)", "\t=1+1", "\r=1+1", "#N/A"])
def test_text_cells_are_strings_and_formula_like_ones_quoted(value):
    ws = openpyxl.Workbook().active
    cell = _cell(ws, value)
    assert cell.value == value and cell.data_type == "s"
    assert cell.quotePrefix == (value[0] in "=+-@\t\r")


@pytest.mark.parametrize("value", [-3, -0.5, 0, 2.5])
def test_numbers_stay_numbers(value):
    cell = _cell(openpyxl.Workbook().active, value)
    assert cell.value == value and cell.data_type == "n" and not cell.quotePrefix


# ---------------------------------------------------------------- a CJK font installed after matplotlib's cache


def _cjk_files() -> list[str]:
    """CJK font files on this machine, found without the code under test."""
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", "--format=%{file}\\n", ":lang=zh"], capture_output=True, text=True).stdout
        files = [f for f in out.splitlines() if f.strip()]
    else:
        files = []
    pats = ("wqy*", "*NotoSansCJK*", "*NotoSansSC*", "*SourceHanSans*", "msyh*", "simhei*", "PingFang*")
    for root in ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.local/share/fonts")):
        for p in pats:
            files += glob.glob(os.path.join(root, "**", p), recursive=True)
    return sorted(set(files))


# Writes matplotlib's cache as it was before the CJK font was installed: system fonts left out
# (MPL_IGNORE_SYSTEM_FONTS), and, should this matplotlib not know that switch, CJK entries dropped
# by hand before the list is dumped where matplotlib reads it.
_STALE = """
import glob, json, os, sys
from matplotlib import font_manager as fm
cjk_files, cjk_names = set(json.loads(sys.argv[1])), set(json.loads(sys.argv[2]))
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if f.fname not in cjk_files and f.name not in cjk_names]
caches = glob.glob(os.path.join(os.environ["MPLCONFIGDIR"], "fontlist-*.json"))
for path in caches:
    fm.json_dump(fm.fontManager, path)
print(json.dumps(caches))
"""

# A new process that reads that stale cache, as a user's next run after `apt install` would.
_USE = """
import io, json, warnings
from matplotlib import font_manager as fm
from optimizer.report import fonts
before = sorted({f.name for f in fm.fontManager.ttflist} & set(fonts.CJK_FONTS))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    name = fonts.use_cjk_fonts()
    import matplotlib.pyplot as plt
    fig = plt.figure()
    fig.text(0.1, 0.5, "杭州 湖州 都市圈")
    fig.savefig(io.BytesIO(), format="png")
file = fm.findfont(fm.FontProperties(family=name), fallback_to_default=False) if name else None
print(json.dumps({"before": before, "name": name, "file": file, "warnings": [str(x.message) for x in w]}))
"""


def _py(code: str, env: dict, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_cjk_font_installed_after_the_font_cache_is_found(tmp_path):
    files = _cjk_files()
    if not files:
        if os.environ.get("CI") == "true":  # .ci/run installs fonts-wqy-microhei
            pytest.fail("no CJK font file on this CI machine (.ci/run should have installed fonts-wqy-microhei)")
        pytest.skip("no CJK font file on this machine (install fonts-wqy-microhei to run this test)")
    env = {k: v for k, v in os.environ.items() if k != "MPL_IGNORE_SYSTEM_FONTS"}
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    (tmp_path / "mpl").mkdir()

    caches = json.loads(
        _py(_STALE, {**env, "MPL_IGNORE_SYSTEM_FONTS": "1"}, json.dumps(files), json.dumps(fonts.CJK_FONTS))
    )
    assert caches, "matplotlib wrote no font cache in MPLCONFIGDIR"

    got = json.loads(_py(_USE, env))
    assert got["before"] == [], "the cache still lists a CJK font: the test does not reproduce a stale cache"
    assert got["name"] in fonts.CJK_FONTS
    assert os.path.realpath(got["file"]) in {os.path.realpath(f) for f in files}
    assert not [m for m in got["warnings"] if "Chinese font" in m or "Glyph" in m], got["warnings"]


def test_no_scan_when_the_cache_has_a_cjk_font(monkeypatch):
    from matplotlib import font_manager as fm

    entry = fm.FontEntry(fname="/nonexistent/wqy-microhei.ttc", name=fonts.CJK_FONTS[0])
    monkeypatch.setattr(fm.fontManager, "ttflist", [*fm.fontManager.ttflist, entry])
    monkeypatch.setattr(fonts, "_done", True)  # leave this process's rcParams alone
    monkeypatch.setattr(fonts, "_scanned", False)

    def scan(*_):
        raise AssertionError("scanned the system although the cache has a CJK font")

    monkeypatch.setattr(fonts, "_system_cjk_files", scan)
    assert fonts.use_cjk_fonts() == fonts.CJK_FONTS[0]
