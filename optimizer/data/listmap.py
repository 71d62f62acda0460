"""What the cells of a planner's project list mean: header aliases, units, year ranges, status, places, funding.

Pure functions over cell text, used by the list importer (listimport.py); the sheet itself
(title rows, merged cells, the header) is read by listsheet.py. Nothing here knows a region:
places are looked up in YAML tables shipped as data (optimizer/data/places/*.yaml) and in the
mapping file a planner writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .funding import SOURCES, canonical_source

#: field -> the header texts planners write for it (matched after units and spaces are removed)
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("项目编号", "编号", "项目代码", "项目编码", "代码"),
    "name": ("项目名称", "名称", "项目"),
    "city": ("建设地点", "所在地", "地区", "所属地区", "市", "设区市", "实施地点", "建设地址", "所在地区", "地点"),
    "task": ("所属领域", "领域", "任务", "重点任务", "项目类别", "类别", "行业", "所属行业", "项目类型"),
    "status": ("建设性质", "项目性质", "性质", "项目状态"),
    "range": ("建设起止年限", "起止年限", "建设年限", "建设期限", "起止年份", "建设起止年份", "起止时间", "建设周期"),
    "start_year": ("开工年份", "开工时间", "计划开工年份", "计划开工时间", "开工年"),
    "end_year": ("竣工年份", "完工时间", "完工年份", "竣工时间", "计划竣工时间", "建成年份"),
    "cost": ("总投资", "计划总投资", "项目总投资", "估算总投资", "投资总额"),
    "land": ("用地面积", "用地", "新增建设用地", "用地规模", "新增用地", "用地需求"),
    "energy": ("能耗", "综合能耗", "年综合能耗", "新增能耗", "能耗需求"),
    "funding": ("资金来源", "资金筹措", "资金来源及构成", "资金筹措方式"),
    "owner": ("项目业主", "业主单位", "建设单位", "责任单位", "实施单位", "项目单位"),
    "notes": ("备注", "说明"),
    "completed_before": (
        "至上年底累计完成投资",
        "至上年底累计完成",
        "累计完成投资",
        "至上年底完成投资",
        "至底累计完成投资",
    ),
    "planned_year": ("年度计划投资", "本年计划投资", "年度投资计划", "计划投资", "投资计划", "计划完成投资"),
    "seq": ("序号",),
}
#: fields a mapping file may name (besides `funding:<source>` for an amount column, and `ignore`)
FIELDS = tuple(ALIASES)
#: the unit each numeric field is read in, by kind
KIND = {"cost": "money", "completed_before": "money", "planned_year": "money", "land": "land", "energy": "energy"}
#: a unit -> (kind, how many of the kind's base unit one of it is); bases: 亿元, 亩, 万吨标准煤
UNITS: dict[str, tuple[str, float]] = {
    "亿元": ("money", 1.0),
    "亿": ("money", 1.0),
    "万元": ("money", 1e-4),
    "元": ("money", 1e-8),
    "亩": ("land", 1.0),
    "公顷": ("land", 15.0),
    "平方米": ("land", 1 / 666.67),
    "㎡": ("land", 1 / 666.67),
    "万吨标准煤": ("energy", 1.0),
    "万吨标煤": ("energy", 1.0),
    "吨标准煤": ("energy", 1e-4),
    "吨标煤": ("energy", 1e-4),
}
_UNIT_ORDER = sorted(UNITS, key=len, reverse=True)  # 万吨标准煤 before 吨标准煤, 万元 before 元
_SPACE = re.compile(r"[\s　]+")
_DATED = re.compile(r"(?:19|20)\d{2}年")
_BRACKETED = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
#: status keyword -> what it means: (status, whether the project is still in preparation)
STATUS_WORDS: dict[str, tuple[str, bool]] = {
    "续建": ("committed", False),
    "在建": ("committed", False),
    "新建": ("candidate", False),
    "新开工": ("candidate", False),
    "计划新开工": ("candidate", False),
    "前期": ("candidate", True),
    "谋划": ("candidate", True),
    "储备": ("candidate", True),
    "预备": ("candidate", True),
}
STATUSES = ("candidate", "mandatory", "committed", "excluded")
TOTAL_WORDS = ("合计", "小计", "总计", "累计", "总合计", "全部合计")
FOOTNOTE_START = (
    "注：",
    "注:",
    "注1",
    "注 ",
    "说明：",
    "说明:",
    "备注：",
    "备注:",
    "资料来源",
    "数据来源",
    "填表",
    "注",
)
SECTION_MARK = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[部类])"
)


def clean(text: Any) -> str:
    """Cell text without spaces, newlines or full-width spaces."""
    return "" if text is None else _SPACE.sub("", str(text))


def header_key(text: Any) -> str:
    """A header as matched against the aliases: no spaces, no unit in brackets, no '其中：'."""
    key = _BRACKETED.sub("", clean(text))
    for unit in _UNIT_ORDER:  # 总投资亿元 (a unit written without brackets)
        if key.endswith(unit) and len(key) > len(unit) + 1:
            key = key[: -len(unit)]
            break
    return key.removeprefix("其中：").removeprefix("其中:").removeprefix("其中").strip("：:/、")


def alias_field(text: Any) -> str | None:
    """The field a header text names, or None."""
    key = header_key(text)
    if not key:
        return None
    for field, names in ALIASES.items():
        if key in names:
            return field
    dated = _DATED.sub("", key)  # 2024年计划投资, 至2023年底累计完成投资: the year is the list's, not the field's
    if dated != key and dated:
        return alias_field(dated)
    return None


def unit_in(text: Any) -> str | None:
    """The unit a header or a 单位：… line names (the longest match), or None."""
    t = clean(text)
    for unit in _UNIT_ORDER:
        if unit in t:
            return unit
    return None


def units_line(text: Any) -> list[str]:
    """The units a title or note line such as '单位：万元、亩' declares (empty if it declares none)."""
    t = clean(text)
    m = re.search(r"单位[：:](.*)", t)
    if not m:
        return []
    found, rest = [], m.group(1)
    for unit in _UNIT_ORDER:
        if unit in rest:
            found.append(unit)
            rest = rest.replace(unit, "|")
    return found


def source_of(text: Any) -> str | None:
    """The canonical funding source a header or text names (its longest alias in it), or None."""
    t = header_key(text)
    if not t:
        return None
    if canonical_source(t) in SOURCES:
        return canonical_source(t)
    best = None
    for sid, names in SOURCES.items():
        for name in names:
            if len(name) >= 2 and name in t and (best is None or len(name) > len(best[1])):
                best = (sid, name)
    return best[0] if best else None


def factor(unit: str, target: str) -> float:
    """How many `target` one `unit` is (both of the same kind); KeyError/ValueError otherwise."""
    k1, f1 = UNITS[unit]
    k2, f2 = UNITS[target]
    if k1 != k2:
        raise ValueError(f"{unit} is {k1}, {target} is {k2}")
    return f1 / f2


_NUMBER = re.compile(r"^([+-−]?\d+(?:\.\d*)?|[+-−]?\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d*)?$")


def parse_number(value: Any) -> tuple[float | None, str | None]:
    """(number, its own unit) of a cell: 1234.5, '1,234.5', '12.3亿元', blank -> (None, None).
    ValueError for text that is not a number."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError("not a number")
        return None, None
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None, None
        return float(value), None
    text = clean(value)
    if text in ("", "-", "—", "/", "无", "－"):
        return None, None
    unit = None
    for u in _UNIT_ORDER:
        if text.endswith(u):
            unit, text = u, text[: -len(u)]
            break
    if _GROUPED.match(text):
        text = text.replace(",", "").replace("，", "")
    text = text.replace("−", "-")
    if not _NUMBER.match(text):
        raise ValueError("not a number")
    return float(text), unit


