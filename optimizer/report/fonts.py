"""Chinese labels in matplotlib figures.

Matplotlib's default font has no Chinese glyphs. Figures name cities and projects in
Chinese, so the font list falls back to a CJK font when the machine has one
(Debian: fonts-wqy-microhei or fonts-noto-cjk; Windows and macOS ship their own).
"""

from __future__ import annotations

import warnings

CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)

_done = False


def use_cjk_fonts() -> str | None:
    """Put the first installed CJK font after the default one; return its name (None: none found)."""
    global _done
    import matplotlib
    from matplotlib import font_manager

    matplotlib.use("Agg", force=False)  # no display needed; a no-op where a backend is already chosen
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((f for f in CJK_FONTS if f in installed), None)
    if not _done:
        _done = True
        if found:
            # a list of families is a fallback chain: Latin from DejaVu, Chinese from the CJK font
            matplotlib.rcParams["font.family"] = ["DejaVu Sans", found]
        else:
            warnings.warn(
                "no Chinese font found: Chinese labels in PNG figures will show as boxes "
                "(install fonts-wqy-microhei or fonts-noto-cjk)",
                stacklevel=2,
            )
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    return found
