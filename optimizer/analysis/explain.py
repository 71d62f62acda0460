"""Why is a project in or out? One forced run per project, told in plain sentences.

A planner asks "why not P45?" or "what does P12 buy us?". The honest answer is a
counterfactual: solve again with the project forced in (if it was left out) or
forced out (if it was chosen) and report what changes: the score lost, the limits
that then bind and by how much the project overshoots what the base portfolio
left free, and the projects that trade places with it. Committed, excluded and
unplaceable projects need no run: their status is the whole answer.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, load, resolve_scenario
from ..data.instance import HORIZON, resource_rows
from ..errors import InputError, Problem
from ..result import Result, write_folder
from ..solve import Status
from .runner import run_changes
from .session import Change, Session, base_result, starts_of

COLUMNS = [
    "id", "name", "city", "status", "selected", "start", "action", "score_base", "score_forced",
    "score_change", "score_change_pct", "forced_status", "binding", "displaced", "replaced_by",
    "brought_in", "shifted", "sentence",
]  # fmt: skip
NOTE = {
    "en": "Scores compare the best portfolio with and without each change. The forced runs skip the cost "
    "tie-break (the score is what is compared), so among equally good portfolios the one shown may not be the cheapest.",
    "zh": "得分为有无该变动时的最优组合得分之比较。强制运行不做成本次级优化（只比较得分），同分组合中所示者未必最省钱。",
}
RES_ZH = {"budget": "预算", "land": "用地", "energy": "能耗"}


class BaseInfeasible(RuntimeError):
    """The scenario itself has no portfolio, so there is nothing to explain against."""

    def __init__(self, result: Result):
        self.result = result
        super().__init__(f"the scenario has no portfolio ({result.status}): {result.message or 'no details'}")


def explain(
    data_or_dataset: Dataset | str | Path,
    ids: list[str] | None = None,
    scenario: Any = None,
    lang: str = "zh",
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """One row per project (the given ids, else every project) saying why it is in or out.

    Chosen projects are forced out, left-out ones forced in, each in its own run from the
    base portfolio's warm start; see COLUMNS. score_change = forced − base (negative: a loss).
    """
    if lang not in NOTE:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    ds = data_or_dataset if isinstance(data_or_dataset, Dataset) else load(data_or_dataset)
    sc = resolve_scenario(ds, scenario)
    known = list(ds.projects["id"])
    wanted = list(dict.fromkeys(ids)) if ids else known
    unknown = [i for i in wanted if i not in set(known)]
    if unknown:
        raise InputError([Problem("command line", None, "ids", f"unknown project id(s): {', '.join(unknown)}")])
    session = Session(ds, sc)
    base = base_result(session)
    if not base.ok:
        raise BaseInfeasible(base)
    port = base.portfolio.set_index("id")
    changes = []
    for pid in wanted:
        status, note = port.at[pid, "status"], port.at[pid, "note"]
        if status in ("excluded", "committed") or note:
            continue
        out = bool(port.at[pid, "selected"])
        changes.append(Change(label=pid, force_out=(pid,) if out else (), force_in=() if out else (pid,), tag=pid))
    results = run_changes(
        ds, sc, changes, warm=starts_of(base), executor=executor, scheduler=scheduler,
        workers=workers, progress=progress, desc="explaining", session=session,
    )  # fmt: skip
    forced = {ch.tag: (ch, r) for ch, r in zip(changes, results)}
    ctx = _Context(session, base, lang)
    rows = [ctx.row(pid, *forced.get(pid, (None, None))) for pid in wanted]
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["start"] = table["start"].astype("Int64")
    table.attrs.update(lang=lang, score=base.objective, note=NOTE[lang], dataset=ds.name, scenario=sc.name)
    return table


class _Context:
    """What every row needs: the base result, each project's use of each limit row, wording."""

    def __init__(self, session: Session, base: Result, lang: str):
        self.s, self.base, self.lang = session, base, lang
        inst = session.inst
        self.inst = inst
        self.port = base.portfolio.set_index("id")
        # a project no start year fits is reported as unavailable, not as excluded by the planner
        self.port.loc[self.port["note"].ne("") & self.port["note"].ne("excluded"), "status"] = "unavailable"
        self.names = dict(zip(self.port.index, self.port["name"]))
        self.chosen = starts_of(base)
        r = base.resources
        self.slack = {
            (a, b, None if pd.isna(y) else int(y)): float(v)
            for a, b, y, v in zip(r["resource"], r["scope"], r["year"], r["slack"])
        }
        self.units = {k: v.unit or "" for k, v in session.dataset.resources.items()}
        self.cumulative = session.scenario.budget_mode == "cumulative"
        starts = inst.starts[["p", "t"]].reset_index(drop=True)
        parts = []
        for res in session.dataset.resources:
            terms, _ = resource_rows(inst, res, res == "budget" and self.cumulative)
            if terms.empty:
                continue
            t = terms.groupby(["scope", "year", "pos"], as_index=False)["coef"].sum()
            t["p"] = starts["p"].to_numpy()[t["pos"].astype(int)]
            t["t"] = starts["t"].to_numpy()[t["pos"].astype(int)]
            t["year"] = pd.Series([None if y == HORIZON else int(y) for y in t["year"]], dtype=object)
            parts.append(t.assign(resource=res))
        self.use = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["p", "t", "resource"])
        gap = session.scenario.solver.mip_gap
        self.tol = max(1e-6, gap * max(1.0, abs(base.objective or 0.0)))
        self.scoring = set(inst.progress.loc[inst.progress["coef"] > 0, "p"])

    # -- words -----------------------------------------------------------------------------
    def who(self, pid: str) -> str:
        return f"{pid} {self.names.get(pid, '')}".strip()

    def many(self, ids: list[str]) -> str:
        shown = [self.who(i) for i in ids[:4]]
        if self.lang == "zh":
            return "、".join(shown) + (f"等{len(ids)}个项目" if len(ids) > 4 else "")
        if len(ids) > 4:
            return ", ".join(shown) + f" and {len(ids) - 4} more"
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

    def where(self, res: str, scope: str, year: int | None) -> str:
        zh = self.lang == "zh"
        place = ("全域" if zh else "the whole area") if scope == "ALL" else scope
        what = RES_ZH.get(res, res) if zh else res
        if year is None:
            when = "规划期内" if zh else "over the horizon"
        elif res == "budget" and self.cumulative:
            when = f"截至{year}年累计" if zh else f"up to {year} (cumulative)"
        else:
            when = f"{year}年" if zh else f"in {year}"
        return f"{when}{place}{what}" if zh else f"{what} in {place} {when}"

    def limit_phrase(self, b: dict) -> str:
        u, need, left, short = b["unit"], _num(b["need"]), _num(max(b["left"], 0.0)), b["short"]
        w = self.where(b["resource"], b["scope"], b["year"])
        if self.lang == "zh":
            if short > 0:
                rest = f"仅余{left}{u}" if b["left"] > 1e-6 else "已无余量"
                return f"{w}需{need}{u}，{rest}（缺口{_num(short)}{u}）"
            return f"{w}需{need}{u}，尚余{left}{u}"
        if short > 0:
            rest = f"only {left} {u} are left" if b["left"] > 1e-6 else "nothing is left"
            return f"it needs {need} {u} of {w} where {rest} (short {_num(short)} {u})"
        return f"it takes {need} {u} of {w}, which had {left} {u} left"

    # -- one project ---------------------------------------------------------------------------
    def row(self, pid: str, change: Change | None, res: Result | None) -> dict:
        p = self.port.loc[pid]
        selected = bool(p["selected"])
        row = {c: None for c in COLUMNS}
        row.update(id=pid, name=p["name"], city=p["city"], status=p["status"], selected=selected)
        row.update(start=p["start"] if selected else pd.NA, score_base=self.base.objective, action="none")
        for c in ("binding", "displaced", "replaced_by", "brought_in", "shifted"):
            row[c] = ""
        head = self.head(pid, p)
        if change is None or res is None:
            row["sentence"] = head + self.no_run(p)
            return row
        row["action"] = "force_out" if change.force_out else "force_in"
        row["forced_status"] = str(res.status)
        if not res.ok:
            row["sentence"] = head + self.cannot(pid, change, res)
            return row
        delta = res.objective - self.base.objective
        row.update(score_forced=res.objective, score_change=delta)
        row["score_change_pct"] = 100 * delta / abs(self.base.objective) if self.base.objective else None
        after = starts_of(res)
        gone = [i for i in self.chosen if i not in after and i != pid]
        new = [i for i in after if i not in self.chosen and i != pid]
        moved = [i for i in after if i in self.chosen and after[i] != self.chosen[i]]
        row["displaced"] = ";".join(gone)
        row["shifted"] = ";".join(f"{i} {self.chosen[i]}->{after[i]}" for i in moved)
        binding: list[dict] = []
        if change.force_in:
            row["brought_in"] = ";".join(new)
            binding = self.binding_rows(pid, after.get(pid), res)
            row["binding"] = ";".join(
                f"{b['resource']} {b['scope']} {'horizon' if b['year'] is None else b['year']} short {_num(b['short'])} {b['unit']}"
                for b in binding
            )
        else:
            row["replaced_by"] = ";".join(new)
        row["sentence"] = head + self.story(pid, change, res, delta, row["score_change_pct"], gone, new, moved, binding)
        return row

    def head(self, pid: str, p: pd.Series) -> str:
        zh, who, city = self.lang == "zh", self.who(pid), p["city"]
        start = "" if pd.isna(p["start"]) else int(p["start"])
        if zh:
            state = {"committed": f"为在建项目（{start}年开工）", "excluded": "已被排除"}.get(p["status"])
            if state is None:
                kind = "为必选项目" if p["status"] == "mandatory" else "入选"
                state = f"{kind}（{start}年开工）" if p["selected"] else "未入选"
            return f"{who}（{city}）{state}。"
        state = {"committed": f"is committed (under construction, start {start})", "excluded": "is excluded"}.get(
            p["status"]
        )
        if state is None:
            kind = "is mandatory" if p["status"] == "mandatory" else "is chosen"
            state = f"{kind} (start {start})" if p["selected"] else "is left out"
        return f"{who} ({city}) {state}."

    def no_run(self, p: pd.Series) -> str:
        zh = self.lang == "zh"
        if p["status"] == "committed":
            return "必然纳入每个组合。" if zh else " It is part of every portfolio."
        if p["status"] == "excluded":
            return "不参与优化。" if zh else " It is not considered."
        note = str(p["note"])
        m = re.match(r"no start year fits the horizon (\d+)-(\d+)", note)
        if zh:
            return f"无法安排：规划期{m[1]}-{m[2]}内没有可行的开工年份。" if m else f"无法安排：{note}。"
        return f" It cannot be scheduled: {note}."

    def cannot(self, pid: str, change: Change, res: Result) -> str:
        zh, out = self.lang == "zh", bool(change.force_out)
        if res.status == Status.NO_SOLUTION:
            return "时限内未找到组合。" if zh else " No portfolio was found within the time limit."
        why = res.message or self.diagnose(pid, out)
        if zh:
            verb = "无法剔除" if out else "无法纳入"
            return f"{verb}：没有可行组合{'不含' if out else '包含'}它" + (f"（{why}）。" if why else "。")
        verb = "cannot be left out" if out else "cannot be added at all"
        what = "excludes" if out else "includes"
        return f" It {verb}: no feasible portfolio {what} it" + (f" ({why})." if why else ".")

    def diagnose(self, pid: str, out: bool) -> str:
        """The elastic diagnosis of a whole-scenario run: Session.run does not give one."""
        from ..api import solve

        sc = self.s.scenario
        upd = (
            {"force_out": [*sc.force_out, pid], "force_in": [i for i in sc.force_in if i != pid]}
            if out
            else {"force_in": [*sc.force_in, pid]}
        )
        try:
            return solve(self.s.dataset, sc.with_updates(**upd)).message
        except InputError as exc:
            return "; ".join(p.message for p in exc.problems)

    def binding_rows(self, pid: str, start: int | None, res: Result) -> list[dict]:
        """Limit rows binding in the forced run that the project uses at its forced start."""
        u = self.use[(self.use["p"] == pid) & (self.use["t"] == start) & (self.use["coef"] > 0)]
        r = res.resources
        tight = {
            (a, b, None if pd.isna(y) else int(y))
            for a, b, y in r.loc[r["binding"], ["resource", "scope", "year"]].itertuples(index=False)
        }
        out = []
        for res_name, scope, year, need in u[["resource", "scope", "year", "coef"]].itertuples(index=False):
            key = (res_name, scope, year)
            if key in tight:
                left = self.slack.get(key, 0.0)
                short = max(0.0, need - max(left, 0.0))
                unit = self.units.get(res_name, "")
                out.append(
                    dict(resource=res_name, scope=scope, year=year, need=need, left=left, short=short, unit=unit)
                )
        return sorted(out, key=lambda b: (-b["short"], -b["need"]))

    def story(self, pid, change, res, delta, pct, gone, new, moved, binding) -> str:
        zh, out = self.lang == "zh", bool(change.force_out)
        size = _score(abs(delta)) + ("" if pct is None else f"（{_pct(pct)}）" if zh else f" ({_pct(pct)})")
        verb = ("剔除" if out else "强制纳入") if zh else ("Forcing it out" if out else "Forcing it in")
        if abs(delta) <= self.tol:
            tie = self.base.tie_break != "off"
            if zh:
                text = f"若{verb}，得分不变（在求解容差内）：存在{'不含' if out else '包含'}它的同分组合" + (
                    "，现方案成本更低" if tie else ""
                )
            else:
                text = (
                    f"{verb} would not lower the score (within the solver's tolerance): an equally good portfolio {'does without' if out else 'includes'} it"
                    + (", and the cost tie-break chose the one shown" if tie else "")
                )
        elif delta < 0:
            text = f"若{verb}，得分下降{size}" if zh else f"{verb} lowers the score by {size}"
        elif zh:
            text = f"若{verb}，得分反而提高{size}" + ("，即要求保留它的代价" if out else "")
        else:
            verb = "Leaving it out" if out else verb
            text = f"{verb} would raise the score by {size}" + (": that is what requiring it costs" if out else "")
        if binding:
            # the rows it overshoots say why; rows it merely fills matter only when none is short
            binding = [b for b in binding if b["short"] > 0] or binding
            shown = ("；" if zh else "; ").join(self.limit_phrase(b) for b in binding[:3])
            more = len(binding) - 3
            tail = (f"；另有{more}项限额亦告紧" if zh else f"; {more} more limits are full") if more > 0 else ""
            sep = ("；" if zh else "; ") if abs(delta) <= self.tol else ("：" if zh else ": ")
            text += sep + shown + tail
        text += "。" if zh else "."
        extra = []
        if not out:
            if pid not in self.scoring:
                ty = self.inst.target_year
                extra.append(f"它在{ty}年前对目标没有贡献" if zh else f"It adds nothing to the targets by {ty}")
            group = self.inst.projects.at[pid, "group"] if "group" in self.inst.projects else None
            rivals = (
                [i for i in self.inst.groups.get(group, []) if i in self.chosen and i != pid]
                if isinstance(group, str)
                else []
            )
            if rivals:
                extra.append(
                    f"它与已入选的{self.many(rivals)}互斥"
                    if zh
                    else f"It is an alternative to {self.many(rivals)}, which is chosen"
                )
            parts = [f"将挤出{self.many(gone)}" if zh else f"displace {self.many(gone)}"] if gone else []
            parts += [f"换入{self.many(new)}" if zh else f"let in {self.many(new)}"] if new else []
            if parts:
                extra.append("，并".join(parts) if zh else "It would " + " and ".join(parts))
        else:
            if new:
                extra.append(f"{self.many(new)}将替代它" if zh else f"{self.many(new)} would take its place")
            elif delta < -self.tol:
                extra.append("没有项目能替代它" if zh else "Nothing would take its place")
            if gone:
                extra.append(f"{self.many(gone)}也将退出" if zh else f"{self.many(gone)} would also go")
        if moved:
            n = len(moved)
            extra.append(f"另有{n}个项目调整开工年份" if zh else f"{n} other project(s) would change start year")
        gap = ""
        if res.status == Status.FEASIBLE and res.mip_gap is not None:
            gap = (
                f"（强制运行未证明最优，差距{100 * res.mip_gap:.2f}%）"
                if zh
                else f" (Forced run not proven optimal: gap {100 * res.mip_gap:.2f}%.)"
            )
        if zh:
            return text + "".join(e + "。" for e in extra) + gap
        return " " + " ".join([text, *(e + "." for e in extra)]) + gap