_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2}|21\d{2})(?!\d)")
_DASH = re.compile(r"[-—–~～至到－]")


@dataclass(frozen=True)
class YearRange:
    first: int
    last: int | None  # None: open-ended ('2024-')


def parse_range(value: Any) -> YearRange | None:
    """建设起止年限 as years: '2024-2027', '2024—2027年', '2024.03-2027.12', '2024年3月-2027年12月',
    '2024-27', '2024-' (open end), '2025' (one year). None when blank; ValueError when unreadable."""
    if value is None or clean(value) == "":
        return None
    if hasattr(value, "year") and not isinstance(value, (int, float, str)):
        return YearRange(value.year, value.year)  # a date cell
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean(value)
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        raise ValueError("no year in it")
    if len(years) == 1:
        after = text[text.index(str(years[0])) + 4 :]
        if _DASH.search(after):
            m = re.search(r"[-—–~～至到－]\s*(\d{2})(?:年|$|\.)", after)
            if m:  # 2024-27
                last = years[0] // 100 * 100 + int(m.group(1))
                return YearRange(years[0], last)
            return YearRange(years[0], None)
        return YearRange(years[0], years[0])
    first, last = years[0], years[-1]
    if last < first:
        raise ValueError(f"it ends ({last}) before it starts ({first})")
    return YearRange(first, last)


