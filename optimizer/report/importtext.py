"""The words of `portfolio import`: import_report.txt and the README of a new dataset, in Chinese and English.

The importer (optimizer/data/listimport.py) returns an ImportLog of structured entries
(kind + fields); this module holds the one catalogue of sentences for those kinds,
`IMPORT_LABELS` (key -> (zh, en), filled by str.format like report/labels.py), and renders
every entry as a Chinese line with its English line below it.
"""

from __future__ import annotations

from typing import Any

from .labels import resource_name as source_label

#: key -> (zh, en); entry kinds take their fields, the rest are words used in them
IMPORT_LABELS: dict[str, tuple[str, str]] = {
    "title": ("项目清单导入报告", "Project list import report"),
    "intro": (
        "本报告列出导入时所作的每一项判断和假设；行号为工作表自身的行号（含标题行）。",
        "Every assumption the import made; row numbers are the sheet's own (title rows included).",
    ),
    # sections
    "sec.source": ("来源", "Source"),
    "sec.columns": ("列与字段", "Columns and fields"),
    "sec.units": ("单位与换算", "Units and conversions"),
    "sec.skipped": ("跳过的行", "Rows skipped"),
    "sec.ids": ("生成的项目编号", "Ids generated"),
    "sec.status": ("建设性质", "Status"),
    "sec.places": ("建设地点与城市", "Places and cities"),
    "sec.tasks": ("领域", "Task areas"),
    "sec.years": ("建设年限", "Construction years"),
    "sec.funding": ("资金来源", "Funding"),
    "sec.dataset": ("写入的数据集", "The dataset written"),
    # entries
    "source": ("文件 {file}，使用工作表“{sheet}”。", "File {file}, sheet '{sheet}' used."),
    "source_tried": (
        "跳过了前面的工作表：{tried}（未找到表头）。",
        "Sheets before it were skipped: {tried} (no header found).",
    ),
    "header": ("表头在第 {row} 行。", "The header is row {row}."),
    "header2": (
        "表头为两行（第 {row}-{last} 行）：上层合并单元格与下层子列合并读取，如“总投资/合计”。",
        "The header is two rows ({row}-{last}): merged parent cells are read with their sub-columns, e.g. '总投资/合计'.",
    ),
    "title_row": ("第 {row} 行为标题：{text}", "Row {row} is a title: {text}"),
    "plan_year.title": ("计划年份 {year}（取自第 {row} 行标题）。", "Plan year {year} (from the title in row {row})."),
    "plan_year.mapping": (
        "计划年份 {year}（取自映射文件 year:）。",
        "Plan year {year} (from the mapping file's year:).",
    ),
    "plan_year.earliest": (
        "计划年份 {year}：标题中没有年份，取清单中最早的开工年份。",
        "Plan year {year}: the title names no year, so the list's earliest start year is used.",
    ),
    "column": ("{col} 列“{header}” → {field}{how}", "column {col} '{header}' -> {field}{how}"),
    "how.mapping": ("（映射文件指定）", " (set by the mapping file)"),
    "how.parent": ("（上层表头的合计列）", " (the total under the parent header)"),
    "how.funding": ("（按来源的资金金额）", " (amount by funding source)"),
    "unused.unknown": (
        "{col} 列“{header}”未使用：不是已知的列名。",
        "column {col} '{header}' not used: not a known column.",
    ),
    "unused.mapping": (
        "{col} 列“{header}”未使用：映射文件要求忽略。",
        "column {col} '{header}' not used: the mapping says ignore.",
    ),
    "unused.seq": (
        "{col} 列“{header}”仅为行序号，未作为项目编号。",
        "column {col} '{header}' is a row number only, not an id.",
    ),
    "unused.duplicate": (
        "{col} 列“{header}”未使用：{field} 已取自前面的列。",
        "column {col} '{header}' not used: {field} comes from an earlier column.",
    ),
    "kept_unused": (
        "{fields} 已换算为资金单位保留在 projects.csv 中，模型不使用。",
        "{fields} are kept in projects.csv (converted to the money unit) but not used by the model.",
    ),
    "unit.mapping": (
        "{field}（{col} 列）：{unit}（映射文件指定）",
        "{field} (column {col}): {unit} (set by the mapping file)",
    ),
    "unit.header": ("{field}（{col} 列）：{unit}（表头注明）", "{field} (column {col}): {unit} (named in the header)"),
    "unit.title": (
        "{field}（{col} 列）：{unit}（标题下“单位：”行注明）",
        "{field} (column {col}): {unit} (the '单位：' line)",
    ),
    "unit.cost": (
        "{field}（{col} 列）：{unit}（同总投资列）",
        "{field} (column {col}): {unit} (as the total investment)",
    ),
    "unit.median": ("{field}（{col} 列）：{unit}（推断，见上）", "{field} (column {col}): {unit} (a guess, see above)"),
    "unit.default": (
        "{field}（{col} 列）：未注明单位，按数据集单位 {unit} 读取（假设）",
        "{field} (column {col}): no unit named, read as the dataset's {unit} (an assumption)",
    ),
    "unit_conv": ("换算 ×{factor:g} → {target}", "converted x{factor:g} -> {target}"),
    "unit_guess": (
        "假设：{field}（{col} 列）未注明单位；数值中位数为 {median:g}，规则是中位数 ≥ {bound:g} 时按较大单位（万元、吨标准煤）读取，故按 {unit} 读取。",
        "Assumption: {field} (column {col}) names no unit; its median is {median:g}, and the rule reads a "
        "median of at least {bound:g} as the larger unit: read as {unit}.",
    ),
    "unit_cell": ("{ref} 自带单位 {unit}，按其换算。", "{ref} carries its own unit {unit}, converted from it."),
    "skipped.blank": ("第 {row} 行：空行", "row {row}: blank"),
    "skipped.total": ("第 {row} 行：合计/小计行「{text}」", "row {row}: a total or subtotal: {text}"),
    "skipped.section": ("第 {row} 行：分类标题行「{text}」", "row {row}: a section heading: {text}"),
    "skipped.footnote": ("第 {row} 行：注释「{text}」", "row {row}: a footnote: {text}"),
    "id": (
        "第 {row} 行“{name}” → {id}（清单无项目编号列，按顺序生成）",
        "row {row} '{name}' -> {id} (no id column: numbered in list order)",
    ),
    "status.prep": (
        "{ref} {id}“{text}”：前期/储备项目，计划年 {plan} 之后才能开工，最早开工年 {start}。",
        "{ref} {id} '{text}': in preparation, so it starts after the plan year {plan}: earliest start {start}.",
    ),
    "status.section": (
        "{ref} {id}：无建设性质，取所在分类标题“{text}” → {status}，最早开工年 {start}。",
        "{ref} {id}: no status given; the section heading '{text}' says {status}, earliest start {start}.",
    ),
    "status.unknown": (
        "{ref} {id}：建设性质“{text}”无法识别，按备选（candidate）处理。",
        "{ref} {id}: the status '{text}' is not known; read as candidate.",
    ),
    "status.blank": (
        "{ref} {id}：建设性质为空，按备选（candidate）处理。",
        "{ref} {id}: no status given; read as candidate.",
    ),
    "status.mapping": (
        "{ref} {id}：“{text}” → {status}（映射文件指定）。",
        "{ref} {id}: '{text}' -> {status} (the mapping file).",
    ),
    "committed_late": (
        "注意：{ref} {id} 为续建，但开工年 {first} 晚于计划年 {plan}，已按续建保留，请核实。",
        "Check: {ref} {id} is under way (续建) but starts in {first}, after the plan year {plan}; kept as committed.",
    ),
    "status_rule": (
        "规则：续建 → committed（start = 起始年）；新建 → candidate（最早开工 = 起始年）；前期/谋划/储备/预备 → "
        "candidate（最早开工 = max(起始年, 计划年+1)）；空白 → candidate。",
        "Rules: 续建 -> committed (start = first year); 新建 -> candidate (earliest start = first year); "
        "前期/谋划/储备/预备 -> candidate (earliest start = max(first year, plan year + 1)); blank -> candidate.",
    ),
    "place": ("{ref}“{text}” → {city}{how}", "{ref} '{text}' -> {city}{how}"),
    "place.prefix": ("（地名前缀）", " (the name it starts with)"),
    "place.district": ("（所辖区县）", " (a district or county of it)"),
    "place.mapping": ("（映射文件 places:）", " (the mapping file's places:)"),
    "place.guess": ("（地名中的城市名）", " (the city named in it)"),
    "place.only": ("（地点为空，数据集只有这一个城市）", " (blank place; the dataset has this one city)"),
    "place.city": ("", ""),
    "multi_city": (
        "{id} 跨 {cities}：写入 project_cities，各城市份额相等（{share:g}，假设），city 取第一个。",
        "{id} spans {cities}: project_cities rows with equal shares ({share:g}, an assumption); city is the first.",
    ),
    "task": ("{ref}“{text}” → 任务 {task}", "{ref} '{text}' -> task {task}"),
    "task_unknown": (
        "{ref}“{text}”不是数据集的任务之一：task 留空，原文保存在 task_text 列。",
        "{ref} '{text}' is none of the dataset's tasks: task left blank, the text kept in column task_text.",
    ),
    "open_range": (
        "{ref} 只写了起始年 {first}：假设建设至 {last} 年（规划期末）。",
        "{ref} gives only the first year {first}: assumed to run to {last} (the end of the horizon).",
    ),
    "funding": ("{ref} {id}“{text}” → {shares}", "{ref} {id} '{text}' -> {shares}"),
    "funding_none.unnamed": (
        "{ref} {id}“{text}”：列出多个出资方但无金额或比例，不写资金行（由所在城市本级预算支付）。",
        "{ref} {id} '{text}': several payers without amounts: no funding rows (paid from its cities' own budget).",
    ),
    "funding_none.mixed": (
        "{ref} {id}“{text}”：金额与比例混写或部分缺失，不写资金行。",
        "{ref} {id} '{text}': amounts and shares mixed or missing: no funding rows.",
    ),
    "funding_none.none": ("{ref} {id}“{text}”：未识别出资方。", "{ref} {id} '{text}': no payer recognised."),
    "funding_sum": (
        "注意：{id} 各资金来源合计 {total:g}，与总投资 {cost:g} 相差超过 1%；份额按来源合计计算。",
        "Check: {id}'s funding adds up to {total:g}, more than 1% off its cost {cost:g}; shares are of that sum.",
    ),
    "horizon": (
        "新数据集：规划期 {y0}-{y1}（计划年 {plan} 至最晚完工年，至少到 {target}），目标年 {target} = 计划年 + 3。",
        "New dataset: horizon {y0}-{y1} (the plan year {plan} to the last completion, at least {target}); "
        "target year {target} = plan year + 3.",
    ),
    "written": ("已写入：{files}", "Written: {files}"),
    "kept": ("保留未动：{files}", "Kept as they were: {files}"),
    "validated": (
        "导入后的数据集已通过完整校验（optimizer.data.dataset.load）。",
        "The dataset loads and passes every check.",
    ),
    "template": (
        "指标、贡献、限额等表仅有表头：填写后才能求解（见 README.md）。",
        "indicators, contributions, limits and the other tables are header-only: fill them in before solving (README.md).",
    ),
    "funding_skipped": (
        "本版本尚不读取 funding 表：funding.csv 已写入，暂不参与校验。",
        "This version does not read the funding table yet: funding.csv is written but not checked.",
    ),
    "projects_count": ("共导入 {n} 个项目。", "{n} projects imported."),
}

