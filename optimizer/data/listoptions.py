"""The mapping file of `portfolio import` (--mapping MAP.yaml): what a planner tells the importer.

    sheet: 项目清单              # the sheet to read (else the first with a header of known columns)
    header_row: 4               # the header's sheet row (else found below the title rows)
    year: 2024                  # the list's plan year (else from the title, else the earliest start)
    columns: {计划总投资（万元）: cost, 责任处室: ignore, 中央资金: funding:central}
    units: {cost: 万元, land: 公顷}
    places: {钱塘区: 杭州, 大江东: 杭州}
    status: {储备: candidate, 在建: 续建}

Every key is checked; a wrong one is an input error naming the file, the key and its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import InputError, ProblemCollector, clean_loc, pydantic_message, quoted
from .listmap import FIELDS, STATUS_WORDS, STATUSES, UNITS
from .text import read_yaml

#: what a `columns:` entry may map a header to, besides `funding:<source>`
COLUMN_TARGETS = (*FIELDS, "ignore")


class ListMapping(BaseModel):
    """The mapping file, checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sheet: str | None = None
    header_row: Annotated[int, Field(ge=1)] | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    columns: dict[str, str] = {}
    units: dict[str, str] = {}
    places: dict[str, str] = {}
    status: dict[str, str] = {}

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        for header, target in value.items():
            t = str(target).strip()
            if t not in COLUMN_TARGETS and not (t.startswith("funding:") and len(t) > len("funding:")):
                raise ValueError(
                    f"{quoted(header)} maps to {quoted(t)}: expected one of {', '.join(COLUMN_TARGETS)} "
                    "or funding:<source>"
                )
        return {str(k): str(v).strip() for k, v in value.items()}

    @field_validator("units")
    @classmethod
    def _units(cls, value: dict[str, str]) -> dict[str, str]:
        from .listmap import KIND

        for f, unit in value.items():
            if f not in KIND:
                raise ValueError(f"units of {quoted(f)}: only {', '.join(KIND)} have units")
            if unit not in UNITS or UNITS[unit][0] != KIND[f]:
                known = [u for u, (k, _) in UNITS.items() if k == KIND[f]]
                raise ValueError(f"{f}: unknown unit {quoted(unit)} (expected one of {', '.join(known)})")
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: dict[str, str]) -> dict[str, str]:
        for text, status in value.items():
            if status not in STATUSES and status not in STATUS_WORDS:
                raise ValueError(
                    f"{quoted(text)} maps to {quoted(status)}: expected one of {', '.join(STATUSES)} "
                    f"or {', '.join(STATUS_WORDS)}"
                )
        return value

    @field_validator("places", "status", mode="before")
    @classmethod
    def _text_values(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value


def read_mapping(path: str | Path | None) -> ListMapping:
    """The mapping file at `path` (None: no file, every default)."""
    if path is None:
        return ListMapping()
    path = Path(path)
    problems = ProblemCollector()
    lines: dict[tuple[str, ...], int] = {}
    data = read_yaml(path, problems, str(path), lines)
    problems.raise_if_any()
    if data is None:
        return ListMapping()
    if not isinstance(data, dict):
        raise InputError([_problem(path, None, None, "must be a mapping of keys (columns, units, places, status ...)")])
    try:
        return ListMapping.model_validate(data)
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            loc = clean_loc(err["loc"])
            line = None
            for n in range(len(loc), 0, -1):
                line = lines.get(tuple(loc[:n]))
                if line:
                    break
            found.append(_problem(path, line, ".".join(loc) or None, pydantic_message(err)))
        raise InputError(found) from None


def _problem(path: Path, line: int | None, key: str | None, message: str):
    from ..errors import Problem

    return Problem(str(path), line, key, message)