def parse_year(value: Any) -> int | None:
    """A year of a 开工年份 / 竣工年份 cell (a number, a date, or text such as '2024年3月')."""
    r = parse_range(value)
    return None if r is None else r.first


def status_of(text: Any, overrides: dict[str, str]) -> tuple[str, bool, str | None]:
    """(status, in preparation, the keyword that decided it) of a 建设性质 cell.
    A mapping file's `status:` entries win; unknown or blank text is a candidate (keyword None)."""
    t = clean(text)
    if not t:
        return "candidate", False, None
    for word, status in overrides.items():
        if t == clean(word):
            if status in STATUS_WORDS:
                return (*STATUS_WORDS[status], word)
            return status, False, word
    for word, (status, prep) in STATUS_WORDS.items():
        if word in t:
            return status, prep, word
    return "candidate", False, None


def section_status(text: Any) -> str | None:
    """The status keyword a section heading such as '一、续建项目' names, or None."""
    t = clean(text)
    for word in STATUS_WORDS:
        if word in t:
            return word
    return None


def is_total(text: Any) -> bool:
    """Whether a cell reads as a subtotal or total: 合计, 小计, '续建项目小计', '总计（3项）'."""
    t = _BRACKETED.sub("", clean(text))
    if not t:
        return False
    return t in TOTAL_WORDS or (len(t) <= 14 and t.endswith(TOTAL_WORDS)) or t.startswith(("合计", "总计"))


def is_footnote(text: Any) -> bool:
    t = clean(text)
    return bool(t) and t.startswith(FOOTNOTE_START) and not t.startswith("注册")


# ---------------------------------------------------------------- places


