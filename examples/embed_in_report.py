"""Put the optimizer's results into your own report: a one-page HTML section.

The section has two figures as inline SVG (text kept as text, so Chinese names render in any
browser and can be copied) and the per-city table. Paste it into a larger HTML report, or
open it on its own. Copy this file and change what goes in.
Run: python examples/embed_in_report.py [DATA_OR_RUN_DIR] [OUT.html] [zh|en]
  DATA_OR_RUN_DIR: a dataset / scenario .yaml to optimise, or a folder written by 'portfolio run --out'
"""

import html
import sys
from pathlib import Path

import optimizer
from optimizer.report import figures, svg_of
from optimizer.report.labels import t

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "hangzhou_default.yaml"
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("outputs") / "section.html"
LANG = sys.argv[3] if len(sys.argv) > 3 else "zh"

if (SOURCE / "summary.json").is_file():
    result = optimizer.Result.read(SOURCE)  # an earlier run: nothing to solve
else:
    result = optimizer.solve(optimizer.load(SOURCE))
if not result.ok:
    sys.exit(f"no portfolio to show: {result.status} {result.message}")

# two of the standard figures (schedule, spending, land, energy, attainment), as inline SVG;
# the prefix keeps the ids inside each figure distinct on one page
figs = figures(result, lang=LANG)
keys = [key for key in ("attainment", "spending") if key in figs]
parts = [f'<figure id="fig-{key}">{svg_of(figs[key], prefix=f"fig-{key}")}</figure>' for key in keys]


# the per-city table, from the DataFrame
def num(v, spec):
    return "-" if v is None or v != v else format(v, spec)


money = result.dataset.get("units", {}).get("money", "")
rows = "".join(
    f"<tr><td>{html.escape(str(c.city))}</td><td>{c.projects}</td><td>{c.spend:,.1f}</td>"
    f"<td>{num(c.spend_share, '.0%')}</td><td>{num(c.attainment, '.1f')}</td></tr>"
    for c in result.cities.itertuples(index=False)
)
head = [
    t("city", LANG),
    t("projects", LANG),
    f"{t('spending', LANG)} ({money})",
    t("spend_share", LANG),
    t("attained", LANG),
]
table = (
    '<table class="cities"><thead><tr>'
    + "".join(f"<th>{html.escape(h)}</th>" for h in head)
    + f"</tr></thead><tbody>{rows}</tbody></table>"
)

title = f"{result.dataset.get('name', '')}: {t('attainment_index', LANG)} {result.attainment_index:.1f} / 100"
section = f'<section class="portfolio-section">\n<h2>{html.escape(title)}</h2>\n{"".join(parts)}\n{table}\n</section>\n'
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(section, encoding="utf-8")
print(f"{len(parts)} figures and {len(result.cities)} cities written to {OUT}")
