"""Errors the optimizer raises, each carrying what a user needs to fix the input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as a spreadsheet user would find it.

    ``row`` is the spreadsheet row (the header is row 1, the first data row is
    row 2); ``None`` when the problem is about a whole file or table.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {shorten(self.column)}")
        text = f"{', '.join(where)}: {self.message}"
        # a last guard: a message quoting a pasted novel stays one readable line
        return text if len(text) <= MESSAGE_CHARS else f"{text[:MESSAGE_CHARS]}… ({len(text):,} characters)"


class InputError(ValueError):
    """The input is invalid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.describe())

    def describe(self, limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  {p}" for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        return "\n".join(lines)


class InfeasibleError(RuntimeError):
    """No portfolio satisfies every limit and rule. `table` holds the smallest relaxation
    that would make one possible (constraint, scope, year, need, limit, short, unit, message)."""

    def __init__(self, message: str, table=None):
        super().__init__(message)
        self.table = table


class NoSolutionError(RuntimeError):
    """The time limit ended before any portfolio was found."""


class ProblemCollector:
    """Collects problems so that all of them are reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)


#: a value quoted in a message is cut to this many characters (with its length said)
QUOTE_CHARS = 60
#: no message line is longer than this, whatever it quotes
MESSAGE_CHARS = 600


def shorten(value: Any, limit: int = QUOTE_CHARS) -> str:
    """A value as a message quotes it: as written, cut to its first `limit` characters."""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def quoted(value: Any) -> str:
    """'value', shortened; text in quotes, numbers as written."""
    if isinstance(value, str):
        if len(value) > QUOTE_CHARS:
            return f"'{value[:QUOTE_CHARS]}…' ({len(value):,} characters)"
        return f"'{value}'"
    return shorten(value)


#: pydantic's type errors: what the value must be (said with what it got)
_MUST_BE = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list, e.g. [P1, P2]",
    "tuple_type": "a list of two, e.g. [2024, 2030]",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "finite_number": "a finite number",
}
#: pydantic's bound errors: the context key of the bound, and how it is said
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def _said(e: dict) -> str | None:
    """pydantic's wording, said as a planner would read it (None: no wording of ours)."""
    kind, got = e["type"], e.get("input")
    if kind == "float_type" and isinstance(got, int) and not isinstance(got, bool):
        return f"{shorten(got)} is implausibly large"  # an integer too long for a float
    if kind in _MUST_BE:
        return f"must be {_MUST_BE[kind]}, got {quoted(got)}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {e['ctx'][key]}, got {quoted(got)}"
    if kind == "literal_error":
        return f"must be one of {e['ctx']['expected']}, got {quoted(got)}"
    if kind == "missing":
        return "a value is required"
    if kind == "too_short":
        return "must not be empty" if not got else f"is too short, got {quoted(got)}"
    if kind == "too_long":
        return f"is too long, got {quoted(got)}"
    if kind == "extra_forbidden":
        return "unknown key"
    return None


def pydantic_message(err: dict) -> str:
    """A pydantic error said as a planner would read it: no validator names, values shortened."""
    said = _said(err)
    if said is not None:
        return said
    msg = err["msg"].removeprefix("Value error, ")
    if "input" in err and err["type"] not in ("value_error", "target_outside"):  # those say what they got
        msg = f"{msg}, got {quoted(err['input'])}"
    return msg


def clean_loc(loc: tuple) -> tuple[str, ...]:
    """A pydantic error location as the key path a user wrote: the names pydantic gives the
    members of a union (``constrained-float``, ``dict[str,constrained-float]``,
    ``function-after[...]``) and list positions are not keys."""
    out = []
    for part in loc:
        if isinstance(part, int):
            continue
        text = str(part)
        if (
            "[" in text
            or text.startswith(("constrained-", "function-", "lax-", "json-or-python"))
            or text
            in (
                "float",
                "int",
                "str",
                "bool",
                "list",
                "dict",
                "tuple",
                "none",
            )
        ):
            continue
        out.append(text)
    return tuple(out)