_SECTIONS = (
    ("sec.source", ("source", "header", "title", "plan_year")),
    ("sec.columns", ("column", "unused", "kept_unused")),
    ("sec.units", ("unit_guess", "unit", "unit_cell")),
    ("sec.skipped", ("skipped",)),
    ("sec.ids", ("id",)),
    ("sec.status", ("status", "committed_late")),
    ("sec.places", ("place", "multi_city")),
    ("sec.tasks", ("task", "task_unknown")),
    ("sec.years", ("open_range",)),
    ("sec.funding", ("funding", "funding_none", "funding_sum")),
    ("sec.dataset", ("projects_count", "horizon", "written", "kept", "validated", "template", "funding_skipped")),
)
_FIELD_ZH = {
    "id": "项目编号",
    "name": "项目名称",
    "city": "建设地点",
    "task": "领域",
    "status": "建设性质",
    "range": "建设起止年限",
    "start_year": "开工年份",
    "end_year": "竣工年份",
    "cost": "总投资",
    "land": "用地",
    "energy": "能耗",
    "funding": "资金来源",
    "owner": "项目业主",
    "notes": "备注",
    "completed_before": "至上年底累计完成投资",
    "planned_year": "年度计划投资",
}


def word(key: str, lang: str, **fields: Any) -> str:
    zh, en = IMPORT_LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def _field(name: str, lang: str) -> str:
    if name.startswith("funding:"):
        return (
            source_label(name.split(":", 1)[1], lang) if lang == "zh" else f"funding ({source_label(name[8:], 'en')})"
        )
    return _FIELD_ZH.get(name, name) + f"（{name}）" if lang == "zh" else name


