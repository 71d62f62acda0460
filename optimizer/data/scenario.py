"""The scenario file (DATA.md): what a planner changes between runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ..errors import Problem, clean_loc, pydantic_message, shorten
from .funding import canonical_source

Fraction = Annotated[float, Field(ge=0, le=1)]
Scale = Annotated[float, Field(ge=0, le=1e6)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SolverSettings(_Strict):
    """How hard HiGHS works. Threads default to 1 so that runs are reproducible."""

    time_limit: Annotated[float, Field(gt=0, description="seconds for the whole solve")] | None = 60.0
    mip_gap: Annotated[float, Field(ge=0, lt=1, description="relative gap at which a run counts as optimal")] = 1e-4
    threads: Annotated[int, Field(ge=1, le=256)] = 1
    seed: int = 0
    tie_break: bool = Field(True, description="second stage: lowest total cost among best-score portfolios")
    decompose: bool = Field(True, description="solve groups of cities that share nothing as separate models (exact)")
    strengthen: bool = Field(True, description="clip capped target coefficients at 1 where exact (tighter LP)")
    heuristic_effort: (
        Annotated[
            float,
            Field(
                ge=0,
                le=1,
                description="HiGHS's mip_heuristic_effort; blank: 0.25 for a whole model, HiGHS's 0.05 for city blocks",
            ),
        ]
        | None
    ) = None


class Balance(_Strict):
    min_city_share: dict[str, Fraction] = {}
    max_city_share: dict[str, Fraction] = {}
    min_city_attainment: Fraction | dict[str, Fraction] | None = None

    def attainment_floor(self, cities: list[str]) -> dict[str, float]:
        value = self.min_city_attainment
        if value is None:
            return {}
        if isinstance(value, dict):
            return dict(value)
        return {c: float(value) for c in cities}


class Risk(_Strict):
    """Cost overrun (lognormal multiplier on cost) and construction delay of one kind of project."""

    median: Annotated[float, Field(gt=0, le=10, description="median cost multiplier (1.2 = +20%)")] = 1.03
    sigma: Annotated[float, Field(ge=0, le=3, description="lognormal sigma of the multiplier")] = 0.10
    delay_probability: Fraction = 0.15
    max_delay: Annotated[int, Field(ge=0, le=10, description="years; a delay is 1..max_delay, uniform")] = 1


#: Defaults by category keyword (projects.category contains it), after reference-class
#: studies of infrastructure (rail overruns most, then large civil works). Estimates.
DEFAULT_RISKS = {
    "rail": Risk(median=1.20, sigma=0.25, delay_probability=0.40, max_delay=2),
    "metro": Risk(median=1.20, sigma=0.25, delay_probability=0.40, max_delay=2),
    "airport": Risk(median=1.12, sigma=0.20, delay_probability=0.30, max_delay=2),
    "highway": Risk(median=1.10, sigma=0.20, delay_probability=0.30, max_delay=2),
    "expressway": Risk(median=1.10, sigma=0.20, delay_probability=0.30, max_delay=2),
    "waterway": Risk(median=1.10, sigma=0.20, delay_probability=0.30, max_delay=2),
    "water": Risk(median=1.08, sigma=0.15, delay_probability=0.25, max_delay=1),
}
LARGE_WORKS = Risk(median=1.10, sigma=0.20, delay_probability=0.30, max_delay=2)


class Uncertainty(_Strict):
    """How costs and schedules may move, for `portfolio robustness`."""

    seed: int = 1
    default: Risk = Risk()
    by_category: dict[str, Risk] = {}
    large_cost: Annotated[
        float, Field(gt=0, description="亿元: projects at least this costly count as large works")
    ] = 100.0
    fixed_projects: bool = Field(
        False,
        description="sample committed and mandatory projects too (default: they go ahead as planned, and the "
        "question is which of the other choices hold up)",
    )

    def risk_for(self, category: str | None, cost: float) -> Risk:
        text = (category or "").lower()
        for table in (self.by_category, DEFAULT_RISKS):
            for key, risk in table.items():
                if key.lower() in text:
                    return risk
        return LARGE_WORKS if cost >= self.large_cost else self.default


class Scenario(_Strict):
    """A run's settings. Every key is optional; unknown keys are an error."""

    name: str = "default"
    description: str | None = None
    data: str | None = Field(None, description="dataset path, relative to the scenario file")
    horizon: tuple[int, int] | None = None
    target_year: int | None = None
    partial_credit: Annotated[Fraction, Field(description="π: credit share for spending done by the target year")] = 0.0
    overshoot_weight: Annotated[Fraction, Field(description="ρ: worth of progress past a target")] = 0.0
    budget_mode: Literal["annual", "cumulative"] = "annual"
    scale: dict[str, Scale | dict[str, Scale]] = {}
    city_weights: dict[str, Annotated[float, Field(ge=0)]] = {}
    balance: Balance = Balance()
    task_minimum: dict[str, Annotated[int, Field(ge=0)]] = {}
    force_in: list[str] = []
    force_out: list[str] = []
    solver: SolverSettings = SolverSettings()
    uncertainty: Uncertainty = Uncertainty()
    #: where the scenario came from, for messages; not a YAML key
    source: str | None = Field(None, exclude=True)

    @field_validator("horizon")
    @classmethod
    def _horizon(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"horizon {list(value)} runs backwards")
        return value

    @field_validator("scale")
    @classmethod
    def _payers(cls, value: dict) -> dict:
        # a funding source may be scaled by the name planners write (专项债: special_bond)
        return {canonical_source(k) if isinstance(k, str) else k: v for k, v in value.items()}

    @field_validator("force_out")
    @classmethod
    def _forced_both_ways(cls, value: list[str], info: ValidationInfo) -> list[str]:
        both = sorted(set(info.data.get("force_in") or []) & set(value))
        if both:
            raise ValueError(f"force_in and force_out both name {', '.join(both)}")
        return value

    def scale_for(self, resource: str, scope: str) -> float:
        value = self.scale.get(resource, 1.0)
        if isinstance(value, dict):
            return float(value.get(scope, 1.0))
        return float(value)

    def with_updates(self, **changes: Any) -> Scenario:
        data = self.model_dump(exclude_none=False)
        data.update(changes)
        return Scenario.model_validate({**data, "source": self.source})

    def settings(self) -> dict[str, Any]:
        """The scenario as plain data, for summary.json."""
        return self.model_dump(mode="json", exclude={"source"})


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path of a YAML mapping to its 1-based line, for messages."""
    from .text import yaml_key_lines

    return yaml_key_lines(text)


def line_of(lines: dict[tuple[str, ...], int], key: str | tuple[str, ...] | None) -> int | None:
    """The line of a key path (``"balance.min_city_share.Z"`` or a tuple), or of its nearest parent."""
    if not key:
        return None
    loc = tuple(key.split(".")) if isinstance(key, str) else tuple(str(k) for k in key)
    for i in range(len(loc), 0, -1):
        if loc[:i] in lines:
            return lines[loc[:i]]
    return None


def scenario_problems(exc: ValidationError, label: str, text: str = "") -> list[Problem]:
    """Each error once, at the key path as written (clean_loc), said as a planner reads it.

    A value that fits no member of a union (``scale.budget``: a number or a map of scopes)
    gives one error per member; they are said once, the deepest path winning (the bad cell
    inside a map) and alternatives at one path joined ("must be a number or a mapping").
    """
    lines = _key_lines(text) if text else {}
    found: dict[tuple[str, ...], list[str]] = {}
    union: set[tuple[str, ...]] = set()
    for err in exc.errors():
        loc = clean_loc(err["loc"])
        if len(loc) < len([p for p in err["loc"] if not isinstance(p, int)]):
            union.add(loc)
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{shorten(loc[-1]) if loc else ''}'"
        else:
            msg = pydantic_message(err)
        if msg not in found.setdefault(loc, []):
            found[loc].append(msg)
    out = []
    for loc, msgs in found.items():
        if loc in union and any(o != loc and o[: len(loc)] == loc for o in found):
            continue  # a deeper error of the same union says where the bad value is
        out.append(Problem(label, line_of(lines, loc), ".".join(loc) or None, _join(msgs)))
    return out


def _join(msgs: list[str]) -> str:
    """'must be a number, got x' + 'must be a mapping (key: value), got x' -> one sentence."""
    sized = [m for m in msgs if m.startswith(("must be at least", "must be at most", "must be more", "must be less"))]
    if sized:
        return sized[0]  # the value has the right kind, only its size is wrong
    if len(msgs) > 1 and all(m.startswith("must be ") and ", got " in m for m in msgs):
        got = {m.rsplit(", got ", 1)[1] for m in msgs}
        if len(got) == 1:
            kinds = " or ".join(m.removeprefix("must be ").rsplit(", got ", 1)[0] for m in msgs)
            return f"must be {kinds}, got {got.pop()}"
    return "; ".join(msgs)


def parse_scenario(data: Any, label: str, text: str = "") -> Scenario:
    """Validate scenario data; raises InputError naming the key and its line."""
    from ..errors import InputError

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError([Problem(label, None, None, "a scenario must be a mapping of keys (DATA.md)")])
    try:
        return Scenario.model_validate({**data, "source": label})
    except ValidationError as exc:
        raise InputError(scenario_problems(exc, label, text)) from None


def read_scenario(path: Path) -> Scenario:
    from ..errors import InputError, ProblemCollector
    from .text import decode_text, read_yaml

    problems = ProblemCollector()
    data = read_yaml(path, problems)
    problems.raise_if_any()
    text = decode_text(path, problems) or ""  # as read_yaml read it: UTF-8 or GBK
    if isinstance(data, dict) and "source" in data:
        raise InputError([Problem(str(path), _key_lines(text).get(("source",)), "source", "unknown key 'source'")])
    return parse_scenario(data, str(path), text)


def scenario_key_lines(path: Path) -> dict[tuple[str, ...], int]:
    """The line of each key of a scenario file (empty if it cannot be read)."""
    from ..errors import ProblemCollector
    from .text import decode_text

    text = decode_text(path, ProblemCollector())
    return _key_lines(text) if text else {}
