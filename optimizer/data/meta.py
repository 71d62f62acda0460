"""dataset.yaml: name, cities, task areas, horizon, target year, units and resources, checked.

DatasetMeta is the pydantic model of that file (or the `dataset` sheet of a workbook);
its type errors are said as a planner would read them (`meta_message`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..errors import pydantic_message as _message
from ..errors import quoted
from .schema import _text


class ResourceDef(BaseModel):
    """A resource with a timing (MODEL.md): budget, land and energy, or one a dataset adds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    timing: Literal["spread", "start", "operation"]
    column: str | None = Field(
        None, description="projects column with each project's amount; default: the resource name"
    )
    unit: str | None = None


BUILTIN_RESOURCES = {
    "budget": ResourceDef(timing="spread", column="cost", unit="亿元"),
    "land": ResourceDef(timing="start", column="land", unit="亩"),
    "energy": ResourceDef(timing="operation", column="energy", unit="万吨标准煤"),
}


def _names(value: Any) -> Any:
    """cities / tasks: a list of names; numbers typed as names count as text (as in the tables)."""
    if value is None:
        return value
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list, e.g. [杭州, 湖州], got {quoted(value)}")
    return [_text(v) if not isinstance(v, str) else v.strip() for v in value]


class DatasetMeta(BaseModel):
    """dataset.yaml. More keys are welcome (DATA.md) and kept."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: Annotated[str, BeforeValidator(lambda v: _text(v) if v is not None else v)] = "dataset"
    cities: Annotated[list[str], BeforeValidator(_names), Field(min_length=1)]
    tasks: Annotated[list[str] | None, BeforeValidator(_names)] = None
    horizon: tuple[int, int]
    target_year: int
    units: dict[str, str] = {"money": "亿元", "land": "亩", "energy": "万吨标准煤"}
    resources: dict[str, ResourceDef] = {}

    @field_validator("cities")
    @classmethod
    def _cities(cls, value: list[str]) -> list[str]:
        twice = sorted({c for c in value if value.count(c) > 1})
        if twice:
            raise ValueError(f"a city is listed twice: {', '.join(twice)}")
        if "ALL" in value:
            raise ValueError("'ALL' is reserved for the whole area")
        if any(not c for c in value):
            raise ValueError("a city name is blank")
        return value

    @field_validator("horizon", mode="before")
    @classmethod
    def _two_years(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) != 2:
            raise ValueError(f"must be two years [first, last], got {quoted(list(value))}")
        if value is not None and not isinstance(value, (list, tuple)):
            raise ValueError(f"must be two years [first, last], got {quoted(value)}")
        return value

    @field_validator("horizon")
    @classmethod
    def _forwards(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] > value[1]:
            raise ValueError(f"horizon {list(value)} runs backwards")
        return value

    @model_validator(mode="after")
    def _target_in_horizon(self) -> DatasetMeta:
        y0, y1 = self.horizon
        if not y0 <= self.target_year <= y1:
            raise PydanticCustomError(
                "target_outside",
                "target_year {ty} is outside the horizon {y0}-{y1}: targets are measured in a year the plan covers",
                {"ty": self.target_year, "y0": y0, "y1": y1},
            )
        return self

    @field_validator("resources")
    @classmethod
    def _not_builtin(cls, value: dict[str, ResourceDef]) -> dict[str, ResourceDef]:
        clash = set(value) & set(BUILTIN_RESOURCES)
        if clash:
            raise ValueError(f"{', '.join(sorted(clash))} are built in")
        return value


#: pydantic's type errors on dataset.yaml, said as a planner would read them
_META_MESSAGES = {
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "list_type": "must be a list, e.g. [杭州, 湖州]",
    "tuple_type": "must be a list, e.g. [2024, 2030]",
    "dict_type": "must be a mapping, e.g. {money: 亿元}",
    "string_type": "must be text",
    "too_short": "must not be empty",
}


def meta_message(err: dict) -> str:
    """A pydantic error on dataset.yaml in a planner's words."""
    text = _META_MESSAGES.get(err["type"])
    if text is None:
        return _message(err)
    return f"{text}, got {quoted(err['input'])}" if "input" in err and err["type"] in _META_MESSAGES else text
