"""The explanations in words: zh/en sentences made from the fields of analysis.explain.

`with_sentences(table, lang)` is what `optimizer.explain` and `portfolio explain` show:
the table's columns for explanations.csv plus a `sentence` per project. The wording of
every phrase is here (and in labels.py), none of it in the analysis.
"""

from __future__ import annotations

import re

import pandas as pd

from .labels import lang_of, resource_name, t

#: structured fields the sentences use, which explanations.csv does not carry
FIELDS = ("note", "limits", "moved", "tie", "adds_nothing", "rivals", "why", "forced_gap")


def with_sentences(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The table of explanations.csv: the analysis columns and a sentence per project."""
    words = _Words(table.attrs, lang_of(lang))
    out = table.drop(columns=[c for c in FIELDS if c in table.columns])
    out["sentence"] = [words.sentence(r) for r in table.to_dict("records")]
    out.attrs.update({k: v for k, v in table.attrs.items() if k != "names"}, lang=words.lang)
    out.attrs["note"] = t("explain.note", words.lang)
    return out


def report_text(table: pd.DataFrame) -> str:
    """explanations.txt: a header, then one paragraph per project."""
    lang = table.attrs.get("lang", "zh")
    score = t("explain.base_score", lang, score=f"{table.attrs.get('score'):.4f}")
    head = f"{table.attrs.get('dataset', '')}  {table.attrs.get('scenario', '')}  {score}"
    return "\n\n".join([head, table.attrs.get("note", ""), *table["sentence"]]) + "\n"


def summary_text(table: pd.DataFrame) -> str:
    """A short console summary when every project is explained: counts and the extremes."""
    lang = table.attrs.get("lang", "zh")
    n_in, n_run = int(table["selected"].sum()), int((table["action"] != "none").sum())
    lines = [t("explain.summary", lang, n=len(table), chosen=n_in, runs=n_run)]
    ok = table.dropna(subset=["score_change"])
    for action, title in (("force_out", "explain.costliest"), ("force_in", "explain.closest")):
        part = ok[ok["action"] == action].sort_values("score_change", ascending=action == "force_out").head(5)
        if len(part):
            lines.append(f"{t(title, lang)}:")
            lines += [f"  {r.id} {r.name}  {r.score_change:+.4f}" for r in part.itertuples()]
    return "\n".join(lines)


class _Words:
    """The sentences of one table in one language; every phrase from the catalogue (labels.py)."""

    def __init__(self, attrs: dict, lang: str):
        self.lang = lang
        self.names = attrs.get("names", {})
        self.cumulative = bool(attrs.get("cumulative"))
        self.tie_break = bool(attrs.get("tie_break"))
        self.target_year = attrs.get("target_year")

    def w(self, key: str, **fields) -> str:
        return t(f"explain.{key}", self.lang, **fields)

    def who(self, pid: str) -> str:
        return f"{pid} {self.names.get(pid, '')}".strip()

    def many(self, ids: list[str]) -> str:
        shown = [self.who(i) for i in ids[:4]]
        if len(ids) > 4:
            return self.w("id_sep").join(shown) + self.w("n_more", n=len(ids), rest=len(ids) - 4)
        return shown[0] if len(shown) == 1 else self.w("id_sep").join(shown[:-1]) + self.w("and") + shown[-1]

    def where(self, res: str, scope: str, year: int | None) -> str:
        place = self.w("whole_area") if scope == "ALL" else scope
        what = resource_name(res, "zh") if self.lang == "zh" else res
        if year is None:
            when = self.w("over_horizon")
        elif res == "budget" and self.cumulative:
            when = self.w("up_to", year=year)
        else:
            when = self.w("in_year", year=year)
        return self.w("where", when=when, place=place, what=what)

    def limit_phrase(self, b) -> str:
        u, need, left = b.unit, _num(b.need), _num(max(b.left, 0.0))
        w = self.where(b.resource, b.scope, b.year)
        if b.short > 0:
            rest = self.w("only_left", left=left, u=u) if b.left > 1e-6 else self.w("nothing_left")
            return self.w("short", w=w, need=need, u=u, rest=rest, short=_num(b.short))
        return self.w("fills", w=w, need=need, u=u, left=left)

    # -- one project ---------------------------------------------------------------------------
    def sentence(self, r: dict) -> str:
        head = self.head(r)
        if r["action"] == "none":
            return head + self.no_run(r)
        if r["forced_status"] not in ("optimal", "feasible"):
            return head + self.cannot(r)
        return head + self.story(r)

    def head(self, r: dict) -> str:
        start = "" if pd.isna(r["start"]) else int(r["start"])
        if r["status"] in ("committed", "excluded"):
            state = self.w(f"state.{r['status']}", start=start)
        elif r["selected"]:
            state = self.w("state.mandatory" if r["status"] == "mandatory" else "state.chosen", start=start)
        else:
            state = self.w("state.left_out")
        return self.w("head", who=self.who(r["id"]), city=r["city"], state=state)

    def no_run(self, r: dict) -> str:
        if r["status"] == "committed":
            return self.w("every_portfolio")
        if r["status"] == "excluded":
            return self.w("not_considered")
        note = str(r["note"])
        m = re.match(r"no start year fits the horizon (\d+)-(\d+)", note)
        return self.w("no_start_year", y0=m[1], y1=m[2], note=note) if m else self.w("unplaceable", note=note)

    def cannot(self, r: dict) -> str:
        if r["forced_status"] == "no_solution":
            return self.w("no_solution")
        side = "out" if r["action"] == "force_out" else "in"
        why = r["why"]
        return self.w(f"cannot.{side}") + (self.w("because", why=why) if why else "") + self.w("stop")

    def story(self, r: dict) -> str:
        out = r["action"] == "force_out"
        side = "out" if out else "in"
        delta, pct = r["score_change"], r["score_change_pct"]
        pct = None if pct is None or pd.isna(pct) else pct
        gone, new = _ids(r["displaced"]), _ids(r["replaced_by"] if out else r["brought_in"])
        size = _score(abs(delta)) + ("" if pct is None else self.w("pct", pct=_pct(pct)))
        if r["tie"]:
            text = self.w(f"tie.{side}") + (self.w("tie_cheaper") if self.tie_break else "")
        elif delta < 0:
            text = self.w(f"lower.{side}", size=size)
        else:
            text = self.w(f"raise.{side}", size=size)
        binding = list(r["limits"])
        if binding:
            # the rows it overshoots say why; rows it merely fills matter only when none is short
            binding = [b for b in binding if b.short > 0] or binding
            shown = self.w("list").join(self.limit_phrase(b) for b in binding[:3])
            more = len(binding) - 3
            tail = self.w("more_limits", n=more) if more > 0 else ""
            text += (self.w("list") if r["tie"] else self.w("reason")) + shown + tail
        text += self.w("stop")
        extra = []
        if not out:
            if r["adds_nothing"]:
                extra.append(self.w("adds_nothing", year=self.target_year))
            rivals = list(r["rivals"])
            if rivals:
                extra.append(self.w("rivals", ids=self.many(rivals)))
            parts = [self.w("displace", ids=self.many(gone))] if gone else []
            parts += [self.w("let_in", ids=self.many(new))] if new else []
            if parts:
                extra.append(self.w("would", parts=self.w("and_then").join(parts)))
        else:
            if new:
                extra.append(self.w("takes_its_place", ids=self.many(new)))
            elif not r["tie"] and delta < 0:
                extra.append(self.w("nothing_replaces"))
            if gone:
                extra.append(self.w("also_go", ids=self.many(gone)))
        if r["moved"]:
            extra.append(self.w("moved", n=len(r["moved"])))
        gap = ""
        if r["forced_gap"] is not None and not pd.isna(r["forced_gap"]):
            gap = self.w("gap", gap=f"{100 * r['forced_gap']:.2f}")
        join = "" if self.lang == "zh" else " "  # Chinese sets sentences without a space between them
        return join + join.join([text, *(e + self.w("stop") for e in extra)]) + gap


def _ids(joined: str) -> list[str]:
    return [i for i in str(joined or "").split(";") if i]


def _num(v: float) -> str:
    return f"{v:,.1f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"


def _score(v: float) -> str:
    return f"{v:.3f}" if v >= 0.01 else f"{v:.2g}"


def _pct(v: float) -> str:
    v = abs(v)
    return f"{v:.1f}%" if v >= 0.1 or v == 0 else f"{v:.2g}%"