def _shares(shares: dict[str, float], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{source_label(s, lang)} {v:.0%}" for s, v in shares.items())


def _line(e, lang: str) -> list[str]:
    f = dict(e.fields)
    k = e.kind
    if "field" in f and k != "unused":
        f["field"] = _field(f["field"], lang)
    if k == "source":
        out = [word("source", lang, **f)]
        return out + ([word("source_tried", lang, **f)] if f.get("tried") else [])
    if k == "header":
        return [word("header" if f["row"] == f["last"] else "header2", lang, **f)]
    if k == "title":
        return [word("title_row", lang, **f)]
    if k == "plan_year":
        return [word(f"plan_year.{f['how']}", lang, **f)]
    if k == "column":
        how = word(f"how.{f['how']}", lang) if f["how"] in ("mapping", "parent", "funding") else ""
        return [word("column", lang, **{**f, "how": how})]
    if k == "unused":
        f["field"] = _field(f["field"], lang) if f.get("field") else ""
        return [word(f"unused.{f['why']}", lang, **f)]
    if k == "unit":
        conv = ("，" if lang == "zh" else ", ") + word("unit_conv", lang, **f) if f["factor"] != 1 else ""
        return [word(f"unit.{f['how']}", lang, **f) + conv]
    if k in ("skipped", "status", "funding_none"):
        sub = {"skipped": "what", "status": "why", "funding_none": "how"}[k]
        return [word(f"{k}.{f[sub]}", lang, **f)]
    if k == "place":
        return [word("place", lang, **{**f, "how": word(f"place.{f['how']}", lang)})]
    if k == "funding":
        return [word("funding", lang, **{**f, "shares": _shares(f["shares"], lang)})]
    if k in ("written", "kept"):
        return [word(k, lang, files=", ".join(f["files"]))]
    return [word(k, lang, **f)]


def import_report(log: list, title: str = "") -> str:
    """import_report.txt: every entry of the log, each a Chinese line with its English line below."""
    out = [f"{word('title', 'zh')} / {word('title', 'en')}" + (f"：{title}" if title else ""), ""]
    out += [word("intro", "zh"), word("intro", "en"), ""]
    for sec, members in _SECTIONS:
        entries = [e for e in log if e.kind in members]
        if not entries:
            continue
        out.append(f"## {word(sec, 'zh')} / {word(sec, 'en')}")
        if sec == "sec.status":
            out += [f"- {word('status_rule', 'zh')}", f"  {word('status_rule', 'en')}"]
        for e in sorted(entries, key=lambda e: members.index(e.kind)):
            for zh, en in zip(_line(e, "zh"), _line(e, "en")):
                out += [f"- {zh}", f"  {en}"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


README_LINES = (
    (
        "# {name}\n\n由 `portfolio import` 从项目清单 {file} 生成的数据集（{n} 个项目）。",
        "A dataset made by `portfolio import` from the project list {file} ({n} projects).",
    ),
    (
        "已填好：dataset.yaml（城市、规划期、目标年，请核对）、projects.csv{more}。导入时的每一项假设见 import_report.txt。",
        "Filled in: dataset.yaml (cities, horizon, target year: check them), projects.csv{more_en}. "
        "import_report.txt lists every assumption the import made.",
    ),
    (
        "待填写（仅有表头）：\n- indicators.csv：指标、范围、基期值、目标值、权重（必填）；\n"
        "- contributions.csv：每个项目完成后对各指标的贡献（必填）；\n- limits.csv：各城市、各年的预算、用地、能耗上限；\n"
        "- dependencies.csv：项目先后关系（可选）；\n- cost_profiles.csv：分年投资（可选，缺省为平均分摊）。",
        "To fill in (header only):\n- indicators.csv: indicators, scope, baseline, target, weight (required);\n"
        "- contributions.csv: what each project adds to each indicator once complete (required);\n"
        "- limits.csv: budget, land and energy limits by city and year;\n"
        "- dependencies.csv: finish-to-start order (optional);\n"
        "- cost_profiles.csv: spending by construction year (optional; default an even split).",
    ),
    (
        "在填写指标和贡献之前，本数据集无法求解（portfolio validate 会指出缺什么）。填写后运行：\n"
        "    portfolio validate {folder}\n    portfolio run {folder} --out results",
        "Until indicators and contributions are filled in the dataset does not solve (portfolio validate says what is "
        "missing). Then:\n    portfolio validate {folder}\n    portfolio run {folder} --out results",
    ),
)


def readme(name: str, file: str, n: int, folder: str, extra: list[str]) -> str:
    """README.md of a dataset started from a list (--out): what is there and what to fill in."""
    more = "、" + "、".join(extra) if extra else ""
    more_en = ", " + ", ".join(extra) if extra else ""
    fields = dict(name=name, file=file, n=n, folder=folder, more=more, more_en=more_en)
    parts = []
    for zh, en in README_LINES:
        parts += [zh.format(**fields), en.format(**fields)]
    return "\n\n".join(parts) + "\n"