@lru_cache(maxsize=1)
def builtin_places() -> dict[str, tuple[str, ...]]:
    """city -> its districts, counties and county-level cities, from every places/*.yaml shipped."""
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted((Path(__file__).parent / "places").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for city, places in data.items():
            out[str(city)] = tuple(str(p) for p in places or ())
    return out


def _short(name: str) -> str | None:
    """萧山区 -> 萧山, 嘉善县 -> 嘉善, 海宁市 -> 海宁 (None when too short to be safe)."""
    if len(name) >= 3 and name[-1] in "区县市旗":
        return name[:-1]
    return None


_PLACE_SPLIT = re.compile(r"[、，,;；/和及与+＋]|等地?$")
_PROVINCE = re.compile(r"^.{2,3}(?:省|自治区)")


def place_parts(text: Any) -> list[str]:
    """A 建设地点 cell split into the places it names: '杭州市、嘉兴市' -> ['杭州市', '嘉兴市']."""
    return [p for p in (_PROVINCE.sub("", x) for x in _PLACE_SPLIT.split(clean(text))) if p]


def city_of_place(part: str, cities: list[str] | None, overrides: dict[str, str]) -> tuple[str | None, str]:
    """(city, how it was found) for one place. `cities` are the dataset's (None: any city).
    How: 'mapping', 'city', 'prefix', 'district', 'guess' (an unknown city's own name, --out only);
    city None: not found (how says why: 'unknown', or 'other:<city>' for a known city outside the dataset)."""

    def named(city: str) -> str | None:
        if cities is None:
            return city.removesuffix("市") if len(city) > 2 and city.endswith("市") else city
        for c in cities:
            if city in (c, c + "市") or city.removesuffix("市") == c.removesuffix("市"):
                return c
        return None

    for place, city in overrides.items():
        if clean(place) and (part == clean(place) or part.startswith(clean(place))):
            return (named(city) or (city if cities is None else None)), "mapping"
    if cities is not None:
        for c in sorted(cities, key=len, reverse=True):
            base = c.removesuffix("市")
            if part in (c, base, base + "市"):
                return c, "city"
            if len(base) >= 2 and part.startswith(base):
                return c, "prefix"
    places = builtin_places()
    for city in sorted(places, key=len, reverse=True):  # 杭州市萧山区: the city prefix first
        if part in (city, city + "市") or part.startswith(city + "市") or (len(city) >= 2 and part.startswith(city)):
            found = named(city)
            return (found, "city" if part in (city, city + "市") else "prefix") if found else (None, f"other:{city}")
    for city, districts in places.items():
        for d in districts:
            short = _short(d)
            if part.startswith(d) or d in part or (short and (part == short or part.startswith(short))):
                found = named(city)
                return (found, "district") if found else (None, f"other:{city}")
    if cities is None:
        m = re.match(r"^(.{2,4}?)市", part)
        if m:
            return m.group(1), "guess"
    return None, "unknown"


# ---------------------------------------------------------------- funding text


_FUND_PART = re.compile(r"[、，,;；]|(?<=[%％元])\s*(?=\D)|和|及|\+")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|亿元|万元|元|亿|万)?")


@dataclass(frozen=True)
class Funding:
    """What a 资金来源 text says: shares by source (empty when the text names payers without amounts)."""

    shares: dict[str, float]
    sources: tuple[str, ...]  # every source named, in order
    how: str  # 'percent', 'amount', 'single', 'unnamed' (several without amounts), 'mixed', 'none'
    total: float | None = None  # for 'amount': the sum, in 亿元


def parse_funding(text: Any) -> Funding:
    """'中央预算内投资30%，专项债50%，企业自筹20%', '专项债2亿元、企业自筹3亿元', '企业自筹'."""
    t = clean(text)
    if not t:
        return Funding({}, (), "none")
    parts = [p for p in _FUND_PART.split(t) if p]
    named: list[tuple[str, float | None, str | None]] = []
    for p in parts:
        m = _AMOUNT.search(p)
        name = p[: m.start()] if m else p
        name = name.strip("：:（）()约")
        if not name:
            continue
        sid = source_of(name) or canonical_source(name)
        amount, unit = (float(m.group(1)), m.group(2)) if m else (None, None)
        named.append((sid, amount, unit))
    if not named:
        return Funding({}, (), "none")
    sources = tuple(dict.fromkeys(s for s, _, _ in named))
    if all(a is None for _, a, _ in named):
        if len(sources) == 1:
            return Funding({sources[0]: 1.0}, sources, "single")
        return Funding({}, sources, "unnamed")
    if any(a is None for _, a, _ in named):
        return Funding({}, sources, "mixed")
    percent = [u in ("%", "％") for _, _, u in named]
    if all(percent):
        values = [(s, a) for s, a, _ in named]
        how, total = "percent", None
    elif not any(percent):
        scale = {"亿元": 1.0, "亿": 1.0, "万元": 1e-4, "万": 1e-4, "元": 1e-8, None: 1.0}
        values = [(s, a * scale[u]) for s, a, u in named]
        how, total = "amount", sum(a for _, a in values)
    else:
        return Funding({}, sources, "mixed")
    return Funding(normalise_shares(values), sources, how, total)


def normalise_shares(values: list[tuple[str, float]]) -> dict[str, float]:
    """Amounts or percentages by source -> shares summing to 1 (a source named twice is summed)."""
    out: dict[str, float] = {}
    for s, a in values:
        if a > 0:
            out[s] = out.get(s, 0.0) + a
    total = sum(out.values())
    return {s: float(f"{a / total:.12g}") for s, a in out.items()} if total > 0 else {}
