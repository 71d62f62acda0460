"""report/: every figure, the HTML page, the workbook and all wording (labels.py, zh/en). No Pyomo, no solver.

    from optimizer.report import figures, write_report, write_workbook
    figs = figures(result)                    # {"schedule": Figure, "spending": ..., "land", "energy", "attainment"}
    write_report(result, "outputs/base")      # report.html + results.xlsx (one self-contained page, one workbook)

`figures` here is the function; the module of the plot_* functions is optimizer.report.figures
(`from optimizer.report.figures import plot_schedule`).
"""

from __future__ import annotations

from .figures import figures
from .html import render_html, svg_of, write_report
from .workbook import write_workbook

__all__ = ["figures", "render_html", "svg_of", "write_report", "write_workbook"]
