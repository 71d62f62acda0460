"""Funding sources (DATA.md `funding`): who pays a project's cost, and the names a source goes by.

A project's cost is split between payers by the `funding` table (project_id, source, share).
Each source is a resource of timing `spread`: spending of source f in scope c and year y is
Σ_p σ[p,c]·f[p,f]·s[p,y], and a `limits` row whose `resource` names the source bounds it.
A project without funding rows is paid from its cities' own budget: it counts under `budget`
only, under no source.

Source names are free: a dataset may name its own. The common payers of Chinese public
investment have one canonical id each, and the names planners write for them (中央预算内投资,
专项债 ...) are read as that id wherever a source is named (funding, limits, scenario `scale:`),
so that 地方政府专项债券 in one table and 专项债 in another meet.
"""

from __future__ import annotations

import re

#: canonical id -> the names planners write for it (reports take their words from report/labels.py)
SOURCES: dict[str, tuple[str, ...]] = {
    "central": (
        "中央预算内投资",
        "中央预算内资金",
        "中央预算内",
        "中央资金",
        "中央投资",
        "中央财政",
        "中央补助",
        "中央",
    ),
    "provincial": ("省级资金", "省级财政", "省财政", "省级补助", "省补助", "省级财政资金", "省级"),
    "local": (
        "市县财政",
        "市县财政资金",
        "地方财政",
        "财政资金",
        "市级财政",
        "县级财政",
        "区级财政",
        "市财政",
        "县财政",
        "区财政",
        "本级财政",
        "地方政府投资",
        "政府投资",
    ),
    "special_bond": (
        "地方政府专项债券",
        "地方政府专项债",
        "政府专项债券",
        "专项债券",
        "专项债",
        "地方专项债",
        "地方专项债券",
        "专项债券资金",
    ),
    "private": ("社会资本", "企业自筹", "自筹资金", "企业自有资金", "自筹", "企业投资", "民间投资", "社会投资"),
    "loan": ("银行贷款", "贷款", "国内贷款", "政策性银行贷款", "融资"),
    # national railway capital: what 国铁集团 puts into a national line (not a city's money)
    "railway": ("国铁集团资本金", "国铁资本金", "铁路资本金", "国铁集团", "国家铁路资本金", "铁路建设基金"),
    "other": ("其他", "其他资金", "其它"),
}

_ALIAS = {alias: sid for sid, names in SOURCES.items() for alias in names}
_SPACE = re.compile(r"[\s　]+")


def canonical_source(name: str) -> str:
    """The id a source name stands for: a known alias gives its canonical id, an id itself or
    any other name is kept (lower-cased, as resource names are)."""
    text = _SPACE.sub("", str(name)).strip()
    if text in _ALIAS:
        return _ALIAS[text]
    return str(name).strip().lower()


def known_source(name: str) -> bool:
    """Whether a name is one of the canonical payers (or an alias of one)."""
    return canonical_source(name) in SOURCES
