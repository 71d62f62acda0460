"""Chinese labels in matplotlib figures.

Matplotlib's default font has no Chinese glyphs. Figures name cities and projects in
Chinese, so the font list falls back to a CJK font when the machine has one
(Debian: fonts-wqy-microhei or fonts-noto-cjk; Windows and macOS ship their own).

Matplotlib lists the machine's fonts once and keeps the list in its cache folder (MPLCONFIGDIR,
else ~/.cache/matplotlib), never refreshing it: a font installed after that first listing is
invisible to it. So when the cached list has no CJK font, the system is asked once per process
(fontconfig's fc-list, else matplotlib's own file scan) and the fonts found are added in memory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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

#: file-name fragments (lower case, no spaces) of those fonts, for machines without fc-list
_CJK_FILES = ("wqy", "notosanscjk", "notosanssc", "sourcehansans", "msyh", "simhei", "pingfang", "heiti", "arialuni")

_done = False
_scanned = False


def _first_cjk(font_manager) -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in installed), None)


def _fc_list_files() -> list[str] | None:
    """Files of the fonts fontconfig knows with a family of CJK_FONTS, in CJK_FONTS order; None: no fc-list."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:  # fc-list may first rebuild fontconfig's own cache after an install: give it time
        out = subprocess.run(
            [exe, "--format=%{file}|%{family}\\n", ":lang=zh"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    rows = [line.split("|", 1) for line in out.splitlines() if "|" in line]
    rank = {name: i for i, name in enumerate(CJK_FONTS)}
    hits = []
    for path, families in rows:
        ranks = [rank[f.strip()] for f in families.split(",") if f.strip() in rank]
        if ranks:
            hits.append((min(ranks), path))
    return [path for _, path in sorted(hits)]


def _system_cjk_files(font_manager) -> list[str]:
    """Candidate CJK font files on the system, likeliest first."""
    if os.getenv("MPL_IGNORE_SYSTEM_FONTS"):  # the user told matplotlib to keep off system fonts
        return []
    files = _fc_list_files()
    if not files:  # no fontconfig (Windows, most Macs), or fonts it does not index: scan by file name
        found = font_manager.findSystemFonts()
        key = [os.path.basename(f).lower().replace(" ", "") for f in found]
        files = [f for frag in _CJK_FILES for f, k in zip(found, key) if frag in k]
    return list(dict.fromkeys(files))


def _add_system_cjk_font(font_manager) -> str | None:
    """Add CJK fonts installed after matplotlib cached its list, until one of CJK_FONTS is known.
    Once per process: the scan costs a subprocess or a walk of the font folders."""
    global _scanned
    if _scanned:
        return None
    _scanned = True
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in _system_cjk_files(font_manager):
        if path in known:
            continue
        try:
            font_manager.fontManager.addfont(path)
        except Exception:  # a broken or unsupported file must not stop the figures: try the next
            continue
        found = _first_cjk(font_manager)
        if found:
            return found
    return None


def use_cjk_fonts() -> str | None:
    """Put the first installed CJK font after the default one; return its name (None: none found)."""
    global _done
    import matplotlib
    from matplotlib import font_manager

    matplotlib.use("Agg", force=False)  # no display needed; a no-op where a backend is already chosen
    # the cached list first: no scan where it already has a CJK font
    found = _first_cjk(font_manager) or _add_system_cjk_font(font_manager)
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
