"""Row schemas of the input tables (DATA.md) as pydantic models.

Each table is read as raw text (CSV) or native cells (xlsx), then every row is
validated by its model here; cross-table rules live in ``checks.py``.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..errors import quoted, shorten
from .funding import canonical_source

#: first characters that make Excel or LibreOffice read a text cell as a formula; this tool's
#: CSV files escape such text with an apostrophe (OWASP's advice on CSV injection), and
#: `_text` strips it again when the file is read back
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe_text(value: Any) -> Any:
    """A text cell as it may go into a CSV file: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_unescape(value: Any) -> Any:
    """Undo `csv_safe_text` on a cell read back from one of this tool's CSV files."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def escape_frame(df):
    """A copy of a DataFrame with every text cell (and column name) escaped by `csv_safe_text`."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_safe_text)
    out.columns = [csv_safe_text(str(c)) for c in out.columns]
    return out


#: Numbers beyond this are treated as data errors (a cell pasted with the wrong unit,
#: an Excel overflow); 1e12 亿元 is far beyond any real budget.
ABSURD = 1e12
YEAR_MIN, YEAR_MAX = 1900, 2200
#: a number written with thousands separators (1,234 or 1,234,567.5); any other comma is
#: not a number (2,5 is a decimal comma, not 25)
_GROUPED = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d*)?$")


def is_blank(value: Any) -> bool:
    """Blank cells take the default (DATA.md)."""
    return _blank(value) is None


def _blank(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _text(value: Any) -> Any:
    value = _blank(value)
    value = csv_unescape(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as 101 in Excel arrives as 101.0
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _number(value: Any) -> Any:
    value = _blank(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"must be a number, got {value}")
    if isinstance(value, (datetime.date, datetime.time)):
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            value = value.date()
        raise ValueError(f"must be a number, got the date {value} (format the cell as a number)")
    written = value if isinstance(value, str) else repr(value)  # messages quote the cell as written
    if isinstance(value, str):
        text = value
        if _GROUPED.match(text):
            text = text.replace(",", "").replace("，", "")  # thousands separators: 1,234.5
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"must be a number, got {quoted(written)}") from None
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"must be a number, got {quoted(written)}") from None
    if math.isnan(value):
        raise ValueError("must be a number, got NaN")
    if math.isinf(value) and written.strip().lstrip("+-").lower() in ("inf", "infinity", "∞", "float('inf')"):
        raise ValueError(f"must be a finite number, got {quoted(written)}")
    if math.isinf(value) or abs(value) > ABSURD:  # a number too long for a float says so as written
        raise ValueError(f"{shorten(written)} is implausibly large (more than {ABSURD:g})")
    return value


def _integer(value: Any) -> Any:
    value = _number(value)
    if value is None:
        return None
    if not float(value).is_integer():
        raise ValueError(f"must be a whole number, got {value:g}")
    return int(value)


def _year(value: Any) -> Any:
    value = _integer(value)
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise ValueError(f"{value} is not a plausible year")
    return value


def _lower(value: Any) -> Any:
    value = _blank(value)
    return value.lower() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_text)]
Number = Annotated[float, BeforeValidator(_number)]
Integer = Annotated[int, BeforeValidator(_integer)]
Year = Annotated[int, BeforeValidator(_year)]
Scope = Annotated[str, BeforeValidator(_text)]

STATUSES = ("candidate", "mandatory", "committed", "excluded")


class _Row(BaseModel):
    # Extra columns are welcome (DATA.md); they are kept beside the validated ones.
    model_config = ConfigDict(extra="ignore", frozen=True)


class ProjectRow(_Row):
    id: Text
    name: Text
    city: Text
    task: Text | None = None
    duration: Annotated[Integer, Field(ge=1, le=100, description="years")]
    earliest_start: Year
    latest_start: Year | None = None
    cost: Annotated[Number, Field(ge=0, description="亿元, total")]
    land: Annotated[Number, Field(ge=0, description="亩, consumed in the start year")] = 0.0
    energy: Annotated[Number, Field(ge=0, description="万吨标准煤 per year from completion")] = 0.0
    status: Annotated[Literal[STATUSES], BeforeValidator(_lower)] = "candidate"
    start: Year | None = None
    group: Text | None = None


class ProjectCityRow(_Row):
    project_id: Text
    city: Text
    share: Annotated[Number, Field(gt=0, le=1)]


class CostProfileRow(_Row):
    project_id: Text
    year_offset: Annotated[Integer, Field(ge=0)]
    cost: Annotated[Number, Field(ge=0, description="亿元 in that construction year")]


class ContributionRow(_Row):
    project_id: Text
    indicator: Text
    value: Number


class IndicatorRow(_Row):
    indicator: Text
    name: Text | None = None
    unit: Text | None = None
    scope: Scope = "ALL"
    baseline: Number = 0.0
    target: Number | None = None
    weight: Annotated[Number, Field(ge=0)] = 1.0


def _resource(value: Any) -> Any:
    """A resource name: budget, land, energy, a dataset's own, or a funding source (its
    planners' names, 专项债 ..., read as the canonical id: data.funding)."""
    value = _blank(value)
    return canonical_source(value) if isinstance(value, str) else value


class FundingRow(_Row):
    project_id: Text
    source: Text
    share: Annotated[Number, Field(ge=0, le=1)]


class LimitRow(_Row):
    resource: Annotated[str, BeforeValidator(_resource)]
    scope: Scope = "ALL"
    year: Year | None = None
    limit: Annotated[Number, Field(ge=0)]


class DependencyRow(_Row):
    project_id: Text
    requires: Text


@dataclass(frozen=True)
class TableSpec:
    name: str
    row: type[_Row]
    key: tuple[str, ...]
    required: bool  # whether the table itself must be present

    @property
    def required_columns(self) -> list[str]:
        return [n for n, f in self.row.model_fields.items() if f.is_required()]

    @property
    def columns(self) -> list[str]:
        return list(self.row.model_fields)


TABLES: dict[str, TableSpec] = {
    s.name: s
    for s in (
        TableSpec("projects", ProjectRow, ("id",), True),
        TableSpec("project_cities", ProjectCityRow, ("project_id", "city"), False),
        TableSpec("cost_profiles", CostProfileRow, ("project_id", "year_offset"), False),
        TableSpec("contributions", ContributionRow, ("project_id", "indicator"), True),
        TableSpec("indicators", IndicatorRow, ("indicator", "scope"), True),
        TableSpec("funding", FundingRow, ("project_id", "source"), False),
        TableSpec("limits", LimitRow, ("resource", "scope", "year"), False),
        TableSpec("dependencies", DependencyRow, ("project_id", "requires"), False),
    )
}
