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