def _num(v: float) -> str:
    return f"{v:,.1f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"


def _score(v: float) -> str:
    return f"{v:.3f}" if v >= 0.01 else f"{v:.2g}"


def _pct(v: float) -> str:
    v = abs(v)
    return f"{v:.1f}%" if v >= 0.1 or v == 0 else f"{v:.2g}%"


def report_text(table: pd.DataFrame) -> str:
    """explanations.txt: a header, then one paragraph per project."""
    zh = table.attrs.get("lang") == "zh"
    score = table.attrs.get("score")
    head = f"{table.attrs.get('dataset', '')}  {table.attrs.get('scenario', '')}  " + (
        f"基准得分 {score:.4f}" if zh else f"base score {score:.4f}"
    )
    return "\n\n".join([head, table.attrs.get("note", ""), *table["sentence"]]) + "\n"


def summary_text(table: pd.DataFrame) -> str:
    """A short console summary when every project is explained: counts and the extremes."""
    zh = table.attrs.get("lang") == "zh"
    n_in, n_run = int(table["selected"].sum()), int((table["action"] != "none").sum())
    lines = [
        f"{len(table)} 个项目：{n_in} 个入选，{n_run} 次强制运行"
        if zh
        else f"{len(table)} projects: {n_in} chosen, {n_run} forced runs"
    ]
    ok = table.dropna(subset=["score_change"])
    for action, title in (
        ("force_out", ("剔除后损失最大的入选项目" if zh else "chosen projects whose loss costs most")),
        ("force_in", ("最接近入选的未入选项目" if zh else "left-out projects closest to getting in")),
    ):
        part = ok[ok["action"] == action].sort_values("score_change", ascending=action == "force_out").head(5)
        if len(part):
            lines.append(f"{title}:")
            lines += [f"  {r.id} {r.name}  {r.score_change:+.4f}" for r in part.itertuples()]
    return "\n".join(lines)


def main(args) -> int:
    from ..cli import EXIT_INFEASIBLE, EXIT_NO_SOLUTION, load_for_multi

    ds, sc = load_for_multi(args)
    try:
        table = explain(
            ds, args.ids or None, scenario=sc, lang=args.lang, executor=args.executor,
            scheduler=args.scheduler, workers=args.workers, progress=args.progress,
        )  # fmt: skip
    except BaseInfeasible as exc:
        print(f"nothing to explain: {exc}", file=sys.stderr)
        return EXIT_NO_SOLUTION if exc.result.status == Status.NO_SOLUTION else EXIT_INFEASIBLE
    if args.out:
        write_folder(args.out, {"explanations.csv": table, "explanations.txt": report_text(table)})
    print("\n\n".join(table["sentence"]) if args.ids else summary_text(table))
    if args.out:
        print(f"written to {args.out}")
    return 0
