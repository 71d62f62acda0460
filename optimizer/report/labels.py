"""Words of the figures and reports, in Chinese (the default) and English.

    from optimizer.report.labels import t
    t("spending_title", "en")            # 'Spending against the yearly budget, by city'
    t("status.optimal")                  # '最优'
    t("n_projects", "en", n=83)          # '83 projects' (str.format fields)

Data (city, project, task and indicator names, units such as 亿元) is never translated:
it is shown as the dataset spells it.
"""

from __future__ import annotations

LANGS = ("zh", "en")

#: key -> (zh, en)
LABELS: dict[str, tuple[str, str]] = {
    # -- general words (HTML report, tables) --------------------------------------------------
    "report_title": ("项目组合优化结果", "Project portfolio optimisation result"),
    "summary": ("概要", "Summary"),
    "status": ("求解状态", "status"),
    "status.optimal": ("最优", "optimal"),
    "status.feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
    "status.infeasible": ("不可行", "infeasible"),
    "status.no_solution": ("未找到可行组合", "no solution found"),
    "score": ("得分", "score"),
    "objective": ("目标函数值", "objective"),
    "bound": ("上界", "bound"),
    "attainment_index": ("目标达成指数", "attainment index"),
    "attainment_index_scale": ("目标达成指数（0-100）", "Attainment index (0-100)"),
    "gap": ("最优性间隙", "optimality gap"),
    "projects": ("项目", "projects"),
    "project": ("项目", "project"),
    "n_projects": ("{n} 个项目", "{n} projects"),
    "selected_projects": ("入选项目", "selected projects"),
    "not_selected": ("未入选", "not selected"),
    "total_cost": ("总投资", "total cost"),
    "spending": ("支出", "spending"),
    "spend_share": ("支出占比", "share of spending"),
    "binding_limits": ("紧约束", "binding limits"),
    "binding": ("紧约束", "binding"),
    "limit": ("上限", "limit"),
    "used": ("用量", "used"),
    "slack": ("余量", "slack"),
    "utilisation": ("利用率", "utilisation"),
    "city": ("城市", "city"),
    "cities": ("城市", "cities"),
    "scope": ("范围", "scope"),
    "scope.ALL": ("全域", "all cities"),
    "every_scope": ("所有范围", "every scope"),
    "target": ("目标", "target"),
    "targets": ("目标", "targets"),
    "indicator": ("指标", "indicator"),
    "baseline": ("基期值", "baseline"),
    "achieved": ("达成值", "achieved"),
    "progress": ("进度", "progress"),
    "weight": ("权重", "weight"),
    "attained": ("达成度", "attained"),
    "scenario": ("情景", "scenario"),
    "dataset": ("数据集", "dataset"),
    "horizon": ("规划期", "horizon"),
    "target_year": ("目标年", "target year"),
    "year": ("年份", "year"),
    "year_axis": ("年份", "Year"),
    "start": ("开工年", "start"),
    "finish": ("完工年", "finish"),
    "task": ("任务领域", "task area"),
    "cost": ("投资", "cost"),
    "note": ("说明", "note"),
    "whole_horizon": ("全期", "whole horizon"),
    "solve_seconds": ("求解用时（秒）", "solve time (s)"),
    "figures": ("图表", "Figures"),
    "infeasibility": ("不可行原因", "why infeasible"),
    "resource.budget": ("预算", "budget"),
    "resource.land": ("用地", "land"),
    "resource.energy": ("能耗", "energy use"),
    # funding sources (data/funding.py ids): limits on them are resources too
    "resource.central": ("中央预算内投资", "central budget"),
    "resource.provincial": ("省级资金", "provincial funds"),
    "resource.local": ("市县财政", "city/county budget"),
    "resource.special_bond": ("地方政府专项债券", "special bonds"),
    "resource.private": ("社会资本", "private capital"),
    "resource.loan": ("银行贷款", "bank loans"),
    "resource.railway": ("国铁集团资本金", "national railway capital"),
    "resource.other": ("其他资金", "other funds"),
    "resource.unsplit": ("本级统筹（未分来源）", "own budget (no split given)"),
    "who_pays": ("资金来源（各年支出 / 上限，{unit}）", "Who pays (spending / limit per year, {unit})"),
    "payer": ("资金来源", "payer"),
    "binds_first": ("最先触顶", "binds first"),
    "binds_first_none": ("无约束触顶", "no limit binds"),
    "pstatus.committed": ("已开工（续建）", "committed (under way)"),
    "pstatus.mandatory": ("必选", "mandatory"),
    "pstatus.candidate": ("备选", "candidate"),
    "pstatus.excluded": ("排除", "excluded"),
    # -- schedule ------------------------------------------------------------------------------
    "schedule_title": ("入选项目建设进度（按城市）", "Schedule of the selected projects, by city"),
    "schedule_note": (
        "{n} 个项目；横条为开工至完工年份（含）",
        "{n} projects; bars run from the start to the end of the finish year",
    ),
    "target_year_line": ("目标年 {year} 年末", "end of target year {year}"),
    "before_horizon": ("规划期前", "before the horizon"),
    "after_horizon": ("规划期后", "after the horizon"),
    "task_areas": ("任务领域", "Task area"),
    "no_task": ("未分类", "no task area"),
    "project_status": ("项目状态", "Project status"),
    # -- spending and resources ----------------------------------------------------------------
    "spending_title": ("各城市年度支出与预算上限（{unit}）", "Spending against the yearly budget, by city ({unit})"),
    "spend_axis": ("年度支出（{unit}）", "Spending per year ({unit})"),
    "yearly_limit": ("年度上限", "yearly limit"),
    "binding_bar": ("紧约束（已用满）", "binding (limit used up)"),
    "all_spend_note": (
        "全域合计 {total} {unit}（{y0}-{y1} 年）",
        "All cities: {total} {unit} in {y0}-{y1}",
    ),
    "all_tightest_note": (
        "全域年度上限最紧：{year} 年 {used}/{limit} {unit}（{share}）",
        "tightest all-city year: {year}, {used} of {limit} {unit} ({share})",
    ),
    "resource_title": (
        "各城市年度{resource}与指标上限（{unit}）",
        "{resource} against the yearly quota, by city ({unit})",
    ),
    "resource_axis": ("年度{resource}（{unit}）", "{resource} per year ({unit})"),
    "horizon_note": ("全期用量/上限：", "whole horizon, used of limit: "),
    "no_yearly_rows": ("无年度上限，仅有全期总量", "no yearly rows, only whole-horizon totals"),
    # -- attainment ----------------------------------------------------------------------------
    "attainment_title": ("各项目标达成情况（按范围）", "Attainment of each target, by scope"),
    "attainment_axis": (
        "缺口弥合比例（0 = 基期值，1 = 达到目标）",
        "Share of the gap closed (0 = baseline, 1 = target)",
    ),
    "attainment_note": (
        "进度 = 达成值较基期的提升 / 目标较基期的提升",
        "Progress = (achieved - baseline) / (target - baseline)",
    ),
    "uncapped_note": ("另有 {n} 项无目标值的指标未列出", "{n} indicators without a target value not shown"),
    "target_line": ("目标（=1）", "target (=1)"),
    "reached": ("已达标", "target reached"),
    "not_reached": ("未达标", "not reached"),
    "detail": ("{baseline} → {achieved}（目标 {target}）{unit}", "{baseline} → {achieved} (target {target}) {unit}"),
    # -- frontier and trade-offs ---------------------------------------------------------------
    "frontier_title": ("{dataset}：得分随{resource}上限的变化", "{dataset}: score against the {resource} limit"),
    "frontier_axis": ("{resource}上限（{unit}），{scope}", "{resource} limit ({unit}), {scope}"),
    "scenario_level": ("当前情景", "scenario"),
    "no_feasible": ("无可行组合", "no feasible portfolio"),
    "tradeoffs_title": (
        "{dataset}：各城市与都市圈其余部分的权衡",
        "{dataset}: each city against the rest of the metro",
    ),
    "tradeoffs_x": (
        "该城市自身目标达成度（加权，0-100）",
        "The city's attainment of its own targets (weighted, 0-100)",
    ),
    "tradeoffs_y": (
        "都市圈其余部分：其余目标的达成指数（0-100）",
        "Rest of the metro: attainment index\nof all other targets (0-100)",
    ),
    "base_portfolio": ("基准组合", "base portfolio"),
    # -- the workbook's and the HTML report's own words (were report/workbook.py's _EXTRA) ------------
    "item": ("项目", "item"),
    "value": ("数值", "value"),
    "unit": ("单位", "unit"),
    "resource": ("资源", "resource"),
    "id": ("编号", "id"),
    "name": ("名称", "name"),
    "selected": ("入选", "selected"),
    "land": ("用地", "land"),
    "city_attainment": ("本市目标达成度", "attainment of own targets"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "tie_break": ("同分取舍", "tie-break"),
    "build_seconds": ("建模用时（秒）", "build time (s)"),
    "selected_count": ("入选项目数", "projects selected"),
    "projects_total": ("候选项目数", "projects in the dataset"),
    "message": ("说明", "message"),
    "status_words": ("状态说明", "status in words"),
    # the HTML report's own words
    "contents": ("目录", "Contents"),
    "headline": ("结果概要", "Headline"),
    "settings": ("情景设置", "Scenario settings"),
    "of_total": ("共 {n} 个", "of {n}"),
    "bound_is": ("上界 {bound}", "bound {bound}"),
    "n_binding": ("{n} / {total} 项上限为紧约束。", "{n} of {total} limits bind."),
    "binding_note": (
        "紧约束：已用满，或剩余量不足以再容纳任何一个未入选项目。放宽这些上限，组合才能做得更多。",
        "A limit binds when it is used up, or too little is left for any project not chosen to fit in. "
        "Only more of these would let the plan do more.",
    ),
    "no_binding": ("没有紧约束。", "No limit binds."),
    "targets_all": ("全域目标", "Targets for all cities"),
    "attainment_section": ("目标达成", "Attainment of targets"),
    "portfolio": ("项目组合", "Portfolio"),
    "resources_section": ("支出与资源约束", "Spending and limits"),
    "per_city": ("分城市情况", "City by city"),
    "city_overview": ("各城市概况", "Cities at a glance"),
    "city_projects": ("本市入选项目", "Selected projects of the city"),
    "city_targets": ("本市目标", "The city's own targets"),
    "city_limits": ("本市年度支出与资源使用（用量 / 上限）", "Yearly spending and use of limits (used / limit)"),
    "led_note": (
        "按牵头城市列出；跨市项目的投资按分摊比例计入各市支出。",
        "Listed by lead city; cross-city projects count in each city's spending by share.",
    ),
    "explanations": ("项目入选原因", "Why projects are in or out"),
    "score_change": ("得分变化", "score change"),
    "sentence": ("说明", "explanation"),
    "frontier": ("资源上限前沿", "Frontier"),
    "tradeoffs": ("城市间权衡", "Trade-offs between cities"),
    "balance": ("均衡规则的代价", "Price of the balance rules"),
    "comparison": ("情景比较", "Comparison of runs"),
    "changes": ("与 {base} 相比有变化的项目", "Projects that differ from {base}"),
    "no_changes": (
        "各方案的入选项目和开工年份相同。",
        "Every run selects the same projects with the same start years.",
    ),
    "out": ("未入选", "out"),
    "generated": (
        "由 portfolio-optimizer {version} 生成于 {when}",
        "Generated by portfolio-optimizer {version} on {when}",
    ),
    "timing": ("建模 {build} 秒，求解 {solve} 秒", "build {build} s, solve {solve} s"),
    "none": ("无", "none"),
    "unset": ("未设置：{names}", "not set: {names}"),
    "this_run": ("本方案（开工年）", "this run (start)"),
    "led_projects": ("本市牵头的入选项目（{n} 个）", "Selected projects the city leads ({n})"),
    # analysis tables (explain, frontier, tradeoffs)
    "scale": ("上限缩放", "scaling of limits"),
    "marginal": ("边际得分（每单位）", "marginal score per unit"),
    "rule": ("规则", "rule"),
    "rule_bound": ("规则界值", "bound"),
    "score_with": ("有此规则的得分", "score with it"),
    "score_without": ("无此规则的得分", "score without it"),
    "price": ("代价", "price"),
    "epsilon": ("本市达成度下限", "city attainment at least"),
    "rest_attainment": ("其余部分达成指数", "rest of the metro: attainment index"),
    "rest_score": ("其余部分得分", "rest of the metro: score"),
    "partial_credit": ("未完工项目计分比例", "partial credit"),
    "overshoot_weight": ("超额完成权重", "overshoot weight"),
    "budget_mode": ("预算口径", "budget mode"),
    "budget_mode.annual": ("逐年", "annual"),
    "budget_mode.cumulative": ("累计", "cumulative"),
    "city_weights": ("城市权重", "city weights"),
    "min_city_share": ("城市最低支出占比", "minimum city share"),
    "max_city_share": ("城市最高支出占比", "maximum city share"),
    "min_city_attainment": ("城市最低达成度", "minimum city attainment"),
    "task_minimum": ("任务领域最低投入", "task-area minimums"),
    "force_in": ("强制纳入", "forced in"),
    "force_out": ("强制剔除", "forced out"),
    "solver": ("求解器", "solver"),
    "description": ("说明", "description"),
    # -- robustness figure ------------------------------------------------------------------------
    "robustness_x": ("入选样本比例（核心指数）", "share of samples in which the project is chosen (core index)"),
    "robustness_title": ("稳健性：{ok}/{n} 个样本可行", "Robustness: {ok} of {n} samples feasible"),
    "robustness.core": ("核心 ≥{share}", "core ≥ {share}"),
    "robustness.borderline": ("边缘", "borderline"),
    "robustness.exterior": ("外围 ≤{share}", "exterior ≤ {share}"),
    # -- explanations (report/explanations.py): one project, forced in or out --------------------
    "explain.note": (
        "得分为有无该变动时的最优组合得分之比较。强制运行不做成本次级优化（只比较得分），同分组合中所示者未必最省钱。",
        "Scores compare the best portfolio with and without each change. The forced runs skip the cost "
        "tie-break (the score is what is compared), so among equally good portfolios the one shown may not be the cheapest.",
    ),
    "explain.base_score": ("基准得分 {score}", "base score {score}"),
    "explain.head": ("{who}（{city}）{state}。", "{who} ({city}) {state}."),
    "explain.state.committed": ("为在建项目（{start}年开工）", "is committed (under construction, start {start})"),
    "explain.state.excluded": ("已被排除", "is excluded"),
    "explain.state.mandatory": ("为必选项目（{start}年开工）", "is mandatory (start {start})"),
    "explain.state.chosen": ("入选（{start}年开工）", "is chosen (start {start})"),
    "explain.state.left_out": ("未入选", "is left out"),
    "explain.every_portfolio": ("必然纳入每个组合。", " It is part of every portfolio."),
    "explain.not_considered": ("不参与优化。", " It is not considered."),
    "explain.no_start_year": ("无法安排：规划期{y0}-{y1}内没有可行的开工年份。", " It cannot be scheduled: {note}."),
    "explain.unplaceable": ("无法安排：{note}。", " It cannot be scheduled: {note}."),
    "explain.no_solution": ("时限内未找到组合。", " No portfolio was found within the time limit."),
    "explain.cannot.out": ("无法剔除：没有可行组合不含它", " It cannot be left out: no feasible portfolio excludes it"),
    "explain.cannot.in": (
        "无法纳入：没有可行组合包含它",
        " It cannot be added at all: no feasible portfolio includes it",
    ),
    "explain.because": ("（{why}）", " ({why})"),
    "explain.stop": ("。", "."),
    "explain.pct": ("（{pct}）", " ({pct})"),
    "explain.tie.out": (
        "若剔除，得分不变（在求解容差内）：存在不含它的同分组合",
        "Forcing it out would not lower the score (within the solver's tolerance): an equally good portfolio does without it",
    ),
    "explain.tie.in": (
        "若强制纳入，得分不变（在求解容差内）：存在包含它的同分组合",
        "Forcing it in would not lower the score (within the solver's tolerance): an equally good portfolio includes it",
    ),
    "explain.tie_cheaper": ("，现方案成本更低", ", and the cost tie-break chose the one shown"),
    "explain.lower.out": ("若剔除，得分下降{size}", "Forcing it out lowers the score by {size}"),
    "explain.lower.in": ("若强制纳入，得分下降{size}", "Forcing it in lowers the score by {size}"),
    "explain.raise.out": (
        "若剔除，得分反而提高{size}，即要求保留它的代价",
        "Leaving it out would raise the score by {size}: that is what requiring it costs",
    ),
    "explain.raise.in": ("若强制纳入，得分反而提高{size}", "Forcing it in would raise the score by {size}"),
    "explain.list": ("；", "; "),
    "explain.reason": ("：", ": "),
    "explain.more_limits": ("；另有{n}项限额亦告紧", "; {n} more limits are full"),
    "explain.whole_area": ("全域", "the whole area"),
    "explain.over_horizon": ("规划期内", "over the horizon"),
    "explain.up_to": ("截至{year}年累计", "up to {year} (cumulative)"),
    "explain.in_year": ("{year}年", "in {year}"),
    "explain.where": ("{when}{place}{what}", "{what} in {place} {when}"),
    "explain.only_left": ("仅余{left}{u}", "only {left} {u} are left"),
    "explain.nothing_left": ("已无余量", "nothing is left"),
    "explain.short": (
        "{w}需{need}{u}，{rest}（缺口{short}{u}）",
        "it needs {need} {u} of {w} where {rest} (short {short} {u})",
    ),
    "explain.fills": ("{w}需{need}{u}，尚余{left}{u}", "it takes {need} {u} of {w}, which had {left} {u} left"),
    "explain.adds_nothing": ("它在{year}年前对目标没有贡献", "It adds nothing to the targets by {year}"),
    "explain.rivals": ("它与已入选的{ids}互斥", "It is an alternative to {ids}, which is chosen"),
    "explain.displace": ("将挤出{ids}", "displace {ids}"),
    "explain.let_in": ("换入{ids}", "let in {ids}"),
    "explain.would": ("{parts}", "It would {parts}"),
    "explain.and_then": ("，并", " and "),
    "explain.takes_its_place": ("{ids}将替代它", "{ids} would take its place"),
    "explain.nothing_replaces": ("没有项目能替代它", "Nothing would take its place"),
    "explain.also_go": ("{ids}也将退出", "{ids} would also go"),
    "explain.moved": ("另有{n}个项目调整开工年份", "{n} other project(s) would change start year"),
    "explain.gap": ("（强制运行未证明最优，差距{gap}%）", " (Forced run not proven optimal: gap {gap}%.)"),
    "explain.id_sep": ("、", ", "),
    "explain.and": ("、", " and "),
    "explain.n_more": ("等{n}个项目", " and {rest} more"),
    "explain.summary": (
        "{n} 个项目：{chosen} 个入选，{runs} 次强制运行",
        "{n} projects: {chosen} chosen, {runs} forced runs",
    ),
    "explain.costliest": ("剔除后损失最大的入选项目", "chosen projects whose loss costs most"),
    "explain.closest": ("最接近入选的未入选项目", "left-out projects closest to getting in"),
    # -- the web workbench (optimizer/server/static): fetched by the page from /api/labels ------------
    "web.title": ("项目组合工作台", "Portfolio workbench"),
    "web.lang_switch": ("English", "中文"),
    "web.controls": ("调整", "Settings"),
    "web.scales": ("资源规模（相对情景）", "Resources (scale of the scenario's limits)"),
    "web.whole_metro": ("全域", "Whole metro"),
    "web.per_city": ("分城市", "Per city"),
    "web.budget": ("预算", "Budget"),
    "web.land": ("用地", "Land"),
    "web.energy": ("能耗", "Energy"),
    "web.city_weights": ("城市权重", "City weights"),
    "web.balance": ("均衡规则", "Balance rules"),
    "web.min_share": ("各城市最低支出占比", "Minimum share of spending per city"),
    "web.min_attainment": ("各城市最低目标达成度", "Minimum attainment per city"),
    "web.partial_credit": ("未完工项目计分比例", "Partial credit"),
    "web.projects": ("项目", "Projects"),
    "web.search": ("搜索编号、名称、城市", "Search id, name, city"),
    "web.force": ("安排", "Choice"),
    "web.auto": ("优化决定", "optimiser decides"),
    "web.force_in": ("强制纳入", "force in"),
    "web.force_out": ("强制剔除", "force out"),
    "web.answer": ("结果", "Answer"),
    "web.status": ("状态", "Status"),
    "web.score": ("得分", "Score"),
    "web.index": ("目标达成指数", "Attainment index"),
    "web.gap": ("最优性间隙", "Gap"),
    "web.baseline": ("基准", "baseline"),
    "web.solving": ("求解中…", "solving…"),
    "web.answered": ("{seconds} 秒得出", "answered in {seconds} s"),
    "web.time_limit": (
        "已到时限 {seconds} 秒：所示为当前最优解，差距 {gap}",
        "time limit of {seconds} s reached: the best portfolio so far, gap {gap}",
    ),
    "web.cities": ("各城市", "Cities"),
    "web.city": ("城市", "City"),
    "web.attainment": ("本市目标达成度", "Attainment of own targets"),
    "web.spend": ("支出", "Spending"),
    "web.binding": ("紧约束", "Limits that bind"),
    "web.none": ("无", "none"),
    "web.changes": ("相对基准的变化", "Changes against the baseline"),
    "web.added": ("新增", "added"),
    "web.dropped": ("移出", "dropped"),
    "web.moved": ("调整开工年份", "start moved"),
    "web.schedule": ("进度安排", "Schedule"),
    "web.infeasible": ("无可行组合。需放宽：", "No portfolio meets every limit and rule. What would have to give:"),
    "web.save": ("保存情景（YAML）", "Save scenario (YAML)"),
    "web.report_html": ("下载报告（HTML）", "Download report (HTML)"),
    "web.report_xlsx": ("下载结果（Excel）", "Download results (Excel)"),
    "web.reset": ("恢复基准", "Reset to baseline"),
    "web.open": ("打开数据集（.xlsx 或 .zip）", "Open a dataset (.xlsx or .zip)"),
    "web.upload": ("打开", "Open"),
    "web.problems": (
        "数据问题（未打开，当前数据集不变）：",
        "Problems in the data (not opened; the served dataset is unchanged):",
    ),
    "web.error": ("请求失败：", "The request failed: "),
    "web.alternatives": ("得分相差 1% 以内的备选组合", "Alternatives within 1% of the best score"),
    "web.alternatives_run": ("计算备选组合（约需数十秒）", "Find alternatives (takes tens of seconds)"),
    "web.alternative": ("方案", "alternative"),
    "web.differs": ("与最优相差项目数", "projects differing from the best"),
    "web.settled_open": ("未定（部分备选组合选用）", "open (some good portfolios take it)"),
    "web.settled_always": ("已定：均入选", "settled: always chosen"),
    "web.settled_never": ("已定：均未入选", "settled: never chosen"),
    # -- alternatives figure ----------------------------------------------------------------------
    "alternative_n": ("方案{k}", "alt. {k}"),
    "alternatives": ("备选组合", "Alternatives"),
    "settled": ("已定与未定项目", "Settled and open projects"),
    "alternatives_title": ("得分不低于最优 {within} 以内的备选组合", "Portfolios within {within} of the best score"),
    "differs_from_best": ("与最优相差项目数", "projects differing from the best"),
}


def lang_of(lang: str | None) -> str:
    """'zh' or 'en' ('zh-CN', 'en_GB' and None (zh) accepted); ValueError otherwise."""
    code = (lang or "zh").lower().replace("_", "-").split("-")[0]
    if code not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return code


def t(key: str, lang: str | None = "zh", **fields) -> str:
    """The text of `key` in `lang`, with `fields` filled in by str.format. KeyError for an unknown key."""
    try:
        zh, en = LABELS[key]
    except KeyError:
        raise KeyError(f"no label {key!r} (see optimizer.report.labels.LABELS)") from None
    text = en if lang_of(lang) == "en" else zh
    return text.format(**fields) if fields else text


def has(key: str) -> bool:
    return key in LABELS


def status_name(status, lang: str | None = "zh") -> str:
    """A run status (Status or its string) in words; unknown ones as given."""
    key = f"status.{status}"
    return t(key, lang) if key in LABELS else str(status)


def scope_name(scope: str, lang: str | None = "zh") -> str:
    """'ALL' as 全域 / all cities; a city as it is spelt."""
    return t("scope.ALL", lang) if scope == "ALL" else str(scope)


def resource_name(resource: str, lang: str | None = "zh") -> str:
    key = f"resource.{resource}"
    return t(key, lang) if key in LABELS else str(resource)


def project_status_name(status: str, lang: str | None = "zh") -> str:
    key = f"pstatus.{status}"
    return t(key, lang) if key in LABELS else str(status)
